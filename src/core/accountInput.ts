/**
 * Parses what users paste as share targets: account IDs (with or without hyphens), organization ARNs and
 * OU ARNs, separated by commas, semicolons, spaces or new lines. Every bad entry is named with a reason,
 * before any call is made.
 */

import * as l10n from '@vscode/l10n';

export interface ParsedTargets {
  accountIds: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
  problems: InputProblem[];
}

export interface InputProblem {
  entry: string;
  reason: string;
}

const PARTITION = 'aws(?:-cn|-us-gov)?';
export const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}$`);
export const ORGANIZATIONAL_UNIT_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`);
const ACCOUNT_ID = /^[0-9]{12}$/;
const HYPHENATED_ACCOUNT_ID = /^[0-9]{4}-[0-9]{4}-[0-9]{4}$/;
const MAX_ENTRY_ECHO = 120;

export function splitEntries(input: string): string[] {
  return input.split(/[\s,;]+/u).filter((entry) => entry.length > 0);
}

export function parseTargets(input: string | readonly string[], options: { ownAccountId?: string } = {}): ParsedTargets {
  const entries = typeof input === 'string' ? splitEntries(input) : input.flatMap((entry) => splitEntries(String(entry)));
  const result: ParsedTargets = { accountIds: [], organizationArns: [], organizationalUnitArns: [], problems: [] };
  const seen = new Set<string>();
  for (const entry of entries) {
    const classified = classify(entry);
    if ('reason' in classified) {
      result.problems.push({ entry: echo(entry), reason: classified.reason });
      continue;
    }
    if (classified.kind === 'account' && classified.value === options.ownAccountId) {
      result.problems.push({ entry: echo(entry), reason: l10n.t('is your own account (the owner always keeps access)') });
      continue;
    }
    if (seen.has(classified.value)) {
      result.problems.push({ entry: echo(entry), reason: l10n.t('is listed more than once') });
      continue;
    }
    seen.add(classified.value);
    if (classified.kind === 'account') result.accountIds.push(classified.value);
    else if (classified.kind === 'organization') result.organizationArns.push(classified.value);
    else result.organizationalUnitArns.push(classified.value);
  }
  return result;
}

type Classified = { kind: 'account' | 'organization' | 'organizationalUnit'; value: string } | { reason: string };

function classify(entry: string): Classified {
  if (ACCOUNT_ID.test(entry)) return { kind: 'account', value: entry };
  if (HYPHENATED_ACCOUNT_ID.test(entry)) return { kind: 'account', value: entry.replace(/-/g, '') };
  if (entry.startsWith('arn:')) {
    if (ORGANIZATION_ARN.test(entry)) return { kind: 'organization', value: entry };
    if (ORGANIZATIONAL_UNIT_ARN.test(entry)) return { kind: 'organizationalUnit', value: entry };
    if (entry.includes(':organization/')) {
      return { reason: l10n.t('is not a valid organization ARN (arn:aws:organizations::ACCOUNT:organization/o-xxxxxxxxxx)') };
    }
    if (entry.includes(':ou/')) {
      return { reason: l10n.t('is not a valid OU ARN (arn:aws:organizations::ACCOUNT:ou/o-xxxxxxxxxx/ou-xxxx-xxxxxxxx)') };
    }
    return { reason: l10n.t('is not an organization or OU ARN') };
  }
  if (/^\p{Nd}+$/u.test(entry.replace(/-/g, '')) && !/^[0-9-]+$/.test(entry)) {
    return { reason: l10n.t('contains non-ASCII digits; account IDs are 12 digits 0-9') };
  }
  const digits = entry.replace(/-/g, '');
  if (/^[0-9]+$/.test(digits)) {
    return { reason: l10n.t('has {0} digits; account IDs have 12', digits.length) };
  }
  return { reason: l10n.t('is not a 12-digit account ID, organization ARN or OU ARN') };
}

function echo(entry: string): string {
  return entry.length > MAX_ENTRY_ECHO ? `${entry.slice(0, MAX_ENTRY_ECHO)}…` : entry;
}

/** One line per bad entry, capped so a paste of thousands stays readable. */
export function describeProblems(problems: readonly InputProblem[], limit = 10): string {
  const shown = problems.slice(0, limit).map((p) => `"${p.entry}" ${p.reason}`);
  const more = problems.length > limit ? [`…and ${problems.length - limit} more`] : [];
  return [...shown, ...more].join('; ');
}
