/**
 * "Who still uses it": which AMIs of a plan lose recipients or retire, whose references to look at, and the
 * confirmation lines for what was found (last launched time, references per account and type). Plain logic:
 * the reads are in src/aws/usage.ts.
 */
import * as l10n from '@vscode/l10n';
import { imageKeyOf, isPublicEntry, stepRemoves, type ImageRef, type PlannedStep } from './changes';
import type { LaunchPermission } from './types';

/** DescribeImageReferences resource types, in the order the confirmation names them. */
export const REFERENCE_TYPES = ['ec2:Instance', 'ec2:LaunchTemplate', 'ssm:Parameter', 'imagebuilder:ImageRecipe', 'imagebuilder:ContainerRecipe'] as const;

export type ReferenceCounts = Partial<Record<string, number>>;

/** Why a usage read gave no answer: not allowed (IAM), not supported by the server, or another failure. */
export interface UsageFailure {
  kind: 'notAllowed' | 'notSupported' | 'serverError' | 'failed';
  code: string;
  message: string;
}

export function isUsageFailure(value: unknown): value is UsageFailure {
  return typeof value === 'object' && value !== null && 'kind' in value && 'code' in value && 'message' in value;
}

const NOT_ALLOWED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthFailure', 'OptInRequired']);
const NOT_SUPPORTED = new Set(['InvalidAction', 'UnsupportedOperation', 'UnknownOperationException', 'InvalidQueryParameter']);

/** Classifies a failed read by EC2's error code (and the HTTP status a server sent without one). */
export function usageFailure(code: string, message: string, status?: number): UsageFailure {
  if (NOT_ALLOWED.has(code)) return { kind: 'notAllowed', code, message };
  if (NOT_SUPPORTED.has(code)) return { kind: 'notSupported', code, message };
  if ((status !== undefined && status >= 500) || /\bHTTP 5\d\d\b/.test(message)) return { kind: 'serverError', code, message };
  return { kind: 'failed', code, message };
}

/** One AMI whose plan removes access or retires it, and whose references to look for. */
export interface UsageSubject {
  image: ImageRef;
  /** Accounts named directly in what is removed (or in all launch permissions when the AMI retires). */
  accounts: string[];
  /** Something wider than accounts is removed (organization, OU, public): every account with a profile here may be affected. */
  wide: boolean;
  /** Deprecation: the launch permissions were not read for the plan; read them to know the recipients. */
  readPermissions: boolean;
}

function recipientsOf(entries: readonly LaunchPermission[]): { accounts: string[]; wide: boolean } {
  return {
    accounts: [...new Set(entries.flatMap((p) => (p.UserId ? [p.UserId] : [])))],
    wide: entries.some((p) => p.OrganizationArn !== undefined || p.OrganizationalUnitArn !== undefined || isPublicEntry(p)),
  };
}

/**
 * The AMIs whose usage the confirmation shows: launch permissions removed, deprecation set, disable,
 * deregister. Snapshot permissions, key policies, copies and a recipient's own cancel are not about who launches it.
 */
export function usageSubjects(steps: readonly PlannedStep[]): UsageSubject[] {
  const byImage = new Map<string, UsageSubject>();
  for (const step of steps) {
    const { address } = step;
    const removesLaunch = address.kind === 'launchPermissions' && step.diff.remove.length > 0;
    const retires = address.kind === 'imageSetting' && stepRemoves(step);
    if (!removesLaunch && !retires) continue;
    const key = imageKeyOf(address);
    const subject = byImage.get(key) ?? { image: { profile: address.profile, region: address.region, imageId: address.imageId }, accounts: [], wide: false, readPermissions: false };
    const found = recipientsOf(step.diff.remove);
    subject.accounts = [...new Set([...subject.accounts, ...found.accounts])];
    subject.wide ||= found.wide;
    if (address.kind === 'imageSetting' && step.setting?.name === 'deprecation') subject.readPermissions = true;
    byImage.set(key, subject);
  }
  return [...byImage.values()];
}

/** One account's references to an AMI, as read through one of its profiles (or why they could not be). */
export interface AccountUsage {
  accountId: string;
  /** The profile the references were read through; absent when no profile here belongs to the account. */
  profile?: string;
  owner: boolean;
  references?: ReferenceCounts | UsageFailure;
}

export interface ImageUsage {
  image: ImageRef;
  /** DescribeImageAttribute lastLaunchedTime (owner only): the time, null when EC2 has none, or why it could not be read. */
  lastLaunched: string | null | UsageFailure;
  accounts: AccountUsage[];
  /** The launch permissions (to know the recipients) could not be read. */
  recipientsUnknown?: UsageFailure;
}

function countText(type: string, count: number): string {
  switch (type) {
    case 'ec2:Instance':
      return count === 1 ? l10n.t('1 instance') : l10n.t('{0} instances', count);
    case 'ec2:LaunchTemplate':
      return count === 1 ? l10n.t('1 launch template') : l10n.t('{0} launch templates', count);
    case 'ssm:Parameter':
      return count === 1 ? l10n.t('1 SSM parameter') : l10n.t('{0} SSM parameters', count);
    case 'imagebuilder:ImageRecipe':
      return count === 1 ? l10n.t('1 Image Builder image recipe') : l10n.t('{0} Image Builder image recipes', count);
    case 'imagebuilder:ContainerRecipe':
      return count === 1 ? l10n.t('1 Image Builder container recipe') : l10n.t('{0} Image Builder container recipes', count);
    default:
      return l10n.t('{0} × {1}', count, type);
  }
}

/** "3 instances, 1 launch template" in the order of REFERENCE_TYPES (other types after them); empty when none. */
export function describeCounts(counts: ReferenceCounts): string {
  const types = [...REFERENCE_TYPES, ...Object.keys(counts).filter((t) => !(REFERENCE_TYPES as readonly string[]).includes(t)).sort()];
  return types.flatMap((type) => ((counts[type] ?? 0) > 0 ? [countText(type, counts[type]!)] : [])).join(', ');
}

export function describeFailure(failure: UsageFailure): string {
  switch (failure.kind) {
    case 'notAllowed':
      return l10n.t('not allowed ({0})', failure.code);
    case 'notSupported':
      return l10n.t('not supported by this server ({0})', failure.code);
    case 'serverError':
      return l10n.t('the server could not answer ({0}); it may not support this call', failure.message);
    case 'failed':
      return failure.message;
  }
}

/** "2 days ago", "5 hours ago", "just now"; days from 2 on. */
export function timeAgo(iso: string, now: number): string {
  const elapsed = now - Date.parse(iso);
  const minutes = Math.floor(elapsed / 60_000);
  if (Number.isNaN(minutes)) return iso;
  if (minutes < 1) return l10n.t('just now');
  if (minutes < 60) return minutes === 1 ? l10n.t('1 minute ago') : l10n.t('{0} minutes ago', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours === 1 ? l10n.t('1 hour ago') : l10n.t('{0} hours ago', hours);
  return l10n.t('{0} days ago', Math.floor(hours / 24));
}

/** "last launched 2 days ago (2026-11-30 10:00 UTC)" or "never launched as far as EC2 reports", with EC2's delay. */
export function lastLaunchedText(lastLaunched: string | null, now: number): string {
  if (lastLaunched === null) return l10n.t('no launch recorded by EC2 (launches are reported with a delay of up to 24 h)');
  const when = `${lastLaunched.slice(0, 16).replace('T', ' ')} UTC`;
  return l10n.t('last launched {0} ({1}; EC2 reports launches with a delay of up to 24 h)', timeAgo(lastLaunched, now), when);
}

/** The tree's tooltip: "2 days ago (2026-11-30 10:00 UTC; updated with a delay of up to 24 h)", or none recorded. */
export function lastLaunchedTooltip(lastLaunched: string | undefined, now: number): string {
  if (lastLaunched === undefined) return l10n.t('none recorded (EC2 updates this with a delay of up to 24 h)');
  return l10n.t('{0} ({1} UTC; EC2 updates this with a delay of up to 24 h)', timeAgo(lastLaunched, now), lastLaunched.slice(0, 16).replace('T', ' '));
}

function accountLabel(account: AccountUsage, names: Readonly<Record<string, string>>): string {
  const parts = [names[account.accountId], account.profile, account.owner ? l10n.t('owner') : undefined].filter((p): p is string => p !== undefined && p !== '');
  const unique = [...new Set(parts)];
  return unique.length ? `${account.accountId} (${unique.join(', ')})` : account.accountId;
}

/**
 * The confirmation's usage lines, one block per AMI: the last launched time, then each account's references
 * ("In use by 3 instances in 222222222222 (prod)"), what could not be checked and why, and accounts with no
 * profile here. Never a silent "unused": a read that failed says so.
 */
export function usageLines(usages: readonly ImageUsage[], names: Readonly<Record<string, string>>, now: number): string[] {
  const lines: string[] = [];
  for (const usage of usages) {
    const { image } = usage;
    const launched = isUsageFailure(usage.lastLaunched)
      ? l10n.t('could not read the last launched time: {0}', describeFailure(usage.lastLaunched))
      : lastLaunchedText(usage.lastLaunched, now);
    lines.push(l10n.t('Who still uses {0} ({1}): {2}', image.imageId, image.region, launched));
    const unchecked: string[] = [];
    for (const account of usage.accounts) {
      const label = accountLabel(account, names);
      if (account.references === undefined) {
        unchecked.push(account.accountId);
      } else if (isUsageFailure(account.references)) {
        lines.push(`  ${l10n.t('Could not check references in {0}: {1}', label, describeFailure(account.references))}`);
      } else {
        const counts = describeCounts(account.references);
        lines.push(`  ${counts ? l10n.t('In use by {0} in {1}', counts, label) : l10n.t('No references in {0}', label)}`);
      }
    }
    if (usage.recipientsUnknown) lines.push(`  ${l10n.t('Could not read the launch permissions to find the recipients: {0}', describeFailure(usage.recipientsUnknown))}`);
    if (unchecked.length) lines.push(`  ${l10n.t('References not checked in {0}: no profile here for these accounts', unchecked.join(', '))}`);
  }
  return lines;
}
