import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runChange } from '../../src/actions/pipeline';
import { stopReceivingImages } from '../../src/actions/operations';
import { receivedCopyCheck } from '../../src/aws/receiving';
import type { AwsGateway } from '../../src/aws/gateway';
import { DEFAULT_ACCOUNTS, DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { defaultCustomerKeyPolicy } from '../endpoint/kms/kmsPolicy';
import { startSandbox, type Sandbox } from '../support/awsSandbox';
import { testHost } from '../support/pipelineHost';

/** The recipient's side through the pipeline: stop receiving (CancelImageLaunchPermission) and copies of shared AMIs. */

const { dev, prod } = DEFAULT_ACCOUNTS;
const REGION = 'us-east-1';

let sandbox: Sandbox;
let gateway: AwsGateway;

before(async () => {
  sandbox = await startSandbox({ copyDelayMs: 30 });
});
after(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.endpoint.reset();
  sandbox.endpoint.settings.copyDelayMs = 30;
  gateway = sandbox.gateway();
});

const imageIdOf = (name: string) => sandbox.endpoint.state.images({ region: REGION }).find((i) => i.name === name)!.imageId;
const launchPermissionsOf = (name: string) => sandbox.endpoint.state.images({ region: REGION }).find((i) => i.name === name)!.launchPermissions;

describe('stopReceiving', () => {
  test('a direct share: confirmed (it removes access), logged as intent and result, the account leaves the launch permissions', async () => {
    const host = testHost(gateway, [{ confirm: true }]);
    const result = await stopReceivingImages(host, [{ profile: 'prod', region: REGION, imageId: imageIdOf('golden-al2023-2026-11-03') }], { interactive: false });
    assert.equal(result?.results[0]?.ok, true, result?.results[0]?.error);
    assert.deepEqual(result?.results[0]?.before, [{ UserId: prod.accountId }]);
    assert.deepEqual(result?.results[0]?.after, []);
    assert.deepEqual(launchPermissionsOf('golden-al2023-2026-11-03'), [{ UserId: '444444444444' }]);
    assert.equal(host.prompts.asked.length, 1, 'one confirmation');
    assert.match(host.prompts.asked[0]!, /Stop receiving/);
    const entries = await host.changeLog.read();
    assert.deepEqual(entries.map((e) => `${e.kind} ${'resource' in e ? e.resource : ''}`), ['intent cancelLaunchPermission', 'result cancelLaunchPermission']);
    assert.ok(sandbox.endpoint.requests.some((r) => r.action === 'CancelImageLaunchPermission' && r.status === 200));
  });

  test('declined: nothing is sent', async () => {
    const host = testHost(gateway, [{ confirm: false }]);
    await assert.rejects(stopReceivingImages(host, [{ profile: 'prod', region: REGION, imageId: imageIdOf('golden-al2023-2026-11-03') }], { interactive: false }), /Cancelled/);
    assert.equal(launchPermissionsOf('golden-al2023-2026-11-03').length, 2);
  });

  test('an organization share cannot be cancelled: refused before any call, with the reason', async () => {
    const host = testHost(gateway);
    const result = await stopReceivingImages(host, [{ profile: 'prod', region: REGION, imageId: imageIdOf('golden-al2023-2026-11-04') }], { interactive: false });
    assert.equal(result?.results[0]?.ok, false);
    assert.match(result?.results[0]?.error ?? '', /not shared with this account directly.*organization, an OU or publicly/);
    assert.ok(!sandbox.endpoint.requests.some((r) => r.action === 'CancelImageLaunchPermission' && r.status === 200));
    assert.equal(launchPermissionsOf('golden-al2023-2026-11-04').length, 2);
  });
});

describe('copy of a shared AMI into the recipient account', () => {
  const copyRequest = (imageId: string, kmsKeyId?: string) => ({
    kind: 'copyImage' as const,
    image: { profile: 'prod', region: REGION, imageId },
    targetRegion: REGION,
    name: 'my-copy',
    ...(kmsKeyId ? { kmsKeyId } : {}),
    thenShare: [],
  });
  const options = { action: 'Copy to My AMIs', title: 'Copy?', confirmLabel: 'Copy', busyLabel: 'Copying…', interactive: false };

  test('with snapshot permission and key use: the copy is available in the recipient account, re-encrypted with its key', async () => {
    const host = testHost(gateway);
    const outcome = await runChange(host, [copyRequest(imageIdOf('golden-al2023-2026-11-03'), DEFAULT_KMS_KEYS.prodImagesUs)], options);
    const copy = outcome?.results[0]?.copies?.[0];
    assert.equal(copy?.ok, true, copy?.error ?? outcome?.results[0]?.error);
    const record = sandbox.endpoint.state.image(REGION, copy!.imageId!);
    assert.equal(record?.ownerId, prod.accountId);
    assert.equal(record?.state, 'available');
    assert.equal(sandbox.endpoint.state.snapshot(REGION, record!.blockDeviceMappings[0]!.snapshotId)?.kmsKeyId, DEFAULT_KMS_KEYS.prodImagesUs);
  });

  test('without snapshot permission: explained beforehand (the owner must grant createVolumePermission), nothing copied', async () => {
    const host = testHost(gateway);
    const outcome = await runChange(host, [copyRequest(imageIdOf('golden-al2023-2026-11-04'), DEFAULT_KMS_KEYS.prodImagesUs)], options);
    assert.equal(outcome?.results[0]?.ok, false);
    assert.match(outcome?.results[0]?.error ?? '', /owner \(account 111111111111\) must grant account 222222222222 createVolumePermission/);
    assert.ok(!sandbox.endpoint.requests.some((r) => r.action === 'CopyImage' && r.status === 200));
  });

  test('without use of the owner key: explained beforehand', async () => {
    const key = sandbox.endpoint.state.kmsKeys({ accountId: dev.accountId, region: REGION }).find((k) => k.aliases.includes('alias/golden-images'))!;
    key.policy = defaultCustomerKeyPolicy(dev.accountId);
    const host = testHost(gateway);
    const outcome = await runChange(host, [copyRequest(imageIdOf('golden-al2023-2026-11-03'), DEFAULT_KMS_KEYS.prodImagesUs)], options);
    assert.equal(outcome?.results[0]?.ok, false);
    assert.match(outcome?.results[0]?.error ?? '', /must let account 222222222222 use the snapshots' KMS key/);
  });
});

describe('may this account copy an AMI shared with it (from the recipient’s own profile)', () => {
  const snapshotsOf = (name: string) => sandbox.endpoint.state.image(REGION, imageIdOf(name))!.blockDeviceMappings.flatMap((m) => (m.snapshotId ? [m.snapshotId] : []));
  const check = (name: string) => receivedCopyCheck(gateway, { profile: 'prod', region: REGION }, snapshotsOf(name));

  test('snapshots shared with it and a key it may use: yes', async () => {
    assert.equal((await check('golden-al2023-2026-11-03')).verdict, 'yes');
  });

  test('a snapshot the owner did not share with it: no, naming the snapshot', async () => {
    const result = await check('golden-al2023-2026-11-04');
    assert.equal(result.verdict, 'no');
    assert.match(result.reason, new RegExp(`${snapshotsOf('golden-al2023-2026-11-04')[0]}.*createVolumePermission`));
  });

  test('snapshots shared, but the key policy leaves the account out: no', async () => {
    const key = sandbox.endpoint.state.kmsKeys({ accountId: dev.accountId, region: REGION }).find((k) => k.aliases.includes('alias/golden-images'))!;
    key.policy = defaultCustomerKeyPolicy(dev.accountId);
    const result = await check('golden-al2023-2026-11-03');
    assert.equal(result.verdict, 'no', result.reason);
    assert.match(result.reason, /key/);
  });

  test('a call that says nothing about permissions (throttled): unknown, never yes', async () => {
    sandbox.endpoint.faults.inject({ kind: 'http500-html', action: 'DescribeSnapshots', accountId: prod.accountId, times: 20 });
    assert.equal((await check('golden-al2023-2026-11-03')).verdict, 'unknown');
  });
});
