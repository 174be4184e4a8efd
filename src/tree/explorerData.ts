import type { Priority } from '../core/rateLimiter';
import type { AwsTarget, ImageSummary, LaunchPermission, ProfileInfo } from '../core/types';
import type { ImageGroup } from './nodes';

/** What the tree needs from AWS and from settings; the extension backs it with the lazily loaded gateway. */
export interface ExplorerData {
  profiles(): Promise<ProfileInfo[]>;
  accountId(profile: string): Promise<string>;
  regions(profile: string): Promise<string[]>;
  listImages(target: AwsTarget, group: ImageGroup, onPage: (soFar: ImageSummary[], complete: boolean) => void): Promise<ImageSummary[]>;
  /** GetImageBlockPublicAccessState: `block-new-sharing` | `unblocked`. */
  blockPublicAccess(target: AwsTarget): Promise<string | undefined>;
  launchPermissions(target: AwsTarget, imageId: string, priority: Priority): Promise<LaunchPermission[]>;
  /** Whether every snapshot's createVolumePermission matches these launch permissions (recipients can copy). */
  snapshotPermissionsMatch(target: AwsTarget, snapshotIds: string[], launch: LaunchPermission[]): Promise<boolean>;
  /** A shared-with-me AMI: may this account copy it (its snapshots visible to it, their keys usable), with the reason. */
  receivedCopy(target: AwsTarget, snapshotIds: string[]): Promise<{ verdict: 'yes' | 'no' | 'unknown'; reason: string }>;
  /** Plain-words explanation of a failure, plus whether it is an expired SSO session. */
  explain(error: unknown, context: { operation: string; profile: string; region?: string }): { message: string; ssoLoginNeeded: boolean };
}
