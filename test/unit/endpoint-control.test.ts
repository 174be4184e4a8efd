import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DescribeImageAttributeCommand, DescribeImageReferencesCommand, DescribeImagesCommand, DescribeSnapshotsCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';
import type { ControlImageView } from '../endpoint/control/control';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import type { RequestLogEntry } from '../endpoint/runtime';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';

const { dev, prod } = DEFAULT_ACCOUNTS;

let endpoint: TestEndpoint;

before(async () => {
  endpoint = await startTestEndpoint();
});

after(async () => {
  await endpoint.close();
});

beforeEach(() => endpoint.reset());

/** What a test in another process does: plain HTTP + JSON. */
async function control<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${endpoint.url}/__control/${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function controlImage(name: string): Promise<ControlImageView> {
  const { json } = await control<ControlImageView[]>('GET', `images?accountId=${dev.accountId}&region=us-east-1`);
  const image = json.find((i) => i.name === name);
  assert.ok(image, name);
  return image;
}

describe('control API', () => {
  test('GET images lists one account and Region with launch permissions', async () => {
    const { status, json } = await control<ControlImageView[]>('GET', `images?accountId=${dev.accountId}&region=us-east-1`);
    assert.equal(status, 200);
    assert.equal(json.length, 7);
    const shared = json.find((i) => i.name === 'golden-al2023-2026-11-03');
    assert.deepEqual(shared?.launchPermissions, [{ UserId: prod.accountId }, { UserId: '444444444444' }]);
    assert.equal(json.find((i) => i.name === 'golden-al2023-2026-11-02')?.isPublic, true);
    const all = await control<ControlImageView[]>('GET', 'images');
    assert.equal(all.json.length, 7 + 3 + 2 + 1);
  });

  test('POST launch-permissions simulates a change made elsewhere, seen by the SDK', async () => {
    const image = await controlImage('golden-al2023-2026-11-01');
    const { status, json } = await control<ControlImageView>('POST', 'launch-permissions', {
      accountId: dev.accountId,
      region: 'us-east-1',
      imageId: image.imageId,
      add: [{ UserId: prod.accountId }, { Group: 'all' }],
    });
    assert.equal(status, 200);
    assert.deepEqual(json.launchPermissions, [{ UserId: prod.accountId }, { Group: 'all' }]);
    const attribute = await ec2ClientFor(endpoint.url, 'dev').send(
      new DescribeImageAttributeCommand({ ImageId: image.imageId, Attribute: 'launchPermission' }),
    );
    assert.deepEqual(attribute.LaunchPermissions, [{ UserId: prod.accountId }, { Group: 'all' }]);

    await control('POST', 'launch-permissions', {
      accountId: dev.accountId,
      region: 'us-east-1',
      imageId: image.imageId,
      remove: [{ Group: 'all' }],
    });
    assert.deepEqual((await controlImage('golden-al2023-2026-11-01')).launchPermissions, [{ UserId: prod.accountId }]);

    const wrongOwner = await control<{ error: string }>('POST', 'launch-permissions', {
      accountId: prod.accountId,
      region: 'us-east-1',
      imageId: image.imageId,
      add: [],
    });
    assert.equal(wrongOwner.status, 404);
  });

  test('POST reset restores the fixture after SDK changes', async () => {
    const image = await controlImage('golden-al2023-2026-11-03');
    await ec2ClientFor(endpoint.url, 'dev').send(
      new ModifyImageAttributeCommand({ ImageId: image.imageId, LaunchPermission: { Remove: [{ UserId: prod.accountId }] } }),
    );
    assert.equal((await controlImage('golden-al2023-2026-11-03')).launchPermissions.length, 1);
    assert.equal((await control('POST', 'reset')).status, 200);
    assert.equal((await controlImage('golden-al2023-2026-11-03')).launchPermissions.length, 2);
  });

  test('POST image-references adds a resource to one account: each account sees only its own through DescribeImageReferences', async () => {
    const shared = await controlImage('golden-al2023-2026-11-03');
    const arn = `arn:aws:ec2:us-east-1:${prod.accountId}:instance/i-0aaaabbbbccccdddd`;
    const added = await control('POST', 'image-references', { accountId: prod.accountId, region: 'us-east-1', imageId: shared.imageId, resourceType: 'ec2:Instance', arn });
    assert.equal(added.status, 200);
    const ownerArn = `arn:aws:ssm:us-east-1:${dev.accountId}:parameter/golden/latest`;
    await control('POST', 'image-references', { accountId: dev.accountId, region: 'us-east-1', imageId: shared.imageId, resourceType: 'ssm:Parameter', arn: ownerArn });
    const ask = (profile: 'dev' | 'prod') =>
      ec2ClientFor(endpoint.url, profile, 'us-east-1').send(new DescribeImageReferencesCommand({ ImageIds: [shared.imageId], IncludeAllResourceTypes: true }));
    assert.deepEqual((await ask('prod')).ImageReferences?.map((r) => [r.ResourceType, r.Arn]), [['ec2:Instance', arn]]);
    assert.deepEqual((await ask('dev')).ImageReferences?.map((r) => [r.ResourceType, r.Arn]), [['ssm:Parameter', ownerArn]]);
    const bad = await control<{ error: string }>('POST', 'image-references', { accountId: prod.accountId, region: 'us-east-1', imageId: shared.imageId, resourceType: 'ec2:Volume', arn });
    assert.equal(bad.status, 400);
  });

  test('POST faults takes an attribute filter and the invalid-action and unauthorized kinds', async () => {
    const injected = await control<Array<{ kind: string; attribute?: string }>>('POST', 'faults', { kind: 'invalid-action', action: 'DescribeImageAttribute', attribute: 'lastLaunchedTime' });
    assert.equal(injected.status, 200);
    await control('POST', 'faults', { kind: 'unauthorized', action: 'DescribeImageReferences', accountId: prod.accountId });
    const pending = await control<Array<{ kind: string; attribute?: string; accountId?: string }>>('GET', 'faults');
    assert.deepEqual(pending.json.map((f) => [f.kind, f.attribute, f.accountId]), [['invalid-action', 'lastLaunchedTime', undefined], ['unauthorized', undefined, prod.accountId]]);
  });

  test('POST faults injects (times may be "Infinity") and {"clear": true} clears', async () => {
    const ec2 = ec2ClientFor(endpoint.url, 'dev');
    const injected = await control<Array<{ kind: string; remaining: number | string }>>('POST', 'faults', {
      kind: 'throttle',
      action: 'DescribeImages',
      times: 'Infinity',
    });
    assert.deepEqual(injected.json, [{ kind: 'throttle', action: 'DescribeImages', remaining: 'Infinity' }]);
    await assert.rejects(ec2.send(new DescribeImagesCommand({ Owners: ['self'] })), { name: 'RequestLimitExceeded' });
    await control('POST', 'faults', { clear: true });
    await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));

    const bad = await control<{ error: string }>('POST', 'faults', { kind: 'explode' });
    assert.equal(bad.status, 400);
  });

  test('GET requests returns the request log; settings and stats are readable', async () => {
    await ec2ClientFor(endpoint.url, 'prod', 'us-east-1').send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    const { json } = await control<RequestLogEntry[]>('GET', 'requests');
    assert.equal(json.length, 1);
    assert.equal(json[0]?.action, 'DescribeImages');
    assert.equal(json[0]?.accountId, prod.accountId);
    assert.equal(json[0]?.service, 'ec2');
    assert.equal(json[0]?.status, 200);
    assert.ok(!Number.isNaN(Date.parse(json[0]?.time ?? '')));

    const settings = await control<{ latencyMs: number; throttling: boolean }>('POST', 'settings', { latencyMs: 5 });
    assert.deepEqual(settings.json, { latencyMs: 5, throttling: false, imageOrderSeed: endpoint.settings.imageOrderSeed });
    const reseeded = await control<{ imageOrderSeed: number }>('POST', 'settings', { imageOrderSeed: 42 });
    assert.equal(reseeded.json.imageOrderSeed, 42);
    assert.equal((await control('POST', 'settings', { imageOrderSeed: -1 })).status, 400);
    assert.equal(endpoint.settings.latencyMs, 5);
    assert.deepEqual((await control('GET', 'stats')).json, { requests: 1, throttled: 0 });
    const cpu = (await control<{ userMicros: number; systemMicros: number }>('GET', 'cpu')).json;
    assert.ok(cpu.userMicros > 0 && cpu.systemMicros >= 0, 'the endpoint reports its own CPU time');
    assert.equal((await control('GET', 'nope')).status, 404);
    endpoint.settings.latencyMs = 0;
  });

  test('POST images registers an AMI (any name text) that DescribeImages returns to owner and grantee; reset removes it', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const description = '[click me](command:workbench.action.terminal.new) <script>alert(2)</script>';
    const before = Date.now();
    const { status, json } = await control<ControlImageView>('POST', 'images', {
      accountId: prod.accountId,
      region: 'us-east-1',
      name,
      description,
      launchPermissions: [{ UserId: dev.accountId }],
    });
    assert.equal(status, 200);
    assert.match(json.imageId, /^ami-[0-9a-f]{17}$/);
    assert.equal(json.accountId, prod.accountId);
    assert.equal(json.name, name);
    assert.equal(json.state, 'available');
    assert.deepEqual(json.launchPermissions, [{ UserId: dev.accountId }]);
    assert.equal(json.snapshotIds.length, 1);
    assert.ok(Date.parse(json.creationDate) >= before - 1_000, 'creationDate is now');

    // The owner sees it with its snapshot (8 GiB, unencrypted), text round-tripped through XML unchanged.
    const owned = await ec2ClientFor(endpoint.url, 'prod', 'us-east-1').send(new DescribeImagesCommand({ ImageIds: [json.imageId] }));
    const image = owned.Images?.[0];
    assert.equal(image?.Name, name);
    assert.equal(image?.Description, description);
    assert.equal(image?.OwnerId, prod.accountId);
    assert.equal(image?.State, 'available');
    assert.deepEqual(
      image?.BlockDeviceMappings?.map((m) => [m.Ebs?.SnapshotId, m.Ebs?.VolumeSize, m.Ebs?.Encrypted]),
      [[json.snapshotIds[0], 8, false]],
    );
    const snapshots = await ec2ClientFor(endpoint.url, 'prod', 'us-east-1').send(new DescribeSnapshotsCommand({ SnapshotIds: json.snapshotIds }));
    assert.deepEqual(snapshots.Snapshots?.map((s) => [s.VolumeSize, s.Encrypted, s.State]), [[8, false, 'completed']]);
    // The grantee sees it as shared with it.
    const shared = await ec2ClientFor(endpoint.url, 'dev', 'us-east-1').send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.ok(shared.Images?.some((i) => i.ImageId === json.imageId && i.Name === name), 'dev sees the AMI shared with it');

    // Options: pending, encrypted (the owner's aws/ebs key); a second AMI of the same name is refused.
    const pending = await control<ControlImageView>('POST', 'images', {
      accountId: dev.accountId,
      region: 'eu-west-1',
      name: 'registered-encrypted',
      state: 'pending',
      encrypted: true,
    });
    assert.equal(pending.status, 200);
    assert.equal(pending.json.state, 'pending');
    assert.deepEqual(pending.json.launchPermissions, []);
    const encrypted = await ec2ClientFor(endpoint.url, 'dev', 'eu-west-1').send(new DescribeSnapshotsCommand({ SnapshotIds: pending.json.snapshotIds }));
    assert.equal(encrypted.Snapshots?.[0]?.Encrypted, true);
    assert.match(encrypted.Snapshots?.[0]?.KmsKeyId ?? '', /^arn:aws:kms:eu-west-1:111111111111:key\//);
    assert.equal(encrypted.Snapshots?.[0]?.State, 'pending');
    assert.equal((await control('POST', 'images', { accountId: prod.accountId, region: 'us-east-1', name })).status, 409);

    // Bad bodies are refused with the field named.
    for (const [body, pattern] of [
      [{ region: 'us-east-1', name: 'x' }, /accountId is required/],
      [{ accountId: prod.accountId, region: 'us-east-1' }, /name is required/],
      [{ accountId: prod.accountId, region: 'us-east-1', name: 'x', state: 'failed' }, /state must be/],
      [{ accountId: prod.accountId, region: 'us-east-1', name: 'x', launchPermissions: [{ UserId: '123' }] }, /launchPermissions/],
      [{ accountId: prod.accountId, region: 'us-east-1', name: 'x', encrypted: 'yes' }, /encrypted must be a boolean/],
      [{ accountId: prod.accountId, region: 'mars-1', name: 'x' }, /Region mars-1/],
    ] as const) {
      const bad = await control<{ error: string }>('POST', 'images', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(bad.json.error, pattern);
    }
    assert.equal((await control('POST', 'images', { accountId: '999999999999', region: 'us-east-1', name: 'x' })).status, 404);

    // Reset goes back to the fixture: both AMIs are gone.
    await control('POST', 'reset');
    const all = await control<ControlImageView[]>('GET', 'images');
    assert.equal(all.json.length, 7 + 3 + 2 + 1);
    assert.ok(!all.json.some((i) => i.imageId === json.imageId || i.imageId === pending.json.imageId));
    const afterReset = await ec2ClientFor(endpoint.url, 'dev', 'us-east-1').send(new DescribeImagesCommand({ ExecutableUsers: ['self'] }));
    assert.ok(!afterReset.Images?.some((i) => i.ImageId === json.imageId));
  });
});
