import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { displayAction } from '../../src/core/actionNames';
import { describePlan, type PlannedStep } from '../../src/core/changes';
import { describeAwsError } from '../../src/core/errors';
import { configureLoadedLayer, useL10nBundle } from '../../src/l10nLayers';
import { l10nContentsOf } from '../../src/webview/protocol';
import { l10nBodyAttribute } from '../../src/webview/webviewL10n';

const REPO = path.resolve(__dirname, '..', '..', '..');
const german = (): Record<string, string> => JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.de.json'), 'utf8'));
const english = (): Record<string, string> => JSON.parse(fs.readFileSync(path.join(REPO, 'l10n', 'bundle.l10n.json'), 'utf8'));

// Every test leaves @vscode/l10n as it found it: English (no bundle).
afterEach(() => useL10nBundle({}));

const unshare: PlannedStep = {
  address: { kind: 'launchPermissions', profile: 'dev', region: 'eu-west-1', imageId: 'ami-0123456789abcdef0' },
  before: [{ UserId: '111122223333' }],
  diff: { add: [], remove: [{ UserId: '111122223333' }] },
};

test('English is the default: the plan text reads as the English message with its placeholders filled', () => {
  const plan = describePlan([unshare], [], {}, new Map([['dev', '999988887777']]));
  assert.match(plan, /^ami-0123456789abcdef0 \(dev 999988887777, eu-west-1\) launch permissions: − /);
  assert.match(plan, /The owner account always keeps access\.$/);
});

test('with the German bundle the plan from src/core comes out German, ids and values untouched', () => {
  useL10nBundle(german());
  const plan = describePlan([unshare], [], {}, new Map([['dev', '999988887777']]));
  assert.match(plan, /^ami-0123456789abcdef0 \(dev 999988887777, eu-west-1\) Launch-Berechtigungen: − /);
  assert.match(plan, /111122223333/);
  assert.match(plan, /Das Eigentümerkonto behält immer den Zugriff\.$/);
});

test('an AWS error explained in src/core is German with the German bundle', () => {
  useL10nBundle(german());
  const described = describeAwsError(Object.assign(new Error('Throttled'), { name: 'RequestLimitExceeded' }), { operation: 'DescribeImages', profile: 'dev', region: 'eu-west-1' });
  assert.equal(described.message, 'EC2 drosselt Anfragen in dev / eu-west-1; die Anfrage wurde wiederholt und weiterhin gedrosselt. Versuchen Sie es in einer Minute erneut.');
});

test('recorded action names read in German; a name not known here is shown as recorded', () => {
  assert.equal(displayAction('Share'), 'Share');
  useL10nBundle(german());
  assert.equal(displayAction('Share'), 'Freigeben');
  assert.equal(displayAction('Copy to Regions: share the copy'), 'In Regionen kopieren: Kopie freigeben');
  assert.equal(displayAction('Rotate keys'), 'Rotate keys');
});

test('a lazily loaded layer gets the bundle chosen at activation (its own copy of @vscode/l10n is configured)', () => {
  const handed: Array<{ contents: Record<string, string> }> = [];
  const layer = { configureL10n: (config: { contents: Record<string, string> }) => handed.push(config) };
  configureLoadedLayer(layer);
  assert.deepEqual(handed, [{ contents: {} }], 'English: the empty bundle');
  const bundle = german();
  useL10nBundle(bundle);
  assert.equal(configureLoadedLayer(layer), layer);
  assert.equal(handed.at(-1)?.contents, bundle);
});

test('the built dist/aws.js translates with the bundle handed to it', () => {
  const aws = require(path.join(REPO, 'dist', 'aws.js')) as typeof import('../../src/aws/index');
  try {
    aws.configureL10n({ contents: german() });
    const described = aws.describeAwsError(Object.assign(new Error('x'), { name: 'InvalidAMIID.Malformed' }), { operation: 'DescribeImages', profile: 'dev', region: 'eu-west-1', imageId: 'ami-1' });
    assert.match(described.message, /^ami-1 ist keine gültige AMI-ID/);
  } finally {
    aws.configureL10n({ contents: {} });
  }
});

/** What the webview's l10nSetup does with <body data-l10n="…">: the browser unescapes the attribute, then it is parsed and validated. */
function webviewReceives(attribute: string): Record<string, string> {
  const value = /^data-l10n="([^"]*)"$/.exec(attribute)?.[1];
  assert.ok(value !== undefined, `one double-quoted attribute without raw quotes inside: ${attribute.slice(0, 80)}`);
  const unescaped = value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return l10nContentsOf(JSON.parse(unescaped));
}

test('the webview receives the German strings the host passes in, and translates its own form text with them', () => {
  const received = webviewReceives(l10nBodyAttribute(german()));
  assert.deepEqual(received, german());
  l10n.config({ contents: received });
  assert.equal(l10n.t('Save changes'), 'Änderungen speichern');
  assert.equal(l10n.t('Edit permissions of {0} AMIs', 3), 'Berechtigungen von 3 AMIs bearbeiten');
});

test('the bundle passed to the webview is validated and escaped: only string messages, no markup can break out', () => {
  const hostile = { '"><script>alert(1)</script>': '</body>&\'"', nested: { message: 'x' }, count: 3, list: ['a'] } as unknown;
  const attribute = l10nBodyAttribute(hostile);
  assert.doesNotMatch(attribute.slice('data-l10n="'.length, -1), /["<>]/);
  assert.deepEqual(webviewReceives(attribute), { '"><script>alert(1)</script>': '</body>&\'"' });
  assert.deepEqual(l10nContentsOf(undefined), {});
  assert.deepEqual(l10nContentsOf(['a']), {});
});

test('@vscode/l10n-dev picks up the webview form strings (src/webview-ui): they are keys of bundle.l10n.json', () => {
  const keys = english();
  for (const message of ['Save changes', 'About sharing AMIs', 'Add AWS account IDs', 'Reload current permissions']) assert.ok(message in keys, message);
});
