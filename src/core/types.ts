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
  /** The AMI's tags (key → value), when DescribeImages returned any. */
  tags?: Record<string, string>;
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
