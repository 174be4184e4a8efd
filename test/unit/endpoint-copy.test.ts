import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  CopyImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  ResetSnapshotAttributeCommand,
  type EC2Client,
  type Image,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ec2ClientFor, kmsClientFor } from '../endpoint/clients';
import type { ControlKeyView } from '../endpoint/control/control';
import { DEFAULT_ACCOUNTS, DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { DEFAULT_COPY_DELAY_MS } from '../endpoint/runtime';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { eventually } from '../support/poll';
import { rejectsWith } from '../support/rejectsWith';
import type { AwsGateway } from '../../src/aws/gateway';
import { waitForAvailable } from '../../src/aws/copyImage';

const { dev, prod } = DEFAULT_ACCOUNTS;

/** Short, so the suite stays fast; the default (300 ms) is checked separately. */
const COPY_DELAY_MS = 40;

let endpoint: TestEndpoint;
let devEc2: EC2Client;
let devEc2Eu: EC2Client;
let prodEc2: EC2Client;

before(async () => {
  endpoint = await startTestEndpoint();
  devEc2 = ec2ClientFor(endpoint.url, 'dev');
  devEc2Eu = ec2ClientFor(endpoint.url, 'dev', 'eu-west-1');
  prodEc2 = ec2ClientFor(endpoint.url, 'prod', 'us-east-1');
});

after(async () => {
  devEc2.destroy();
  devEc2Eu.destroy();
  prodEc2.destroy();
  await endpoint.close();
});

beforeEach(() => {
  endpoint.reset();
  endpoint.settings.copyDelayMs = COPY_DELAY_MS;
});

function imageIdOf(name: string, region = 'us-east-1'): string {
  const image = endpoint.state.images({ region }).find((i) => i.name === name);
  assert.ok(image, `fixture image ${name}`);
  return image.imageId;
}

async function describeImage(client: EC2Client, imageId: string): Promise<Image> {
  const { Images } = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  assert.equal(Images?.length, 1);
  return Images?.[0] as Image;
}

async function waitForState(client: EC2Client, imageId: string, state: string, timeoutMs = 2000): Promise<Image> {
  return eventually(async () => {
    const image = await describeImage(client, imageId);
    assert.equal(image.State, state);
    return image;
  }, { timeoutMs, intervalMs: 10 });
}

async function snapshotsOf(client: EC2Client, image: Image): Promise<Snapshot[]> {
  const SnapshotIds = (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId ?? '');
  const { Snapshots } = await client.send(new DescribeSnapshotsCommand({ SnapshotIds }));
  return Snapshots ?? [];
}

async function copy(client: EC2Client, input: ConstructorParameters<typeof CopyImageCommand>[0]): Promise<string> {
  const { ImageId } = await client.send(new CopyImageCommand(input));
  assert.match(ImageId ?? '', /^ami-[0-9a-f]{17}$/);
  return ImageId ?? '';
}

describe('CopyImage', () => {
  test('a copy starts pending and becomes available after copyDelayMs, snapshots too', async () => {
    // Long enough that the pending state is still there for the first (slow) calls of a fresh client.
    const delayMs = 1000;
    endpoint.settings.copyDelayMs = delayMs;
    const source = imageIdOf('golden-al2023-2026-11-01');
    const started = Date.now();
    const imageId = await copy(devEc2Eu, { SourceImageId: source, SourceRegion: 'us-east-1', Name: 'golden-al2023-2026-11-01-eu' });
    const pending = await describeImage(devEc2Eu, imageId);
    assert.equal(pending.State, 'pending');
    assert.equal(pending.OwnerId, dev.accountId);
    assert.equal(pending.Name, 'golden-al2023-2026-11-01-eu');
    assert.equal(pending.SourceImageId, source);
    assert.equal(pending.SourceImageRegion, 'us-east-1');
    assert.match(pending.Description ?? '', new RegExp(`^\\[Copied ${source} from us-east-1\\]`));
    const pendingSnapshots = await snapshotsOf(devEc2Eu, pending);
    assert.deepEqual(pendingSnapshots.map((s) => s.State), ['pending']);
    assert.equal(pendingSnapshots[0]?.Encrypted, false);
    // The copy exists only in the destination Region.
    await rejectsWith(devEc2.send(new DescribeImagesCommand({ ImageIds: [imageId] })), 'InvalidAMIID.NotFound');

    const available = await waitForState(devEc2Eu, imageId, 'available');
    assert.ok(Date.now() - started >= delayMs - 5);
    assert.deepEqual((await snapshotsOf(devEc2Eu, available)).map((s) => s.State), ['completed']);
    const own = await devEc2Eu.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'state', Values: ['available'] }] }));
    assert.ok(own.Images?.some((i) => i.ImageId === imageId));
  });

  test('launch permissions, snapshot permissions and tags are not copied', async () => {
    const imageId = await copy(devEc2, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-03'),
      SourceRegion: 'us-east-1',
      Name: 'copy-of-shared',
    });
    const image = await waitForState(devEc2, imageId, 'available');
    assert.equal(image.Public, false);
    assert.equal(image.Tags, undefined);
    const { LaunchPermissions } = await devEc2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    assert.deepEqual(LaunchPermissions, []);
    for (const snapshot of await snapshotsOf(devEc2, image)) {
      const attribute = await devEc2.send(
        new DescribeSnapshotAttributeCommand({ SnapshotId: snapshot.SnapshotId, Attribute: 'createVolumePermission' }),
      );
      assert.deepEqual(attribute.CreateVolumePermissions, []);
    }
    const publicCopy = await copy(devEc2, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-02'),
      SourceRegion: 'us-east-1',
      Name: 'copy-of-public',
      CopyImageTags: true,
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'Purpose', Value: 'test' }] }],
    });
    const tagged = await describeImage(devEc2, publicCopy);
    assert.equal(tagged.Public, false);
    assert.deepEqual(tagged.Tags, [{ Key: 'Name', Value: 'golden-al2023-2026-11-02' }, { Key: 'Purpose', Value: 'test' }]);
  });

  test('Encrypted + KmsKeyId: the copy snapshots use that key, and the copy of an aws/ebs AMI becomes shareable', async () => {
    const source = imageIdOf('golden-al2023-2026-11-05');
    await rejectsWith(
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: source, LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
      'InvalidParameter',
      /AWS Managed CMK/,
    );
    const imageId = await copy(devEc2, {
      SourceImageId: source,
      SourceRegion: 'us-east-1',
      Name: 'golden-al2023-2026-11-05-cmk',
      Encrypted: true,
      KmsKeyId: 'alias/sharing-ready',
    });
    const image = await waitForState(devEc2, imageId, 'available');
    assert.equal(image.BlockDeviceMappings?.[0]?.Ebs?.Encrypted, true);
    const snapshots = await snapshotsOf(devEc2, image);
    assert.deepEqual(snapshots.map((s) => [s.Encrypted, s.KmsKeyId]), [[true, DEFAULT_KMS_KEYS.devSharingReadyUs]]);
    await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: prod.accountId }] } }));

    // The key may be named by id, key ARN, alias name or alias ARN.
    const byArn = await copy(devEc2, {
      SourceImageId: source,
      SourceRegion: 'us-east-1',
      Name: 'golden-al2023-2026-11-05-cmk-2',
      Encrypted: true,
      KmsKeyId: `arn:aws:kms:us-east-1:${dev.accountId}:alias/golden-images`,
    });
    const byArnSnapshots = await snapshotsOf(devEc2, await describeImage(devEc2, byArn));
    assert.equal(byArnSnapshots[0]?.KmsKeyId, DEFAULT_KMS_KEYS.devGoldenUs);
  });

  test('without KmsKeyId an encrypted copy falls back to the destination aws/ebs key, created if missing', async () => {
    const keysBefore = endpoint.state.kmsKeys({ accountId: dev.accountId, region: 'eu-west-1' });
    assert.ok(!keysBefore.some((k) => k.keyManager === 'AWS'));
    const imageId = await copy(devEc2Eu, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-03'),
      SourceRegion: 'us-east-1',
      Name: 'golden-al2023-2026-11-03-eu',
    });
    const image = await waitForState(devEc2Eu, imageId, 'available');
    const snapshots = await snapshotsOf(devEc2Eu, image);
    assert.equal(snapshots.length, 2);
    const { KeyMetadata } = await kmsClientFor(endpoint.url, 'dev', 'eu-west-1').send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
    assert.equal(KeyMetadata?.KeyManager, 'AWS');
    assert.deepEqual(new Set(snapshots.map((s) => s.KmsKeyId)), new Set([KeyMetadata?.Arn]));
    const keys = (await (await fetch(`${endpoint.url}/__control/keys?accountId=${dev.accountId}&region=eu-west-1`)).json()) as ControlKeyView[];
    assert.ok(keys.some((k) => k.keyManager === 'AWS' && k.aliases.includes('alias/aws/ebs')));
    // The silent switch to the default key makes the copy unshareable (packer#8135).
    await rejectsWith(
      devEc2Eu.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
      'InvalidParameter',
      /AWS Managed CMK/,
    );

    const encryptedFromPlain = await copy(devEc2, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-01'),
      SourceRegion: 'us-east-1',
      Name: 'plain-made-encrypted',
      Encrypted: true,
    });
    const plainSnapshots = await snapshotsOf(devEc2, await describeImage(devEc2, encryptedFromPlain));
    assert.deepEqual(plainSnapshots.map((s) => s.KmsKeyId), [DEFAULT_KMS_KEYS.devAwsEbsUs]);
  });

  test('KmsKeyId needs Encrypted; an unknown or unusable key is found out later: the copy ends failed with a StateReason', async () => {
    const base = { SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Encrypted: true };
    await rejectsWith(
      devEc2.send(new CopyImageCommand({ ...base, Name: 'copy-a3', Encrypted: undefined, KmsKeyId: 'alias/sharing-ready' })),
      'InvalidParameterDependency',
    );
    const prodCopy = { SourceImageId: imageIdOf('golden-al2023-2026-11-03'), SourceRegion: 'us-east-1', Encrypted: true };
    // EC2 authenticates the key asynchronously: each call succeeds and returns a pending image.
    endpoint.settings.copyDelayMs = 200;
    const started = async (client: EC2Client, input: ConstructorParameters<typeof CopyImageCommand>[0]): Promise<[EC2Client, string]> => {
      const imageId = await copy(client, input);
      assert.equal((await describeImage(client, imageId)).State, 'pending');
      return [client, imageId];
    };
    const doomed = [
      await started(devEc2, { ...base, Name: 'copy-a1', KmsKeyId: 'alias/nope' }),
      // The key exists, but in us-east-1: it must be in the destination Region.
      await started(devEc2Eu, { ...base, Name: 'copy-a2', KmsKeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }),
      // dev's keys whose policies do not let prod use them.
      await started(prodEc2, { ...prodCopy, Name: 'copy-p1', KmsKeyId: DEFAULT_KMS_KEYS.devSharingReadyUs }),
      await started(prodEc2, { ...prodCopy, Name: 'copy-p2', KmsKeyId: DEFAULT_KMS_KEYS.devAwsEbsUs }),
    ];
    for (const [client, imageId] of doomed) {
      const failed = await waitForState(client, imageId, 'failed');
      assert.deepEqual(failed.StateReason, { Code: 'Server.InternalError', Message: 'Copy image failed with an internal error.' });
      const snapshots = await snapshotsOf(client, failed);
      assert.ok(snapshots.length > 0);
      assert.ok(snapshots.every((s) => s.State === 'error' && s.Encrypted === true && s.StateMessage === 'Given key ID is not accessible'));
    }
    // DryRun does not look at the key either.
    await rejectsWith(devEc2.send(new CopyImageCommand({ ...base, Name: 'copy-a4', KmsKeyId: 'alias/nope', DryRun: true })), 'DryRunOperation');
    // A key of another account works when its policy lets the caller use it (golden-images allows prod).
    const crossAccount = await copy(prodEc2, { ...prodCopy, Name: 'copy-p6', KmsKeyId: DEFAULT_KMS_KEYS.devGoldenUs });
    const crossImage = await waitForState(prodEc2, crossAccount, 'available');
    assert.equal(crossImage.StateReason, undefined);
    const crossSnapshots = await snapshotsOf(prodEc2, crossImage);
    assert.ok(crossSnapshots.every((s) => s.KmsKeyId === DEFAULT_KMS_KEYS.devGoldenUs && s.State === 'completed'));
  });

  test('waitForAvailable (src/aws/copyImage.ts) reports the StateReason of a copy that failed', async () => {
    // The smallest gateway waitForAvailable needs: EC2 calls through the SDK client (both call shapes the gateway has had).
    const gateway = {
      ec2: (_target: unknown, _operation: string, command: DescribeImagesCommand) => devEc2.send(command),
      send: (_target: unknown, command: DescribeImagesCommand) => devEc2.send(command),
    } as unknown as AwsGateway;
    const imageId = await copy(devEc2, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-01'),
      SourceRegion: 'us-east-1',
      Name: 'copy-with-missing-key',
      Encrypted: true,
      KmsKeyId: 'alias/nope',
    });
    const states: string[] = [];
    await assert.rejects(
      waitForAvailable(gateway, 'dev', 'us-east-1', imageId, { initialDelayMs: 10, onState: (state) => states.push(state) }),
      (error: Error) => {
        assert.equal(error.message, `${imageId} in us-east-1 ended in state failed: Copy image failed with an internal error.`);
        return true;
      },
    );
    assert.equal(states.at(-1), 'failed');
  });

  test('another account copies a shared AMI only with snapshot permission and key access', async () => {
    // golden-…-11-03: launch + createVolumePermission for prod, CMK policy allows prod.
    const imageId = await copy(prodEc2, {
      SourceImageId: imageIdOf('golden-al2023-2026-11-03'),
      SourceRegion: 'us-east-1',
      Name: 'prod-copy-of-golden',
    });
    const image = await waitForState(prodEc2, imageId, 'available');
    assert.equal(image.OwnerId, prod.accountId);
    const prodEbs = endpoint.state.kmsKeys({ accountId: prod.accountId, region: 'us-east-1' }).find((k) => k.keyManager === 'AWS');
    assert.ok(prodEbs, 'prod aws/ebs key created by the copy');
    assert.ok((await snapshotsOf(prodEc2, image)).every((s) => s.KmsKeyId?.endsWith(prodEbs.keyId)));

    // golden-…-11-04 is shared through the organization, but its snapshots are not.
    await rejectsWith(
      prodEc2.send(new CopyImageCommand({ SourceImageId: imageIdOf('golden-al2023-2026-11-04'), SourceRegion: 'us-east-1', Name: 'copy-p3' })),
      'InvalidRequest',
      /permission to access the storage of this ami/,
    );
    // Not shared at all: as if it did not exist.
    await rejectsWith(
      prodEc2.send(new CopyImageCommand({ SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Name: 'copy-p4' })),
      'InvalidAMIID.NotFound',
    );

    // Shared with snapshots, but the CMK (eu-west-1 golden-images) does not allow prod.
    const euImage = endpoint.state.images({ region: 'eu-west-1' }).find((i) => i.name === 'golden-al2023-eu-2026-11-01');
    assert.ok(euImage);
    await devEc2Eu.send(new ModifyImageAttributeCommand({ ImageId: euImage.imageId, LaunchPermission: { Add: [{ UserId: prod.accountId }] } }));
    for (const mapping of euImage.blockDeviceMappings) {
      await devEc2Eu.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: mapping.snapshotId,
          Attribute: 'createVolumePermission',
          CreateVolumePermission: { Add: [{ UserId: prod.accountId }] },
        }),
      );
    }
    await rejectsWith(
      ec2ClientFor(endpoint.url, 'prod', 'eu-west-1').send(
        new CopyImageCommand({ SourceImageId: euImage.imageId, SourceRegion: 'eu-west-1', Name: 'copy-p5' }),
      ),
      'InvalidRequest',
      /KMS key .* is not accessible/,
    );
  });

  test('validation: source, Region, state, name, duplicate name, unencrypted copy of encrypted snapshots', async () => {
    const source = imageIdOf('golden-al2023-2026-11-01');
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: undefined })), 'MissingParameter', /Name/);
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: 'ami-123', SourceRegion: 'us-east-1', Name: 'x-1' })), 'InvalidAMIID.Malformed');
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'eu-west-1', Name: 'x-2' })), 'InvalidAMIID.NotFound');
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'xx-nowhere-1', Name: 'x-3' })), 'InvalidParameterValue');
    await rejectsWith(
      devEc2.send(new CopyImageCommand({ SourceImageId: imageIdOf('golden-al2023-2026-11-06'), SourceRegion: 'us-east-1', Name: 'x-4' })),
      'InvalidAMIID.Unavailable',
    );
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'no*stars' })), 'InvalidAMIName.Malformed');
    await rejectsWith(
      devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'golden-al2023-2026-11-02' })),
      'InvalidAMIName.Duplicate',
    );
    await rejectsWith(
      devEc2.send(
        new CopyImageCommand({ SourceImageId: imageIdOf('golden-al2023-2026-11-04'), SourceRegion: 'us-east-1', Name: 'x-5', Encrypted: false }),
      ),
      'InvalidRequest',
      /unencrypted copy from an encrypted snapshot/,
    );
    await rejectsWith(devEc2.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'x-6', DryRun: true })), 'DryRunOperation');
    assert.equal(endpoint.state.images({ accountId: dev.accountId }).length, 10);
  });

  test('ClientToken makes CopyImage idempotent', async () => {
    const input = { SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Name: 'idem', ClientToken: 'token-1' };
    const first = await copy(devEc2Eu, input);
    assert.equal(await copy(devEc2Eu, input), first);
    assert.equal(endpoint.state.images({ accountId: dev.accountId, region: 'eu-west-1' }).filter((i) => i.name === 'idem').length, 1);
    await rejectsWith(devEc2Eu.send(new CopyImageCommand({ ...input, Description: 'other' })), 'IdempotentParameterMismatch');
    const second = await copy(devEc2Eu, { ...input, Name: 'idem-2', ClientToken: 'token-2' });
    assert.notEqual(second, first);
  });

  test('copyDelayMs: default 300 ms, settable through endpoint.settings and the control API; reset drops pending copies', async () => {
    delete endpoint.settings.copyDelayMs;
    assert.equal(DEFAULT_COPY_DELAY_MS, 300);
    const post = async (body: unknown): Promise<Record<string, unknown>> =>
      (await (await fetch(`${endpoint.url}/__control/settings`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    assert.equal((await post({})).copyDelayMs, undefined);
    assert.equal((await post({ copyDelayMs: 5000 })).copyDelayMs, 5000);
    assert.equal(endpoint.settings.copyDelayMs, 5000);
    const slow = await copy(devEc2, { SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Name: 'slow-copy' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal((await describeImage(devEc2, slow)).State, 'pending');
    endpoint.reset();
    await rejectsWith(devEc2.send(new DescribeImagesCommand({ ImageIds: [slow] })), 'InvalidAMIID.NotFound');

    assert.equal((await post({ copyDelayMs: 0 })).copyDelayMs, 0);
    const fast = await copy(devEc2, { SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Name: 'fast-copy' });
    await waitForState(devEc2, fast, 'available', 500);
    assert.equal((await post({ copyDelayMs: null })).copyDelayMs, undefined);
    const bad = await fetch(`${endpoint.url}/__control/settings`, { method: 'POST', body: JSON.stringify({ copyDelayMs: -1 }) });
    assert.equal(bad.status, 400);
  });
});

describe('snapshot attributes and block public access', () => {
  test('createVolumePermission round trip: describe, add user and group all, control API view, remove, reset', async () => {
    const imageId = await copy(devEc2, { SourceImageId: imageIdOf('golden-al2023-2026-11-01'), SourceRegion: 'us-east-1', Name: 'snap-attr' });
    const [snapshot] = await snapshotsOf(devEc2, await waitForState(devEc2, imageId, 'available'));
    const SnapshotId = snapshot?.SnapshotId ?? '';
    const describe = async () =>
      (await devEc2.send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' }))).CreateVolumePermissions;
    assert.deepEqual(await describe(), []);
    await devEc2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ UserId: prod.accountId }, { Group: 'all' }] },
      }),
    );
    assert.deepEqual(await describe(), [{ UserId: prod.accountId }, { Group: 'all' }]);
    const control = (await (await fetch(`${endpoint.url}/__control/snapshots?accountId=${dev.accountId}&region=us-east-1`)).json()) as Array<{
      snapshotId: string;
      createVolumePermissions: unknown[];
    }>;
    assert.deepEqual(control.find((s) => s.snapshotId === SnapshotId)?.createVolumePermissions, [{ UserId: prod.accountId }, { Group: 'all' }]);

    await devEc2.send(
      new ModifySnapshotAttributeCommand({ SnapshotId, OperationType: 'remove', Attribute: 'createVolumePermission', GroupNames: ['all'] }),
    );
    assert.deepEqual(await describe(), [{ UserId: prod.accountId }]);
    await devEc2.send(new ResetSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' }));
    assert.deepEqual(await describe(), []);
    await rejectsWith(
      prodEc2.send(new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' })),
      'InvalidSnapshot.NotFound',
    );

    const encrypted = endpoint.state.snapshots({ accountId: dev.accountId, region: 'us-east-1' }).find((s) => s.kmsKeyId === DEFAULT_KMS_KEYS.devGoldenUs);
    assert.ok(encrypted);
    await rejectsWith(
      devEc2.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: encrypted.snapshotId,
          Attribute: 'createVolumePermission',
          CreateVolumePermission: { Add: [{ Group: 'all' }] },
        }),
      ),
      'OperationNotPermitted',
    );
  });

  test('block public access: prod is blocked (also for its copies), dev is not', async () => {
    const prodState = await prodEc2.send(new GetImageBlockPublicAccessStateCommand({}));
    assert.equal(prodState.ImageBlockPublicAccessState, 'block-new-sharing');
    assert.equal(prodState.ManagedBy, 'account');
    assert.equal((await devEc2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState, 'unblocked');
    const imageId = await copy(prodEc2, {
      SourceImageId: imageIdOf('prod-base-al2023-2026-10-15'),
      SourceRegion: 'us-east-1',
      Name: 'prod-base-copy',
    });
    await waitForState(prodEc2, imageId, 'available');
    await rejectsWith(
      prodEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }] } })),
      'OperationNotPermitted',
      /block public access for AMIs is enabled/,
    );
  });
});
