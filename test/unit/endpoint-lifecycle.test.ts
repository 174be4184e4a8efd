import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImageReferencesCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DisableImageCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejectsWith } from '../support/rejectsWith';

const { prod } = DEFAULT_ACCOUNTS;
let endpoint: TestEndpoint;

before(async () => {
  endpoint = await startTestEndpoint();
});
after(async () => endpoint.close());
beforeEach(() => endpoint.reset());

const devEc2 = () => ec2ClientFor(endpoint.url, 'dev');
const prodEc2 = () => ec2ClientFor(endpoint.url, 'prod');

function imageId(name: string, region = 'us-east-1'): string {
  const image = endpoint.state.images({ region }).find((i) => i.name === name);
  assert.ok(image, name);
  return image.imageId;
}
const SHARED = () => imageId('golden-al2023-2026-11-03');
const PUBLIC = () => imageId('golden-al2023-2026-11-02');
const PRIVATE = () => imageId('golden-al2023-2026-11-01');

async function describeOne(client: ReturnType<typeof devEc2>, id: string, extra: Record<string, unknown> = {}) {
  const result = await client.send(new DescribeImagesCommand({ ImageIds: [id], ...extra }));
  return result.Images?.[0];
}

async function prodListing(extra: Record<string, unknown> = {}): Promise<string[]> {
  const result = await prodEc2().send(new DescribeImagesCommand({ ExecutableUsers: ['self'], ...extra }));
  return (result.Images ?? []).map((i) => i.ImageId!);
}

describe('EnableImageDeprecation / DisableImageDeprecation', () => {
  test('rounds seconds to the nearest minute and reports DeprecationTime', async () => {
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCSeconds(40, 0);
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: at }));
    const expected = new Date(at.getTime() + 20_000).toISOString();
    assert.equal((await describeOne(devEc2(), SHARED()))?.DeprecationTime, expected);
    at.setUTCSeconds(29, 0);
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: at }));
    assert.equal((await describeOne(devEc2(), SHARED()))?.DeprecationTime, new Date(at.getTime() - 29_000).toISOString());
  });

  test('refuses a time in the past and more than 10 years ahead', async () => {
    await rejectsWith(
      devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: new Date(Date.now() - 3_600_000) })),
      'InvalidParameterValue',
    );
    const elevenYears = new Date(Date.now() + 11 * 365 * 86_400_000);
    await rejectsWith(devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: elevenYears })), 'InvalidParameterValue');
    const nineYears = new Date(Date.now() + 9 * 365 * 86_400_000);
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: nineYears }));
  });

  test('a public AMI can be deprecated at most 2 years after its creation date', async () => {
    const created = Date.parse(endpoint.state.image('us-east-1', PUBLIC())!.creationDate);
    const tooLate = new Date(created + 2 * 366 * 86_400_000);
    await rejectsWith(devEc2().send(new EnableImageDeprecationCommand({ ImageId: PUBLIC(), DeprecateAt: tooLate })), 'InvalidParameterValue');
    const inTime = new Date(created + 700 * 86_400_000);
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: PUBLIC(), DeprecateAt: inTime }));
  });

  test('only the owner can deprecate; DisableImageDeprecation cancels', async () => {
    const at = new Date(Date.now() + 86_400_000);
    await rejectsWith(prodEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: at })), 'AuthFailure');
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: at }));
    await devEc2().send(new DisableImageDeprecationCommand({ ImageId: SHARED() }));
    assert.equal((await describeOne(devEc2(), SHARED()))?.DeprecationTime, undefined);
  });

  test('a deprecated AMI is hidden from recipients unless IncludeDeprecated or asked for by id; the owner always sees it', async () => {
    assert.ok((await prodListing()).includes(SHARED()));
    endpoint.state.image('us-east-1', SHARED())!.deprecationTime = new Date(Date.now() - 60_000).toISOString();
    assert.ok(!(await prodListing()).includes(SHARED()));
    assert.ok((await prodListing({ IncludeDeprecated: true })).includes(SHARED()));
    assert.equal((await describeOne(prodEc2(), SHARED()))?.ImageId, SHARED());
    const owned = await devEc2().send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.ok(owned.Images?.some((i) => i.ImageId === SHARED()));
  });

  test('a future deprecation time does not hide the AMI yet', async () => {
    await devEc2().send(new EnableImageDeprecationCommand({ ImageId: SHARED(), DeprecateAt: new Date(Date.now() + 86_400_000) }));
    assert.ok((await prodListing()).includes(SHARED()));
  });
});

describe('deregistration protection', () => {
  test('enabled / enabled-with-cooldown / disabled in DescribeImages and DescribeImageAttribute', async () => {
    assert.equal((await describeOne(devEc2(), PRIVATE()))?.DeregistrationProtection, 'disabled');
    await devEc2().send(new EnableImageDeregistrationProtectionCommand({ ImageId: PRIVATE() }));
    assert.equal((await describeOne(devEc2(), PRIVATE()))?.DeregistrationProtection, 'enabled');
    await devEc2().send(new EnableImageDeregistrationProtectionCommand({ ImageId: PRIVATE(), WithCooldown: true }));
    assert.equal((await describeOne(devEc2(), PRIVATE()))?.DeregistrationProtection, 'enabled-with-cooldown');
    const attribute = await devEc2().send(new DescribeImageAttributeCommand({ ImageId: PRIVATE(), Attribute: 'deregistrationProtection' }));
    assert.equal(attribute.DeregistrationProtection?.Value, 'enabled-with-cooldown');
  });

  test('DeregisterImage is refused while protected; without cooldown disabling frees it at once', async () => {
    await devEc2().send(new EnableImageDeregistrationProtectionCommand({ ImageId: PRIVATE() }));
    await rejectsWith(devEc2().send(new DeregisterImageCommand({ ImageId: PRIVATE() })), 'OperationNotPermitted');
    await devEc2().send(new DisableImageDeregistrationProtectionCommand({ ImageId: PRIVATE() }));
    await devEc2().send(new DeregisterImageCommand({ ImageId: PRIVATE() }));
  });

  test('with cooldown, disabling keeps it protected for 24 hours (disabled-until)', async () => {
    await devEc2().send(new EnableImageDeregistrationProtectionCommand({ ImageId: PRIVATE(), WithCooldown: true }));
    const before = Date.now();
    await devEc2().send(new DisableImageDeregistrationProtectionCommand({ ImageId: PRIVATE() }));
    const text = (await describeOne(devEc2(), PRIVATE()))?.DeregistrationProtection ?? '';
    const match = /^disabled-until (\S+)$/.exec(text);
    assert.ok(match, text);
    const until = Date.parse(match[1]!);
    assert.ok(until >= before + 86_400_000 - 1000 && until <= Date.now() + 86_400_000, text);
    await rejectsWith(devEc2().send(new DeregisterImageCommand({ ImageId: PRIVATE() })), 'OperationNotPermitted');
    // After the cooldown (set through the fixture: nobody waits a day) it can go.
    endpoint.state.image('us-east-1', PRIVATE())!.deregistrationProtection = { enabled: false, disabledUntil: new Date(Date.now() - 1000).toISOString() };
    assert.equal((await describeOne(devEc2(), PRIVATE()))?.DeregistrationProtection, 'disabled');
    await devEc2().send(new DeregisterImageCommand({ ImageId: PRIVATE() }));
  });

  test('only the owner can change protection', async () => {
    await rejectsWith(prodEc2().send(new EnableImageDeregistrationProtectionCommand({ ImageId: SHARED() })), 'AuthFailure');
  });
});

describe('DisableImage / EnableImage', () => {
  test('disabling removes every launch permission, hides the AMI unless IncludeDisabled, and refuses sharing', async () => {
    await devEc2().send(new DisableImageCommand({ ImageId: SHARED() }));
    const record = endpoint.state.image('us-east-1', SHARED())!;
    assert.equal(record.state, 'disabled');
    assert.deepEqual(record.launchPermissions, []);
    const owned = await devEc2().send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.ok(!owned.Images?.some((i) => i.ImageId === SHARED()));
    const withDisabled = await devEc2().send(new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true }));
    assert.equal(withDisabled.Images?.find((i) => i.ImageId === SHARED())?.State, 'disabled');
    assert.ok(!(await prodListing({ IncludeDisabled: true })).includes(SHARED()));
    await rejectsWith(
      devEc2().send(new ModifyImageAttributeCommand({ ImageId: SHARED(), LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
      'InvalidAMIID.Unavailable',
    );
  });

  test('a public AMI is made private', async () => {
    await devEc2().send(new DisableImageCommand({ ImageId: PUBLIC() }));
    await devEc2().send(new EnableImageCommand({ ImageId: PUBLIC() }));
    assert.equal((await describeOne(devEc2(), PUBLIC()))?.Public, false);
  });

  test('enabling makes it available again without restoring the permissions', async () => {
    await devEc2().send(new DisableImageCommand({ ImageId: SHARED() }));
    await devEc2().send(new EnableImageCommand({ ImageId: SHARED() }));
    const image = await describeOne(devEc2(), SHARED());
    assert.equal(image?.State, 'available');
    const permissions = await devEc2().send(new DescribeImageAttributeCommand({ ImageId: SHARED(), Attribute: 'launchPermission' }));
    assert.deepEqual(permissions.LaunchPermissions, []);
  });

  test('only available AMIs can be disabled, only disabled ones enabled, only by the owner', async () => {
    await rejectsWith(devEc2().send(new DisableImageCommand({ ImageId: imageId('golden-al2023-2026-11-06') })), 'InvalidAMIID.Unavailable');
    await rejectsWith(devEc2().send(new EnableImageCommand({ ImageId: SHARED() })), 'IncorrectState');
    await rejectsWith(prodEc2().send(new DisableImageCommand({ ImageId: SHARED() })), 'AuthFailure');
  });
});

describe('DeregisterImage', () => {
  test('removes the AMI; DeleteAssociatedSnapshots deletes its snapshots and reports each', async () => {
    const id = SHARED();
    const snapshotIds = endpoint.state.image('us-east-1', id)!.blockDeviceMappings.map((m) => m.snapshotId);
    const result = await devEc2().send(new DeregisterImageCommand({ ImageId: id, DeleteAssociatedSnapshots: true }));
    assert.deepEqual(
      result.DeleteSnapshotResults?.map((r) => [r.SnapshotId, r.ReturnCode]),
      snapshotIds.map((s) => [s, 'success']),
    );
    await rejectsWith(devEc2().send(new DescribeImagesCommand({ ImageIds: [id] })), 'InvalidAMIID.NotFound');
    const snapshots = await devEc2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
    assert.ok(!snapshots.Snapshots?.some((s) => snapshotIds.includes(s.SnapshotId!)));
  });

  test('without DeleteAssociatedSnapshots the snapshots stay; a snapshot another AMI uses is skipped', async () => {
    const id = PRIVATE();
    const [snapshotId] = endpoint.state.image('us-east-1', id)!.blockDeviceMappings.map((m) => m.snapshotId);
    endpoint.state.image('us-east-1', PUBLIC())!.blockDeviceMappings.push({
      deviceName: '/dev/sdf', snapshotId: snapshotId!, volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true,
    });
    const result = await devEc2().send(new DeregisterImageCommand({ ImageId: id, DeleteAssociatedSnapshots: true }));
    assert.deepEqual(result.DeleteSnapshotResults?.map((r) => r.ReturnCode), ['skipped']);
    assert.ok(endpoint.state.snapshot('us-east-1', snapshotId!));
  });

  test('only the owner can deregister', async () => {
    await rejectsWith(prodEc2().send(new DeregisterImageCommand({ ImageId: SHARED() })), 'AuthFailure');
  });
});

describe('lastLaunchedTime and DescribeImageReferences', () => {
  test('lastLaunchedTime is the owner’s attribute, empty until a launch is recorded', async () => {
    const none = await devEc2().send(new DescribeImageAttributeCommand({ ImageId: SHARED(), Attribute: 'lastLaunchedTime' }));
    assert.equal(none.LastLaunchedTime?.Value, undefined);
    endpoint.state.image('us-east-1', SHARED())!.lastLaunchedTime = '2026-11-20T10:00:00.000Z';
    const some = await devEc2().send(new DescribeImageAttributeCommand({ ImageId: SHARED(), Attribute: 'lastLaunchedTime' }));
    assert.equal(some.LastLaunchedTime?.Value, '2026-11-20T10:00:00.000Z');
    await rejectsWith(prodEc2().send(new DescribeImageAttributeCommand({ ImageId: SHARED(), Attribute: 'lastLaunchedTime' })), 'AuthFailure');
  });

  test('references are the caller’s own resources, filtered by type', async () => {
    const instance = `arn:aws:ec2:us-east-1:${prod.accountId}:instance/i-0123456789abcdef0`;
    const template = `arn:aws:ec2:us-east-1:${prod.accountId}:launch-template/lt-0123456789abcdef0`;
    endpoint.state.imageReferences(prod.accountId).push(
      { imageId: SHARED(), region: 'us-east-1', resourceType: 'ec2:Instance', arn: instance },
      { imageId: SHARED(), region: 'us-east-1', resourceType: 'ec2:LaunchTemplate', arn: template },
    );
    const all = await prodEc2().send(new DescribeImageReferencesCommand({ ImageIds: [SHARED()], IncludeAllResourceTypes: true }));
    assert.deepEqual(all.ImageReferences?.map((r) => r.Arn).sort(), [instance, template].sort());
    const instances = await prodEc2().send(
      new DescribeImageReferencesCommand({ ImageIds: [SHARED()], ResourceTypes: [{ ResourceType: 'ec2:Instance' }] }),
    );
    assert.deepEqual(instances.ImageReferences?.map((r) => [r.ImageId, r.ResourceType, r.Arn]), [[SHARED(), 'ec2:Instance', instance]]);
    const owner = await devEc2().send(new DescribeImageReferencesCommand({ ImageIds: [SHARED()], IncludeAllResourceTypes: true }));
    assert.deepEqual(owner.ImageReferences, []);
  });

  test('an AMI the caller cannot see is NotFound; a missing resource type choice is refused', async () => {
    await rejectsWith(
      prodEc2().send(new DescribeImageReferencesCommand({ ImageIds: [PRIVATE()], IncludeAllResourceTypes: true })),
      'InvalidAMIID.NotFound',
    );
    await rejectsWith(prodEc2().send(new DescribeImageReferencesCommand({ ImageIds: [SHARED()] })), 'MissingParameter');
  });
});


