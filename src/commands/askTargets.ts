import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { describeProblems, parseTargets, type ParsedTargets } from '../core/accountInput';
import type { OrganizationDirectory } from '../core/organizations';
import type { Services } from '../services';
import { pickOrganizationTargets } from './organizationTargets';

/**
 * Asks for account IDs / org / OU ARNs in one box; the box refuses bad entries as you type. When `profile`
 * can read its AWS Organizations organization, member accounts and OUs are offered to pick first.
 */
export async function askTargets(services: Services, title: string, ownAccountIds: readonly string[], profile?: string): Promise<ParsedTargets | undefined> {
  const validate = (text: string): ParsedTargets => {
    const parsed = parseTargets(text);
    for (const own of ownAccountIds) {
      const index = parsed.accountIds.indexOf(own);
      if (index >= 0) {
        parsed.accountIds.splice(index, 1);
        parsed.problems.push({ entry: own, reason: l10n.t('is your own account (the owner always keeps access)') });
      }
    }
    return parsed;
  };
  const directory = profile === undefined ? undefined : await organizationOf(services, profile);
  let picked: string[] = [];
  if (directory) {
    const fromOrganization = await pickOrganizationTargets(services, title, directory, ownAccountIds, services.settings().accountNames);
    if (!fromOrganization) return undefined;
    if (!fromOrganization.typed) return validate(fromOrganization.entries.join('\n'));
    picked = fromOrganization.entries;
  }
  const answer = await services.prompts.input({
    title,
    ...(picked.length ? { value: picked.join(', ') } : {}),
    prompt: l10n.t('Account IDs (12 digits, hyphens allowed), organization ARNs or OU ARNs, separated by commas, spaces or new lines'),
    placeHolder: l10n.t('111122223333, 4444-5555-6666, arn:aws:organizations::111122223333:organization/o-exampleorgid'),
    validate: (text) => {
      const parsed = validate(text);
      if (parsed.problems.length) return describeProblems(parsed.problems);
      if (parsed.accountIds.length + parsed.organizationArns.length + parsed.organizationalUnitArns.length === 0) return l10n.t('Enter at least one account ID or ARN.');
      return undefined;
    },
  });
  return answer === undefined ? undefined : validate(answer);
}

/**
 * The profile's organization. The first read is paced (Organizations allows about a request a second), so it
 * shows progress; cancelling it goes on with typed input while the read finishes for next time.
 */
function organizationOf(services: Services, profile: string): Promise<OrganizationDirectory | undefined> {
  const read = services.organizations.directory(profile);
  if (services.organizations.settled(profile)) return read;
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Reading the accounts of your AWS organization (profile {0})…', profile), cancellable: true },
      (_progress, token) =>
        new Promise<OrganizationDirectory | undefined>((resolve) => {
          void read.then(resolve);
          token.onCancellationRequested(() => resolve(undefined));
        }),
    ),
  );
}

/** Validates a script's targets the same way and throws naming every bad entry. */
export function validateTargets(
  targets: { accountIds?: string[]; organizationArns?: string[]; organizationalUnitArns?: string[] },
  ownAccountIds: readonly string[],
): ParsedTargets {
  const entries = [...(targets.accountIds ?? []), ...(targets.organizationArns ?? []), ...(targets.organizationalUnitArns ?? [])];
  const parsed = parseTargets(entries);
  for (const own of ownAccountIds) {
    if (parsed.accountIds.includes(own)) {
      parsed.accountIds = parsed.accountIds.filter((id) => id !== own);
      parsed.problems.push({ entry: own, reason: l10n.t('is your own account (the owner always keeps access)') });
    }
  }
  if (parsed.problems.length) throw new Error(l10n.t('Nothing was changed. {0}.', describeProblems(parsed.problems)));
  if (entries.length === 0) throw new Error(l10n.t('No account IDs, organization ARNs or OU ARNs were given.'));
  return parsed;
}
