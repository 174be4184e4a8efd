import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyChange,
  effectiveChange,
  entityCountAfter,
  inverseOf,
  makePrivateChange,
  resetChange,
  summarizeChange,
  targetsToPermissions,
} from '../../src/core/permissionPlan';
import { samePermissions } from '../../src/core/launchPermissions';
import type { LaunchPermission } from '../../src/core/types';

const A = { UserId: '111111111111' };
const B = { UserId: '222222222222' };
const C = { UserId: '333333333333' };
const ORG = { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' };
const PUBLIC: LaunchPermission = { Group: 'all' };

test('effective change drops adds already present and removes not present', () => {
  const change = effectiveChange([A, ORG], { add: [A, B, B], remove: [C, ORG] });
  assert.deepEqual(change, { add: [B], remove: [ORG] });
});

test('an entry both added and removed is removed', () => {
  assert.deepEqual(effectiveChange([A], { add: [A, B], remove: [A, B] }), { add: [], remove: [A] });
});

test('applying a change keeps entries added elsewhere meanwhile (diff, not overwrite)', () => {
  const planned = effectiveChange([A], { add: [B], remove: [A] });
  const currentNow = [A, C]; // C was added by someone else after the form loaded
  assert.ok(samePermissions(applyChange(currentNow, planned), [B, C]));
});

test('the inverse restores exactly the previous permissions', () => {
  const before = [A, ORG, PUBLIC];
  for (const requested of [{ add: [B, C], remove: [A] }, { add: [], remove: [PUBLIC, ORG] }, { add: [A], remove: [C] }]) {
    const applied = effectiveChange(before, requested);
    const after = applyChange(before, applied);
    assert.ok(samePermissions(applyChange(after, inverseOf(applied)), before), JSON.stringify(requested));
  }
  const reset = resetChange(before);
  assert.ok(samePermissions(applyChange([], inverseOf(reset)), before));
});

test('make private removes only public access', () => {
  assert.deepEqual(makePrivateChange([A, PUBLIC, ORG]), { add: [], remove: [PUBLIC] });
  assert.deepEqual(makePrivateChange([A]), { add: [], remove: [] });
});

test('entity count for the 1,000 quota excludes public access', () => {
  const many = Array.from({ length: 999 }, (_, i) => ({ UserId: String(100000000000 + i) }));
  assert.equal(entityCountAfter([...many, PUBLIC], { add: [A], remove: [] }), 1000);
  assert.equal(entityCountAfter(many, { add: [A, B], remove: [] }), 1001);
});

test('summaries read like the form shows them', () => {
  assert.equal(summarizeChange({ add: [A, B], remove: [C] }), '+2 accounts, −1 account');
  assert.equal(summarizeChange({ add: [ORG], remove: [PUBLIC] }), '+1 organization, −public access');
  assert.equal(summarizeChange({ add: [], remove: [] }), 'no changes');
});

test('targets become launch permissions in a stable order', () => {
  assert.deepEqual(targetsToPermissions({ accountIds: ['1'], organizationArns: ['o'], organizationalUnitArns: ['u'] }), [
    { UserId: '1' },
    { OrganizationArn: 'o' },
    { OrganizationalUnitArn: 'u' },
  ]);
});
