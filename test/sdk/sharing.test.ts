import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { getLaunchPermissions, listImages } from '../../src/aws/images';
import { samePermissions } from '../../src/core/launchPermissions';
import { effectiveChange } from '../../src/core/permissionPlan';
import { runPool } from '../../src/core/bulk';
import { changeOne } from '../support/pipelineHost';
import type { ImageSummary } from '../../src/core/types';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const DEV = { profile: 'dev', region: 'us-east-1' };
const PARTNER = '444444444444';

describe('share, unshare, reset and make private through the real SDK', () => {
  let sandbox: Sandbox;
  let images: Record<string, ImageSummary>;
  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(async () => {
    images = await sandbox.resetAndListDevImages();
  });
  after(async () => sandbox.close());

  test('share one AMI: one ModifyImageAttribute with all adds, before and after reported', async () => {
    const gateway = sandbox.gateway();
    const imageId = images.n01!.imageId;
    const org = 'arn:aws:organizations::111111111111:organization/o-abc123def4';
    const result = await changeOne(gateway, imageId, [{ UserId: '222222222222' }, { UserId: PARTNER }, { OrganizationArn: org }], []);
    assert.equal(result.ok, true, result.error);
    assert.deepEqual(result.before, []);
    assert.ok(samePermissions(result.after, [{ UserId: '222222222222' }, { UserId: PARTNER }, { OrganizationArn: org }]));
    const modifies = sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute');
    assert.equal(modifies.length, 1);
    const shared = await listImages(sandbox.gateway(), { profile: 'prod', region: 'us-east-1' }, 'sharedWithMe');
    assert.ok(shared.some((i) => i.imageId === imageId), 'prod now sees it under Shared with me');
  });

  test('unsharing an entry that is not there is not an error and sends nothing', async () => {
    const gateway = sandbox.gateway();
    const result = await changeOne(gateway, images.n01!.imageId, [], [{ UserId: PARTNER }]);
    assert.equal(result.ok, true);
    assert.deepEqual(result.applied, { add: [], remove: [] });
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute').length, 0);
  });

  test('adds and removes go in one call', async () => {
    const gateway = sandbox.gateway();
    const result = await changeOne(gateway, images.n03!.imageId, [{ UserId: '555555555555' }], [{ UserId: PARTNER }]);
    assert.equal(result.ok, true, result.error);
    assert.ok(samePermissions(result.after, [{ UserId: '222222222222' }, { UserId: '555555555555' }]));
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute').length, 1);
  });

  test('reset removes accounts, org, OU and public access; make private removes only public', async () => {
    const gateway = sandbox.gateway();
    const reset = await changeOne(gateway, images.n04!.imageId, [], 'all');
    assert.equal(reset.ok, true, reset.error);
    assert.equal(reset.before.length, 2);
    assert.deepEqual(reset.after, []);
    assert.equal(reset.applied.remove.length, 2);

    await changeOne(gateway, images.n02!.imageId, [{ UserId: PARTNER }], []);
    const priv = await changeOne(gateway, images.n02!.imageId, [], [{ Group: 'all' }]);
    assert.equal(priv.ok, true);
    assert.deepEqual(priv.after, [{ UserId: PARTNER }]);
  });

  test('the inverse of an applied change restores exactly the previous permissions (undo)', async () => {
    const gateway = sandbox.gateway();
    const imageId = images.n03!.imageId;
    const done = await changeOne(gateway, imageId, [{ UserId: '555555555555' }, { Group: 'all' }], [{ UserId: '222222222222' }]);
    const undone = await changeOne(gateway, imageId, done.applied.remove, done.applied.add);
    assert.ok(samePermissions(undone.after, done.before));
    const reset = await changeOne(gateway, imageId, [], 'all');
    const restored = await changeOne(gateway, imageId, reset.applied.remove, reset.applied.add);
    assert.ok(samePermissions(restored.after, done.before));
  });

  test("a change planned from a stale view applies only the user's diff: others' concurrent additions survive", async () => {
    const gateway = sandbox.gateway();
    const imageId = images.n01!.imageId;
    const loaded = await getLaunchPermissions(gateway, DEV, imageId);
    const planned = effectiveChange(loaded, { add: [{ UserId: PARTNER }], remove: [] });
    // Someone else shares the AMI meanwhile, through the endpoint's control API.
    const response = await fetch(`${sandbox.endpoint.url}/__control/launch-permissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: '111111111111', region: 'us-east-1', imageId, add: [{ UserId: '666666666666' }] }),
    });
    assert.equal(response.status, 200);
    const result = await changeOne(gateway, imageId, planned.add, planned.remove);
    assert.ok(samePermissions(result.after, [{ UserId: PARTNER }, { UserId: '666666666666' }]));
  });

  test('partial failure of a multi-AMI action: each AMI reports its own result', async () => {
    const gateway = sandbox.gateway();
    const targets = [images.n01!, images.n06!, images.n05!, images.n03!];
    const results = await runPool(targets, 4, (image) =>
      changeOne(gateway, image.imageId, [{ UserId: PARTNER }], []),
    );
    assert.deepEqual(results.map((r) => r.ok), [true, false, false, true]);
    assert.match(results[1]!.error!, /only available AMIs can be shared/);
    assert.match(results[2]!.error!, /AWS managed key/);
  });

  test('invalid values rejected by EC2 come back as specific messages', async () => {
    const gateway = sandbox.gateway();
    const result = await changeOne(gateway, images.n01!.imageId, [{ UserId: '12345' }], []);
    assert.equal(result.ok, false);
    assert.match(result.error!, /12345/);
    const missing = await changeOne(gateway, 'ami-0000000000000dead', [{ UserId: PARTNER }], []);
    assert.match(missing.error!, /another Region, deregistered/);
  });

  test('more than 1,000 entities is refused before calling EC2', async () => {
    const gateway = sandbox.gateway();
    const add = Array.from({ length: 1001 }, (_, i) => ({ UserId: String(700000000000 + i) }));
    const result = await changeOne(gateway, images.n01!.imageId, add, []);
    assert.equal(result.ok, false);
    assert.match(result.error!, /1001 launch-permission entities; EC2 allows 1000/);
    assert.equal(sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute').length, 0);
  });
});
