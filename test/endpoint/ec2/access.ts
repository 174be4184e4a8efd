import type { CreateVolumePermission, LaunchPermission, OrganizationMembership } from '../fixture/fixture';
import type { ImageRecord, SnapshotRecord } from '../state';
import { organizationIdOf, organizationalUnitIdOf } from './validation';

/**
 * Who may see and launch an AMI, following EC2: the owner always may; others through an explicit
 * account grant, an organization or OU grant they are a member of, or because the AMI is public.
 */

export interface Principal {
  accountId: string;
  organization?: OrganizationMembership | undefined;
}

export function isPublicImage(image: ImageRecord): boolean {
  return image.launchPermissions.some((p) => p.Group === 'all');
}

function grantsToPrincipal(permission: LaunchPermission, principal: Principal): boolean {
  if (permission.UserId !== undefined) {
    return permission.UserId === principal.accountId;
  }
  const membership = principal.organization;
  if (!membership) {
    return false;
  }
  if (permission.OrganizationArn !== undefined) {
    return organizationIdOf(permission.OrganizationArn) === membership.organizationId;
  }
  if (permission.OrganizationalUnitArn !== undefined) {
    const ou = organizationalUnitIdOf(permission.OrganizationalUnitArn);
    return (
      organizationIdOf(permission.OrganizationalUnitArn) === membership.organizationId &&
      ou !== undefined &&
      membership.organizationalUnitIds.includes(ou)
    );
  }
  return false;
}

/** Shared with the principal through its account id, organization or OU (not merely public). */
export function isExplicitlySharedWith(image: ImageRecord, principal: Principal): boolean {
  return image.launchPermissions.some((p) => grantsToPrincipal(p, principal));
}

/** The AMIs DescribeImages can ever return to this principal. */
export function canSeeImage(image: ImageRecord, principal: Principal): boolean {
  return image.ownerId === principal.accountId || isPublicImage(image) || isExplicitlySharedWith(image, principal);
}

export function isPublicSnapshot(snapshot: SnapshotRecord): boolean {
  return snapshot.createVolumePermissions.some((p) => p.Group === 'all');
}

export function canRestoreSnapshot(snapshot: SnapshotRecord, accountId: string): boolean {
  return (
    snapshot.ownerId === accountId ||
    snapshot.createVolumePermissions.some((p: CreateVolumePermission) => p.UserId === accountId || p.Group === 'all')
  );
}
