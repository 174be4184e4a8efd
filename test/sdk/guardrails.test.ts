import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { copyImage, waitForAvailable } from '../../src/aws/copyImage';
import { inspectImageEncryption, keyAccessFor, listCustomerManagedKeys, putKeyPolicy } from '../../src/aws/encryption';
import { checkShare, newGuardCache } from '../../src/aws/guardrails';
import { describeImage, listImages, modifyLaunchPermissions } from '../../src/aws/images';
import { addStatements, recipientFromPermission, removeRecipients, statementsFor } from '../../src/core/keyPolicy';
import { changeOne } from '../support/pipelineHost';
import { getVolumePermissions } from '../../src/aws/snapshotPermissions';
import type { ImageSummary } from '../../src/core/types';
import { DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const DEV = { profile: 'dev', region: 'us-east-1' };
const PARTNER = { UserId: '444444444444' };
const PROD = { UserId: '222222222222' };

describe('sharing rules checked before acting, against the endpoint with KMS', () => {
  let sandbox: Sandbox;
  let images: Record<string, ImageSummary>;
  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(async () => {
    images = await sandbox.resetAndListDevImages();
  });
  after(async () => sandbox.close());

  const codes = async (image: ImageSummary, add: object[], target = DEV) =>
    (await checkShare(sandbox.gateway(), target, image, add as never)).findings.map((f) => `${f.severity}:${f.code}`);

  test('unencrypted, available AMI: nothing to say', async () => {
    assert.deepEqual(await codes(images.n01!, [PARTNER]), []);
  });

  test('AWS managed key (aws/ebs): blocked before EC2 is called, and EC2 would have refused it too', async () => {
    const check = await checkShare(sandbox.gateway(), DEV, images.n05!, [PARTNER]);
    assert.deepEqual(check.findings.map((f) => f.code), ['awsManagedKey']);
    assert.match(check.findings[0]!.message, /AWS managed key \(aws\/ebs\).*Copy the AMI with a customer managed key/);
    assert.equal(check.encryption!.snapshots[0]!.keyManager, 'AWS');
    const through = await changeOne(sandbox.gateway(), images.n05!.imageId, [PARTNER], []);
    assert.equal(through.ok, false);
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute').length, 0, 'blocked before EC2');
    await assert.rejects(modifyLaunchPermissions(sandbox.gateway(), DEV, images.n05!.imageId, { add: [PARTNER], remove: [] }), 'the endpoint enforces the same rule');
  });

  test('customer managed key: only recipients the key policy does not allow are flagged', async () => {
    assert.deepEqual(await codes(images.n03!, [PROD]), [], 'prod is already allowed in the key policy');
    const check = await checkShare(sandbox.gateway(), DEV, images.n03!, [PROD, PARTNER]);
    assert.deepEqual(check.findings.map((f) => f.code), ['keyPolicy']);
    const access = check.findings[0]!.keyAccess!;
    assert.equal(access.keyArn, DEFAULT_KMS_KEYS.devGoldenUs);
    assert.deepEqual(access.missing.map((m) => m.recipient), [{ kind: 'account', accountId: '444444444444' }]);
    assert.match(check.findings[0]!.message, /does not yet allow 444444444444/);
  });

  test('one action, one key, different recipients per AMI: each AMI is checked for its own recipients, the policy read once', async () => {
    const cache = newGuardCache();
    const gateway = sandbox.gateway();
    const [allowed, notAllowed] = await Promise.all([
      checkShare(gateway, DEV, images.n03!, [PROD], { cache }),
      checkShare(gateway, DEV, images.n03!, [PARTNER], { cache }),
    ]);
    assert.deepEqual(allowed.findings, [], 'prod is allowed by the key policy');
    assert.deepEqual(notAllowed.findings.map((f) => f.keyAccess?.missing.map((m) => m.recipient)), [[{ kind: 'account', accountId: '444444444444' }]]);
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'GetKeyPolicy').length, 1, 'the key policy is read once for both');
  });

  test('organizations and OUs: the finding explains the aws:PrincipalOrgID / aws:PrincipalOrgPaths conditions', async () => {
    const check = await checkShare(sandbox.gateway(), DEV, images.n03!, [{ OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }]);
    assert.match(check.findings[0]!.message, /aws:PrincipalOrgID \/ aws:PrincipalOrgPaths/);
  });

  test('adding the statements with PutKeyPolicy makes the finding go away; removing them brings it back', async () => {
    const gateway = sandbox.gateway();
    const recipient = recipientFromPermission(PARTNER)!;
    const access = await keyAccessFor(gateway, 'dev', DEFAULT_KMS_KEYS.devGoldenUs, [recipient]);
    await putKeyPolicy(gateway, 'dev', access.keyArn, addStatements(access.policy!, statementsFor([recipient])));
    assert.deepEqual(await codes(images.n03!, [PARTNER]), []);
    const granted = await keyAccessFor(gateway, 'dev', DEFAULT_KMS_KEYS.devGoldenUs, [recipient]);
    await putKeyPolicy(gateway, 'dev', access.keyArn, removeRecipients(granted.policy!, [recipient]));
    assert.deepEqual(await codes(images.n03!, [PARTNER]), ['warning:keyPolicy']);
  });

  test('a pending AMI is refused with a plain reason', async () => {
    assert.deepEqual(await codes(images.n06!, [PARTNER]), ['blocker:notAvailable']);
  });

  test('making an AMI public: a warning naming the risk, or a blocker when block public access is on', async () => {
    assert.deepEqual(await codes(images.n01!, [{ Group: 'all' }]), ['warning:publicRisk']);
    const prodImages = await listImages(sandbox.gateway(), { profile: 'prod', region: 'us-east-1' }, 'owned');
    const privateProd = prodImages.find((i) => i.name === 'prod-base-al2023-2026-10-15')!;
    const check = await checkShare(sandbox.gateway(), { profile: 'prod', region: 'us-east-1' }, privateProd, [{ Group: 'all' }]);
    assert.deepEqual(check.findings.map((f) => f.code), ['publicBlocked']);
    assert.match(check.findings[0]!.message, /Block public access for AMIs is on in us-east-1/);
    assert.deepEqual(await codes(images.n03!, [{ Group: 'all' }]), ['warning:publicRisk', 'blocker:encryptedPublic']);
  });

  test('snapshots: each snapshot shows its encryption and key manager', async () => {
    const encryption = await inspectImageEncryption(sandbox.gateway(), DEV, images.n03!.snapshotIds);
    assert.deepEqual(encryption.snapshots.map((s) => [s.encrypted, s.keyManager, s.keyAlias]), [[true, 'CUSTOMER', 'alias/golden-images'], [true, 'CUSTOMER', 'alias/golden-images']]);
    assert.deepEqual(encryption.customerManagedKeys, [DEFAULT_KMS_KEYS.devGoldenUs]);
    assert.equal(encryption.usesAwsManagedKey, false);
  });

  test('the fix for aws/ebs: copy with a customer managed key, wait until available, then the copy can be shared', async () => {
    const gateway = sandbox.gateway();
    const keys = await listCustomerManagedKeys(gateway, DEV);
    assert.deepEqual(keys.map((k) => k.alias).sort(), ['alias/golden-images', 'alias/sharing-ready']);
    const copyId = await copyImage(gateway, { profile: 'dev', sourceRegion: 'us-east-1', targetRegion: 'us-east-1', sourceImageId: images.n05!.imageId, name: 'golden-cmk', kmsKeyId: DEFAULT_KMS_KEYS.devSharingReadyUs });
    const states: string[] = [];
    await waitForAvailable(gateway, 'dev', 'us-east-1', copyId, { initialDelayMs: 50, onState: (s) => states.push(s) });
    assert.equal(states.at(-1), 'available');
    const copy = await describeImage(gateway, DEV, copyId);
    const check = await checkShare(gateway, DEV, copy, [PARTNER]);
    assert.deepEqual(check.findings.map((f) => f.code), ['keyPolicy'], 'no longer blocked; only the new key needs the partner');
    const shared = await changeOne(gateway, copyId, [PARTNER], []);
    assert.equal(shared.ok, true, shared.error);
  });

  test('a copy to another Region without a key falls back to that Region\'s aws/ebs key (the trap the command avoids)', async () => {
    const gateway = sandbox.gateway();
    const copyId = await copyImage(gateway, { profile: 'dev', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1', sourceImageId: images.n03!.imageId, name: 'golden-eu' });
    await waitForAvailable(gateway, 'dev', 'eu-west-1', copyId, { initialDelayMs: 50 });
    const copy = await describeImage(gateway, { profile: 'dev', region: 'eu-west-1' }, copyId);
    const check = await checkShare(gateway, { profile: 'dev', region: 'eu-west-1' }, copy, [PARTNER]);
    assert.deepEqual(check.findings.map((f) => f.code), ['awsManagedKey']);
    const withKey = await copyImage(gateway, { profile: 'dev', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1', sourceImageId: images.n03!.imageId, name: 'golden-eu-cmk', kmsKeyId: DEFAULT_KMS_KEYS.devGoldenEu });
    await waitForAvailable(gateway, 'dev', 'eu-west-1', withKey, { initialDelayMs: 50 });
    const copyWithKey = await describeImage(gateway, { profile: 'dev', region: 'eu-west-1' }, withKey);
    assert.deepEqual((await checkShare(gateway, { profile: 'dev', region: 'eu-west-1' }, copyWithKey, [PARTNER])).findings.map((f) => f.code), ['keyPolicy']);
  });

  test('includeSnapshots grants and removes createVolumePermission on every snapshot', async () => {
    const gateway = sandbox.gateway();
    const image = images.n03!;
    const shared = await changeOne(gateway, image.imageId, [PARTNER], [], { includeSnapshots: true });
    assert.equal(shared.ok, true, shared.error);
    for (const snapshotId of image.snapshotIds) {
      assert.deepEqual((await getVolumePermissions(gateway, DEV, snapshotId)).map((p) => ('UserId' in p ? p.UserId : 'all')).sort(), ['222222222222', '444444444444']);
    }
    const removed = await changeOne(gateway, image.imageId, [], [PARTNER], { includeSnapshots: true });
    assert.equal(removed.ok, true);
    for (const snapshotId of image.snapshotIds) assert.deepEqual(await getVolumePermissions(gateway, DEV, snapshotId), [{ UserId: '222222222222' }]);
  });
});
