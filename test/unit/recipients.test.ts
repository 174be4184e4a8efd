import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRecipient, dryRunReason, instanceTypeFor, keyPolicyAllows, launchGrantFor, recipientsSummary, type OwnerFacts, type RecipientSideFacts } from '../../src/core/recipients';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/k1';
const ORG = 'arn:aws:organizations::111111111111:organization/o-abc123def4';
const allowAccount = (accountId: string) => ({
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant'], Resource: '*' }],
});

function owner(overrides: Partial<OwnerFacts> = {}): OwnerFacts {
  return {
    ownerId: '111111111111', imageId: 'ami-0123456789abcdef0', region: 'us-east-1', state: 'available', architecture: 'x86_64',
    launchPermissions: [{ UserId: '222222222222' }],
    snapshots: [{ snapshotId: 'snap-1', encrypted: true, keyArn: KEY, volumeAccounts: ['222222222222'] }],
    keys: [{ keyArn: KEY, policy: allowAccount('222222222222') }],
    ...overrides,
  };
}

function recipient(overrides: Partial<RecipientSideFacts> = {}): RecipientSideFacts {
  return { profile: 'prod', visible: true, allowedImages: { state: 'disabled', imageProviders: [] }, keyUse: { [KEY]: true }, dryRun: true, instanceType: 't3.micro', ...overrides };
}

describe('decideRecipient', () => {
  test('yes only with the recipient’s side', () => {
    const withProfile = decideRecipient(owner(), '222222222222', recipient());
    assert.deepEqual([withProfile.canLaunch, withProfile.canCopy, withProfile.reasons], ['yes', 'yes', []]);
    const without = decideRecipient(owner(), '222222222222');
    assert.deepEqual([without.canLaunch, without.canCopy], ['unknown', 'unknown']);
  });

  test('owner-side facts decide no without a profile: no launch permission, not available, key policy, snapshot permission', () => {
    assert.equal(decideRecipient(owner({ launchPermissions: [] }), '222222222222').canLaunch, 'no');
    assert.equal(decideRecipient(owner({ state: 'pending' }), '222222222222').canLaunch, 'no');
    const key = decideRecipient(owner({ keys: [{ keyArn: KEY, policy: allowAccount('999999999999') }] }), '222222222222');
    assert.equal(key.canLaunch, 'no');
    assert.deepEqual(key.fixes, [{ kind: 'keyStatements', accountId: '222222222222', keyArn: KEY }]);
    const snapshots = decideRecipient(owner({ snapshots: [{ snapshotId: 'snap-1', encrypted: true, keyArn: KEY, volumeAccounts: [] }] }), '222222222222');
    assert.equal(snapshots.canLaunch, 'unknown');
    assert.equal(snapshots.canCopy, 'no');
    assert.deepEqual(snapshots.fixes, [{ kind: 'snapshotPermission', accountId: '222222222222', snapshotIds: ['snap-1'] }]);
  });

  test('unreadable facts stay unknown', () => {
    const policy = decideRecipient(owner({ keys: [{ keyArn: KEY, policyError: 'AccessDeniedException: no' }] }), '222222222222');
    assert.equal(policy.canLaunch, 'unknown');
    const volumes = decideRecipient(owner({ snapshots: [{ snapshotId: 'snap-1', encrypted: false }] , keys: [] }), '222222222222', recipient());
    assert.equal(volumes.canCopy, 'unknown');
    assert.equal(volumes.canLaunch, 'yes');
  });

  test('the recipient’s side: dry run errors in plain words, key use, Allowed AMIs', () => {
    const denied = decideRecipient(owner(), '222222222222', recipient({ dryRun: { code: 'UnauthorizedOperation', message: 'You are not authorized' } }));
    assert.equal(denied.canLaunch, 'no');
    assert.match(denied.reasons.join(' '), /IAM in account 222222222222 does not allow/);
    const key = decideRecipient(owner(), '222222222222', recipient({ keyUse: { [KEY]: { code: 'AccessDeniedException', message: 'denied' } } }));
    assert.equal(key.canLaunch, 'no');
    assert.equal(key.canCopy, 'no');
    const allowed = decideRecipient(owner(), '222222222222', recipient({ allowedImages: { state: 'enabled', imageProviders: ['amazon'] }, visible: { code: 'InvalidAMIID.NotFound', message: 'x' }, dryRun: { code: 'InvalidAMIID.NotFound', message: 'x' } }));
    assert.equal(allowed.canLaunch, 'no');
    assert.match(allowed.reasons.join(' '), /Allowed AMIs is enabled/);
    const throttled = decideRecipient(owner(), '222222222222', recipient({ dryRun: { code: 'RequestLimitExceeded', message: 'slow down' } }));
    assert.equal(throttled.canLaunch, 'unknown');
  });

  test('organization shares: membership unknown without the recipient’s side; an organization key statement covers members', () => {
    const orgOwner = owner({
      launchPermissions: [{ OrganizationArn: ORG }],
      keys: [{ keyArn: KEY, policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: ['kms:*'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }] } }],
      snapshots: [{ snapshotId: 'snap-1', encrypted: true, keyArn: KEY, volumeAccounts: ['222222222222'] }],
    });
    assert.equal(launchGrantFor(orgOwner.launchPermissions, '222222222222', false), 'unknown');
    assert.equal(decideRecipient(orgOwner, '222222222222').canLaunch, 'unknown');
    const seen = decideRecipient(orgOwner, '222222222222', recipient());
    assert.equal(seen.canLaunch, 'yes', seen.reasons.join(' '));
    assert.equal(keyPolicyAllows(orgOwner.keys[0]!, '222222222222', 'organization', orgOwner.launchPermissions).verdict, 'yes');
  });
});

test('summary, dry-run wording and instance types', () => {
  assert.equal(recipientsSummary([{ canLaunch: 'yes' }, { canLaunch: 'yes' }, { canLaunch: 'no' }, { canLaunch: 'yes' }]), '3 of 4 recipients can launch');
  assert.equal(recipientsSummary([{ canLaunch: 'unknown' }]), '0 of 1 recipient can launch (1 unknown)');
  assert.match(dryRunReason({ code: 'InvalidAMIID.NotFound', message: '' }, { accountId: '2', region: 'r', instanceType: 't' }), /not shared with this account/);
  assert.equal(instanceTypeFor('arm64'), 't4g.micro');
  assert.equal(instanceTypeFor('x86_64'), 't3.micro');
});

test('shared-with-me AMIs name their owner (friendly name, else EC2 owner alias, with the ID) and deprecation', async () => {
  const { ownerLabel, isDeprecated } = await import('../../src/tree/presentation');
  const image = { imageId: 'ami-0123456789abcdef0', name: 'n', ownerId: '222222222222', state: 'available', isPublic: false, snapshotIds: [], anyEncrypted: false };
  assert.equal(ownerLabel(image, {}), '222222222222');
  assert.equal(ownerLabel({ ...image, ownerAlias: 'amazon' }, {}), 'amazon (222222222222)');
  assert.equal(ownerLabel({ ...image, ownerAlias: 'amazon' }, { '222222222222': 'prod' }), 'prod (222222222222)');
  assert.equal(isDeprecated({ ...image, deprecationTime: '2026-01-01T00:00:00.000Z' }, Date.parse('2026-06-01')), true);
  assert.equal(isDeprecated({ ...image, deprecationTime: '2027-01-01T00:00:00.000Z' }, Date.parse('2026-06-01')), false);
  assert.equal(isDeprecated(image), false);
});
