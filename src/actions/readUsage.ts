import * as l10n from '@vscode/l10n';
import type { AwsGateway, CallOptions } from '../aws/gateway';
import type { AwsModule } from '../awsLoader';
import { imageKeyOf, type PlannedStep } from '../core/changes';
import { usageLines, usageSubjects, type ImageUsage } from '../core/usage';

/** What the plan's usage read found: per AMI (and the AMIs left unread), or why the read as a whole could not run. */
export type UsageRead = { usages: ImageUsage[]; unread: string[] } | { failed: string; imageIds: string[] } | undefined;

/** A bulk change reads the usage of this many AMIs (a few calls each, per recipient account); the rest are named as not checked. */
export const USAGE_READ_LIMIT = 25;

/**
 * Read-side fact for the one confirmation: who still uses the AMIs this plan takes access from or retires
 * (last launched time, references in the owner account and in recipient accounts with a profile here). Read
 * only when the plan will be confirmed; read next to the checks, so it adds no round of waiting.
 */
export async function readUsage(aws: AwsModule, gateway: AwsGateway, steps: readonly PlannedStep[], willConfirm: boolean, options: CallOptions): Promise<UsageRead> {
  if (!willConfirm) return undefined;
  const subjects = usageSubjects(steps);
  if (subjects.length === 0) return undefined;
  const read = subjects.slice(0, USAGE_READ_LIMIT);
  const unread = subjects.slice(USAGE_READ_LIMIT).map((s) => s.image.imageId);
  try {
    return { usages: await aws.readImageUsage(gateway, read, options), unread };
  } catch (error) {
    if ((error as Error)?.name === 'CancelledError') throw error;
    return { failed: error instanceof Error ? error.message : String(error), imageIds: subjects.map((s) => s.image.imageId) };
  }
}

/** The confirmation lines for the AMIs still in the plan. */
export function usageDetail(read: UsageRead, steps: readonly PlannedStep[], names: Readonly<Record<string, string>>, now = Date.now()): string[] {
  if (!read) return [];
  if ('failed' in read) return [l10n.t('Who still uses {0} could not be checked: {1}', read.imageIds.join(', '), read.failed)];
  const planned = new Set(steps.map((s) => imageKeyOf(s.address)));
  const lines = usageLines(read.usages.filter((u) => planned.has(imageKeyOf(u.image))), names, now);
  if (read.unread.length) lines.push(l10n.t('Who still uses the other {0} AMIs was not checked (only the first {1} of a change are).', read.unread.length, USAGE_READ_LIMIT));
  return lines;
}
