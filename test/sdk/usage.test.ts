import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deregisterImages, setImagesDeprecation, shareImages, unshareImages } from '../../src/actions/operations';
import { listImages } from '../../src/aws/images';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { pipelineSuite } from '../support/pipelineHost';

const { dev, prod, external } = DEFAULT_ACCOUNTS;
const DEV = { profile: 'dev', region: 'us-east-1' };
const SCRIPT = { interactive: false };
const DAY = 86_400_000;

/**
 * "Who still uses it" in the one confirmation of a removal or retirement: the last launched time (owner
 * only), DescribeImageReferences in the owner account and in each recipient account through its own profile,
 * and what could not be checked, with the reason.
 */
describe('who still uses an AMI: the confirmation of unshare, deprecate and deregister', () => {
  const suite = pipelineSuite();
  const endpoint = () => suite.sandbox.endpoint;

  /** n03 is shared with prod (a profile here) and 444444444444 (none); it gets references in dev and prod. */
  function inUse(imageId: string): void {
    endpoint().state.image('us-east-1', imageId)!.lastLaunchedTime = new Date(Date.now() - 2 * DAY - 3_600_000).toISOString();
    endpoint().state.imageReferences(dev.accountId).push({ imageId, region: 'us-east-1', resourceType: 'ssm:Parameter', arn: `arn:aws:ssm:us-east-1:${dev.accountId}:parameter/golden/latest` });
    for (const n of [1, 2, 3]) {
      endpoint().state.imageReferences(prod.accountId).push({ imageId, region: 'us-east-1', resourceType: 'ec2:Instance', arn: `arn:aws:ec2:us-east-1:${prod.accountId}:instance/i-000000000000000${n}` });
    }
    endpoint().state.imageReferences(prod.accountId).push({ imageId, region: 'us-east-1', resourceType: 'ec2:LaunchTemplate', arn: `arn:aws:ec2:us-east-1:${prod.accountId}:launch-template/lt-00000000000000001` });
  }

  test('unshare: owner references, the recipient profile’s references, last launched with its delay, and the account without a profile', async () => {
    const id = suite.images.n03!.imageId;
    inUse(id);
    suite.host.prompts.push({ confirm: true });
    const outcome = await unshareImages(suite.host, [{ image: { ...DEV, imageId: id }, remove: [{ UserId: prod.accountId }, { UserId: external.accountId }] }], SCRIPT);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    const [asked] = suite.host.prompts.asked;
    assert.equal(suite.host.prompts.asked.length, 1, 'one confirmation');
    assert.match(asked!, new RegExp(`Who still uses ${id} \\(us-east-1\\): last launched 2 days ago \\(.* UTC; EC2 reports launches with a delay of up to 24 h\\)`));
    assert.match(asked!, /In use by 1 SSM parameter in 111111111111 \(dev, owner\)/);
    assert.match(asked!, /In use by 3 instances, 1 launch template in 222222222222 \(prod\)/);
    assert.match(asked!, /References not checked in 444444444444: no profile here/);
    // prod's references were read as prod (each account sees only its own resources).
    const reads = endpoint().requests.filter((r) => r.action === 'DescribeImageReferences').map((r) => r.accountId).sort();
    assert.deepEqual(reads, [dev.accountId, prod.accountId]);
  });

  test('deregister: the same lines, before anything is deregistered', async () => {
    const id = suite.images.n03!.imageId;
    inUse(id);
    suite.host.prompts.push({ confirm: true });
    const outcome = await deregisterImages(suite.host, [{ ...DEV, imageId: id }], false, SCRIPT);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    const [asked] = suite.host.prompts.asked;
    assert.match(asked!, /deregister \(cannot be undone\)/);
    assert.match(asked!, /last launched 2 days ago/);
    assert.match(asked!, /In use by 1 SSM parameter in 111111111111 \(dev, owner\)/);
    assert.match(asked!, /In use by 3 instances, 1 launch template in 222222222222 \(prod\)/);
  });

  test('deprecate: the recipients come from the launch permissions read for it', async () => {
    const id = suite.images.n03!.imageId;
    inUse(id);
    suite.host.prompts.push({ confirm: true });
    await setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], new Date(Date.now() + 30 * DAY).toISOString(), SCRIPT);
    assert.match(suite.host.prompts.asked[0]!, /In use by 3 instances, 1 launch template in 222222222222 \(prod\)/);
  });

  test('deprecate when the launch permissions cannot be read: the confirmation says the recipients are unknown', async () => {
    const id = suite.images.n03!.imageId;
    inUse(id);
    endpoint().faults.inject({ kind: 'unauthorized', action: 'DescribeImageAttribute', attribute: 'launchPermission', times: Infinity });
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], new Date(Date.now() + 30 * DAY).toISOString(), SCRIPT), /Cancelled/);
    assert.match(suite.host.prompts.asked[0]!, /Could not read the launch permissions to find the recipients: not allowed \(UnauthorizedOperation\)/);
    assert.match(suite.host.prompts.asked[0]!, /In use by 1 SSM parameter in 111111111111 \(dev, owner\)/);
  });

  test('a recipient account whose profile may not call DescribeImageReferences is said to be not checked, never "unused"', async () => {
    const id = suite.images.n03!.imageId;
    inUse(id);
    endpoint().faults.inject({ kind: 'unauthorized', action: 'DescribeImageReferences', accountId: prod.accountId, times: Infinity });
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(unshareImages(suite.host, [{ image: { ...DEV, imageId: id }, remove: [{ UserId: prod.accountId }] }], SCRIPT), /Cancelled/);
    const [asked] = suite.host.prompts.asked;
    assert.match(asked!, /Could not check references in 222222222222 \(prod\): not allowed \(UnauthorizedOperation\)/);
    assert.doesNotMatch(asked!, /No references in 222222222222/);
    assert.match(asked!, /In use by 1 SSM parameter in 111111111111 \(dev, owner\)/);
  });

  test('organization and OU shares: every account with a profile here that sees the AMI is asked; one that does not is left out', async () => {
    const id = suite.images.n04!.imageId;
    endpoint().state.imageReferences(prod.accountId).push({ imageId: id, region: 'us-east-1', resourceType: 'ec2:Instance', arn: `arn:aws:ec2:us-east-1:${prod.accountId}:instance/i-0000000000000009` });
    suite.host.prompts.push({ confirm: true });
    await unshareImages(suite.host, [{ image: { ...DEV, imageId: id }, remove: [{ OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }] }], SCRIPT);
    assert.match(suite.host.prompts.asked[0]!, /In use by 1 instance in 222222222222 \(prod\)/);
  });

  test('the listing carries the last launched time for the owner only (the tree’s tooltip)', async () => {
    const id = suite.images.n03!.imageId;
    endpoint().state.image('us-east-1', id)!.lastLaunchedTime = '2026-11-20T10:00:00.000Z';
    const owned = await listImages(suite.sandbox.gateway(), DEV, 'owned');
    assert.equal(owned.find((i) => i.imageId === id)?.lastLaunchedTime, '2026-11-20T10:00:00.000Z');
    const shared = await listImages(suite.sandbox.gateway(), { profile: 'prod', region: 'us-east-1' }, 'sharedWithMe');
    assert.ok(shared.some((i) => i.imageId === id));
    assert.equal(shared.find((i) => i.imageId === id)?.lastLaunchedTime, undefined);
  });

  test('sharing (nothing removed) asks nothing and reads no usage', async () => {
    const id = suite.images.n01!.imageId;
    const outcome = await shareImages(suite.host, [{ ...DEV, imageId: id }], [{ UserId: prod.accountId }], SCRIPT);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    assert.deepEqual(suite.host.prompts.asked, []);
    assert.equal(endpoint().requests.filter((r) => r.action === 'DescribeImageReferences').length, 0);
  });
});

/** A server without these APIs (HTML 500 / InvalidAction): a clear message, the confirmation says the check could not run, the rest works. */
describe('servers without DescribeImageReferences, lastLaunchedTime or EnableImageDeprecation', () => {
  const suite = pipelineSuite();
  const endpoint = () => suite.sandbox.endpoint;

  test('InvalidAction from DescribeImageReferences and HTML 500 from lastLaunchedTime: the confirmation says so and the unshare still applies', async () => {
    const id = suite.images.n03!.imageId;
    endpoint().faults.inject({ kind: 'invalid-action', action: 'DescribeImageReferences', times: Infinity });
    endpoint().faults.inject({ kind: 'http500-html', action: 'DescribeImageAttribute', attribute: 'lastLaunchedTime', times: Infinity });
    suite.host.prompts.push({ confirm: true });
    const outcome = await unshareImages(suite.host, [{ image: { ...DEV, imageId: id }, remove: [{ UserId: prod.accountId }] }], SCRIPT);
    const [asked] = suite.host.prompts.asked;
    assert.match(asked!, /could not read the last launched time: the server could not answer \(.*HTTP 500.*\); it may not support this call/);
    assert.match(asked!, /Could not check references in 111111111111 \(dev, owner\): not supported by this server \(InvalidAction\)/);
    assert.match(asked!, /Could not check references in 222222222222 \(prod\): not supported by this server \(InvalidAction\)/);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
    assert.deepEqual(endpoint().state.image('us-east-1', id)!.launchPermissions, [{ UserId: external.accountId }]);
    // Listing keeps working.
    assert.equal((await listImages(suite.sandbox.gateway(), DEV, 'owned')).length, 7);
  });

  test('InvalidAction and HTML 500 from the usage reads of a deregister: said in the confirmation, the deregister still applies', async () => {
    const id = suite.images.n05!.imageId;
    endpoint().faults.inject({ kind: 'http500-html', action: 'DescribeImageReferences', times: Infinity });
    endpoint().faults.inject({ kind: 'invalid-action', action: 'DescribeImageAttribute', attribute: 'lastLaunchedTime', times: Infinity });
    suite.host.prompts.push({ confirm: true });
    const outcome = await deregisterImages(suite.host, [{ ...DEV, imageId: id }], false, SCRIPT);
    const [asked] = suite.host.prompts.asked;
    assert.match(asked!, /could not read the last launched time: not supported by this server \(InvalidAction\)/);
    assert.match(asked!, /Could not check references in 111111111111 \(dev, owner\): the server could not answer/);
    assert.equal(outcome?.results[0]?.ok, true, outcome?.results[0]?.error);
  });

  test('EnableImageDeprecation answering InvalidAction or HTML 500: a clear per-AMI message, nothing recorded as applied, listing still works', async () => {
    const id = suite.images.n03!.imageId;
    for (const kind of ['invalid-action', 'http500-html'] as const) {
      endpoint().faults.clear();
      endpoint().faults.inject({ kind, action: 'EnableImageDeprecation', times: Infinity });
      suite.host.prompts.push({ confirm: true });
      const outcome = await setImagesDeprecation(suite.host, [{ ...DEV, imageId: id }], new Date(Date.now() + 30 * 86_400_000).toISOString(), SCRIPT);
      assert.equal(outcome?.results[0]?.ok, false);
      assert.match(outcome?.results[0]?.error ?? '', kind === 'invalid-action' ? /does not support EnableImageDeprecation/ : /server error \(HTTP 500\)/);
      assert.equal(endpoint().state.image('us-east-1', id)!.deprecationTime, undefined);
    }
    endpoint().faults.clear();
    assert.equal((await listImages(suite.sandbox.gateway(), DEV, 'owned')).length, 7);
  });
});
