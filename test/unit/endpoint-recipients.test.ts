import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  CancelImageLaunchPermissionCommand,
  CopyImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  GetAllowedImagesSettingsCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS, DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { defaultCustomerKeyPolicy } from '../endpoint/kms/kmsPolicy';
import { registerImage } from '../endpoint/control/controlImages';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { instanceTypeArchitecture } from '../endpoint/ec2/ec2RunInstances';
import { rejectsWith } from '../support/rejectsWith';

/** The recipient's side of a share: Allowed AMIs, RunInstances DryRun, CancelImageLaunchPermission, CopyImage of a shared AMI. */

const { dev, prod } = DEFAULT_ACCOUNTS;
const REGION = 'us-east-1';

let endpoint: TestEndpoint;
let devEc2: EC2Client;
let prodEc2: EC2Client;

before(async () => {
  endpoint = await startTestEndpoint();
  devEc2 = ec2ClientFor(endpoint.url, 'dev');
  prodEc2 = ec2ClientFor(endpoint.url, 'prod');
});

after(async () => {
  devEc2.destroy();
  prodEc2.destroy();
  await endpoint.close();
});

beforeEach(() => {
  endpoint.reset();
  endpoint.settings.copyDelayMs = 20;
});

function imageIdOf(name: string): string {
  const image = endpoint.state.images({ region: REGION }).find((i) => i.name === name);
  assert.ok(image, `fixture image ${name}`);
  return image.imageId;
}

const shared = () => imageIdOf('golden-al2023-2026-11-03'); // 222222222222 directly, snapshots for prod, key allows prod
const orgShared = () => imageIdOf('golden-al2023-2026-11-04'); // organization + OU, no snapshot permission
const privateImage = () => imageIdOf('golden-al2023-2026-11-01');
const publicImage = () => imageIdOf('golden-al2023-2026-11-02');

async function control(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${endpoint.url}/__control/${path}`, body === undefined ? {} : {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

function dryRun(client: EC2Client, imageId: string, instanceType = 't3.micro') {
  return client.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType as never, MinCount: 1, MaxCount: 1, DryRun: true }));
}

describe('Allowed AMIs', () => {
  test('disabled by default: GetAllowedImagesSettings says so and DescribeImages reports no ImageAllowed', async () => {
    const settings = await prodEc2.send(new GetAllowedImagesSettingsCommand({}));
    assert.equal(settings.State, 'disabled');
    assert.deepEqual(settings.ImageCriteria ?? [], []);
    assert.equal(settings.ManagedBy, 'account');
    const { Images = [] } = await prodEc2.send(new DescribeImagesCommand({ ImageIds: [shared()] }));
    assert.equal(Images[0]?.ImageAllowed, undefined);
  });

  test('audit-mode: ImageAllowed says whether the criteria allow the owner, nothing is hidden', async () => {
    assert.equal((await control('allowed-images', { accountId: prod.accountId, region: REGION, state: 'audit-mode', imageProviders: ['444444444444'] })).status, 200);
    const settings = await prodEc2.send(new GetAllowedImagesSettingsCommand({}));
    assert.equal(settings.State, 'audit-mode');
    assert.deepEqual(settings.ImageCriteria?.[0]?.ImageProviders, ['444444444444']);
    const { Images = [] } = await prodEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.ok(Images.length >= 2);
    assert.ok(Images.every((image) => image.ImageAllowed === false), JSON.stringify(Images.map((i) => i.ImageAllowed)));
    await control('allowed-images', { accountId: prod.accountId, region: REGION, state: 'audit-mode', imageProviders: [dev.accountId] });
    const again = await prodEc2.send(new DescribeImagesCommand({ ImageIds: [shared()] }));
    assert.equal(again.Images?.[0]?.ImageAllowed, true);
    // The account's own AMIs are never restricted.
    const own = await prodEc2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.ok((own.Images ?? []).every((image) => image.ImageAllowed === true));
  });

  test('enabled: AMIs of other providers are hidden (also by id) and cannot be launched; settings are per Region', async () => {
    await control('allowed-images', { accountId: prod.accountId, region: REGION, state: 'enabled', imageProviders: ['amazon'] });
    const listed = await prodEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.deepEqual(listed.Images ?? [], []);
    await rejectsWith(prodEc2.send(new DescribeImagesCommand({ ImageIds: [shared()] })), 'InvalidAMIID.NotFound');
    await rejectsWith(dryRun(prodEc2, shared()), 'InvalidAMIID.NotFound');
    const own = await prodEc2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.ok((own.Images ?? []).length > 0);
    const eu = ec2ClientFor(endpoint.url, 'prod', 'eu-west-1');
    try {
      assert.equal((await eu.send(new GetAllowedImagesSettingsCommand({}))).State, 'disabled');
    } finally {
      eu.destroy();
    }
    endpoint.reset();
    assert.equal((await prodEc2.send(new GetAllowedImagesSettingsCommand({}))).State, 'disabled');
  });

  test('the control API refuses bad settings and unknown accounts', async () => {
    assert.equal((await control('allowed-images', { accountId: prod.accountId, region: REGION, state: 'on' })).status, 400);
    assert.equal((await control('allowed-images', { accountId: prod.accountId, region: REGION, state: 'enabled', imageProviders: ['12'] })).status, 400);
    assert.equal((await control('allowed-images', { accountId: '999999999999', region: REGION, state: 'enabled' })).status, 404);
    const read = await control(`allowed-images?accountId=${prod.accountId}&region=${REGION}`);
    assert.deepEqual(read.json, { state: 'disabled', imageProviders: [] });
  });
});

describe('RunInstances DryRun', () => {
  test('DryRunOperation when the launch would work: a shared AMI, a fitting instance type, the default subnet', async () => {
    await rejectsWith(dryRun(prodEc2, shared()), 'DryRunOperation', /Request would have succeeded/);
    await rejectsWith(dryRun(prodEc2, orgShared()), 'DryRunOperation');
    await rejectsWith(dryRun(devEc2, privateImage()), 'DryRunOperation');
  });

  test('without launch permission the AMI does not exist for the caller', async () => {
    await rejectsWith(dryRun(prodEc2, privateImage()), 'InvalidAMIID.NotFound', /does not exist/);
  });

  test('architecture mismatch in EC2 words; a Graviton type fits an arm64 AMI', async () => {
    const arm = registerImage(endpoint.state, { accountId: dev.accountId, region: REGION, name: 'arm-image', architecture: 'arm64', launchPermissions: [{ UserId: prod.accountId }] });
    await rejectsWith(dryRun(prodEc2, arm.imageId, 't3.micro'), 'InvalidParameterValue', /The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI/);
    await rejectsWith(dryRun(prodEc2, arm.imageId, 't4g.micro'), 'DryRunOperation');
    await rejectsWith(dryRun(prodEc2, shared(), 'm7g.large'), 'InvalidParameterValue', /'arm64' of the specified instance type/);
  });

  test('an AMI that is not available, an unknown instance type, a subnet that does not exist, missing counts', async () => {
    await rejectsWith(dryRun(devEc2, imageIdOf('golden-al2023-2026-11-06')), 'InvalidAMIID.Unavailable');
    await rejectsWith(dryRun(prodEc2, shared(), 'huge'), 'InvalidParameterValue', /InstanceType/);
    await rejectsWith(prodEc2.send(new RunInstancesCommand({ ImageId: shared(), MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123', DryRun: true })), 'InvalidSubnetID.NotFound');
    await rejectsWith(prodEc2.send(new RunInstancesCommand({ ImageId: shared(), InstanceType: 't3.micro', DryRun: true } as never)), 'MissingParameter');
    await rejectsWith(prodEc2.send(new RunInstancesCommand({ ImageId: 'img-1', MinCount: 1, MaxCount: 1, DryRun: true })), 'InvalidAMIID.Malformed');
  });

  test('the KMS key is not checked by DryRun (EC2 uses it when the instance starts); nothing is ever launched', async () => {
    // dev may launch prod's AMI but prod's key policy does not let dev use the key: still DryRunOperation.
    await rejectsWith(dryRun(devEc2, imageIdOf('prod-base-al2023-2026-10-01')), 'DryRunOperation');
    await rejectsWith(prodEc2.send(new RunInstancesCommand({ ImageId: shared(), InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })), 'UnsupportedOperation');
  });

  test('instance type architectures', () => {
    assert.equal(instanceTypeArchitecture('t3.micro'), 'x86_64');
    assert.equal(instanceTypeArchitecture('g4dn.xlarge'), 'x86_64');
    assert.equal(instanceTypeArchitecture('c6gn.large'), 'arm64');
    assert.equal(instanceTypeArchitecture('a1.medium'), 'arm64');
    assert.equal(instanceTypeArchitecture('t4g.nano'), 'arm64');
    assert.equal(instanceTypeArchitecture('nope'), undefined);
  });
});

describe('CancelImageLaunchPermission', () => {
  test('a direct share: the account leaves the launch permissions, the owner still lists the others', async () => {
    const imageId = shared();
    await rejectsWith(prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: imageId, DryRun: true })), 'DryRunOperation');
    const result = await prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: imageId }));
    assert.equal(result.Return, true);
    await rejectsWith(prodEc2.send(new DescribeImagesCommand({ ImageIds: [imageId] })), 'InvalidAMIID.NotFound');
    const attribute = await devEc2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    assert.deepEqual(attribute.LaunchPermissions, [{ UserId: '444444444444' }]);
    await rejectsWith(prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: imageId })), 'InvalidAMIID.NotFound');
  });

  test('not for organization/OU or public shares, nor for the owner', async () => {
    await rejectsWith(prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: orgShared() })), 'OperationNotPermitted', /organization/);
    await rejectsWith(prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: publicImage() })), 'OperationNotPermitted', /public/);
    await rejectsWith(devEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: shared() })), 'OperationNotPermitted', /You own/);
    await rejectsWith(prodEc2.send(new CancelImageLaunchPermissionCommand({ ImageId: privateImage() })), 'InvalidAMIID.NotFound');
    // Nothing changed.
    const attribute = await devEc2.send(new DescribeImageAttributeCommand({ ImageId: shared(), Attribute: 'launchPermission' }));
    assert.equal(attribute.LaunchPermissions?.length, 2);
  });
});

describe('CopyImage of a shared AMI into the recipient account', () => {
  test('with snapshot permission and key use: the copy is the recipient’s, re-encrypted with its key', async () => {
    const { ImageId } = await prodEc2.send(new CopyImageCommand({
      SourceImageId: shared(), SourceRegion: REGION, Name: 'golden-copy', Encrypted: true, KmsKeyId: DEFAULT_KMS_KEYS.prodImagesUs,
    }));
    assert.ok(ImageId);
    const copy = endpoint.state.image(REGION, ImageId);
    assert.equal(copy?.ownerId, prod.accountId);
    const snapshot = endpoint.state.snapshot(REGION, copy!.blockDeviceMappings[0]!.snapshotId);
    assert.equal(snapshot?.kmsKeyId, DEFAULT_KMS_KEYS.prodImagesUs);
  });

  test('without createVolumePermission on the snapshots: InvalidRequest', async () => {
    await rejectsWith(
      prodEc2.send(new CopyImageCommand({ SourceImageId: orgShared(), SourceRegion: REGION, Name: 'org-copy' })),
      'InvalidRequest',
      /permission to access the storage of this ami/,
    );
  });

  test('without use of the source key: InvalidRequest naming the key', async () => {
    const key = endpoint.state.kmsKeys({ accountId: dev.accountId, region: REGION }).find((k) => k.aliases.includes('alias/golden-images'))!;
    key.policy = defaultCustomerKeyPolicy(dev.accountId);
    await rejectsWith(
      prodEc2.send(new CopyImageCommand({ SourceImageId: shared(), SourceRegion: REGION, Name: 'no-key-copy' })),
      'InvalidRequest',
      /KMS key .* is not accessible/,
    );
  });
});
