import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { deregisterImages, disableImages, enableImages, setImagesDeprecation, setImagesProtection } from '../../src/actions/operations';
import { runUndo, undoRequests } from '../../src/actions/undo';
import type { ChangeResult } from '../../src/changeLog/entries';
import { promoteImage } from '../../src/actions/promote';
import { listImages } from '../../src/aws/images';
import { registerImage } from '../endpoint/control/controlImages';
import { DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { startSandbox, type Sandbox } from '../support/awsSandbox';
import { pipelineSuite, testHost, type TestHost } from '../support/pipelineHost';

const DEV = { profile: 'dev', region: 'us-east-1' };
const SCRIPT = { interactive: false };

async function results(host: TestHost): Promise<ChangeResult[]> {
  return (await host.changeLog.history()).results;
}

describe('lifecycle settings through the pipeline', () => {
  const suite = pipelineSuite();
  const record = (id: string) => suite.sandbox.endpoint.state.image('us-east-1', id)!;

  test('deprecating asks (it hides the AMI from recipients), rounds to the minute, logs before/after and undoes to none', async () => {
    const id = suite.images.n03!.imageId;
    const at = new Date(Date.now() + 7 * 86_400_000);
    at.setUTCSeconds(31, 0);
    const rounded = new Date(Math.round(at.getTime() / 60_000) * 60_000).toISOString();
    suite.host.prompts.push({ confirm: true });
    const outcome = await setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], at.toISOString(), SCRIPT);
    assert.match(suite.host.prompts.asked[0]!, new RegExp(`${id} .*deprecation time: none → ${rounded.replace(/\./g, '\\.')}`));
    assert.match(suite.host.prompts.asked[0]!, /hidden from recipients/);
    assert.equal(outcome?.results[0]?.ok, true);
    assert.deepEqual(outcome?.results[0]?.settings, [{ name: 'deprecation', before: null, after: rounded }]);
    assert.equal(record(id).deprecationTime, rounded);
    const logged = await results(suite.host);
    assert.deepEqual(logged.map((r) => [r.resource, r.setting]), [['imageSetting', { name: 'deprecation', before: null, after: rounded }]]);
    // Undo from the log record: back to no deprecation (cancelling removes nothing: no question).
    const undo = await runUndo(suite.host, undoRequests(logged.map((r) => ({ address: { kind: r.resource!, profile: r.profile, region: r.region, imageId: r.imageId }, applied: r.applied, setting: r.setting! }))), false);
    assert.equal(undo?.results[0]?.ok, true);
    assert.equal(record(id).deprecationTime, undefined);
    assert.equal(suite.host.prompts.asked.length, 1);
  });

  test('declining the confirmation changes nothing and logs nothing', async () => {
    const id = suite.images.n03!.imageId;
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], new Date(Date.now() + 86_400_000).toISOString(), SCRIPT), /Cancelled/);
    assert.equal(record(id).deprecationTime, undefined);
    assert.equal(suite.sandbox.endpoint.requests.filter((r) => r.action === 'EnableImageDeprecation').length, 0);
    assert.deepEqual(await suite.host.changeLog.history(), { results: [], interrupted: [] });
  });

  test('EC2 refusing a time in the past is the AMI’s error, with nothing recorded as applied', async () => {
    const id = suite.images.n03!.imageId;
    suite.host.prompts.push({ confirm: true });
    const outcome = await setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], new Date(Date.now() - 3_600_000).toISOString(), SCRIPT);
    assert.equal(outcome?.results[0]?.ok, false);
    assert.match(outcome?.results[0]?.error ?? '', /past/);
    const [logged] = await results(suite.host);
    assert.equal(logged?.ok, false);
    assert.deepEqual(logged?.setting, { name: 'deprecation', before: null, after: null });
  });

  test('protection on with cooldown and off: no question for one AMI, read back, Undo turns it back on', async () => {
    const id = suite.images.n01!.imageId;
    const on = await setImagesProtection(suite.host, [{ ...DEV, imageId: id }], true, true, SCRIPT);
    assert.deepEqual(on?.results[0]?.settings, [{ name: 'protection', before: 'disabled', after: 'enabled-with-cooldown' }]);
    assert.deepEqual(record(id).deregistrationProtection, { enabled: true, withCooldown: true });
    const off = await setImagesProtection(suite.host, [{ ...DEV, imageId: id }], false, false, SCRIPT);
    assert.equal(off?.results[0]?.ok, true);
    assert.equal(record(id).deregistrationProtection?.enabled, false, 'in its cooldown');
    const logged = (await results(suite.host)).filter((r) => r.setting?.after === 'disabled');
    assert.equal(logged.length, 1);
    await runUndo(suite.host, undoRequests(logged.map((r) => ({ address: { kind: r.resource!, profile: r.profile, region: r.region, imageId: r.imageId }, applied: r.applied, setting: r.setting! }))), false);
    assert.deepEqual(record(id).deregistrationProtection, { enabled: true, withCooldown: true });
    assert.deepEqual(suite.host.prompts.asked, []);
  });

  test('a setting already so is not written', async () => {
    const id = suite.images.n01!.imageId;
    await setImagesProtection(suite.host, [{ ...DEV, imageId: id }], false, false, SCRIPT);
    assert.equal(suite.sandbox.endpoint.requests.filter((r) => /DeregistrationProtection$/.test(r.action)).length, 0);
  });

  test('several AMIs: one confirmation naming each, one change id', async () => {
    const ids = [suite.images.n01!.imageId, suite.images.n03!.imageId];
    suite.host.prompts.push({ confirm: true });
    const outcome = await setImagesProtection(suite.host, ids.map((imageId) => ({ ...DEV, imageId })), true, false, SCRIPT);
    assert.equal(suite.host.prompts.asked.length, 1);
    for (const id of ids) assert.match(suite.host.prompts.asked[0]!, new RegExp(`${id} .*deregistration protection: disabled → enabled`));
    assert.equal(new Set((await results(suite.host)).map((r) => r.changeId)).size, 1);
    assert.ok(outcome?.results.every((r) => r.ok));
  });
});

describe('disable, enable and deregister through the pipeline', () => {
  const suite = pipelineSuite();
  const record = (id: string) => suite.sandbox.endpoint.state.image('us-east-1', id)!;

  test('disabling asks, naming every permission it removes; the log records them; Undo enables and restores exactly them', async () => {
    const id = suite.images.n03!.imageId;
    const had = structuredClone(record(id).launchPermissions);
    suite.host.prompts.push({ confirm: true });
    const outcome = await disableImages(suite.host, [{ ...DEV, imageId: id }], SCRIPT);
    assert.match(suite.host.prompts.asked[0]!, new RegExp(`${id} .*disable \\(available → disabled\\); launch permissions: − 222222222222, 444444444444`));
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    assert.equal(record(id).state, 'disabled');
    const [logged] = await results(suite.host);
    assert.deepEqual(logged?.before, had);
    assert.deepEqual(logged?.applied.remove, had);
    assert.deepEqual(logged?.setting, { name: 'state', before: 'available', after: 'disabled' });
    const intents = (await suite.host.changeLog.history()).results;
    assert.equal(intents.length, 1);
    suite.host.prompts.push({ confirm: true });
    const undo = await runUndo(suite.host, undoRequests([{ address: { kind: 'imageSetting', profile: 'dev', region: 'us-east-1', imageId: id }, applied: logged!.applied, setting: logged!.setting! }]), false);
    assert.ok(undo?.results.every((r) => r.ok), JSON.stringify(undo?.results));
    assert.equal(record(id).state, 'available');
    assert.deepEqual(record(id).launchPermissions, had);
  });

  test('enableImages with the logged permissions restores them in the same change; without, recipients stay removed', async () => {
    const id = suite.images.n03!.imageId;
    const had = structuredClone(record(id).launchPermissions);
    suite.host.prompts.push({ confirm: true });
    await disableImages(suite.host, [{ ...DEV, imageId: id }], SCRIPT);
    const plain = await enableImages(suite.host, [{ image: { ...DEV, imageId: id }, restore: [] }], SCRIPT);
    assert.equal(plain?.results[0]?.ok, true);
    assert.deepEqual(record(id).launchPermissions, []);
    suite.host.prompts.push({ confirm: true });
    await disableImages(suite.host, [{ ...DEV, imageId: id }], SCRIPT);
    const restored = await enableImages(suite.host, [{ image: { ...DEV, imageId: id }, restore: had }], SCRIPT);
    assert.equal(restored?.results[0]?.ok, true, restored?.results[0]?.error);
    assert.deepEqual(record(id).launchPermissions, had);
  });

  test('deregistering is refused with the reason while protection is on (and during the cooldown), with no write', async () => {
    const id = suite.images.n01!.imageId;
    await setImagesProtection(suite.host, [{ ...DEV, imageId: id }], true, false, SCRIPT);
    const refused = await deregisterImages(suite.host, [{ ...DEV, imageId: id }], false, SCRIPT);
    assert.equal(refused?.results[0]?.ok, false);
    assert.match(refused?.results[0]?.error ?? '', /cannot be deregistered: deregistration protection is on \(enabled\)/);
    record(id).deregistrationProtection = { enabled: false, disabledUntil: new Date(Date.now() + 3_600_000).toISOString() };
    const cooling = await deregisterImages(suite.host, [{ ...DEV, imageId: id }], false, SCRIPT);
    assert.match(cooling?.results[0]?.error ?? '', /24-hour cooldown and holds until/);
    assert.equal(suite.sandbox.endpoint.requests.filter((r) => r.action === 'DeregisterImage').length, 0);
    assert.equal(record(id).state, 'available');
  });

  test('deregistering asks, names the snapshots that go with it and says it cannot be undone; no Undo is offered', async () => {
    const id = suite.images.n03!.imageId;
    const snapshotIds = record(id).blockDeviceMappings.map((m) => m.snapshotId);
    suite.host.prompts.push({ confirm: true });
    const outcome = await deregisterImages(suite.host, [{ ...DEV, imageId: id }], true, SCRIPT);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    assert.match(suite.host.prompts.asked[0]!, /cannot be undone/);
    assert.match(suite.host.prompts.asked[0]!, new RegExp(`Snapshots deleted with ${id}.*${snapshotIds.join(', ')}`));
    assert.equal(record(id).state, 'deregistered');
    for (const snapshotId of snapshotIds) assert.equal(suite.sandbox.endpoint.state.snapshot('us-east-1', snapshotId), undefined);
    const [logged] = await results(suite.host);
    assert.deepEqual(logged?.setting, { name: 'state', before: 'available', after: 'deregistered' });
    assert.deepEqual(undoRequests([{ address: { kind: 'imageSetting', profile: 'dev', region: 'us-east-1', imageId: id }, applied: logged!.applied, setting: logged!.setting! }]), []);
    assert.ok(suite.host.notifications.every((n) => !n.actions.includes('Undo')));
  });
});

describe('listings show the lifecycle', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => sandbox.close());

  test('My AMIs keeps disabled AMIs; Shared with me keeps deprecated shares, with their time and protection', async () => {
    sandbox.endpoint.reset();
    const shared = sandbox.endpoint.state.images({ region: 'us-east-1' }).find((i) => i.name === 'golden-al2023-2026-11-03')!;
    const other = sandbox.endpoint.state.images({ region: 'us-east-1' }).find((i) => i.name === 'golden-al2023-2026-11-01')!;
    const past = new Date(Date.now() - 60_000).toISOString();
    shared.deprecationTime = past;
    shared.deregistrationProtection = { enabled: true, withCooldown: false };
    other.state = 'disabled';
    const owned = await listImages(sandbox.gateway(), { profile: 'dev', region: 'us-east-1' }, 'owned');
    assert.equal(owned.find((i) => i.imageId === other.imageId)?.state, 'disabled');
    const received = await listImages(sandbox.gateway(), { profile: 'prod', region: 'us-east-1' }, 'sharedWithMe');
    const seen = received.find((i) => i.imageId === shared.imageId);
    assert.equal(seen?.deprecationTime, past);
    assert.equal(seen?.deregistrationProtection, 'enabled');
  });
});

describe('promote a new version', () => {
  let sandbox: Sandbox;
  let host: TestHost;
  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(() => {
    sandbox.endpoint.reset();
    host = testHost(sandbox.gateway({ maxAttempts: 2 }));
  });
  after(async () => sandbox.close());

  const register = (region: string, name: string, launchPermissions: Array<{ UserId: string }> = []) =>
    registerImage(sandbox.endpoint.state, { accountId: '111111111111', region, name, launchPermissions }).imageId;

  test('across 2 Regions: the new AMI gets exactly the previous recipients, one plan, the previous deprecated; a Region without the pair is reported', async () => {
    const fromUs = register('us-east-1', 'app-2026.11', [{ UserId: '222222222222' }, { UserId: '444444444444' }]);
    const toUs = register('us-east-1', 'app-2026.12');
    const fromEu = register('eu-west-1', 'app-2026.11', [{ UserId: '222222222222' }]);
    const toEu = register('eu-west-1', 'app-2026.12', [{ UserId: '444444444444' }]);
    host.prompts.push({ confirm: true });
    const deprecateAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const outcome = await promoteImage(host, { profile: 'dev', region: 'us-east-1', fromImageId: fromUs, toImageId: toUs, regions: ['eu-west-1', 'us-west-2'], deprecatePreviousAt: deprecateAt, interactive: false });
    assert.equal(host.prompts.asked.length, 1, 'one confirmation for the whole promotion');
    const plan = host.prompts.asked[0]!;
    assert.match(plan, new RegExp(`${toUs} .*us-east-1\\) launch permissions: \\+ 222222222222, 444444444444`));
    assert.match(plan, new RegExp(`${toEu} .*eu-west-1\\) launch permissions: \\+ 222222222222`));
    assert.match(plan, new RegExp(`${fromUs} .*deprecation time: none →`));
    const byRegion = Object.fromEntries(outcome.results.map((r) => [r.region, r]));
    assert.equal(byRegion['us-east-1']?.ok, true, byRegion['us-east-1']?.error);
    assert.deepEqual(byRegion['us-east-1']?.after, [{ UserId: '222222222222' }, { UserId: '444444444444' }]);
    assert.equal(byRegion['eu-west-1']?.ok, true);
    assert.deepEqual(byRegion['eu-west-1']?.before, [{ UserId: '444444444444' }]);
    assert.deepEqual(sandbox.endpoint.state.image('eu-west-1', toEu)!.launchPermissions.map((p) => p.UserId).sort(), ['222222222222', '444444444444']);
    assert.equal(byRegion['us-west-2']?.ok, false);
    assert.match(byRegion['us-west-2']?.error ?? '', /nothing was guessed/);
    assert.ok(sandbox.endpoint.state.image('us-east-1', fromUs)!.deprecationTime);
    assert.equal(new Set((await results(host)).map((r) => r.changeId)).size, 1, 'one change');
    assert.equal(fromEu.length > 0, true);
  });

  test('a customer managed key: the one confirmation lists the key statements the new version needs, and they are applied with it', async () => {
    const keyArn = DEFAULT_KMS_KEYS.devGoldenUs;
    const registerEncrypted = (name: string, launchPermissions: Array<{ UserId: string }> = []) =>
      registerImage(sandbox.endpoint.state, { accountId: '111111111111', region: 'us-east-1', name, launchPermissions, kmsKeyAlias: 'golden-images' }).imageId;
    const from = registerEncrypted('secure-2026.11', [{ UserId: '222222222222' }, { UserId: '444444444444' }]);
    const to = registerEncrypted('secure-2026.12');
    host.prompts.push({ confirm: true });
    const outcome = await promoteImage(host, { profile: 'dev', region: 'us-east-1', fromImageId: from, toImageId: to, interactive: true });
    assert.equal(outcome.results[0]?.ok, true, outcome.results[0]?.error);
    // One question: the plan. The key statement is in it, not offered separately.
    assert.equal(host.prompts.asked.length, 1, host.prompts.asked.join(' | '));
    const plan = host.prompts.asked[0]!;
    assert.match(plan, new RegExp(`key ${keyArn.replace(/[/.]/g, '\\$&')} policy: allow 444444444444`));
    assert.doesNotMatch(plan, /allow 222222222222/, 'prod is allowed by the key policy already');
    assert.match(plan, new RegExp(`${to} .*launch permissions: \\+ 222222222222, 444444444444`));
    assert.deepEqual(host.diffs.map((d) => d.keyArn), [keyArn], 'the key policy diff was shown');
    const key = sandbox.endpoint.state.kmsKeys({ accountId: '111111111111', region: 'us-east-1' }).find((k) => `arn:aws:kms:us-east-1:111111111111:key/${k.keyId}` === keyArn)!;
    assert.ok(JSON.stringify(key.policy).includes('444444444444'), 'the statement for 444444444444 was added');
    assert.deepEqual(sandbox.endpoint.state.image('us-east-1', to)!.launchPermissions.map((p) => p.UserId).sort(), ['222222222222', '444444444444']);
  });

  test('unsharePrevious removes the old version\'s recipients in the same change', async () => {
    const from = register('us-east-1', 'svc-1.0', [{ UserId: '222222222222' }]);
    const to = register('us-east-1', 'svc-1.1');
    host.prompts.push({ confirm: true });
    const outcome = await promoteImage(host, { profile: 'dev', region: 'us-east-1', fromImageId: from, toImageId: to, unsharePrevious: true, interactive: false });
    assert.equal(outcome.results[0]?.ok, true, outcome.results[0]?.error);
    assert.deepEqual(sandbox.endpoint.state.image('us-east-1', to)!.launchPermissions, [{ UserId: '222222222222' }]);
    assert.deepEqual(sandbox.endpoint.state.image('us-east-1', from)!.launchPermissions, []);
  });
});
