/**
 * The data a test endpoint starts from: accounts, their credentials and organization membership,
 * roles that can be assumed, and the AMIs, snapshots and KMS keys each account owns per Region.
 */

export type LaunchPermission = {
  UserId?: string;
  Group?: 'all';
  OrganizationArn?: string;
  OrganizationalUnitArn?: string;
};

export type CreateVolumePermission = { UserId?: string; Group?: 'all' };

export type ImageState =
  | 'pending'
  | 'available'
  | 'invalid'
  | 'deregistered'
  | 'transient'
  | 'failed'
  | 'error'
  | 'disabled';

export type SnapshotState = 'pending' | 'completed' | 'error';

export type VolumeType = 'gp2' | 'gp3' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard';

/** One EBS volume of an AMI; whether it is encrypted comes from the referenced snapshot. */
export interface BlockDeviceFixture {
  deviceName: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: VolumeType;
  deleteOnTermination: boolean;
}

export interface ImageFixture {
  imageId: string;
  region: string;
  name: string;
  description?: string;
  state: ImageState;
  stateReason?: { code: string; message: string };
  /** ISO 8601 with milliseconds, as EC2 returns it. */
  creationDate: string;
  architecture: 'x86_64' | 'arm64';
  rootDeviceName: string;
  blockDeviceMappings: BlockDeviceFixture[];
  launchPermissions: LaunchPermission[];
  tags: Record<string, string>;
  /** Set on copies made with CopyImage. */
  sourceImageId?: string;
  sourceImageRegion?: string;
  /** EnableImageDeprecation's time (ISO 8601, whole minutes); deprecated once it has passed. */
  deprecationTime?: string;
  /** Deregistration protection (ec2Lifecycle.ts); absent = off. */
  deregistrationProtection?: DeregistrationProtectionFixture;
  /** DescribeImageAttribute lastLaunchedTime (owner only). */
  lastLaunchedTime?: string;
}

/**
 * `enabled` (with or without the 24-hour cooldown), or off but still protected until `disabledUntil`
 * because it had the cooldown when it was turned off.
 */
export type DeregistrationProtectionFixture =
  | { enabled: true; withCooldown: boolean }
  | { enabled: false; disabledUntil: string };

/** A resource in the owner's account that references an AMI (DescribeImageReferences). */
export interface ImageReferenceFixture {
  imageId: string;
  region: string;
  resourceType: 'ec2:Instance' | 'ec2:LaunchTemplate' | 'ssm:Parameter' | 'imagebuilder:ImageRecipe' | 'imagebuilder:ContainerRecipe';
  arn: string;
}

export interface SnapshotFixture {
  snapshotId: string;
  region: string;
  volumeId: string;
  volumeSize: number;
  state: SnapshotState;
  startTime: string;
  description: string;
  encrypted: boolean;
  kmsKeyId?: string;
  /** Why a snapshot (copy) is in state `error` (DescribeSnapshots `StateMessage`). */
  stateMessage?: string;
  /** Encrypted with the AWS managed key `aws/ebs`, which EC2 refuses to share. */
  awsManagedKey?: boolean;
  createVolumePermissions: CreateVolumePermission[];
  tags: Record<string, string>;
}

export type KeyManager = 'AWS' | 'CUSTOMER';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** A symmetric KMS key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) of one account in one Region. */
export interface KmsKeyFixture {
  /** The UUID; the ARN is `arn:aws:kms:REGION:ACCOUNT:key/KEYID`. */
  keyId: string;
  region: string;
  /** `AWS` for AWS managed keys such as `aws/ebs` (their policy cannot be changed). */
  keyManager: KeyManager;
  keyState: KeyState;
  description: string;
  /** Full alias names, e.g. `alias/golden-images`, `alias/aws/ebs`. */
  aliases: string[];
  /** The key policy named `default`, as the JSON text GetKeyPolicy returns. */
  policy: string;
  /** ISO 8601. */
  creationDate: string;
}

export interface AccessKeyFixture {
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM user the key belongs to; shows up in GetCallerIdentity's Arn. */
  userName: string;
}

export interface OrganizationMembership {
  /** `o-…` */
  organizationId: string;
  /** Every OU on the path from the root to the account (`ou-…`), so nested OU shares match too. */
  organizationalUnitIds: string[];
}

export interface AccountFixture {
  accountId: string;
  alias: string;
  /** Long-term keys; an account reachable only through AssumeRole has none. */
  accessKeys: AccessKeyFixture[];
  organization?: OrganizationMembership;
  /**
   * Block public access for AMIs in every Region at the start. Absent = on (`block-new-sharing`),
   * EC2's default for new accounts and for accounts that have had no public AMI since 2023-07-15;
   * `false` = `unblocked` (an account that had public AMIs). Enable/DisableImageBlockPublicAccess
   * change it per Region; reset restores this.
   */
  imageBlockPublicAccess?: boolean;
  /**
   * Allowed AMIs in every Region at the start. Absent = `disabled` (EC2's default: every public or
   * shared AMI is discoverable and usable). The control API (`POST allowed-images`) changes it per Region.
   */
  allowedImages?: AllowedImagesFixture;
  images: ImageFixture[];
  snapshots: SnapshotFixture[];
  /** KMS keys the account owns; AWS managed `aws/ebs` keys missing here are created on first use. */
  kmsKeys?: KmsKeyFixture[];
  /** Resources of this account that reference AMIs (its own or shared with it). */
  imageReferences?: ImageReferenceFixture[];
}

export type AllowedImagesState = 'disabled' | 'enabled' | 'audit-mode';

/** An account's Allowed AMIs settings in one Region (GetAllowedImagesSettings). */
export interface AllowedImagesFixture {
  state: AllowedImagesState;
  /**
   * ImageProviders of the one image criterion: account ids, `amazon`, `aws-marketplace`,
   * `aws-backup-vault` or `none`. Only account ids match fixture AMIs (no AMI here is published by AWS).
   */
  imageProviders: string[];
}

export interface RoleFixture {
  roleArn: string;
  /** Accounts whose principals the trust policy lets assume the role. */
  trustedAccountIds: string[];
  /** When true, AssumeRole needs SerialNumber + TokenCode (the code is MFA_TOKEN_CODE). */
  mfaRequired?: boolean;
  /** The role's maximum session duration (IAM `MaxSessionDuration`, 3600 to 43200 s); IAM's default is 3600. */
  maxSessionDurationSeconds?: number;
}

export interface Fixture {
  /** Regions with resources; DescribeRegions adds a few empty ones. */
  regions: string[];
  accounts: AccountFixture[];
  roles: RoleFixture[];
  /** Access keys that exist but are no longer valid (every call fails with an auth error). */
  expiredAccessKeyIds: string[];
  /** AWS Organizations as its API reports it; absent = no account is in an organization there. */
  organizations?: OrganizationFixture[];
}

/** The only MFA code AssumeRole accepts for roles with `mfaRequired`. */
export const MFA_TOKEN_CODE = '123456';

export { defaultFixture, DEFAULT_ACCOUNTS, DEFAULT_ROLES, EXPIRED_ACCESS_KEY_ID } from './defaultFixture';
export { generatedFixture, type GeneratedFixtureOptions } from './generatedFixture';

/** An organizational unit of an AWS Organizations organization. */
export interface OrganizationalUnitFixture {
  /** `ou-<root id without r->-<8 to 32 characters>` */
  id: string;
  name: string;
  /** The root (`r-…`) or OU (`ou-…`) it is in. */
  parentId: string;
}

/** A member account as Organizations lists it (it need not be an account of this fixture). */
export interface OrganizationAccountFixture {
  id: string;
  name: string;
  email: string;
  /** The root or OU the account is directly in. */
  parentId: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
}

/**
 * One organization as AWS Organizations reports it (DescribeOrganization, ListRoots, ListAccounts,
 * ListOrganizationalUnitsForParent). Only the management account and delegated administrators may read it.
 */
export interface OrganizationFixture {
  /** `o-…`; the ARN is `arn:aws:organizations::MANAGEMENT:organization/ID`. */
  id: string;
  managementAccountId: string;
  managementAccountEmail: string;
  /** `r-…` */
  rootId: string;
  /** Member accounts registered as delegated administrators (they may call the read operations too). */
  delegatedAdministratorIds: string[];
  /**
   * Callers (IAM ARNs) whose IAM policies allow no `organizations:` action: AccessDeniedException even in the
   * management account. An assumed role is matched by its role ARN.
   */
  callersWithoutPermission?: string[];
  organizationalUnits: OrganizationalUnitFixture[];
  accounts: OrganizationAccountFixture[];
}
