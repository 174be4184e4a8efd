import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DescribeImageAttributeCommand, DescribeImagesCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { ec2ClientFor } from '../endpoint/clients';
import type { ControlImageView } from '../endpoint/control';
import { DEFAULT_ACCOUNTS } from '../endpoint/defaultFixture';
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
    assert.deepEqual(settings.json, { latencyMs: 5, throttling: false });
    assert.equal(endpoint.settings.latencyMs, 5);
    assert.deepEqual((await control('GET', 'stats')).json, { requests: 1, throttled: 0 });
    assert.equal((await control('GET', 'nope')).status, 404);
    endpoint.settings.latencyMs = 0;
  });
});
