import type { AccountFixture, Fixture, ImageFixture, KmsKeyFixture, OrganizationFixture, RoleFixture, SnapshotFixture } from './fixture';
import { buildAmi, buildAwsManagedEbsKey, buildCustomerKey, kmsKeyArnFor, type AmiSpec } from './fixtureBuilders';
import { defaultCustomerKeyPolicy, recipientAccountStatements } from './kmsPolicy';

/**
 * The default fixture: three accounts in one organization (dev, prod, tools) with AMIs in
 * us-east-1 and eu-west-1 covering every sharing state the extension has to display, and the
 * KMS keys their snapshots are encrypted with (plus one unused customer managed key).
 * These keys are fake and only mean something to the test endpoint.
 */

export const DEFAULT_ORGANIZATION = {
  id: 'o-abc123def4',
  arn: 'arn:aws:organizations::111111111111:organization/o-abc123def4',
  ouId: 'ou-ab12-cdef3456',
  ouArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456',
} as const;

/**
 * AWS Organizations' view of the same organization: dev is the management account, tools a delegated
 * administrator (its Admin role may read the organization), prod a plain member. dev-user's IAM policy allows
 * no `organizations:` action, so dev (like prod) falls back to typed account IDs.
 */
export const DEFAULT_ORGANIZATION_TREE = {
  rootId: 'r-ab12',
  workloadsOuId: DEFAULT_ORGANIZATION.ouId,
  sandboxesOuId: 'ou-ab12-sbx00001',
  securityOuId: 'ou-ab12-sec00001',
  /** Member accounts that are not accounts of this fixture (no profile, no AMIs). */
  sandboxAlice: '555555555555',
  sandboxBob: '666666666666',
  securityAudit: '777777777777',
} as const;

export const DEFAULT_ACCOUNTS = {
  dev: {
    accountId: '111111111111',
    accessKeyId: 'AKIADEV0000000000001',
    secretAccessKey: 'devsecret',
    userName: 'dev-user',
    region: 'us-east-1',
  },
  prod: {
    accountId: '222222222222',
    accessKeyId: 'AKIAPROD000000000002',
    secretAccessKey: 'prodsecret',
    userName: 'prod-user',
    region: 'eu-west-1',
  },
  tools: { accountId: '333333333333', region: 'us-east-1' },
  /** Not in the fixture: an outside partner AMIs get shared with. */
  external: { accountId: '444444444444' },
} as const;

export const DEFAULT_ROLES = {
  admin: 'arn:aws:iam::333333333333:role/Admin',
  adminWithMfa: 'arn:aws:iam::333333333333:role/AdminWithMfa',
  /** MFA device of dev-user, for the role that requires MFA. */
  devMfaSerial: 'arn:aws:iam::111111111111:mfa/dev-user',
} as const;

export const EXPIRED_ACCESS_KEY_ID = 'AKIAEXPIRED000000003';

const { dev, prod, tools, external } = DEFAULT_ACCOUNTS;

const DEV_CMK_US = kmsKeyArnFor(dev.accountId, 'us-east-1', 'golden-images');
const DEV_AWS_EBS_US = kmsKeyArnFor(dev.accountId, 'us-east-1', 'aws/ebs');
const DEV_CMK_EU = kmsKeyArnFor(dev.accountId, 'eu-west-1', 'golden-images');
const PROD_CMK_US = kmsKeyArnFor(prod.accountId, 'us-east-1', 'prod-images');

/** The KMS keys of the default fixture, by ARN (snapshots refer to the first four). */
export const DEFAULT_KMS_KEYS = {
  /** dev, us-east-1, `alias/golden-images`: policy allows dev and prod (222222222222), not 444444444444. */
  devGoldenUs: DEV_CMK_US,
  /** dev, us-east-1, `alias/aws/ebs` (AWS managed). */
  devAwsEbsUs: DEV_AWS_EBS_US,
  /** dev, eu-west-1, `alias/golden-images`: default policy (dev only). */
  devGoldenEu: DEV_CMK_EU,
  /** prod, us-east-1, `alias/prod-images`: default policy (prod only). */
  prodImagesUs: PROD_CMK_US,
  /** dev, us-east-1, `alias/sharing-ready`: default policy, no snapshots yet. */
  devSharingReadyUs: kmsKeyArnFor(dev.accountId, 'us-east-1', 'sharing-ready'),
} as const;

const DEV_KEYS: KmsKeyFixture[] = [
  buildCustomerKey(dev.accountId, {
    region: 'us-east-1',
    name: 'golden-images',
    description: 'Golden AMI snapshots (usable by prod)',
    creationDate: '2026-06-01T09:00:00.000Z',
    // Set up for the AMIs shared with prod; the partner 444444444444 was never added.
    policy: defaultCustomerKeyPolicy(dev.accountId, recipientAccountStatements([prod.accountId])),
  }),
  buildAwsManagedEbsKey(dev.accountId, 'us-east-1', '2026-05-20T10:00:00.000Z'),
  buildCustomerKey(dev.accountId, {
    region: 'us-east-1',
    name: 'sharing-ready',
    description: 'Customer managed key for AMIs that will be shared',
    creationDate: '2026-10-20T12:00:00.000Z',
  }),
  buildCustomerKey(dev.accountId, {
    region: 'eu-west-1',
    name: 'golden-images',
    description: 'Golden AMI snapshots in eu-west-1',
    creationDate: '2026-06-01T09:30:00.000Z',
  }),
];

const PROD_KEYS: KmsKeyFixture[] = [
  buildCustomerKey(prod.accountId, {
    region: 'us-east-1',
    name: 'prod-images',
    description: 'Production base images',
    creationDate: '2026-04-01T08:00:00.000Z',
  }),
];

const DEV_IMAGES: AmiSpec[] = [
  {
    name: 'golden-al2023-2026-11-01',
    region: 'us-east-1',
    creationDate: '2026-11-01T08:12:45.000Z',
    description: 'Golden Amazon Linux 2023 image (private)',
    tags: { Name: 'golden-al2023-2026-11-01', Team: 'platform' },
    disks: [{ sizeGiB: 8 }],
  },
  {
    name: 'golden-al2023-2026-11-02',
    region: 'us-east-1',
    creationDate: '2026-11-02T14:03:10.000Z',
    description: 'Golden Amazon Linux 2023 image (public)',
    launchPermissions: [{ Group: 'all' }],
    disks: [{ sizeGiB: 8 }],
  },
  {
    name: 'golden-al2023-2026-11-03',
    region: 'us-east-1',
    creationDate: '2026-11-03T21:40:00.000Z',
    description: 'Golden Amazon Linux 2023 image (shared with prod and a partner)',
    launchPermissions: [{ UserId: prod.accountId }, { UserId: external.accountId }],
    tags: { Name: 'golden-al2023-2026-11-03', Team: 'platform', Shared: 'true' },
    disks: [
      // Only prod may copy it: the partner can launch but not copy (a common trip-up).
      { sizeGiB: 8, encryption: { kmsKeyId: DEV_CMK_US }, createVolumePermissions: [{ UserId: prod.accountId }] },
      { sizeGiB: 50, volumeType: 'gp2', encryption: { kmsKeyId: DEV_CMK_US }, createVolumePermissions: [{ UserId: prod.accountId }] },
    ],
  },
  {
    name: 'golden-al2023-2026-11-04',
    region: 'us-east-1',
    creationDate: '2026-11-04T03:05:59.000Z',
    description: 'Golden Amazon Linux 2023 image (shared with the organization and an OU)',
    launchPermissions: [
      { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' },
      { OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456' },
    ],
    disks: [{ sizeGiB: 16, encryption: { kmsKeyId: DEV_CMK_US } }],
  },
  {
    name: 'golden-al2023-2026-11-05',
    region: 'us-east-1',
    creationDate: '2026-11-05T11:30:12.000Z',
    description: 'Golden Amazon Linux 2023 image (encrypted with aws/ebs, cannot be shared)',
    architecture: 'arm64',
    disks: [{ sizeGiB: 8, encryption: { kmsKeyId: DEV_AWS_EBS_US, awsManagedKey: true } }],
  },
  {
    name: 'golden-al2023-2026-11-06',
    region: 'us-east-1',
    creationDate: '2026-11-06T17:45:00.000Z',
    description: 'Golden Amazon Linux 2023 image (still being created)',
    state: 'pending',
    disks: [{ sizeGiB: 8 }],
  },
  {
    name: 'golden-al2023-2026-11-07',
    region: 'us-east-1',
    creationDate: '2026-11-07T06:20:33.000Z',
    description: 'Golden Amazon Linux 2023 image (creation failed)',
    state: 'failed',
    stateReason: { code: 'Client.InternalError', message: 'Client.InternalError: Client error on launch' },
    disks: [{ sizeGiB: 8 }],
  },
  {
    name: 'golden-al2023-eu-2026-11-01',
    region: 'eu-west-1',
    creationDate: '2026-11-01T09:00:00.000Z',
    description: 'Copy of golden-al2023-2026-11-01 for eu-west-1',
    disks: [{ sizeGiB: 8, encryption: { kmsKeyId: DEV_CMK_EU } }],
  },
  {
    name: 'golden-al2023-eu-2026-11-02',
    region: 'eu-west-1',
    creationDate: '2026-11-02T15:10:00.000Z',
    description: 'Copy of golden-al2023-2026-11-02 for eu-west-1 (shared with prod)',
    launchPermissions: [{ UserId: prod.accountId }],
    disks: [{ sizeGiB: 8 }],
  },
  {
    name: 'golden-al2023-eu-2026-11-03',
    region: 'eu-west-1',
    creationDate: '2026-11-03T22:00:00.000Z',
    description: 'Copy of golden-al2023-2026-11-03 for eu-west-1',
    disks: [{ sizeGiB: 8 }, { sizeGiB: 20 }],
  },
];

const PROD_IMAGES: AmiSpec[] = [
  {
    name: 'prod-base-al2023-2026-10-01',
    region: 'us-east-1',
    creationDate: '2026-10-01T12:00:00.000Z',
    description: 'Production base image (shared with dev)',
    launchPermissions: [{ UserId: dev.accountId }],
    disks: [{ sizeGiB: 10, encryption: { kmsKeyId: PROD_CMK_US } }],
  },
  {
    name: 'prod-base-al2023-2026-10-15',
    region: 'us-east-1',
    creationDate: '2026-10-15T12:00:00.000Z',
    description: 'Production base image (private)',
    disks: [{ sizeGiB: 10 }],
  },
];

const TOOLS_IMAGES: AmiSpec[] = [
  {
    name: 'tools-ci-runner-2026-11-12',
    region: 'us-east-1',
    creationDate: '2026-11-12T10:00:00.000Z',
    description: 'CI runner image of the tools account (private)',
    disks: [{ sizeGiB: 30 }],
  },
];

function resources(ownerId: string, specs: AmiSpec[]): { images: ImageFixture[]; snapshots: SnapshotFixture[] } {
  const built = specs.map((spec) => buildAmi(ownerId, spec));
  return { images: built.map((b) => b.image), snapshots: built.flatMap((b) => b.snapshots) };
}

export function defaultFixture(): Fixture {
  const accounts: AccountFixture[] = [
    {
      accountId: dev.accountId,
      alias: 'dev',
      accessKeys: [{ accessKeyId: dev.accessKeyId, secretAccessKey: dev.secretAccessKey, userName: dev.userName }],
      // The management account of the organization, directly under the root.
      organization: { organizationId: DEFAULT_ORGANIZATION.id, organizationalUnitIds: [] },
      // dev has a public AMI, so block public access is off for it; every other account has EC2's default (on).
      imageBlockPublicAccess: false,
      ...resources(dev.accountId, DEV_IMAGES),
      kmsKeys: structuredClone(DEV_KEYS),
    },
    {
      accountId: prod.accountId,
      alias: 'prod',
      accessKeys: [{ accessKeyId: prod.accessKeyId, secretAccessKey: prod.secretAccessKey, userName: prod.userName }],
      organization: { organizationId: DEFAULT_ORGANIZATION.id, organizationalUnitIds: [DEFAULT_ORGANIZATION.ouId] },
      ...resources(prod.accountId, PROD_IMAGES),
      kmsKeys: structuredClone(PROD_KEYS),
    },
    {
      accountId: tools.accountId,
      alias: 'tools',
      accessKeys: [],
      organization: { organizationId: DEFAULT_ORGANIZATION.id, organizationalUnitIds: [] },
      ...resources(tools.accountId, TOOLS_IMAGES),
    },
  ];
  const roles: RoleFixture[] = [
    { roleArn: DEFAULT_ROLES.admin, trustedAccountIds: [dev.accountId] },
    // IAM's default maximum session (1 hour) for Admin; AdminWithMfa allows 12 hours.
    { roleArn: DEFAULT_ROLES.adminWithMfa, trustedAccountIds: [dev.accountId], mfaRequired: true, maxSessionDurationSeconds: 43_200 },
  ];
  return {
    regions: ['us-east-1', 'eu-west-1'],
    accounts,
    roles,
    expiredAccessKeyIds: [EXPIRED_ACCESS_KEY_ID],
    organizations: [defaultOrganization()],
  };
}

function defaultOrganization(): OrganizationFixture {
  const tree = DEFAULT_ORGANIZATION_TREE;
  const member = (id: string, name: string, parentId: string) => ({ id, name, email: `aws+${name}@example.com`, parentId });
  return {
    id: DEFAULT_ORGANIZATION.id,
    managementAccountId: dev.accountId,
    managementAccountEmail: 'aws+management@example.com',
    rootId: tree.rootId,
    delegatedAdministratorIds: [tools.accountId],
    callersWithoutPermission: [`arn:aws:iam::${dev.accountId}:user/${dev.userName}`],
    organizationalUnits: [
      { id: tree.workloadsOuId, name: 'Workloads', parentId: tree.rootId },
      { id: tree.sandboxesOuId, name: 'Sandboxes', parentId: tree.workloadsOuId },
      { id: tree.securityOuId, name: 'Security', parentId: tree.rootId },
    ],
    accounts: [
      member(dev.accountId, 'management', tree.rootId),
      member(prod.accountId, 'production', tree.workloadsOuId),
      member(tools.accountId, 'shared-tools', tree.rootId),
      member(tree.sandboxAlice, 'sandbox-alice', tree.sandboxesOuId),
      member(tree.sandboxBob, 'sandbox-bob', tree.sandboxesOuId),
      member(tree.securityAudit, 'security-audit', tree.securityOuId),
    ],
  };
}
