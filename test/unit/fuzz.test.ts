import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ORGANIZATION_ARN, ORGANIZATIONAL_UNIT_ARN, parseTargets, splitEntries } from '../../src/core/accountInput';
import { isValidPermission, parseWebviewMessage } from '../../src/webview/protocol';

const RUNS = 3000;
const digit = fc.constantFrom(...'0123456789');
const accountId = fc.array(digit, { minLength: 12, maxLength: 12 }).map((d) => d.join(''));
const lowerAlnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const orgId = fc.array(lowerAlnum, { minLength: 10, maxLength: 32 }).map((c) => `o-${c.join('')}`);
const orgArn = fc.tuple(accountId, orgId).map(([account, id]) => `arn:aws:organizations::${account}:organization/${id}`);
const ouArn = fc
  .tuple(accountId, orgId, fc.array(lowerAlnum, { minLength: 4, maxLength: 32 }), fc.array(lowerAlnum, { minLength: 8, maxLength: 32 }))
  .map(([account, org, a, b]) => `arn:aws:organizations::${account}:ou/${org}/ou-${a.join('')}-${b.join('')}`);
const separator = fc.constantFrom(',', ' ', '\n', '\r\n', '\t', ';', ', ', ' \n ');

test('fuzz: every valid account, org and OU entry is accepted, whatever the separators and hyphens', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(accountId, orgArn, ouArn), { minLength: 1, maxLength: 40 }), fc.array(separator, { minLength: 40, maxLength: 40 }), fc.boolean(), (entries, seps, hyphenate) => {
      const unique = [...new Set(entries)];
      const shown = unique.map((e) => (hyphenate && /^\d{12}$/.test(e) ? `${e.slice(0, 4)}-${e.slice(4, 8)}-${e.slice(8)}` : e));
      const text = shown.map((e, i) => e + seps[i % seps.length]).join('');
      const parsed = parseTargets(text);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual([...parsed.accountIds, ...parsed.organizationArns, ...parsed.organizationalUnitArns].sort(), [...unique].sort());
    }),
    { numRuns: RUNS },
  );
});

test('fuzz: arbitrary input never throws; every accepted value is well-formed and every rejected entry is named', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.oneof(accountId, orgArn, fc.string()), { maxLength: 20 }).map((a) => a.join(' '))), (text) => {
      const parsed = parseTargets(text);
      for (const id of parsed.accountIds) assert.match(id, /^\d{12}$/);
      for (const arn of parsed.organizationArns) assert.match(arn, ORGANIZATION_ARN);
      for (const arn of parsed.organizationalUnitArns) assert.match(arn, ORGANIZATIONAL_UNIT_ARN);
      const accepted = parsed.accountIds.length + parsed.organizationArns.length + parsed.organizationalUnitArns.length;
      assert.equal(accepted + parsed.problems.length, splitEntries(text).length);
      for (const problem of parsed.problems) assert.ok(problem.entry.length > 0 && problem.reason.length > 0);
    }),
    { numRuns: RUNS },
  );
});

test('fuzz: the own account is always refused', () => {
  fc.assert(
    fc.property(accountId, fc.array(accountId, { maxLength: 10 }), (own, others) => {
      const parsed = parseTargets([...others, own].join(','), { ownAccountId: own });
      assert.ok(!parsed.accountIds.includes(own));
      assert.ok(parsed.problems.some((p) => p.entry === own && /your own account/.test(p.reason)));
    }),
    { numRuns: RUNS },
  );
});

const validPermission = fc.oneof(accountId.map((UserId) => ({ UserId })), fc.constant({ Group: 'all' }), orgArn.map((OrganizationArn) => ({ OrganizationArn })), ouArn.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })));

test('fuzz: well-formed webview messages are accepted unchanged', () => {
  fc.assert(
    fc.property(fc.array(validPermission, { maxLength: 30 }), fc.array(validPermission, { maxLength: 30 }), fc.boolean(), (add, remove, includeSnapshots) => {
      const message = { type: 'save', add, remove, includeSnapshots };
      assert.deepEqual(parseWebviewMessage(message), { message });
    }),
    { numRuns: RUNS },
  );
  for (const type of ['ready', 'reload', 'reset', 'makePrivate', 'close', 'alignSnapshots']) assert.deepEqual(parseWebviewMessage({ type }), { message: { type } });
});

test('fuzz: anything else from the webview is rejected, never passed through', () => {
  const hostile = fc.oneof(
    fc.anything(),
    fc.record({ type: fc.string(), add: fc.anything(), remove: fc.anything() }),
    fc.record({ type: fc.constant('save'), add: fc.array(fc.anything()), remove: fc.array(fc.anything()), includeSnapshots: fc.anything() }),
    fc.record({ type: fc.constant('save'), add: fc.array(fc.record({ UserId: fc.string() })), remove: fc.constant([]), includeSnapshots: fc.boolean() }),
    fc.record({ type: fc.constantFrom('ready', 'reset'), extra: fc.anything() }),
  );
  fc.assert(
    fc.property(hostile, (raw) => {
      const result = parseWebviewMessage(raw);
      if ('message' in result) {
        // Accepted only if it is exactly a protocol message with valid permissions.
        const message = result.message as { type: string; add?: unknown[]; remove?: unknown[] };
        assert.ok(['ready', 'reload', 'reset', 'makePrivate', 'close', 'alignSnapshots', 'save'].includes(message.type));
        if (message.type === 'save') assert.ok([...message.add!, ...message.remove!].every(isValidPermission));
        else assert.deepEqual(Object.keys(raw as object), ['type']);
      } else {
        assert.ok(result.rejected.length > 0);
      }
    }),
    { numRuns: RUNS },
  );
});

test('webview: prototype tricks and oversized payloads are rejected', () => {
  assert.ok('rejected' in parseWebviewMessage(JSON.parse('{"type":"save","add":[{"__proto__":{"UserId":"111111111111"}}],"remove":[],"includeSnapshots":false}')));
  assert.ok('rejected' in parseWebviewMessage({ type: 'save', add: [{ UserId: '111111111111', Group: 'all' }], remove: [], includeSnapshots: false }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'save', add: Array.from({ length: 10_001 }, () => ({ UserId: '111111111111' })), remove: [], includeSnapshots: false }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'save', add: [{ UserId: '<img src=x onerror=alert(1)>' }], remove: [], includeSnapshots: false }));
  assert.ok('rejected' in parseWebviewMessage({ type: 'command:workbench.action.terminal.new' }));
});
