import * as l10n from '@vscode/l10n';
import { uniqueBy } from './collections';
import { permissionKey } from './launchPermissions';
import type { LaunchPermission } from './types';

/** The diff-based change model: adds and removes, never "set to this list", so concurrent edits survive. */
export interface PermissionChange {
  add: LaunchPermission[];
  remove: LaunchPermission[];
}

export const MAX_ENTITIES_PER_IMAGE = 1000;

export function targetsToPermissions(targets: { accountIds?: readonly string[]; organizationArns?: readonly string[]; organizationalUnitArns?: readonly string[] }): LaunchPermission[] {
  return [
    ...(targets.accountIds ?? []).map((UserId) => ({ UserId })),
    ...(targets.organizationArns ?? []).map((OrganizationArn) => ({ OrganizationArn })),
    ...(targets.organizationalUnitArns ?? []).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
}

/** What the change really does to `current`: adds of present entries and removes of absent ones drop out. */
export function effectiveChange(current: readonly LaunchPermission[], requested: PermissionChange): PermissionChange {
  const present = new Set(current.map(permissionKey));
  const removing = new Set(requested.remove.map(permissionKey));
  return {
    add: dedupe(requested.add).filter((p) => !present.has(permissionKey(p)) && !removing.has(permissionKey(p))),
    remove: dedupe(requested.remove).filter((p) => present.has(permissionKey(p))),
  };
}

export function resetChange(current: readonly LaunchPermission[]): PermissionChange {
  return { add: [], remove: [...current] };
}

export function makePrivateChange(current: readonly LaunchPermission[]): PermissionChange {
  return { add: [], remove: current.filter((p) => p.Group === 'all') };
}

export function inverseOf(change: PermissionChange): PermissionChange {
  return { add: [...change.remove], remove: [...change.add] };
}

export function applyChange(current: readonly LaunchPermission[], change: PermissionChange): LaunchPermission[] {
  const removing = new Set(change.remove.map(permissionKey));
  const kept = current.filter((p) => !removing.has(permissionKey(p)));
  const keys = new Set(kept.map(permissionKey));
  return [...kept, ...change.add.filter((p) => !keys.has(permissionKey(p)))];
}

export function isEmptyChange(change: PermissionChange): boolean {
  return change.add.length === 0 && change.remove.length === 0;
}

/** Entities (accounts, orgs, OUs; public access excluded) after the change, for the 1,000-per-AMI quota. */
export function entityCountAfter(current: readonly LaunchPermission[], change: PermissionChange): number {
  return applyChange(current, change).filter((p) => !p.Group).length;
}

export function dedupe(permissions: readonly LaunchPermission[]): LaunchPermission[] {
  return uniqueBy(permissions, permissionKey);
}

function countBy(permissions: readonly LaunchPermission[]): { accounts: number; organizations: number; units: number; public: boolean } {
  return {
    accounts: permissions.filter((p) => p.UserId).length,
    organizations: permissions.filter((p) => p.OrganizationArn).length,
    units: permissions.filter((p) => p.OrganizationalUnitArn).length,
    public: permissions.some((p) => p.Group === 'all'),
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "+2 accounts, −1 organization, −public access"; "no changes" when empty. */
export function summarizeChange(change: PermissionChange): string {
  const parts: string[] = [];
  for (const [sign, list] of [['+', change.add], ['−', change.remove]] as const) {
    const counts = countBy(list);
    if (counts.accounts) parts.push(`${sign}${plural(counts.accounts, 'account')}`);
    if (counts.organizations) parts.push(`${sign}${plural(counts.organizations, 'organization')}`);
    if (counts.units) parts.push(`${sign}${plural(counts.units, 'OU')}`);
    if (counts.public) parts.push(sign === '+' ? l10n.t('+public access') : l10n.t('−public access'));
  }
  return parts.length ? parts.join(', ') : l10n.t('no changes');
}

/**
 * The friendly name of an account, OU or organization entry: amiSharing.accountNames merged with the names
 * AWS Organizations gave (by account ID, OU ARN, organization ARN); undefined for public access and unnamed entries.
 */
export function recipientName(permission: LaunchPermission, names: Readonly<Record<string, string>>): string | undefined {
  const value = permission.UserId ?? permission.OrganizationArn ?? permission.OrganizationalUnitArn;
  // Own properties only: an ID like "constructor" must not find Object.prototype's.
  return value !== undefined && Object.hasOwn(names, value) ? names[value] : undefined;
}

export function describePermission(permission: LaunchPermission, accountNames: Readonly<Record<string, string>> = {}): string {
  if (permission.Group === 'all') return l10n.t('public access (all AWS accounts)');
  const value = permission.UserId ?? permission.OrganizationArn ?? permission.OrganizationalUnitArn ?? 'unknown';
  const name = recipientName(permission, accountNames);
  return name ? `${value} (${name})` : value;
}
