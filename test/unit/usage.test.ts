import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlannedStep } from '../../src/core/changes';
import { USAGE_READ_LIMIT, usageDetail } from '../../src/actions/readUsage';
import { isRetiredImage } from '../../src/core/retiredImages';
import { describeCounts, lastLaunchedTooltip, timeAgo, usageFailure, usageLines, usageSubjects, type ImageUsage } from '../../src/core/usage';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const IMAGE = { profile: 'dev', region: 'us-east-1', imageId: 'ami-0123456789abcdef0' };
const address = { profile: 'dev', region: 'us-east-1', imageId: IMAGE.imageId };

describe('usage subjects: the AMIs a plan takes access from or retires', () => {
  test('removed launch permissions name their accounts; organization, OU and public entries are wide', () => {
    const steps: PlannedStep[] = [
      { address: { kind: 'launchPermissions', ...address }, before: [], diff: { add: [{ UserId: '333333333333' }], remove: [{ UserId: '222222222222' }, { OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc/ou-1' }] } },
      { address: { kind: 'snapshotPermissions', ...address, snapshotId: 'snap-1' }, before: [], diff: { add: [], remove: [{ UserId: '444444444444' }] } },
    ];
    assert.deepEqual(usageSubjects(steps), [{ image: IMAGE, accounts: ['222222222222'], wide: true, readPermissions: false }]);
  });

  test('adding only, cancelling a deprecation and enabling are not subjects; deprecating, disabling and deregistering are', () => {
    const setting = (name: 'deprecation' | 'state', before: string | null, after: string | null, remove = [] as PlannedStep['before']): PlannedStep => ({
      address: { kind: 'imageSetting', ...address, setting: name },
      before: remove,
      diff: { add: [], remove },
      setting: { name, before, after },
    });
    assert.deepEqual(usageSubjects([{ address: { kind: 'launchPermissions', ...address }, before: [], diff: { add: [{ UserId: '222222222222' }], remove: [] } }]), []);
    assert.deepEqual(usageSubjects([setting('deprecation', '2026-12-01T00:00:00.000Z', null)]), []);
    assert.deepEqual(usageSubjects([setting('state', 'disabled', 'available')]), []);
    assert.deepEqual(usageSubjects([setting('deprecation', null, '2027-01-01T00:00:00.000Z')]), [{ image: IMAGE, accounts: [], wide: false, readPermissions: true }]);
    assert.deepEqual(usageSubjects([setting('state', 'available', 'disabled', [{ UserId: '222222222222' }, { Group: 'all' }])]), [{ image: IMAGE, accounts: ['222222222222'], wide: true, readPermissions: false }]);
    assert.equal(usageSubjects([setting('state', 'available', 'deregistered')]).length, 1);
  });
});

describe('usage lines', () => {
  test('counts per type in a fixed order, singular and plural', () => {
    assert.equal(describeCounts({ 'ssm:Parameter': 2, 'ec2:Instance': 3, 'ec2:LaunchTemplate': 1, 'imagebuilder:ImageRecipe': 0 }), '3 instances, 1 launch template, 2 SSM parameters');
    assert.equal(describeCounts({}), '');
  });

  test('times ago: minutes, hours, days', () => {
    assert.equal(timeAgo('2026-12-02T11:59:40.000Z', NOW), 'just now');
    assert.equal(timeAgo('2026-12-02T11:15:00.000Z', NOW), '45 minutes ago');
    assert.equal(timeAgo('2026-12-01T07:00:00.000Z', NOW), '29 hours ago');
    assert.equal(timeAgo('2026-11-30T10:00:00.000Z', NOW), '2 days ago');
  });

  test('errors are classified: not allowed, not supported, a server error, anything else', () => {
    assert.equal(usageFailure('UnauthorizedOperation', 'x').kind, 'notAllowed');
    assert.equal(usageFailure('AccessDenied', 'x').kind, 'notAllowed');
    assert.equal(usageFailure('InvalidAction', 'x').kind, 'notSupported');
    assert.equal(usageFailure('Unknown', 'AWS returned a server error (HTTP 500) in dev / us-east-1.').kind, 'serverError');
    assert.equal(usageFailure('Unknown', 'x', 502).kind, 'serverError');
    assert.equal(usageFailure('InvalidAMIID.NotFound', 'gone').kind, 'failed');
  });

  test('owner and recipient references, last launched with its delay, failures and accounts without a profile are all said', () => {
    const usage: ImageUsage = {
      image: IMAGE,
      lastLaunched: '2026-11-30T10:00:00.000Z',
      accounts: [
        { accountId: '111111111111', profile: 'dev', owner: true, references: { 'ssm:Parameter': 1 } },
        { accountId: '222222222222', profile: 'prod', owner: false, references: { 'ec2:Instance': 3 } },
        { accountId: '333333333333', profile: 'tools', owner: false, references: {} },
        { accountId: '555555555555', profile: 'audit', owner: false, references: usageFailure('UnauthorizedOperation', 'no') },
        { accountId: '444444444444', owner: false },
      ],
    };
    assert.deepEqual(usageLines([usage], { '222222222222': 'Production' }, NOW), [
      `Who still uses ${IMAGE.imageId} (us-east-1): last launched 2 days ago (2026-11-30 10:00 UTC; EC2 reports launches with a delay of up to 24 h)`,
      '  In use by 1 SSM parameter in 111111111111 (dev, owner)',
      '  In use by 3 instances in 222222222222 (Production, prod)',
      '  No references in 333333333333 (tools)',
      '  Could not check references in 555555555555 (audit): not allowed (UnauthorizedOperation)',
      '  References not checked in 444444444444: no profile here for these accounts',
    ]);
  });

  test('a last launched time that could not be read, or none recorded, is never a silent "unused"', () => {
    const base = { image: IMAGE, accounts: [] };
    assert.match(usageLines([{ ...base, lastLaunched: usageFailure('InvalidAction', 'x') }], {}, NOW)[0]!, /could not read the last launched time: not supported by this server \(InvalidAction\)/);
    assert.match(usageLines([{ ...base, lastLaunched: null }], {}, NOW)[0]!, /no launch recorded by EC2 \(launches are reported with a delay of up to 24 h\)/);
  });
});

describe('last launched in the tree', () => {
  test('owner tooltips say when, and that EC2 updates it with a delay', () => {
    assert.equal(lastLaunchedTooltip('2026-11-30T10:00:00.000Z', NOW), '2 days ago (2026-11-30 10:00 UTC; EC2 updates this with a delay of up to 24 h)');
    assert.equal(lastLaunchedTooltip(undefined, NOW), 'none recorded (EC2 updates this with a delay of up to 24 h)');
  });

  test('retired AMIs: disabled, or deprecated by now', () => {
    assert.equal(isRetiredImage({ state: 'disabled' }, NOW), true);
    assert.equal(isRetiredImage({ state: 'available', deprecationTime: '2026-12-01T00:00:00.000Z' }, NOW), true);
    assert.equal(isRetiredImage({ state: 'available', deprecationTime: '2027-01-01T00:00:00.000Z' }, NOW), false);
    assert.equal(isRetiredImage({ state: 'available' }, NOW), false);
  });
});

describe('usage in the confirmation (src/actions/readUsage.ts)', () => {
  const step = (imageId: string): PlannedStep => ({ address: { kind: 'launchPermissions', profile: 'dev', region: 'us-east-1', imageId }, before: [], diff: { add: [], remove: [{ UserId: '222222222222' }] } });

  test('AMIs past the read limit are named as not checked; a read that failed as a whole says so', () => {
    const usage: ImageUsage = { image: IMAGE, lastLaunched: null, accounts: [] };
    const lines = usageDetail({ usages: [usage], unread: ['ami-1', 'ami-2'] }, [step(IMAGE.imageId)], {}, NOW);
    assert.equal(lines.length, 2);
    assert.equal(lines[1], `Who still uses the other 2 AMIs was not checked (only the first ${USAGE_READ_LIMIT} of a change are).`);
    assert.deepEqual(usageDetail({ failed: 'no profiles', imageIds: ['ami-1'] }, [], {}, NOW), ['Who still uses ami-1 could not be checked: no profiles']);
    assert.deepEqual(usageDetail(undefined, [step(IMAGE.imageId)], {}, NOW), []);
  });

  test('AMIs taken out of the change (a blocker) are not described', () => {
    const usage: ImageUsage = { image: IMAGE, lastLaunched: null, accounts: [] };
    assert.deepEqual(usageDetail({ usages: [usage], unread: [] }, [step('ami-0ffffffffffffffff')], {}, NOW), []);
  });
});

test('recipients that could not be read are said, not left out', () => {
  const lines = usageLines([{ image: IMAGE, lastLaunched: null, accounts: [], recipientsUnknown: usageFailure('UnauthorizedOperation', 'no') }], {}, NOW);
  assert.equal(lines[1], '  Could not read the launch permissions to find the recipients: not allowed (UnauthorizedOperation)');
});
