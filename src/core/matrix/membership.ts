/**
 * Which accounts an organization or OU launch permission reaches, as far as an Organizations directory read
 * here tells: the matrix says "covered via …" only for entries listed here and "maybe" for any other.
 */
import type { OrganizationDirectory } from '../organizations';
import type { MatrixMembership } from './model';

/** The membership several directories give (each organization counted once, whichever profile read it). */
export function membershipOf(directories: ReadonlyArray<OrganizationDirectory | undefined>): MatrixMembership {
  const known = new Set<string>();
  const members = new Map<string, Set<string>>();
  const add = (accountId: string, arn: string) => {
    const set = members.get(accountId) ?? new Set<string>();
    set.add(arn);
    members.set(accountId, set);
  };
  for (const directory of directories) {
    if (!directory || known.has(directory.organizationArn)) continue;
    known.add(directory.organizationArn);
    for (const account of directory.accounts) add(account.id, directory.organizationArn);
    // Without every account's path, an account missing from an OU's list may still be in it: leave OUs unknown.
    if (directory.accounts.some((account) => account.unitPath === undefined)) continue;
    const unitArns = new Map(directory.units.map((unit) => [unit.id, unit.arn]));
    for (const unit of directory.units) known.add(unit.arn);
    for (const account of directory.accounts) {
      for (const unitId of account.unitPath ?? []) {
        const arn = unitArns.get(unitId);
        if (arn) add(account.id, arn);
      }
    }
  }
  return { known: [...known].sort(), members: Object.fromEntries([...members].map(([id, arns]) => [id, [...arns].sort()])) };
}
