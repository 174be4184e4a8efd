import type { ImageSummary, LaunchPermission, ProfileInfo } from '../core/types';

/** The tree's one node model: plain data with a `kind`; `toTreeItem` turns it into a TreeItem in one place. */

export interface ProfileNode {
  kind: 'profile';
  id: string;
  profile: ProfileInfo;
}

export interface RegionNode {
  kind: 'region';
  id: string;
  profile: string;
  region: string;
}

export type ImageGroup = 'owned' | 'sharedWithMe';

export interface ImageGroupNode {
  kind: 'imageGroup';
  id: string;
  profile: string;
  region: string;
  group: ImageGroup;
}

export interface ImageNode {
  kind: 'image';
  id: string;
  profile: string;
  region: string;
  image: ImageSummary;
  owned: boolean;
}

export interface PermissionNode {
  kind: 'permission';
  id: string;
  profile: string;
  region: string;
  imageId: string;
  permission: LaunchPermission;
}

export interface NodeAction {
  command: string;
  title: string;
  /** Plain, serialisable arguments. */
  args: unknown[];
}

export interface MessageNode {
  kind: 'message';
  id: string;
  severity: 'info' | 'warning' | 'error' | 'loading';
  text: string;
  detail?: string;
  /** The node to refresh when the user retries. */
  retryNodeId?: string;
  action?: NodeAction;
}

export type ExplorerNode = ProfileNode | RegionNode | ImageGroupNode | ImageNode | PermissionNode | MessageNode;

/**
 * The one key scheme: a node's id is the path of its ancestors' segments joined by `/`, each segment
 * URI-encoded so that a profile name containing `/` cannot reach into another profile's subtree. The
 * model's cache and the status store are keyed by these ids, so "everything under this node" is one prefix.
 */
const segment = (value: string) => encodeURIComponent(value);

export const nodeIds = {
  root: 'root',
  profile: (profile: string) => `profile/${segment(profile)}`,
  region: (profile: string, region: string) => `${nodeIds.profile(profile)}/region/${segment(region)}`,
  group: (profile: string, region: string, group: ImageGroup) => `${nodeIds.region(profile, region)}/${group}`,
  image: (profile: string, region: string, group: ImageGroup, imageId: string) => `${nodeIds.group(profile, region, group)}/${segment(imageId)}`,
  /** A child under `parentId`: a launch permission, or one of the message items (`error`, `empty`, `loading`). */
  child: (parentId: string, name: string) => `${parentId}/${segment(name)}`,
};

/** Whether `id` is `ancestorId` or lies in its subtree. */
export function isUnder(id: string, ancestorId: string): boolean {
  return id === ancestorId || id.startsWith(`${ancestorId}/`);
}
