import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): Record<string, string | { message: string }> => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8'));
const messageOf = (value: string | { message: string }) => (typeof value === 'string' ? value : value.message);
const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const commandLinks = (text: string) => [...text.matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]).sort();

function assertComplete(english: Record<string, string | { message: string }>, translated: Record<string, string | { message: string }>, what: string): void {
  const missing = Object.keys(english).filter((key) => !(key in translated) || messageOf(translated[key]!).trim() === '');
  assert.deepEqual(missing, [], `${what}: keys without a translation`);
  assert.deepEqual(Object.keys(translated).filter((key) => !(key in english)), [], `${what}: translations of keys that no longer exist`);
  for (const [key, value] of Object.entries(english)) {
    const translation = messageOf(translated[key]!);
    assert.deepEqual(placeholders(translation), placeholders(messageOf(value)), `${what}: "${key}" keeps its placeholders`);
    assert.deepEqual(commandLinks(translation), commandLinks(messageOf(value)), `${what}: "${key}" keeps its command links`);
  }
}

test('l10n/bundle.l10n.json is what @vscode/l10n-dev exports from the sources now (run `npm run l10n`)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-l10n-'));
  try {
    const result = spawnSync(path.join(REPO, 'node_modules', '.bin', 'vscode-l10n-dev'), ['export', '--outDir', out, './src'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')), read('l10n/bundle.l10n.json'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('German is complete: every key of bundle.l10n.json and package.nls.json is translated', () => {
  assertComplete(read('l10n/bundle.l10n.json'), read('l10n/bundle.l10n.de.json'), 'bundle.l10n.de.json');
  assertComplete(read('package.nls.json'), read('package.nls.de.json'), 'package.nls.de.json');
});

test('every user-visible string of package.json is a %key% of package.nls.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const nls = read('package.nls.json');
  const literal: string[] = [];
  const visit = (value: unknown, where: string) => {
    if (typeof value === 'string') {
      const key = /^%(.+)%$/.exec(value)?.[1];
      if (key) assert.ok(key in nls, `${where}: %${key}% is not in package.nls.json`);
      else if (/(^|\.)(title|name|description|markdownDescription|contents|contextualTitle)$/.test(where)) literal.push(`${where}: ${value}`);
      return;
    }
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, `${where}[${index}]`);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, where ? `${where}.${key}` : key);
    }
  };
  visit(manifest.contributes, 'contributes');
  const allowed = (line: string) => /\.views\.amiSharing\[\d+\]\.(id|icon)|\.name: amiSharing\./.test(line);
  assert.deepEqual(literal.filter((line) => !allowed(line)), []);
  assert.match(manifest.displayName, /^%displayName%$/);
  assert.match(manifest.description, /^%description%$/);
});
