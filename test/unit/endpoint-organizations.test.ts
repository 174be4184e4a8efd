import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { organizationsClientFor, stsClientFor, type StaticCredentials } from '../endpoint/clients';
import { DEFAULT_ACCOUNTS, DEFAULT_ORGANIZATION, DEFAULT_ORGANIZATION_TREE, DEFAULT_ROLES, defaultFixture } from '../endpoint/fixture/defaultFixture';
import type { Fixture } from '../endpoint/fixture/fixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { rejectsWith } from '../support/rejectsWith';

const { dev, prod, tools } = DEFAULT_ACCOUNTS;
const tree = DEFAULT_ORGANIZATION_TREE;

/** The default fixture with dev-user allowed to read the organization (dev is its management account). */
function fixtureWithManagementAccess(): Fixture {
  const fixture = defaultFixture();
  for (const org of fixture.organizations ?? []) delete org.callersWithoutPermission;
  return fixture;
}

describe('test endpoint: AWS Organizations', () => {
  let endpoint: TestEndpoint;
  let management: OrganizationsClient;
  before(async () => {
    endpoint = await startTestEndpoint({ fixture: fixtureWithManagementAccess() });
    management = organizationsClientFor(endpoint.url, 'dev');
  });
  after(async () => {
    management.destroy();
    await endpoint.close();
  });

  test('DescribeOrganization names the organization and its management account', async () => {
    const { Organization } = await management.send(new DescribeOrganizationCommand({}));
    assert.equal(Organization?.Id, DEFAULT_ORGANIZATION.id);
    assert.equal(Organization?.Arn, DEFAULT_ORGANIZATION.arn);
    assert.equal(Organization?.MasterAccountId, dev.accountId);
    assert.equal(Organization?.FeatureSet, 'ALL');
  });

  test('ListRoots returns the one root with its ARN', async () => {
    const { Roots, NextToken } = await management.send(new ListRootsCommand({}));
    assert.deepEqual(
      Roots?.map((r) => [r.Id, r.Arn, r.Name]),
      [[tree.rootId, `arn:aws:organizations::${dev.accountId}:root/${DEFAULT_ORGANIZATION.id}/${tree.rootId}`, 'Root']],
    );
    assert.equal(NextToken, undefined);
  });

  test('ListAccounts returns every member with its name, and pages with MaxResults and NextToken', async () => {
    const all = await management.send(new ListAccountsCommand({}));
    assert.equal(all.Accounts?.length, 6);
    assert.equal(all.Accounts?.find((a) => a.Id === prod.accountId)?.Name, 'production');
    assert.equal(all.Accounts?.find((a) => a.Id === prod.accountId)?.Arn, `arn:aws:organizations::${dev.accountId}:account/${DEFAULT_ORGANIZATION.id}/${prod.accountId}`);
    assert.ok(all.Accounts?.[0]?.JoinedTimestamp instanceof Date);
    assert.deepEqual(all.Accounts?.find((a) => a.Id === tree.sandboxAlice)?.Paths, [
      `${DEFAULT_ORGANIZATION.id}/${tree.rootId}/${tree.workloadsOuId}/${tree.sandboxesOuId}/${tree.sandboxAlice}/`,
    ]);
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await management.send(new ListAccountsCommand({ MaxResults: 4, ...(token ? { NextToken: token } : {}) }));
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ''));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(ids, all.Accounts?.map((a) => a.Id));
  });

  test('MaxResults is 1 to 20, and a NextToken of another call is refused (InvalidInputException with a Reason)', async () => {
    const tooMany = await rejectsWith(management.send(new ListAccountsCommand({ MaxResults: 21 })), 'InvalidInputException');
    assert.equal((tooMany as unknown as { Reason?: string }).Reason, 'MAX_VALUE_EXCEEDED');
    const tooFew = await rejectsWith(management.send(new ListAccountsCommand({ MaxResults: 0 })), 'InvalidInputException');
    assert.equal((tooFew as unknown as { Reason?: string }).Reason, 'MIN_VALUE_EXCEEDED');
    await management.send(new ListAccountsCommand({ MaxResults: 20 }));
    const first = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.rootId, MaxResults: 1 }));
    assert.ok(first.NextToken);
    const foreign = await rejectsWith(management.send(new ListAccountsCommand({ NextToken: first.NextToken })), 'InvalidInputException');
    assert.equal((foreign as unknown as { Reason?: string }).Reason, 'INVALID_NEXT_TOKEN');
    await rejectsWith(management.send(new ListAccountsCommand({ NextToken: 'not-a-token' })), 'InvalidInputException');
  });

  test('ListOrganizationalUnitsForParent lists the children of the root and of a nested OU', async () => {
    const top = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.rootId }));
    assert.deepEqual(top.OrganizationalUnits?.map((ou) => [ou.Id, ou.Name]), [
      [tree.workloadsOuId, 'Workloads'],
      [tree.securityOuId, 'Security'],
    ]);
    assert.equal(top.OrganizationalUnits?.[0]?.Arn, DEFAULT_ORGANIZATION.ouArn);
    const nested = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.workloadsOuId }));
    assert.deepEqual(nested.OrganizationalUnits?.map((ou) => ou.Name), ['Sandboxes']);
    const leaf = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.sandboxesOuId }));
    assert.deepEqual(leaf.OrganizationalUnits, []);
    const paged = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.rootId, MaxResults: 1 }));
    assert.equal(paged.OrganizationalUnits?.length, 1);
    const rest = await management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.rootId, NextToken: paged.NextToken }));
    assert.deepEqual(rest.OrganizationalUnits?.map((ou) => ou.Name), ['Security']);
    assert.equal(rest.NextToken, undefined);
  });

  test('an unknown parent is ParentNotFoundException; a malformed one InvalidInputException', async () => {
    await rejectsWith(management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-ab12-zzzzzzzz' })), 'ParentNotFoundException');
    await rejectsWith(management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-zz99' })), 'ParentNotFoundException');
    const malformed = await rejectsWith(management.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'folder-1' })), 'InvalidInputException');
    assert.equal((malformed as unknown as { Reason?: string }).Reason, 'INVALID_PATTERN');
  });
});

describe('test endpoint: who may read AWS Organizations', () => {
  let endpoint: TestEndpoint;
  let toolsCredentials: StaticCredentials;
  before(async () => {
    endpoint = await startTestEndpoint();
    const sts = stsClientFor(endpoint.url, 'dev');
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: DEFAULT_ROLES.admin, RoleSessionName: 'orgs-test' }));
    sts.destroy();
    toolsCredentials = { accessKeyId: Credentials?.AccessKeyId ?? '', secretAccessKey: Credentials?.SecretAccessKey ?? '', sessionToken: Credentials?.SessionToken ?? '' };
  });
  after(() => endpoint.close());

  test('a delegated administrator (tools) may list; a plain member (prod) gets AccessDeniedException but may describe', async () => {
    const toolsClient = organizationsClientFor(endpoint.url, toolsCredentials);
    const prodClient = organizationsClientFor(endpoint.url, 'prod');
    try {
      const { Accounts } = await toolsClient.send(new ListAccountsCommand({}));
      assert.ok(Accounts?.some((a) => a.Id === tools.accountId && a.Name === 'shared-tools'));
      await toolsClient.send(new ListRootsCommand({}));
      await rejectsWith(prodClient.send(new ListAccountsCommand({})), 'AccessDeniedException');
      await rejectsWith(prodClient.send(new ListRootsCommand({})), 'AccessDeniedException');
      await rejectsWith(prodClient.send(new ListOrganizationalUnitsForParentCommand({ ParentId: tree.rootId })), 'AccessDeniedException');
      const { Organization } = await prodClient.send(new DescribeOrganizationCommand({}));
      assert.equal(Organization?.MasterAccountId, dev.accountId);
    } finally {
      toolsClient.destroy();
      prodClient.destroy();
    }
  });

  test('a caller whose IAM policy allows no organizations: action is refused even in the management account', async () => {
    const devClient = organizationsClientFor(endpoint.url, 'dev');
    try {
      await rejectsWith(devClient.send(new DescribeOrganizationCommand({})), 'AccessDeniedException');
      await rejectsWith(devClient.send(new ListAccountsCommand({})), 'AccessDeniedException');
    } finally {
      devClient.destroy();
    }
  });

  test('an account in no organization gets AWSOrganizationsNotInUseException', async () => {
    const alone = await startTestEndpoint({ fixture: { ...defaultFixture(), organizations: [] } });
    const client = organizationsClientFor(alone.url, 'prod');
    try {
      await rejectsWith(client.send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException', /not a member of an organization/);
      await rejectsWith(client.send(new ListAccountsCommand({})), 'AWSOrganizationsNotInUseException');
    } finally {
      client.destroy();
      await alone.close();
    }
  });

  test('requests are logged as organizations, and faults apply to them', async () => {
    endpoint.reset();
    endpoint.faults.inject({ action: 'ListAccounts', kind: 'throttle' });
    const prodClient = organizationsClientFor(endpoint.url, 'prod');
    try {
      await rejectsWith(prodClient.send(new ListAccountsCommand({})), 'TooManyRequestsException');
      assert.equal(endpoint.requests.at(-1)?.service, 'organizations');
      assert.equal(endpoint.requests.at(-1)?.action, 'ListAccounts');
    } finally {
      prodClient.destroy();
    }
  });
});
