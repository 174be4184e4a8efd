import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeRegionsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DisableImageBlockPublicAccessCommand,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  ResetImageAttributeCommand,
  paginateDescribeImages,
  type EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS, DEFAULT_ORGANIZATION } from '../endpoint/fixture/defaultFixture';
import { registerImage } from '../endpoint/control/controlImages';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejectsWith } from '../support/rejectsWith';

const { dev, prod, external } = DEFAULT_ACCOUNTS;

let endpoint: TestEndpoint;
let devEc2: EC2Client;
let prodEc2: EC2Client;

before(async () => {
  endpoint = await startTestEndpoint();
  devEc2 = ec2ClientFor(endpoint.url, 'dev');
  prodEc2 = ec2ClientFor(endpoint.url, 'prod', 'us-east-1');
});

after(async () => {
  devEc2.destroy();
  prodEc2.destroy();
  await endpoint.close();
});

beforeEach(() => endpoint.reset());

/** The image id of a default-fixture AMI, looked up by name so tests don't hard-code ids. */
function imageIdOf(name: string, region = 'us-east-1'): string {
  const image = endpoint.state.images({ region }).find((i) => i.name === name);
  assert.ok(image, `fixture image ${name}`);
  return image.imageId;
}

/** An unencrypted, available, private AMI of dev in us-east-1 (as another tool would register it). */
function registerPlainImage(name: string): string {
  return registerImage(endpoint.state, { accountId: dev.accountId, region: 'us-east-1', name }).imageId;
}

function names(images: Image[] | undefined): string[] {
  return (images ?? []).map((i) => i.Name ?? '').sort();
}

describe('DescribeImages', () => {
  test('Owners=self lists the caller own AMIs with EC2 fields parsed by the SDK', async () => {
    const result = await devEc2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.equal(result.Images?.length, 7);
    const shared = result.Images?.find((i) => i.Name === 'golden-al2023-2026-11-03');
    assert.ok(shared);
    assert.match(shared.ImageId ?? '', /^ami-[0-9a-f]{17}$/);
    assert.equal(shared.OwnerId, dev.accountId);
    assert.equal(shared.State, 'available');
    assert.equal(shared.Public, false);
    assert.equal(shared.ImageOwnerAlias, undefined);
    assert.equal(shared.BlockDeviceMappings?.length, 2);
    assert.equal(shared.BlockDeviceMappings?.[0]?.Ebs?.Encrypted, true);
    assert.match(shared.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? '', /^snap-[0-9a-f]{17}$/);
    assert.deepEqual(shared.Tags?.find((t) => t.Key === 'Team'), { Key: 'Team', Value: 'platform' });
    const states = new Set(result.Images?.map((i) => i.State));
    assert.deepEqual([...states].sort(), ['available', 'failed', 'pending']);
    assert.equal(result.Images?.filter((i) => i.Public).length, 1);
  });

  test('pages with MaxResults and NextToken, also through the SDK paginator', async () => {
    const first = await devEc2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 }));
    assert.equal(first.Images?.length, 5);
    assert.ok(first.NextToken);
    const second = await devEc2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5, NextToken: first.NextToken }));
    assert.equal(second.Images?.length, 2);
    assert.equal(second.NextToken, undefined);

    const seen: string[] = [];
    for await (const page of paginateDescribeImages({ client: devEc2, pageSize: 5 }, { Owners: ['self'] })) {
      seen.push(...(page.Images ?? []).map((i) => i.ImageId ?? ''));
    }
    assert.equal(new Set(seen).size, 7);
  });

  test('the order is a seeded shuffle (EC2 guarantees none), stable across the pages of one listing', async () => {
    const listing = async (client: EC2Client, pageSize?: number) => {
      const ids: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new DescribeImagesCommand({ Owners: ['self'], ...(pageSize ? { MaxResults: pageSize } : {}), ...(NextToken ? { NextToken } : {}) }));
        ids.push(...(page.Images ?? []).map((i) => i.ImageId ?? ''));
        NextToken = page.NextToken;
      } while (NextToken);
      return ids;
    };
    const orders = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const seeded = await startTestEndpoint({ imageOrderSeed: seed });
      const client = ec2ClientFor(seeded.url, 'dev');
      try {
        const whole = await listing(client);
        assert.equal(whole.length, 7);
        assert.deepEqual(await listing(client), whole, 'the same seed gives the same order');
        assert.deepEqual(await listing(client, 5), whole, 'pages neither overlap nor skip');
        orders.add(whole.join());
      } finally {
        client.destroy();
        await seeded.close();
      }
    }
    assert.ok(orders.size > 1, 'different seeds give different orders');
    const sortedById = [...endpoint.state.images({ accountId: dev.accountId, region: 'us-east-1' })].map((i) => i.imageId).sort().join();
    assert.ok([...orders].some((order) => order !== sortedById), 'not simply sorted by id');

    // The seed of a listing travels in its NextToken: reseeding mid-listing does not mix two orders.
    const first = await devEc2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5 }));
    const seed = endpoint.settings.imageOrderSeed;
    endpoint.settings.imageOrderSeed = seed + 1;
    try {
      const second = await devEc2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5, NextToken: first.NextToken }));
      const ids = [...(first.Images ?? []), ...(second.Images ?? [])].map((i) => i.ImageId);
      assert.equal(new Set(ids).size, 7);
    } finally {
      endpoint.settings.imageOrderSeed = seed;
    }
  });

  test('rejects MaxResults outside 5..1000 and foreign pagination tokens', async () => {
    await rejectsWith(
      devEc2.send(new DescribeImagesCommand({ MaxResults: 4 })),
      'InvalidParameterValue',
      /^Value \( 4 \) for parameter maxResults is invalid\. Expecting a value greater than 5\.$/,
    );
    await rejectsWith(devEc2.send(new DescribeImagesCommand({ MaxResults: 1001 })), 'InvalidParameterValue');
    await rejectsWith(
      devEc2.send(new DescribeImagesCommand({ MaxResults: 5, NextToken: 'not-a-token' })),
      'InvalidPaginationToken',
    );
  });

  test('ExecutableUsers=self shows AMIs shared with the account, its organization or OU, not public-only ones', async () => {
    const devShared = await devEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.deepEqual(names(devShared.Images), ['prod-base-al2023-2026-10-01']);
    assert.equal(devShared.Images?.[0]?.OwnerId, prod.accountId);

    const prodShared = await prodEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    // 11-03 directly, 11-04 through the organization and the OU prod belongs to.
    assert.deepEqual(names(prodShared.Images), ['golden-al2023-2026-11-03', 'golden-al2023-2026-11-04']);
    assert.ok(prodShared.Images?.every((i) => i.OwnerId === dev.accountId));

    const prodOwn = await prodEc2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.deepEqual(names(prodOwn.Images), ['prod-base-al2023-2026-10-01', 'prod-base-al2023-2026-10-15']);
  });

  test('a new share shows up in the other account listing at once', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: prod.accountId }] } }));
    const prodShared = await prodEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.ok(prodShared.Images?.some((i) => i.ImageId === imageId));
  });

  test('ImageIds: malformed and unknown ids', async () => {
    await rejectsWith(devEc2.send(new DescribeImagesCommand({ ImageIds: ['ami-123'] })), 'InvalidAMIID.Malformed', /ami-123/);
    const error = await rejectsWith(
      devEc2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
      'InvalidAMIID.NotFound',
      /ami-0123456789abcdef0/,
    );
    assert.match((error as Error & { $metadata: { requestId?: string } }).$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
    // The same AMI is invisible from another Region.
    await rejectsWith(
      ec2ClientFor(endpoint.url, 'dev', 'eu-west-1').send(
        new DescribeImagesCommand({ ImageIds: [imageIdOf('golden-al2023-2026-11-01')] }),
      ),
      'InvalidAMIID.NotFound',
    );
  });

  test('filters: name wildcards, state, is-public, owner-id, tags', async () => {
    const run = async (Name: string, Values: string[]) =>
      names((await devEc2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name, Values }] }))).Images);
    assert.deepEqual(await run('name', ['golden-al2023-2026-11-0[12]']), []);
    assert.deepEqual(await run('name', ['golden-al2023-2026-11-0?']), (await run('name', ['*'])));
    assert.deepEqual(await run('name', ['*-11-01', '*-11-02']), ['golden-al2023-2026-11-01', 'golden-al2023-2026-11-02']);
    assert.deepEqual(await run('state', ['pending']), ['golden-al2023-2026-11-06']);
    assert.deepEqual(await run('is-public', ['true']), ['golden-al2023-2026-11-02']);
    assert.deepEqual(await run('tag:Shared', ['true']), ['golden-al2023-2026-11-03']);
    assert.equal((await run('owner-id', [prod.accountId])).length, 0);
    await rejectsWith(run('no-such-filter', ['x']), 'InvalidParameterValue', /no-such-filter/);
  });

  test('eu-west-1 has its own AMIs', async () => {
    const result = await ec2ClientFor(endpoint.url, 'dev', 'eu-west-1').send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.equal(result.Images?.length, 3);
  });
});

describe('launch permissions', () => {
  const sharedWithProd = () => imageIdOf('golden-al2023-2026-11-03');

  async function launchPermissions(imageId: string, client = devEc2) {
    const result = await client.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
    return result.LaunchPermissions ?? [];
  }

  test('DescribeImageAttribute returns account, group, organization and OU grants', async () => {
    assert.deepEqual(await launchPermissions(sharedWithProd()), [{ UserId: prod.accountId }, { UserId: external.accountId }]);
    assert.deepEqual(await launchPermissions(imageIdOf('golden-al2023-2026-11-02')), [{ Group: 'all' }]);
    assert.deepEqual(await launchPermissions(imageIdOf('golden-al2023-2026-11-04')), [
      { OrganizationArn: DEFAULT_ORGANIZATION.arn },
      { OrganizationalUnitArn: DEFAULT_ORGANIZATION.ouArn },
    ]);
    assert.deepEqual(await launchPermissions(imageIdOf('golden-al2023-2026-11-01')), []);
  });

  test('only the owner may read or change launch permissions', async () => {
    await rejectsWith(launchPermissions(sharedWithProd(), prodEc2), 'AuthFailure', /Not authorized/);
    await rejectsWith(
      prodEc2.send(new ModifyImageAttributeCommand({ ImageId: sharedWithProd(), LaunchPermission: { Remove: [{ UserId: prod.accountId }] } })),
      'AuthFailure',
    );
    // An AMI prod cannot see at all is simply not found.
    await rejectsWith(launchPermissions(imageIdOf('golden-al2023-2026-11-01'), prodEc2), 'InvalidAMIID.NotFound');
  });

  test('structured form: LaunchPermission.Add / Remove', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    const result = await devEc2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Add: [{ UserId: prod.accountId }, { OrganizationArn: DEFAULT_ORGANIZATION.arn }] },
      }),
    );
    assert.equal(result.$metadata.httpStatusCode, 200);
    assert.deepEqual(await launchPermissions(imageId), [{ UserId: prod.accountId }, { OrganizationArn: DEFAULT_ORGANIZATION.arn }]);

    await devEc2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        LaunchPermission: { Remove: [{ UserId: prod.accountId }, { UserId: '999999999999' }] },
      }),
    );
    assert.deepEqual(await launchPermissions(imageId), [{ OrganizationArn: DEFAULT_ORGANIZATION.arn }]);
  });

  test('list form: OperationType with UserIds / UserGroups / OrganizationalUnitArns', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    await devEc2.send(
      new ModifyImageAttributeCommand({
        ImageId: imageId,
        Attribute: 'launchPermission',
        OperationType: 'add',
        UserIds: [prod.accountId, external.accountId],
        OrganizationalUnitArns: [DEFAULT_ORGANIZATION.ouArn],
      }),
    );
    assert.deepEqual(await launchPermissions(imageId), [
      { UserId: prod.accountId },
      { UserId: external.accountId },
      { OrganizationalUnitArn: DEFAULT_ORGANIZATION.ouArn },
    ]);
    await devEc2.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission', OperationType: 'remove', UserIds: [prod.accountId] }),
    );
    await devEc2.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission', OperationType: 'add', UserGroups: ['all'] }),
    );
    const result = await devEc2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    assert.equal(result.Images?.[0]?.Public, true);
    assert.deepEqual(await launchPermissions(imageId), [
      { UserId: external.accountId },
      { OrganizationalUnitArn: DEFAULT_ORGANIZATION.ouArn },
      { Group: 'all' },
    ]);
  });

  test('validation errors name the offending value and change nothing', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    const modify = (input: Omit<ConstructorParameters<typeof ModifyImageAttributeCommand>[0], 'ImageId'>) =>
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ...input }));

    await rejectsWith(
      modify({ LaunchPermission: { Add: [{ UserId: prod.accountId }, { UserId: '1234-5678-9012' }] } }),
      'InvalidAMIAttributeItemValue',
      /^Invalid attribute item value "1234-5678-9012" for userId item type\.$/,
    );
    await rejectsWith(
      modify({ OperationType: 'add', UserGroups: ['everyone'] }),
      'InvalidAMIAttributeItemValue',
      /^Invalid attribute item value "everyone" for UserGroup item type\.$/,
    );
    await rejectsWith(
      modify({ LaunchPermission: { Add: [{ OrganizationArn: 'arn:aws:organizations::111111111111:organization/abc' }] } }),
      'InvalidAMIAttributeItemValue',
      /^Invalid attribute item value "arn:aws:organizations::111111111111:organization\/abc" for OrganizationArn item type\.$/,
    );
    await rejectsWith(
      modify({ LaunchPermission: { Add: [{ OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-x' }] } }),
      'InvalidAMIAttributeItemValue',
      / for OrganizationalUnitArn item type\.$/,
    );
    assert.deepEqual(await launchPermissions(imageId), []);

    await rejectsWith(
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: 'ami-12345', LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
      'InvalidAMIID.Malformed',
    );
  });

  test('a request with nothing to modify is InvalidParameterCombination "No attributes specified." (not 200)', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    const inputs: Array<Omit<ConstructorParameters<typeof ModifyImageAttributeCommand>[0], 'ImageId'>> = [
      { Attribute: 'launchPermission', OperationType: 'add', UserIds: [] },
      { OperationType: 'add', UserIds: [], UserGroups: [] },
      { OperationType: 'remove', OrganizationArns: [] },
      { LaunchPermission: { Add: [] } },
      { LaunchPermission: { Add: [], Remove: [] }, OperationType: 'add' },
      { Attribute: 'launchPermission' },
      { Attribute: 'description' },
      {},
    ];
    for (const input of inputs) {
      const error = await rejectsWith(
        devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ...input })),
        'InvalidParameterCombination',
        /^No attributes specified\.$/,
      );
      assert.equal(error.$metadata?.httpStatusCode, 400, JSON.stringify(input));
    }
    assert.deepEqual(await launchPermissions(imageId), []);
  });

  test("the owner's own account in an Add is accepted and never listed (AMIs and snapshots), and does not count toward the limit", async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    const result = await devEc2.send(
      new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: dev.accountId }, { UserId: prod.accountId }] } }),
    );
    assert.equal(result.$metadata.httpStatusCode, 200);
    await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, OperationType: 'add', UserIds: [dev.accountId] }));
    assert.deepEqual(await launchPermissions(imageId), [{ UserId: prod.accountId }]);
    const owned = await devEc2.send(new DescribeImagesCommand({ ExecutableUsers: [dev.accountId], Owners: ['self'] }));
    assert.deepEqual(owned.Images, [], 'no explicit share with the owner exists');

    const [snapshotId] = endpoint.state.images({ region: 'us-east-1' }).find((i) => i.imageId === imageId)?.blockDeviceMappings.map((m) => m.snapshotId) ?? [];
    await devEc2.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [dev.accountId] }),
    );
    const volume = await devEc2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }));
    assert.deepEqual(volume.CreateVolumePermissions, []);

    // 1,000 others + the owner is still within the 1,000-entity quota.
    const ids = Array.from({ length: 999 }, (_, i) => String(100000000000 + i));
    await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, OperationType: 'add', UserIds: [...ids, dev.accountId] }));
    assert.equal((await launchPermissions(imageId)).length, 1000);
  });

  test('AMIs that are not available cannot be shared', async () => {
    for (const [name, state] of [['golden-al2023-2026-11-06', 'pending'], ['golden-al2023-2026-11-07', 'failed']] as const) {
      const imageId = imageIdOf(name);
      await rejectsWith(
        devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
        'InvalidAMIID.Unavailable',
        new RegExp(`^The AMI ID '${imageId}' is currently ${state} and may not be used for this operation$`),
      );
    }
  });

  test('at most 5 public AMIs per account and Region: ResourceLimitExceeded in EC2\'s words', async () => {
    // dev already has one public AMI in us-east-1; make four more public, then a sixth is refused.
    for (const name of ['golden-al2023-2026-11-01']) {
      await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageIdOf(name), LaunchPermission: { Add: [{ Group: 'all' }] } }));
    }
    for (let i = 0; i < 3; i++) {
      const image = registerPlainImage(`extra-public-${i}`);
      await devEc2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    }
    await rejectsWith(
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: registerPlainImage('one-too-many'), LaunchPermission: { Add: [{ Group: 'all' }] } })),
      'ResourceLimitExceeded',
      /^You have reached your quota of 5 for the number of public images allowed in this Region\. Deregister unused public images or make them private, or request an increase in your public AMIs quota\.$/,
    );
  });

  test('AMIs on aws/ebs-encrypted snapshots cannot be shared', async () => {
    await rejectsWith(
      devEc2.send(
        new ModifyImageAttributeCommand({
          ImageId: imageIdOf('golden-al2023-2026-11-05'),
          LaunchPermission: { Add: [{ UserId: prod.accountId }] },
        }),
      ),
      'InvalidParameter',
      /Snapshots encrypted with the AWS Managed CMK can't be shared/,
    );
  });

  test('more than 1000 entities is ResourceLimitExceeded', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(100000000000 + from + i));
    await devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, OperationType: 'add', UserIds: ids(0, 1000) }));
    await rejectsWith(
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, OperationType: 'add', UserIds: ids(1000, 1) })),
      'ResourceLimitExceeded',
    );
    assert.equal((await launchPermissions(imageId)).length, 1000);
  });

  test('block public access is on by default (prod, tools, new accounts), off only where the fixture says so (dev)', async () => {
    const prodUs = ec2ClientFor(endpoint.url, 'prod', 'us-east-1');
    const prodEu = ec2ClientFor(endpoint.url, 'prod', 'eu-west-1');
    const state = async (client: EC2Client) => (await client.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState;
    assert.equal(await state(prodUs), 'block-new-sharing');
    assert.equal(await state(prodEu), 'block-new-sharing');
    assert.equal(await state(devEc2), 'unblocked');
    assert.equal(endpoint.state.imageBlockPublicAccess(DEFAULT_ACCOUNTS.tools.accountId, 'us-east-1'), true);
    const makePublic = () =>
      prodUs.send(new ModifyImageAttributeCommand({ ImageId: imageIdOf('prod-base-al2023-2026-10-15'), LaunchPermission: { Add: [{ Group: 'all' }] } }));
    await rejectsWith(
      makePublic(),
      'OperationNotPermitted',
      /^You can’t publicly share this image because block public access for AMIs is enabled for this account\. To publicly share the image, you must call the DisableImageBlockPublicAccess API\.$/,
    );
    // Sharing with accounts is not affected.
    await prodUs.send(new ModifyImageAttributeCommand({ ImageId: imageIdOf('prod-base-al2023-2026-10-15'), OperationType: 'add', UserIds: [external.accountId] }));

    // The setting is per Region: disabling it in us-east-1 leaves eu-west-1 blocked.
    const disabled = await prodUs.send(new DisableImageBlockPublicAccessCommand({}));
    assert.equal(disabled.ImageBlockPublicAccessState, 'unblocked');
    assert.equal(await state(prodUs), 'unblocked');
    assert.equal(await state(prodEu), 'block-new-sharing');
    await makePublic();
    const enabled = await prodUs.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
    assert.equal(enabled.ImageBlockPublicAccessState, 'block-new-sharing');
    // Existing public AMIs stay public; new public shares are blocked again.
    assert.equal((await prodUs.send(new DescribeImagesCommand({ ImageIds: [imageIdOf('prod-base-al2023-2026-10-15')] }))).Images?.[0]?.Public, true);
    await prodUs.send(new ModifyImageAttributeCommand({ ImageId: imageIdOf('prod-base-al2023-2026-10-15'), LaunchPermission: { Remove: [{ Group: 'all' }] } }));
    await rejectsWith(makePublic(), 'OperationNotPermitted');
    await rejectsWith(devEc2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'on' as 'block-new-sharing' })), 'InvalidParameterValue');
    await rejectsWith(devEc2.send(new DisableImageBlockPublicAccessCommand({ DryRun: true })), 'DryRunOperation');

    endpoint.reset();
    assert.equal(await state(prodUs), 'block-new-sharing');
    prodUs.destroy();
    prodEu.destroy();
  });

  test('DryRun validates without changing anything', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-01');
    await rejectsWith(
      devEc2.send(new ModifyImageAttributeCommand({ ImageId: imageId, DryRun: true, LaunchPermission: { Add: [{ UserId: prod.accountId }] } })),
      'DryRunOperation',
    );
    assert.deepEqual(await launchPermissions(imageId), []);
  });

  test('ResetImageAttribute removes every grant, including public', async () => {
    for (const name of ['golden-al2023-2026-11-02', 'golden-al2023-2026-11-03', 'golden-al2023-2026-11-04']) {
      const imageId = imageIdOf(name);
      await devEc2.send(new ResetImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
      assert.deepEqual(await launchPermissions(imageId), []);
    }
    const prodShared = await prodEc2.send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.deepEqual(prodShared.Images, []);
  });
});

describe('snapshots', () => {
  const snapshotIdsOf = (name: string) =>
    endpoint.state.images({ region: 'us-east-1' }).find((i) => i.name === name)?.blockDeviceMappings.map((m) => m.snapshotId) ?? [];

  test('DescribeSnapshots reports encryption and key; shared snapshots are visible to the recipient', async () => {
    const [awsManaged] = snapshotIdsOf('golden-al2023-2026-11-05');
    const result = await devEc2.send(new DescribeSnapshotsCommand({ SnapshotIds: [awsManaged ?? ''] }));
    assert.equal(result.Snapshots?.[0]?.Encrypted, true);
    assert.match(result.Snapshots?.[0]?.KmsKeyId ?? '', /^arn:aws:kms:us-east-1:111111111111:key\//);
    assert.equal(result.Snapshots?.[0]?.OwnerId, dev.accountId);

    const prodRestorable = await prodEc2.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['self'], OwnerIds: [dev.accountId] }));
    assert.deepEqual(prodRestorable.Snapshots?.map((s) => s.SnapshotId).sort(), snapshotIdsOf('golden-al2023-2026-11-03').sort());
  });

  test('createVolumePermission can be read and changed; aws/ebs snapshots cannot be shared', async () => {
    const [snapshotId] = snapshotIdsOf('golden-al2023-2026-11-04');
    await devEc2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snapshotId,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ UserId: prod.accountId }] },
      }),
    );
    const attribute = await devEc2.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
    );
    assert.deepEqual(attribute.CreateVolumePermissions, [{ UserId: prod.accountId }]);

    const [awsManaged] = snapshotIdsOf('golden-al2023-2026-11-05');
    await rejectsWith(
      devEc2.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: awsManaged,
          Attribute: 'createVolumePermission',
          OperationType: 'add',
          UserIds: [prod.accountId],
        }),
      ),
      'OperationNotPermitted',
      /Encrypted snapshots with EBS default key cannot be shared/,
    );
  });
});

describe('regions and credentials', () => {
  test('DescribeRegions lists the fixture Regions and a few more; disabled ones only with AllRegions', async () => {
    const enabled = await devEc2.send(new DescribeRegionsCommand({}));
    const names = enabled.Regions?.map((r) => r.RegionName) ?? [];
    assert.ok(names.includes('us-east-1') && names.includes('eu-west-1'));
    assert.ok(names.length >= 5);
    assert.ok(enabled.Regions?.every((r) => r.OptInStatus !== 'not-opted-in' && r.Endpoint?.startsWith('ec2.')));
    const all = await devEc2.send(new DescribeRegionsCommand({ AllRegions: true }));
    assert.ok(all.Regions?.some((r) => r.OptInStatus === 'not-opted-in'));
  });

  test('calls to a Region that is not enabled fail with AuthFailure', async () => {
    await rejectsWith(ec2ClientFor(endpoint.url, 'dev', 'ap-east-1').send(new DescribeImagesCommand({})), 'AuthFailure');
  });

  test('unknown and expired keys are AuthFailure', async () => {
    await rejectsWith(
      ec2ClientFor(endpoint.url, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new DescribeImagesCommand({})),
      'AuthFailure',
      /AWS was not able to validate the provided access credentials/,
    );
    await rejectsWith(
      ec2ClientFor(endpoint.url, { accessKeyId: 'AKIAEXPIRED000000003', secretAccessKey: 'x' }).send(new DescribeImagesCommand({})),
      'AuthFailure',
    );
  });

  test('the request log records action, account, Region, service and status', async () => {
    await devEc2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    const last = endpoint.requests.at(-1);
    assert.ok(last);
    assert.deepEqual(
      { action: last.action, accountId: last.accountId, region: last.region, service: last.service, status: last.status },
      { action: 'DescribeImages', accountId: dev.accountId, region: 'us-east-1', service: 'ec2', status: 200 },
    );
  });
});
