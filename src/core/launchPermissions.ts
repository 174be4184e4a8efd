import type { LaunchPermission } from './types';

/** Pure helpers over launch permissions: identity, normalisation, set arithmetic. */

export function permissionKey(permission: LaunchPermission): string {
  if (permission.UserId) return `user:${permission.UserId}`;
  if (permission.Group) return `group:${permission.Group}`;
  if (permission.OrganizationArn) return `org:${permission.OrganizationArn}`;
  if (permission.OrganizationalUnitArn) return `ou:${permission.OrganizationalUnitArn}`;
  return 'unknown';
}

export function toLaunchPermissions(raw: ReadonlyArray<{ UserId?: string | undefined; Group?: string | undefined; OrganizationArn?: string | undefined; OrganizationalUnitArn?: string | undefined }>): LaunchPermission[] {
  const result: LaunchPermission[] = [];
  for (const item of raw) {
    if (item.UserId) result.push({ UserId: item.UserId });
    else if (item.Group === 'all') result.push({ Group: 'all' });
    else if (item.OrganizationArn) result.push({ OrganizationArn: item.OrganizationArn });
    else if (item.OrganizationalUnitArn) result.push({ OrganizationalUnitArn: item.OrganizationalUnitArn });
  }
  return sortPermissions(result);
}

const KIND_ORDER = ['group', 'org', 'ou', 'user'];

export function sortPermissions(permissions: LaunchPermission[]): LaunchPermission[] {
  return [...permissions].sort((a, b) => {
    const [kindA, valueA] = splitKey(permissionKey(a));
    const [kindB, valueB] = splitKey(permissionKey(b));
    return KIND_ORDER.indexOf(kindA) - KIND_ORDER.indexOf(kindB) || valueA.localeCompare(valueB);
  });
}

function splitKey(key: string): [string, string] {
  const index = key.indexOf(':');
  return [key.slice(0, index), key.slice(index + 1)];
}

export function isPublic(permissions: readonly LaunchPermission[]): boolean {
  return permissions.some((p) => p.Group === 'all');
}

/** Explicit shares: accounts, organizations and OUs (public access is not counted). */
export function shareCount(permissions: readonly LaunchPermission[]): number {
  return permissions.filter((p) => !p.Group).length;
}

export function samePermissions(a: readonly LaunchPermission[], b: readonly LaunchPermission[]): boolean {
  const keysA = new Set(a.map(permissionKey));
  const keysB = new Set(b.map(permissionKey));
  return keysA.size === keysB.size && [...keysA].every((key) => keysB.has(key));
}
