import * as l10n from '@vscode/l10n';
import { accountsByName, accountsCoveredBy, describeAccounts, unitTree, type OrganizationDirectory } from '../core/organizations';
import type { PickItem } from '../ui/prompts';
import type { Services } from '../services';

/** A pick of the organization picker: a target to share with, or "type them instead". */
export type OrganizationPick = { kind: 'target'; entry: string } | { kind: 'typed' };

/** What was picked: entries (account IDs, organization and OU ARNs), and whether the user wants to type more. */
export interface OrganizationTargets {
  entries: string[];
  typed: boolean;
}

/** Em spaces: QuickPick labels keep them, so the OU tree reads as a tree. */
const INDENT = '\u2003\u2003';

/**
 * The pick items for a profile that can read its organization: a way back to typed input, the OU tree from
 * the root (sharing the root is sharing with the organization; each line's detail names the accounts it
 * covers), then every member account by name with its ID (the search matches both). The owner's own
 * accounts are left out: they always keep access.
 */
export function organizationPickItems(directory: OrganizationDirectory, ownAccountIds: readonly string[], accountNames: Readonly<Record<string, string>>): PickItem<OrganizationPick>[] {
  const typed: PickItem<OrganizationPick> = {
    label: `$(edit) ${l10n.t('Type account IDs or ARNs…')}`,
    detail: l10n.t('Accounts outside the organization, or entries pasted from elsewhere'),
    value: { kind: 'typed' },
  };
  const units = unitTree(directory).map((entry): PickItem<OrganizationPick> => {
    const covered = accountsCoveredBy(directory, entry.id)?.map((account) => ({ ...account, name: accountNames[account.id] ?? account.name }));
    const listed = covered ? describeAccounts(covered) : undefined;
    const detail = !covered
      ? l10n.t('Covers the accounts in this OU and the OUs under it (Organizations did not say which)')
      : covered.length === 0
        ? l10n.t('Covers no account yet')
        : listed!.more > 0
          ? l10n.t('Covers {0}: {1} and {2} more', covered.length, listed!.shown.join(', '), listed!.more)
          : l10n.t('Covers {0}: {1}', covered.length, listed!.shown.join(', '));
    return entry.kind === 'organization'
      ? { label: `$(organization) ${l10n.t('Whole organization {0}', directory.organizationId)}`, description: entry.arn, detail, value: { kind: 'target', entry: entry.arn } }
      : { label: `${INDENT.repeat(entry.depth)}$(type-hierarchy) ${entry.name}`, description: `${entry.id} · ${l10n.t('OU')}`, detail, value: { kind: 'target', entry: entry.arn } };
  });
  // Listed by the name shown (amiSharing.accountNames first), as the search matches it.
  const accounts = accountsByName({ ...directory, accounts: directory.accounts.map((account) => ({ ...account, name: accountNames[account.id] ?? account.name })) })
    .filter((account) => !ownAccountIds.includes(account.id))
    .map((account): PickItem<OrganizationPick> => {
      const status = account.status === 'ACTIVE' ? '' : ` · ${account.status.toLowerCase()}`;
      return { label: `$(person) ${account.name || account.id}`, description: `${account.id}${status}`, value: { kind: 'target', entry: account.id } };
    });
  return [typed, ...units, ...accounts];
}

/** Asks which accounts and OUs of the organization; undefined when cancelled. */
export async function pickOrganizationTargets(
  services: Services,
  title: string,
  directory: OrganizationDirectory,
  ownAccountIds: readonly string[],
  accountNames: Readonly<Record<string, string>>,
): Promise<OrganizationTargets | undefined> {
  const picked = await services.prompts.pickMany(organizationPickItems(directory, ownAccountIds, accountNames), {
    title,
    placeHolder: l10n.t('Search member accounts by name or ID, or pick OUs; select one or more'),
  });
  if (picked === undefined) return undefined;
  const entries = picked.flatMap((pick) => (pick.kind === 'target' ? [pick.entry] : []));
  // Nothing picked is not a share with nobody: offer the typed input instead.
  return { entries, typed: entries.length === 0 || picked.some((pick) => pick.kind === 'typed') };
}
