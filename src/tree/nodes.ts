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

export const nodeIds = {
  profile: (profile: string) => `profile/${profile}`,
  region: (profile: string, region: string) => `profile/${profile}/region/${region}`,
  group: (profile: string, region: string, group: ImageGroup) => `profile/${profile}/region/${region}/${group}`,
  image: (profile: string, region: string, group: ImageGroup, imageId: string) => `profile/${profile}/region/${region}/${group}/${imageId}`,
};

export function imageKey(profile: string, region: string, imageId: string): string {
  return `${profile}\u0000${region}\u0000${imageId}`;
}
