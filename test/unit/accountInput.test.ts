import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProblems, parseTargets } from '../../src/core/accountInput';

const ORG = 'arn:aws:organizations::111122223333:organization/o-abc123def4';
const OU = 'arn:aws:organizations::111122223333:ou/o-abc123def4/ou-ab12-cdef3456';

const table: Array<{ name: string; input: string; own?: string; accounts?: string[]; orgs?: string[]; ous?: string[]; problems?: string[] }> = [
  { name: 'commas', input: '111122223333,444455556666', accounts: ['111122223333', '444455556666'] },
  { name: 'spaces, tabs and new lines', input: '111122223333 \t444455556666\n\n777788889999\r\n', accounts: ['111122223333', '444455556666', '777788889999'] },
  { name: 'semicolons and empty entries', input: ';;111122223333;,, ;', accounts: ['111122223333'] },
  { name: 'hyphenated IDs are normalised', input: '1111-2222-3333', accounts: ['111122223333'] },
  { name: 'too short', input: '12345', problems: ['"12345" has 5 digits; account IDs have 12'] },
  { name: 'too long', input: '1234567890123', problems: ['"1234567890123" has 13 digits; account IDs have 12'] },
  { name: 'letters', input: '11112222333a', problems: ['"11112222333a" is not a 12-digit account ID, organization ARN or OU ARN'] },
  { name: 'Unicode digits are refused', input: '١١١١٢٢٢٢٣٣٣٣', problems: ['"١١١١٢٢٢٢٣٣٣٣" contains non-ASCII digits; account IDs are 12 digits 0-9'] },
  { name: 'full-width digits are refused', input: '１１１１２２２２３３３３', problems: ['"１１１１２２２２３３３３" contains non-ASCII digits; account IDs are 12 digits 0-9'] },
  { name: 'own account', input: '111122223333 999988887777', own: '999988887777', accounts: ['111122223333'], problems: ['"999988887777" is your own account (the owner always keeps access)'] },
  { name: 'duplicates, also via hyphens', input: '111122223333 1111-2222-3333', accounts: ['111122223333'], problems: ['"1111-2222-3333" is listed more than once'] },
  { name: 'organization and OU ARNs', input: `${ORG}\n${OU}`, orgs: [ORG], ous: [OU] },
  { name: 'GovCloud partition', input: 'arn:aws-us-gov:organizations::111122223333:organization/o-abc123def4', orgs: ['arn:aws-us-gov:organizations::111122223333:organization/o-abc123def4'] },
  { name: 'org ARN with a short id', input: 'arn:aws:organizations::111122223333:organization/o-abc', problems: ['"arn:aws:organizations::111122223333:organization/o-abc" is not a valid organization ARN (arn:aws:organizations::ACCOUNT:organization/o-xxxxxxxxxx)'] },
  { name: 'OU ARN with upper case', input: 'arn:aws:organizations::111122223333:ou/o-abc123def4/ou-AB12-cdef3456', problems: ['"arn:aws:organizations::111122223333:ou/o-abc123def4/ou-AB12-cdef3456" is not a valid OU ARN (arn:aws:organizations::ACCOUNT:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)'] },
  { name: 'ARN broken by a space becomes two bad entries', input: 'arn:aws:organizations::111122223333: organization/o-abc123def4', problems: ['"arn:aws:organizations::111122223333:" is not an organization or OU ARN', '"organization/o-abc123def4" is not a 12-digit account ID, organization ARN or OU ARN'] },
  { name: 'other ARNs', input: 'arn:aws:iam::111122223333:root', problems: ['"arn:aws:iam::111122223333:root" is not an organization or OU ARN'] },
  { name: 'markup is just a bad entry', input: '<img src=x onerror=alert(1)>', problems: ['"<img" is not a 12-digit account ID, organization ARN or OU ARN', '"src=x" is not a 12-digit account ID, organization ARN or OU ARN', '"onerror=alert(1)>" is not a 12-digit account ID, organization ARN or OU ARN'] },
  { name: 'empty input', input: '   \n  ' },
];

for (const row of table) {
  test(`account input: ${row.name}`, () => {
    const parsed = parseTargets(row.input, row.own ? { ownAccountId: row.own } : {});
    assert.deepEqual(parsed.accountIds, row.accounts ?? []);
    assert.deepEqual(parsed.organizationArns, row.orgs ?? []);
    assert.deepEqual(parsed.organizationalUnitArns, row.ous ?? []);
    assert.deepEqual(parsed.problems.map((p) => `"${p.entry}" ${p.reason}`), row.problems ?? []);
  });
}

test('10,000 pasted IDs parse quickly and keep order', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => String(100000000000 + i));
  const started = performance.now();
  const parsed = parseTargets(ids.join('\n'));
  const elapsed = performance.now() - started;
  assert.equal(parsed.accountIds.length, 10_000);
  assert.equal(parsed.accountIds[9_999], ids[9_999]);
  assert.equal(parsed.problems.length, 0);
  assert.ok(elapsed < 500, `took ${elapsed} ms`);
});

test('problem lists are capped for display but name each shown entry', () => {
  const parsed = parseTargets(Array.from({ length: 30 }, (_, i) => `bad${i}`).join(' '));
  const text = describeProblems(parsed.problems);
  assert.match(text, /"bad0"/);
  assert.match(text, /and 20 more/);
  assert.ok(!text.includes('"bad10"'));
});

test('a very long entry is shortened in messages', () => {
  const parsed = parseTargets('x'.repeat(5000));
  assert.ok(parsed.problems[0]!.entry.length <= 121);
});
