import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { LazyGateway } from '../../src/awsLoader';
import { AwsGateway } from '../../src/aws/gateway';
import { readOrganization } from '../../src/aws/organizations';
import { type AwsLogger, silentLogger } from '../../src/core/logger';
import { membershipOf } from '../../src/core/matrix/membership';
import { buildMatrix, cellOf } from '../../src/core/matrix/model';
import { accountsCoveredBy, ORGANIZATIONS_BUCKETS } from '../../src/core/organizations';
import { RateLimiter, type Priority } from '../../src/core/rateLimiter';
import { OrganizationStore } from '../../src/organizationStore';
import { DEFAULT_ACCOUNTS, DEFAULT_ORGANIZATION, DEFAULT_ORGANIZATION_TREE, defaultFixture } from '../endpoint/fixture/defaultFixture';
import type { Fixture } from '../endpoint/fixture/fixture';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

/** The AWS layer's Organizations reader against the test endpoint: paging, pacing, and the fallback when it cannot read. */

const { tools } = DEFAULT_ACCOUNTS;
const tree = DEFAULT_ORGANIZATION_TREE;
/** More member accounts than three pages of ListAccounts (20 each) hold, in a new OU under Sandboxes. */
const EXTRA_ACCOUNTS = 45;
const BULK_OU = 'ou-ab12-bulk0001';

function fixtureWithManyAccounts(): Fixture {
  const fixture = defaultFixture();
  const org = fixture.organizations![0]!;
  org.organizationalUnits.push({ id: BULK_OU, name: 'Bulk', parentId: tree.sandboxesOuId });
  for (let i = 0; i < EXTRA_ACCOUNTS; i++) {
    const id = String(900000000000 + i);
    org.accounts.push({ id, name: `bulk-${String(i).padStart(2, '0')}`, email: `bulk${i}@example.com`, parentId: BULK_OU });
  }
  return fixture;
}

/** Counts every token taken, so the test sees that each Organizations request (first attempts and retries) was paced. */
class CountingLimiter extends RateLimiter {
  acquired = 0;
  override acquire(scope: string, region: string, operation: string, priority: Priority, signal?: AbortSignal): Promise<void> {
    this.acquired++;
    return super.acquire(scope, region, operation, priority, signal);
  }
}

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ fixture: fixtureWithManyAccounts() });
});
after(() => sandbox.close());
beforeEach(() => sandbox.endpoint.reset());

const organizationRequests = () => sandbox.endpoint.requests.filter((r) => r.service === 'organizations');

function gatewayWith(limiters: { ec2: CountingLimiter; organizations: CountingLimiter }): AwsGateway {
  return new AwsGateway({
    logger: silentLogger,
    mfaCodeProvider: async () => {
      throw new Error('unexpected MFA prompt');
    },
    limiter: limiters.ec2,
    organizationsLimiter: limiters.organizations,
  });
}

describe('readOrganization', () => {
  test('a delegated administrator reads every page of accounts and the whole OU tree, each request paced by the Organizations bucket', async () => {
    const limiters = { ec2: new CountingLimiter(), organizations: new CountingLimiter({ shapes: ORGANIZATIONS_BUCKETS }) };
    const directory = await readOrganization(gatewayWith(limiters), 'tools');
    assert.equal(directory.organizationId, DEFAULT_ORGANIZATION.id);
    assert.equal(directory.organizationArn, DEFAULT_ORGANIZATION.arn);
    assert.equal(directory.rootId, tree.rootId);
    assert.equal(directory.accounts.length, 6 + EXTRA_ACCOUNTS);
    assert.equal(directory.accounts.find((a) => a.id === tools.accountId)?.name, 'shared-tools');
    assert.deepEqual(directory.units.map((u) => u.name).sort(), ['Bulk', 'Sandboxes', 'Security', 'Workloads']);
    assert.equal(directory.units.find((u) => u.id === BULK_OU)?.parentId, tree.sandboxesOuId);
    // Paths make nested coverage known: Workloads covers production, both sandboxes and every bulk account.
    assert.equal(accountsCoveredBy(directory, tree.workloadsOuId)?.length, 3 + EXTRA_ACCOUNTS);

    const requests = organizationRequests();
    assert.deepEqual(
      requests.filter((r) => r.action === 'ListAccounts').length,
      Math.ceil((6 + EXTRA_ACCOUNTS) / 20),
      'ListAccounts pages of 20',
    );
    // One ListOrganizationalUnitsForParent per parent: the root and each of the four OUs.
    assert.equal(requests.filter((r) => r.action === 'ListOrganizationalUnitsForParent').length, 5);
    assert.ok(requests.every((r) => r.region === 'us-east-1'), 'Organizations is called in us-east-1');
    assert.equal(limiters.organizations.acquired, requests.length, 'every Organizations request took a token of its own bucket');
    assert.equal(limiters.ec2.acquired, 0, 'none went through the EC2 buckets');
  });

  test('a throttled request (TooManyRequestsException) is retried and puts the bucket on its refill rate', async () => {
    sandbox.endpoint.faults.inject({ action: 'ListRoots', kind: 'throttle' });
    const limiters = { ec2: new CountingLimiter(), organizations: new CountingLimiter({ shapes: ORGANIZATIONS_BUCKETS }) };
    const directory = await readOrganization(gatewayWith(limiters), 'tools');
    assert.equal(directory.rootId, tree.rootId);
    assert.equal(organizationRequests().filter((r) => r.action === 'ListRoots').length, 2);
    assert.equal(limiters.organizations.acquired, organizationRequests().length, 'the retry took a token too');
    assert.equal(limiters.organizations.stateOf('tools', 'us-east-1', 'ListRoots').pacedAtRefillRate, true);
  });

  test('a member account that is no administrator fails with AccessDeniedException', async () => {
    const gateway = sandbox.gateway();
    await assert.rejects(readOrganization(gateway, 'prod'), (error: Error & { code?: string }) => error.code === 'AccessDeniedException');
  });
});

describe('OrganizationStore', () => {
  function store(): { store: OrganizationStore; lines: string[]; reads: number[]; lazy: LazyGateway } {
    const lines: string[] = [];
    const logger: AwsLogger = { ...silentLogger, info: (message) => lines.push(message) };
    const lazy = new LazyGateway({ logger: silentLogger, askMfaCode: async () => '' });
    const reads: number[] = [];
    return { store: new OrganizationStore(lazy, logger, () => reads.push(1)), lines, reads, lazy };
  }

  test('without permission it falls back silently: undefined, logged once, not asked again this session', async () => {
    const { store: organizations, lines } = store();
    assert.equal(await organizations.directory('prod'), undefined);
    assert.equal(await organizations.directory('dev'), undefined);
    const asked = organizationRequests().length;
    assert.equal(await organizations.directory('prod'), undefined);
    assert.equal(organizationRequests().length, asked, 'the fallback is remembered');
    assert.equal(lines.filter((line) => line.includes('prod')).length, 1);
    assert.match(lines.find((line) => line.includes('prod')) ?? '', /AccessDeniedException/);
    assert.match(lines.find((line) => line.includes('dev')) ?? '', /AccessDeniedException/);
  });

  test('a server without Organizations (HTML 500) falls back after at most 3 attempts', async () => {
    sandbox.endpoint.faults.inject({ action: 'DescribeOrganization', kind: 'http500-html', times: Number.POSITIVE_INFINITY });
    const { store: organizations, lines } = store();
    assert.equal(await organizations.directory('tools'), undefined);
    assert.equal(organizationRequests().filter((r) => r.action === 'DescribeOrganization').length, 3);
    assert.equal(lines.filter((line) => line.includes('cannot be read')).length, 1);
  });

  test('an account in no organization (AWSOrganizationsNotInUseException) falls back too', async () => {
    const alone = await startSandbox({ fixture: { ...defaultFixture(), organizations: [] } });
    try {
      const { store: organizations, lines } = store();
      assert.equal(await organizations.directory('tools'), undefined);
      assert.match(lines.join('\n'), /AWSOrganizationsNotInUseException/);
    } finally {
      // Closing restores the environment, so the other tests' config files are used again.
      await alone.close();
    }
  });

  test('is read once per profile and session; names merge under amiSharing.accountNames; invalidating the gateway reads again', async () => {
    const { store: organizations, reads, lazy } = store();
    const [first, second] = await Promise.all([organizations.directory('tools'), organizations.directory('tools')]);
    assert.ok(first);
    assert.equal(first, second);
    assert.equal(reads.length, 1, 'views are told once');
    const describes = organizationRequests().filter((r) => r.action === 'DescribeOrganization').length;
    assert.equal(describes, 1);
    assert.deepEqual(
      [organizations.accountNames({ '222222222222': 'prod' })['222222222222'], organizations.accountNames({})['222222222222'], organizations.accountNames({})[tree.sandboxAlice]],
      ['prod', 'production', 'sandbox-alice'],
    );
    await lazy.invalidate('tools');
    assert.deepEqual(organizations.accountNames({}), {}, 'refresh drops the names until read again');
    assert.ok(await organizations.directory('tools'));
    assert.equal(organizationRequests().filter((r) => r.action === 'DescribeOrganization').length, 2);
  });

  test('the sharing matrix gets membership from the profile that can read the organization (tools), not from dev or prod', async () => {
    const { store: organizations } = store();
    // What SharingMatrixPanel.membership does: every profile here, whichever can read answers for all AMIs.
    const membership = membershipOf(await Promise.all(['dev', 'prod', 'tools'].map((profile) => organizations.directory(profile))));
    const sandboxes = `arn:aws:organizations::${DEFAULT_ACCOUNTS.dev.accountId}:ou/${DEFAULT_ORGANIZATION.id}/${tree.sandboxesOuId}`;
    assert.ok(membership.known.includes(DEFAULT_ORGANIZATION.arn) && membership.known.includes(sandboxes) && membership.known.includes(DEFAULT_ORGANIZATION.ouArn));
    assert.deepEqual(membership.members[tree.sandboxAlice], [DEFAULT_ORGANIZATION.arn, DEFAULT_ORGANIZATION.ouArn, sandboxes].sort());
    assert.deepEqual(membership.members[DEFAULT_ACCOUNTS.prod.accountId], [DEFAULT_ORGANIZATION.arn, DEFAULT_ORGANIZATION.ouArn].sort());

    const image = { profile: 'dev', region: 'us-east-1', imageId: 'ami-1', name: 'golden', state: 'available', launch: [{ OrganizationalUnitArn: sandboxes }] };
    const matrix = buildMatrix({ images: [image], recipients: [{ UserId: tree.sandboxAlice }, { UserId: DEFAULT_ACCOUNTS.prod.accountId }], accountNames: {}, membership });
    const cell = (accountId: string) => cellOf(matrix, image, matrix.columns.find((c) => c.key === `user:${accountId}`)!).covered;
    assert.deepEqual(cell(tree.sandboxAlice), { through: 'organization', by: sandboxes });
    assert.equal(cell(DEFAULT_ACCOUNTS.prod.accountId), undefined, 'production is in Workloads, not under Sandboxes');

    const unread = buildMatrix({ images: [image], recipients: [{ UserId: tree.sandboxAlice }], accountNames: {}, membership: membershipOf([await organizations.directory('dev')]) });
    assert.equal(cellOf(unread, image, unread.columns.find((c) => c.key === `user:${tree.sandboxAlice}`)!).covered, 'maybe', 'dev alone cannot read it: maybe');
  });
});
