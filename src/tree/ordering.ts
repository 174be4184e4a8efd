import { newestFirst } from '../core/imageOrder';
import type { ImageNode, PermissionNode, ProfileNode } from './nodes';

/** How each child list of the tree is ordered; `ExplorerModel.childrenOf` applies these and nothing else sorts. */
export const order = {
  /** `default` first, then by name. */
  profiles(a: ProfileNode, b: ProfileNode): number {
    const [x, y] = [a.profile.name, b.profile.name];
    return Number(y === 'default') - Number(x === 'default') || x.localeCompare(y);
  },
  /** Newest first; AMIs without a creation date last; ties by ID (the same order as the listing's). */
  images(a: ImageNode, b: ImageNode): number {
    return newestFirst(a.image, b.image);
  },
  /** Public first, then organizations, OUs, accounts; each by value. */
  permissions(a: PermissionNode, b: PermissionNode): number {
    return permissionRank(a) - permissionRank(b) || permissionValue(a).localeCompare(permissionValue(b));
  },
};

function permissionRank({ permission }: PermissionNode): number {
  if (permission.Group) return 0;
  if (permission.OrganizationArn) return 1;
  if (permission.OrganizationalUnitArn) return 2;
  return 3;
}

function permissionValue({ permission }: PermissionNode): string {
  return permission.Group ?? permission.OrganizationArn ?? permission.OrganizationalUnitArn ?? permission.UserId ?? '';
}
