import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configuredEndpoint, endpointForClient } from '../../src/core/endpoints';
import {
  accountsByName,
  accountsCoveredBy,
  describeAccounts,
  mergeAccountNames,
  organizationsRegion,
  unitPathOf,
  unitTree,
  type OrganizationDirectory,
} from '../../src/core/organizations';
import { organizationPickItems } from '../../src/commands/organizationTargets';
import { describePermission, recipientName } from '../../src/core/permissionPlan';
import { presentPermission } from '../../src/tree/presentation';

const ORG = 'o-abc123def4';
const ROOT = 'r-ab12';
const ouArn = (id: string) => `arn:aws:organizations::111111111111:ou/${ORG}/${id}`;

function directory(overrides: Partial<OrganizationDirectory> = {}): OrganizationDirectory {
  return {
    organizationId: ORG,
    organizationArn: `arn:aws:organizations::111111111111:organization/${ORG}`,
    managementAccountId: '111111111111',
    rootId: ROOT,
    units: [
      { id: 'ou-ab12-security', arn: ouArn('ou-ab12-security'), name: 'Security', parentId: ROOT },
      { id: 'ou-ab12-sandbox1', arn: ouArn('ou-ab12-sandbox1'), name: 'Sandboxes', parentId: 'ou-ab12-workload' },
      { id: 'ou-ab12-workload', arn: ouArn('ou-ab12-workload'), name: 'Workloads', parentId: ROOT },
      { id: 'ou-ab12-orphaned', arn: ouArn('ou-ab12-orphaned'), name: 'Lost', parentId: 'ou-ab12-notread1' },
    ],
    accounts: [
      { id: '111111111111', name: 'management', status: 'ACTIVE', unitPath: [] },
      { id: '222222222222', name: 'production', status: 'ACTIVE', unitPath: ['ou-ab12-workload'] },
      { id: '555555555555', name: 'sandbox-alice', status: 'ACTIVE', unitPath: ['ou-ab12-workload', 'ou-ab12-sandbox1'] },
      { id: '777777777777', name: 'audit', status: 'SUSPENDED', unitPath: ['ou-ab12-security'] },
    ],
    ...overrides,
  };
}

test('unitTree: the root (the whole organization) first, then OUs depth first by name; OUs under an unread parent are left out', () => {
  assert.deepEqual(
    unitTree(directory()).map((entry) => [entry.kind, entry.name, entry.depth, entry.arn]),
    [
      ['organization', 'Root', 0, `arn:aws:organizations::111111111111:organization/${ORG}`],
      ['organizationalUnit', 'Security', 1, ouArn('ou-ab12-security')],
      ['organizationalUnit', 'Workloads', 1, ouArn('ou-ab12-workload')],
      ['organizationalUnit', 'Sandboxes', 2, ouArn('ou-ab12-sandbox1')],
    ],
  );
});

test('accountsCoveredBy: an OU covers the accounts in it and in the OUs under it; the root covers everyone', () => {
  const d = directory();
  assert.deepEqual(accountsCoveredBy(d, 'ou-ab12-workload')?.map((a) => a.name), ['production', 'sandbox-alice']);
  assert.deepEqual(accountsCoveredBy(d, 'ou-ab12-sandbox1')?.map((a) => a.name), ['sandbox-alice']);
  assert.deepEqual(accountsCoveredBy(d, ROOT)?.map((a) => a.id), ['777777777777', '111111111111', '222222222222', '555555555555']);
  assert.deepEqual(accountsCoveredBy(d, 'ou-ab12-orphaned'), []);
});

test('accountsCoveredBy: unknown when Organizations did not report the accounts’ paths (never a guess)', () => {
  const d = directory({ accounts: [{ id: '222222222222', name: 'production', status: 'ACTIVE' }] });
  assert.equal(accountsCoveredBy(d, 'ou-ab12-workload'), undefined);
  assert.equal(accountsCoveredBy(d, ROOT)?.length, 1);
});

test('unitPathOf reads the OUs of an entity path of this organization and account only', () => {
  assert.deepEqual(unitPathOf(`${ORG}/${ROOT}/ou-ab12-workload/ou-ab12-sandbox1/555555555555/`, ORG, ROOT, '555555555555'), ['ou-ab12-workload', 'ou-ab12-sandbox1']);
  assert.deepEqual(unitPathOf(`${ORG}/${ROOT}/111111111111/`, ORG, ROOT, '111111111111'), []);
  assert.equal(unitPathOf(`o-other00000/${ROOT}/111111111111/`, ORG, ROOT, '111111111111'), undefined);
  assert.equal(unitPathOf(`${ORG}/${ROOT}/222222222222/`, ORG, ROOT, '111111111111'), undefined);
  assert.equal(unitPathOf(`${ORG}/${ROOT}/weird/111111111111/`, ORG, ROOT, '111111111111'), undefined);
});

test('accountsByName and describeAccounts: sorted by name, at most the limit shown with how many more', () => {
  const sorted = accountsByName(directory());
  assert.deepEqual(sorted.map((a) => a.name), ['audit', 'management', 'production', 'sandbox-alice']);
  assert.deepEqual(describeAccounts(sorted, 2), { shown: ['audit (777777777777)', 'management (111111111111)'], more: 2 });
  assert.deepEqual(describeAccounts(sorted.slice(0, 1)), { shown: ['audit (777777777777)'], more: 0 });
});

test('mergeAccountNames: names from every organization read, amiSharing.accountNames wins where both name an account', () => {
  const other = directory({ organizationId: 'o-other00000', accounts: [{ id: '888888888888', name: 'partner-org', status: 'ACTIVE' }, { id: '999999999999', name: '', status: 'ACTIVE' }] });
  const merged = mergeAccountNames([directory(), other], { '222222222222': 'prod', '444444444444': 'external' });
  assert.deepEqual(Object.fromEntries(Object.entries(merged).filter(([key]) => /^\d{12}$/.test(key))), {
    '111111111111': 'management',
    '222222222222': 'prod',
    '555555555555': 'sandbox-alice',
    '777777777777': 'audit',
    '888888888888': 'partner-org',
    '444444444444': 'external',
  });
  assert.deepEqual(mergeAccountNames([], {}), {});
});

test('mergeAccountNames names OUs and organizations by ARN too; describePermission and the tree show them beside the ARN', () => {
  const organizationArn = directory().organizationArn;
  const names = mergeAccountNames([directory()], { '111111111111': 'payer' });
  assert.equal(names[ouArn('ou-ab12-sandbox1')], 'Sandboxes');
  assert.equal(names[organizationArn], 'organization of payer', 'named by its management account, the setting winning');
  assert.equal(mergeAccountNames([directory()], {})[organizationArn], 'organization of management');
  assert.equal(mergeAccountNames([directory()], { [ouArn('ou-ab12-sandbox1')]: 'Sandkisten' })[ouArn('ou-ab12-sandbox1')], 'Sandkisten');
  assert.equal(recipientName({ OrganizationalUnitArn: ouArn('ou-ab12-sandbox1') }, names), 'Sandboxes');
  assert.equal(recipientName({ UserId: '111111111111' }, names), 'payer');
  assert.equal(recipientName({ Group: 'all' }, names), undefined);
  assert.equal(recipientName({ UserId: 'constructor' }, {}), undefined);
  assert.equal(describePermission({ OrganizationalUnitArn: ouArn('ou-ab12-sandbox1') }, names), `${ouArn('ou-ab12-sandbox1')} (Sandboxes)`);
  assert.equal(describePermission({ OrganizationArn: organizationArn }, names), `${organizationArn} (organization of payer)`);
  assert.equal(describePermission({ OrganizationalUnitArn: ouArn('ou-ab12-unnamed') }, names), ouArn('ou-ab12-unnamed'));
  const node = presentPermission({ OrganizationalUnitArn: ouArn('ou-ab12-sandbox1') }, names);
  assert.deepEqual([node.label, node.description], ['Sandboxes', `organizational unit · ${ouArn('ou-ab12-sandbox1')}`]);
  const bare = presentPermission({ OrganizationArn: 'arn:aws:organizations::999999999999:organization/o-zzzzzzzzzz' }, names);
  assert.deepEqual([bare.label, bare.description], ['arn:aws:organizations::999999999999:organization/o-zzzzzzzzzz', 'organization']);
});

test('Organizations is global: one Region per partition, and its endpoint resolves like the others', () => {
  assert.equal(organizationsRegion('eu-west-1'), 'us-east-1');
  assert.equal(organizationsRegion('cn-north-1'), 'cn-northwest-1');
  assert.equal(organizationsRegion('us-gov-east-1'), 'us-gov-west-1');
  const config = { p: { services: 'local', endpoint_url: 'http://global:1' }, 'services.local': { 'organizations.endpoint_url': 'http://orgs:2' }, q: {} };
  assert.equal(configuredEndpoint('organizations', 'p', config, {}), 'http://orgs:2');
  assert.equal(configuredEndpoint('ec2', 'p', config, {}), 'http://global:1');
  assert.equal(configuredEndpoint('organizations', 'q', config, { AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://env-orgs' }), 'http://env-orgs');
  assert.equal(endpointForClient('organizations', 'q', 'us-east-1', config, { AWS_PROFILE: 'p' }), 'https://organizations.us-east-1.amazonaws.com');
});

test('organization pick items: typed input first, the OU tree indented with what each covers, then accounts by name (own left out)', () => {
  const items = organizationPickItems(directory(), ['111111111111'], { '222222222222': 'prod (from settings)' });
  assert.deepEqual(items[0]?.value, { kind: 'typed' });
  const units = items.slice(1, 5);
  assert.deepEqual(units.map((item) => item.value), [
    { kind: 'target', entry: `arn:aws:organizations::111111111111:organization/${ORG}` },
    { kind: 'target', entry: ouArn('ou-ab12-security') },
    { kind: 'target', entry: ouArn('ou-ab12-workload') },
    { kind: 'target', entry: ouArn('ou-ab12-sandbox1') },
  ]);
  assert.match(units[3]!.label, /^(\u2003\u2003){2}\$\(type-hierarchy\) Sandboxes$/);
  assert.match(units[1]!.label, /^\u2003\u2003\$\(type-hierarchy\) Security$/);
  assert.equal(units[2]!.detail, 'Covers 2: prod (from settings) (222222222222), sandbox-alice (555555555555)');
  const accounts = items.slice(5);
  assert.deepEqual(accounts.map((item) => [item.label, item.description]), [
    ['$(person) audit', '777777777777 · suspended'],
    ['$(person) prod (from settings)', '222222222222'],
    ['$(person) sandbox-alice', '555555555555'],
  ]);
});
