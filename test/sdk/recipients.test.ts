import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runChange } from '../../src/actions/pipeline';
import { checkRecipients } from '../../src/aws/recipients';
import type { AwsGateway } from '../../src/aws/gateway';
import { fixRequests, type RecipientCheck } from '../../src/core/recipients';
import { registerImage } from '../endpoint/control/controlImages';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { startSandbox, type Sandbox } from '../support/awsSandbox';
import { testHost } from '../support/pipelineHost';

/** Both sides of a share through the real SDK: the owner's profile (dev) and the recipients' profiles (prod, tools). */

const { dev, prod } = DEFAULT_ACCOUNTS;
const OUTSIDE = '444444444444';
const TOOLS = '333333333333';
const REGION = 'us-east-1';

let sandbox: Sandbox;
let gateway: AwsGateway;

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.endpoint.reset();
  gateway = sandbox.gateway();
});

function imageIdOf(name: string): string {
  const image = sandbox.endpoint.state.images({ region: REGION }).find((i) => i.name === name);
  assert.ok(image, name);
  return image.imageId;
}

function byAccount(results: RecipientCheck[], accountId: string): RecipientCheck {
  const result = results.find((r) => r.accountId === accountId);
  assert.ok(result, `a result for ${accountId} in ${JSON.stringify(results)}`);
  return result;
}

const check = (imageId: string, accountIds?: string[]) =>
  checkRecipients(gateway, { profile: 'dev', region: REGION, imageId, ...(accountIds ? { accountIds } : {}) });

describe('checkRecipients', () => {
  test('a direct share with snapshots and key statements: the recipient with a profile can launch and copy', async () => {
    const results = await check(imageIdOf('golden-al2023-2026-11-03'));
    assert.deepEqual(results.map((r) => r.accountId).sort(), [prod.accountId, OUTSIDE]);
    const recipient = byAccount(results, prod.accountId);
    assert.equal(recipient.profile, 'prod');
    assert.equal(recipient.canLaunch, 'yes', recipient.reasons.join(' '));
    assert.equal(recipient.canCopy, 'yes', recipient.reasons.join(' '));
  });

  test('without a profile: the key policy that leaves the account out decides no; never a guessed yes', async () => {
    const outside = byAccount(await check(imageIdOf('golden-al2023-2026-11-03')), OUTSIDE);
    assert.equal(outside.profile, undefined);
    assert.equal(outside.canLaunch, 'no');
    assert.equal(outside.canCopy, 'no');
    assert.ok(outside.reasons.some((r) => /key policy of .* does not allow account 444444444444/.test(r)), outside.reasons.join(' | '));
    assert.ok(outside.reasons.some((r) => /No profile here belongs to account 444444444444/.test(r)));
  });

  test('without a profile and nothing against it on the owner side: unknown, not yes', async () => {
    const image = sandbox.endpoint.state.image(REGION, imageIdOf('golden-al2023-2026-11-01'))!;
    image.launchPermissions.push({ UserId: OUTSIDE });
    sandbox.endpoint.state.snapshot(REGION, image.blockDeviceMappings[0]!.snapshotId)!.createVolumePermissions.push({ UserId: OUTSIDE });
    const outside = byAccount(await check(image.imageId), OUTSIDE);
    assert.equal(outside.canLaunch, 'unknown');
    assert.equal(outside.canCopy, 'unknown');
  });

  test('organization and OU shares expand to the member accounts with a profile; no snapshot permission means no copy, a key that leaves the account out means no launch', async () => {
    const results = await check(imageIdOf('golden-al2023-2026-11-04'));
    assert.deepEqual(results.map((r) => r.accountId).sort(), [prod.accountId, TOOLS]);
    const member = byAccount(results, prod.accountId);
    assert.equal(member.canLaunch, 'yes', member.reasons.join(' '));
    assert.equal(member.canCopy, 'no');
    assert.ok(member.reasons.some((r) => /createVolumePermission for account 222222222222/.test(r)));
    assert.deepEqual(member.fixes.map((f) => f.kind), ['snapshotPermission']);
    const tools = byAccount(results, TOOLS);
    assert.equal(tools.profile, 'tools');
    assert.equal(tools.canLaunch, 'no');
    assert.ok(tools.reasons.some((r) => /key policy of .* does not allow account 333333333333/.test(r)), tools.reasons.join(' | '));
    assert.ok(tools.reasons.some((r) => /cannot use the key/.test(r)), tools.reasons.join(' | '));
  });

  test('no launch permission: the recipient’s dry run cannot find the AMI', async () => {
    const recipient = byAccount(await check(imageIdOf('golden-al2023-2026-11-01'), [prod.accountId]), prod.accountId);
    assert.equal(recipient.canLaunch, 'no');
    assert.equal(recipient.canCopy, 'no');
    assert.ok(recipient.reasons.some((r) => /launch permissions do not include account 222222222222/.test(r)));
    assert.ok(recipient.reasons.some((r) => /RunInstances from account 222222222222 cannot find the AMI/.test(r)), recipient.reasons.join(' | '));
  });

  test('Allowed AMIs in the recipient account that does not allow the owner', async () => {
    sandbox.endpoint.state.setAllowedImages(prod.accountId, REGION, { state: 'enabled', imageProviders: ['amazon'] });
    const recipient = byAccount(await check(imageIdOf('golden-al2023-2026-11-03')), prod.accountId);
    assert.equal(recipient.canLaunch, 'no');
    assert.equal(recipient.canCopy, 'no');
    assert.ok(recipient.reasons.some((r) => /Allowed AMIs is enabled in account 222222222222 .* owner 111111111111/.test(r)), recipient.reasons.join(' | '));
  });

  test('an arm64 AMI is dry-run with an instance type of its architecture', async () => {
    const arm = registerImage(sandbox.endpoint.state, { accountId: dev.accountId, region: REGION, name: 'arm-golden', architecture: 'arm64', launchPermissions: [{ UserId: prod.accountId }] });
    const recipient = byAccount(await check(arm.imageId), prod.accountId);
    assert.equal(recipient.canLaunch, 'yes', recipient.reasons.join(' '));
    const runs = sandbox.endpoint.requests.filter((r) => r.action === 'RunInstances');
    assert.ok(runs.length > 0);
  });

  test('a recipient profile whose calls fail gives unknown with the reason, not no', async () => {
    sandbox.endpoint.faults.inject({ kind: 'http500-html', action: 'RunInstances', accountId: prod.accountId, times: 10 });
    const recipient = byAccount(await check(imageIdOf('golden-al2023-2026-11-03')), prod.accountId);
    assert.equal(recipient.canLaunch, 'unknown', recipient.reasons.join(' '));
    assert.ok(recipient.reasons.some((r) => /Could not check the launch from profile prod/.test(r)));
  });
});

describe('the owner-side fixes the form offers, through the pipeline', () => {
  test('Add key statements lets a member account launch; Add snapshot permission lets it copy', async () => {
    const imageId = imageIdOf('golden-al2023-2026-11-04');
    const image = { profile: 'dev', region: REGION, imageId };
    const before = byAccount(await check(imageId), TOOLS);
    assert.deepEqual(before.fixes.map((f) => f.kind).sort(), ['keyStatements', 'snapshotPermission']);
    // A key policy change is always shown and confirmed, scripts included.
    const host = testHost(gateway, [{ confirm: true }]);
    const options = { action: 'Fix', title: 'Fix?', confirmLabel: 'Fix', busyLabel: 'Fixing…', interactive: false, offerKeyPolicyFix: false };
    const keyFix = before.fixes.find((f) => f.kind === 'keyStatements')!;
    const keyOutcome = await runChange(host, fixRequests(keyFix, image), options);
    assert.ok(keyOutcome?.results.every((r) => r.ok), JSON.stringify(keyOutcome?.results));
    const afterKey = byAccount(await check(imageId, [TOOLS]), TOOLS);
    assert.equal(afterKey.canLaunch, 'yes', afterKey.reasons.join(' | '));
    assert.equal(afterKey.canCopy, 'no');
    const snapshotFix = afterKey.fixes.find((f) => f.kind === 'snapshotPermission')!;
    const snapshotOutcome = await runChange(host, fixRequests(snapshotFix, image), options);
    assert.ok(snapshotOutcome?.results.every((r) => r.ok), JSON.stringify(snapshotOutcome?.results));
    const fixed = byAccount(await check(imageId, [TOOLS]), TOOLS);
    assert.equal(fixed.canCopy, 'yes', fixed.reasons.join(' | '));
    assert.deepEqual(fixed.fixes, []);
    assert.equal(host.prompts.remaining, 0);
    host.dispose();
  });
});
