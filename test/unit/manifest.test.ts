import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { globToRegExp, literalGlob, matchesGlob } from '../../src/core/manifest/glob';
import { formatProblem, parseManifest } from '../../src/core/manifest/parse';
import { isManifestFileName } from '../../src/core/manifest/types';

const GOOD = `{
  "policies": [
    {
      "name": "golden images to workload accounts",
      "profile": "owner",
      "regions": ["us-east-1", "eu-west-1"],
      "images": { "namePattern": "golden-*", "tags": { "team": "platform" } },
      "share": { "accounts": ["111122223333"], "organizations": [], "organizationalUnits": [] },
      "public": false,
      "snapshots": true,
      "exclusive": false
    }
  ]
}`;

function withPolicy(change: (policy: Record<string, unknown>) => void): string {
  const document = JSON.parse(GOOD) as { policies: Array<Record<string, unknown>> };
  change(document.policies[0]!);
  return JSON.stringify(document, null, 2);
}

function problemsOf(text: string, context = {}) {
  const parsed = parseManifest(text, context);
  assert.equal(parsed.ok, false, 'expected problems');
  return parsed.problems;
}

describe('manifest parsing', () => {
  test('the issue example is valid and keeps its fields', () => {
    const parsed = parseManifest(GOOD, { profiles: ['owner'] });
    assert.equal(parsed.ok, true, JSON.stringify(parsed.problems));
    assert.equal(parsed.ok && parsed.manifest.policies[0]!.images.namePattern, 'golden-*');
  });

  test('an unknown field is named at its key with line, column and JSON path', () => {
    const text = GOOD.replace('"exclusive": false', '"exclusive": false,\n      "exlusive": true');
    const [problem, ...rest] = problemsOf(text);
    assert.equal(rest.length, 0);
    assert.match(problem!.message, /Unknown field "exlusive"/);
    assert.equal(problem!.path, 'policies[0].exlusive');
    assert.equal(problem!.line, 12);
    assert.equal(problem!.column, 7);
    assert.equal(formatProblem('ami-sharing.json', problem!), 'ami-sharing.json:12:7: policies[0].exlusive: Unknown field "exlusive" in policies[0].');
  });

  test('a bad account ID, a bad organization ARN and a bad OU ARN are each named with their path', () => {
    const text = withPolicy((p) => {
      p.share = { accounts: ['111122223333', '1111-2222-3333'], organizations: ['arn:aws:organizations::111111111111:organization/x'], organizationalUnits: ['ou-ab12-cdef3456'] };
    });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map((p) => p.path), ['policies[0].share.accounts[1]', 'policies[0].share.organizations[0]', 'policies[0].share.organizationalUnits[0]']);
    assert.match(problems[0]!.message, /"1111-2222-3333" is not an AWS account ID/);
    assert.match(problems[1]!.message, /not an organization ARN/);
    assert.match(problems[2]!.message, /not an organizational unit ARN/);
    // The position is the value's own: line and column of the string in the document.
    const line = text.split('\n')[problems[0]!.line - 1]!;
    assert.equal(line.slice(problems[0]!.column - 1, problems[0]!.column - 1 + problems[0]!.length), '"1111-2222-3333"');
  });

  test('a Region name that is not one, and one that is not even shaped like one', () => {
    const problems = problemsOf(withPolicy((p) => (p.regions = ['us-east-1', 'us-east-9'])));
    assert.deepEqual(problems.map((p) => [p.path, p.message]), [['policies[0].regions[1]', '"us-east-9" is not a Region.']]);
    const shaped = problemsOf(withPolicy((p) => (p.regions = ['Frankfurt'])));
    assert.match(shaped[0]!.message, /"Frankfurt" is not a Region name/);
    assert.equal(parseManifest(withPolicy((p) => (p.regions = ['us-east-9'])), { extraRegions: ['us-east-9'] }).ok, true);
  });

  test('an unknown profile is refused when the profiles are known, naming them', () => {
    const [problem] = problemsOf(GOOD, { profiles: ['dev', 'prod'] });
    assert.equal(problem!.path, 'policies[0].profile');
    assert.match(problem!.message, /Unknown profile "owner".*dev, prod/);
  });

  test('missing fields, wrong types, duplicate names and JSON syntax errors', () => {
    assert.match(problemsOf('{}')[0]!.message, /Missing field "policies"/);
    const missing = problemsOf(withPolicy((p) => delete p.share));
    assert.deepEqual(missing.map((p) => [p.path, p.message]), [['policies[0]', 'Missing field "share" in policies[0].']]);
    assert.match(problemsOf(withPolicy((p) => (p.public = 'true')))[0]!.message, /policies\[0\]\.public must be a boolean/);
    const twice = JSON.stringify({ policies: [JSON.parse(GOOD).policies[0], JSON.parse(GOOD).policies[0]] });
    assert.match(problemsOf(twice)[0]!.message, /used twice/);
    const syntax = problemsOf('{\n  "policies": [\n    {,\n  ]\n}');
    assert.equal(syntax[0]!.line, 3);
    assert.match(syntax[0]!.message, /JSON syntax error/);
    assert.match(problemsOf('')[0]!.message, /JSON syntax error|empty/);
    assert.match(problemsOf('{"policies": [] // no\n}')[0]!.message, /JSON syntax error/);
  });

  test('the shipped schema file is the one package.json contributes for both file names', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ fileMatch: string | string[]; url: string }> } };
    const entry = pkg.contributes.jsonValidation.find((v) => v.url === './schemas/ami-sharing.schema.json');
    assert.ok(entry, 'jsonValidation contributes the schema');
    assert.deepEqual([entry.fileMatch].flat().sort(), ['*.ami-sharing.json', 'ami-sharing.json']);
    assert.ok(fs.existsSync(path.join(root, 'schemas', 'ami-sharing.schema.json')));
    assert.ok(isManifestFileName('/w/ami-sharing.json') && isManifestFileName('C:\\w\\prod.ami-sharing.json') && !isManifestFileName('/w/xami-sharing.json'));
  });
});

describe('globs on AMI names', () => {
  test('* ? [..] and escapes; the whole name must match', () => {
    assert.ok(matchesGlob('golden-al2023-2026-11-01', 'golden-*'));
    assert.ok(!matchesGlob('old-golden-1', 'golden-*'));
    assert.ok(matchesGlob('golden-', 'golden-*'));
    assert.ok(matchesGlob('a1', 'a?') && !matchesGlob('a12', 'a?'));
    assert.ok(matchesGlob('v3', 'v[1-3]') && !matchesGlob('v4', 'v[1-3]') && matchesGlob('v4', 'v[!1-3]'));
    assert.ok(matchesGlob('a.b', 'a.b') && !matchesGlob('axb', 'a.b'), 'regex characters are literal');
    assert.ok(matchesGlob('x*y', 'x\\*y') && !matchesGlob('xzy', 'x\\*y'));
    assert.ok(matchesGlob('(a)+[b]', literalGlob('(a)+[b]')) && !matchesGlob('(a)+b', literalGlob('(a)+[b]')));
    assert.equal(globToRegExp('[').test('['), true, 'an unclosed bracket is literal');
  });
});
