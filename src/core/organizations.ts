/**
 * An AWS Organizations organization as AMI Sharing uses it: member accounts with their names, and the OU
 * tree under the root, so the account input can offer names and OUs and every list of IDs can show names.
 * Plain data; src/aws/organizations.ts reads it, the commands turn it into pick items.
 */

import * as l10n from '@vscode/l10n';
import type { BucketClass, BucketShape } from './rateLimiter';

export interface OrganizationAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE… as Organizations reports it. */
  status: string;
  /** The OUs from the root down to the account's parent, from ListAccounts' `Paths`; undefined when not reported. */
  unitPath?: string[];
}

export interface OrganizationUnit {
  id: string;
  arn: string;
  name: string;
  /** The root (`r-…`) or OU (`ou-…`) it is in. */
  parentId: string;
}

export interface OrganizationDirectory {
  organizationId: string;
  organizationArn: string;
  managementAccountId: string;
  rootId: string;
  accounts: OrganizationAccount[];
  units: OrganizationUnit[];
}

/**
 * Organizations allows about one request a second per account for its List operations (and throttles
 * with TooManyRequestsException); two at once and then one a second stays below it.
 */
export const ORGANIZATIONS_BUCKET: BucketShape = { burst: 2, refillPerSecond: 1 };

/** The same shape for every operation, in the form RateLimiter takes. */
export const ORGANIZATIONS_BUCKETS: Record<BucketClass, BucketShape> = {
  nonMutating: ORGANIZATIONS_BUCKET,
  mutating: ORGANIZATIONS_BUCKET,
  modifyImageAttribute: ORGANIZATIONS_BUCKET,
  modifySnapshotAttribute: ORGANIZATIONS_BUCKET,
  copyImage: ORGANIZATIONS_BUCKET,
};

/** Organizations has one endpoint per partition, in this Region. */
export function organizationsRegion(profileRegion: string): string {
  if (profileRegion.startsWith('cn-')) return 'cn-northwest-1';
  if (profileRegion.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * The OUs of an entity path `o-…/r-…/ou-…/…/ACCOUNT/` (IAM User Guide), or undefined when the path is not of
 * this organization and account.
 */
export function unitPathOf(entityPath: string, organizationId: string, rootId: string, accountId: string): string[] | undefined {
  const parts = entityPath.split('/').filter((part) => part.length > 0);
  if (parts[0] !== organizationId || parts[1] !== rootId || parts.at(-1) !== accountId) return undefined;
  const units = parts.slice(2, -1);
  return units.every((unit) => unit.startsWith('ou-')) ? units : undefined;
}

/** One line of the OU tree: the root (the whole organization) at depth 0, then each OU under its parent. */
export interface UnitTreeEntry {
  kind: 'organization' | 'organizationalUnit';
  /** The root ID or the OU ID. */
  id: string;
  /** The organization ARN for the root, the OU ARN otherwise: what a launch permission names. */
  arn: string;
  name: string;
  depth: number;
}

/** Depth first, children by name; OUs whose parent is unknown (a partial read) are left out rather than misplaced. */
export function unitTree(directory: OrganizationDirectory): UnitTreeEntry[] {
  const byParent = new Map<string, OrganizationUnit[]>();
  for (const unit of directory.units) {
    const siblings = byParent.get(unit.parentId) ?? [];
    siblings.push(unit);
    byParent.set(unit.parentId, siblings);
  }
  const entries: UnitTreeEntry[] = [{ kind: 'organization', id: directory.rootId, arn: directory.organizationArn, name: 'Root', depth: 0 }];
  const visited = new Set<string>();
  const visit = (parentId: string, depth: number): void => {
    const children = [...(byParent.get(parentId) ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    for (const unit of children) {
      if (visited.has(unit.id)) continue;
      visited.add(unit.id);
      entries.push({ kind: 'organizationalUnit', id: unit.id, arn: unit.arn, name: unit.name, depth });
      visit(unit.id, depth + 1);
    }
  };
  visit(directory.rootId, 1);
  return entries;
}

/**
 * The member accounts a share with this root or OU reaches (nested OUs included), by name; undefined when
 * Organizations did not report the accounts' paths, so nobody is claimed to be covered or left out.
 */
export function accountsCoveredBy(directory: OrganizationDirectory, unitId: string): OrganizationAccount[] | undefined {
  if (unitId === directory.rootId) return sortedByName(directory.accounts);
  if (directory.accounts.some((account) => account.unitPath === undefined)) return undefined;
  return sortedByName(directory.accounts.filter((account) => account.unitPath?.includes(unitId)));
}

function sortedByName(accounts: readonly OrganizationAccount[]): OrganizationAccount[] {
  return [...accounts].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Member accounts by name, then ID, for a searchable list. */
export function accountsByName(directory: OrganizationDirectory): OrganizationAccount[] {
  return sortedByName(directory.accounts);
}

/** `name (ID)` for each, at most `limit`, and how many were left out. */
export function describeAccounts(accounts: readonly OrganizationAccount[], limit = 8): { shown: string[]; more: number } {
  return { shown: accounts.slice(0, limit).map((account) => `${account.name} (${account.id})`), more: Math.max(0, accounts.length - limit) };
}

/**
 * One name per account ID, OU ARN and organization ARN from every organization read so far, with
 * `amiSharing.accountNames` winning where both name an account (account IDs and ARNs are unique across AWS,
 * so organizations cannot disagree). An organization has no name of its own: it is named by its management account.
 */
export function mergeAccountNames(directories: readonly OrganizationDirectory[], configured: Readonly<Record<string, string>>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const directory of directories) {
    for (const account of directory.accounts) {
      if (account.name) names[account.id] = account.name;
    }
    for (const unit of directory.units) {
      if (unit.name) names[unit.arn] = unit.name;
    }
    const management = names[directory.managementAccountId] ?? directory.managementAccountId;
    names[directory.organizationArn] = l10n.t('organization of {0}', configured[directory.managementAccountId] ?? management);
  }
  return { ...names, ...configured };
}

/** The OU an OU ARN names in this organization, for naming OU permission entries. */
export function unitOfArn(directory: OrganizationDirectory, arn: string): OrganizationUnit | undefined {
  return directory.units.find((unit) => unit.arn === arn);
}
