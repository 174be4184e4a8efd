import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkNewRecipients, type AddedLaunchPermissions } from '../../src/actions/recipientCheck';
import { recipientsSummary, type Verdict } from '../../src/core/recipients';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { changeOne, pipelineSuite, type TestHost } from '../support/pipelineHost';

/**
 * The after-share recipient check, through the real SDK against the endpoint: the pipeline tells its host what
 * a change shared with whom (and nothing for removals), and the check warns only when a new recipient cannot
 * launch or copy.
 */

const { prod } = DEFAULT_ACCOUNTS;
const suite = pipelineSuite();

type Verdicts = ReadonlyArray<{ accountId: string; canLaunch: Verdict }>;

function withSummaries(host: TestHost): TestHost & { summaries: string[]; model: TestHost['model'] & { setRecipientVerdicts(profile: string, region: string, imageId: string, results: Verdicts, everyRecipient: boolean): void } } {
  const summaries: string[] = [];
  const setRecipientVerdicts = (_p: string, _r: string, imageId: string, results: Verdicts) => summaries.push(`${imageId}: ${recipientsSummary(results)}`);
  return Object.assign(host, { summaries, model: { ...host.model, setRecipientVerdicts } });
}

describe('after a share: the pipeline tells what it added, the check warns only about recipients that cannot launch or copy', () => {
  test('a share reports the added launch permissions per AMI; a removal reports nothing', async () => {
    const told: AddedLaunchPermissions[][] = [];
    suite.host.onLaunchPermissionsAdded = (added) => told.push(added);
    const imageId = suite.images.n01!.imageId;
    await changeOne(await suite.host.gateway.get(), imageId, [{ UserId: prod.accountId }], [], { host: suite.host });
    assert.deepEqual(told, [[{ image: { profile: 'dev', region: 'us-east-1', imageId }, add: [{ UserId: prod.accountId }] }]]);
    suite.host.confirmDestructiveActions = false;
    await changeOne(await suite.host.gateway.get(), imageId, [], [{ UserId: prod.accountId }], { host: suite.host });
    assert.equal(told.length, 1, 'removing a recipient is not a share');
  });

  test('a recipient that can launch but not copy: the summary, and one warning naming it', async () => {
    const host = withSummaries(suite.host);
    const imageId = suite.images.n04!.imageId;
    await checkNewRecipients(host, [{ image: { profile: 'dev', region: 'us-east-1', imageId }, add: [{ OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }] }]);
    assert.equal(host.summaries.length, 1);
    assert.equal(host.notifications.length, 1, JSON.stringify(host.notifications));
    assert.equal(host.notifications[0]!.severity, 'warning');
    assert.match(host.notifications[0]!.message, /222222222222 can launch but not copy it/);
    assert.match(host.notifications[0]!.message, /333333333333 cannot launch it/);
  });

  test('recipients that can launch and copy: the summary, no notification', async () => {
    const host = withSummaries(suite.host);
    const imageId = suite.images.n03!.imageId;
    await checkNewRecipients(host, [{ image: { profile: 'dev', region: 'us-east-1', imageId }, add: [{ UserId: prod.accountId }] }]);
    assert.deepEqual(host.summaries, [`${imageId}: 1 of 1 recipient can launch`]);
    assert.deepEqual(host.notifications, []);
  });

  test('public access alone is not a recipient to check', async () => {
    const host = withSummaries(suite.host);
    await checkNewRecipients(host, [{ image: { profile: 'dev', region: 'us-east-1', imageId: suite.images.n01!.imageId }, add: [{ Group: 'all' }] }]);
    assert.deepEqual(host.summaries, []);
    assert.deepEqual(host.notifications, []);
  });
});
