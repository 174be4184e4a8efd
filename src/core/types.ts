/** Plain data shared by every layer. Nothing here talks to AWS or VS Code. */

export interface LaunchPermission {
  UserId?: string;
  Group?: 'all';
  OrganizationArn?: string;
  OrganizationalUnitArn?: string;
}

export type ImageState =
  | 'pending'
  | 'available'
  | 'invalid'
  | 'deregistered'
  | 'transient'
  | 'failed'
  | 'error'
  | 'disabled'
  | string;

export interface ImageSummary {
  imageId: string;
  name: string;
  description?: string;
  ownerId: string;
  state: ImageState;
  creationDate?: string;
  architecture?: string;
  rootDeviceType?: string;
  rootDeviceName?: string;
  isPublic: boolean;
  /** Snapshot ids of the EBS block devices, in device order. */
  snapshotIds: string[];
  /** True when any EBS block device is encrypted. */
  anyEncrypted: boolean;
  /** Tags as the caller sees them (the owner's tags are not shared with recipients). */
  tags?: Record<string, string>;
  /** ImageOwnerAlias (e.g. `amazon`): text from AWS, shown only as text. */
  ownerAlias?: string;
  /** DeprecationTime, ISO 8601. */
  deprecationTime?: string;
  /** As EC2 reports it: enabled, enabled-with-cooldown, disabled-until TIME, disabled. */
  deregistrationProtection?: string;
  /** LastLaunchedTime, ISO 8601 (owner only; EC2 reports a launch up to 24 hours late). */
  lastLaunchedTime?: string;
  /** Why a pending or failed AMI is so (text from AWS). */
  stateReason?: string;
}

export interface AwsTarget {
  profile: string;
  region: string;
}

export type CredentialKind =
  | 'static'
  | 'role'
  | 'sso'
  | 'process'
  | 'web-identity'
  | 'unknown';

/** What the extension knows about a profile; never holds secret values. */
export interface ProfileInfo {
  name: string;
  region?: string;
  credentialKind: CredentialKind;
  mfaSerial?: string;
  sourceProfile?: string;
  roleArn?: string;
  ssoStartUrl?: string;
  ssoSession?: string;
}
