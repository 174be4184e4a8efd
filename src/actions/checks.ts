import * as l10n from '@vscode/l10n';
import type { AwsGateway, CallOptions } from '../aws/gateway';
import type { KeyAccess } from '../aws/encryption';
import type { AwsModule } from '../awsLoader';
import { runGrouped, byProfileAndRegion } from '../core/bulk';
import { imageKeyOf, isPublicEntry, type Finding, type PlannedStep } from '../core/changes';
import type { Draft } from './readPlan';

/** A finding with the key access behind it, when it is about a key policy the user can fix. */
export interface CheckedFinding extends Finding {
  keyAccess?: KeyAccess;
  profileOfKey?: string;
}

function toFinding(step: PlannedStep, finding: { code: string; severity: Finding['severity']; message: string; check?: string; keyAccess?: KeyAccess }): CheckedFinding {
  return {
    imageId: step.address.imageId,
    profile: step.address.profile,
    region: step.address.region,
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    ...(finding.check ? { check: finding.check } : {}),
    ...(finding.keyAccess ? { keyAccess: finding.keyAccess, profileOfKey: step.address.profile } : {}),
  };
}

/**
 * The sharing rules, run on the plan: availability, keys (AWS managed, key policies), block public access,
 * the public risk, encrypted AMIs made public. A check that throws becomes a `checkFailed` finding that names
 * it: checks fail closed.
 */
export async function runChecks(
  aws: AwsModule,
  gateway: AwsGateway,
  draft: Draft,
  options: CallOptions,
  /** Shared across calls when the pipeline checks AMI by AMI, so a key is described once. */
  cache: ReturnType<AwsModule['newGuardCache']> = aws.newGuardCache(),
): Promise<CheckedFinding[]> {
  const findings: CheckedFinding[] = [];
  const launchSteps = draft.steps.filter((s) => s.address.kind === 'launchPermissions' && (s.requested ?? s.diff.add).length > 0);
  const checked = await runGrouped(
    launchSteps,
    (step) => byProfileAndRegion(step.address),
    8,
    async (step) => {
      const read = draft.summaries.get(imageKeyOf(step.address))!;
      // Restoring the permissions of an AMI this same change enables first: it is available by then.
      const enabledFirst = draft.steps.some((s) => s.setting?.name === 'state' && s.setting.after === 'available' && imageKeyOf(s.address) === imageKeyOf(step.address));
      const summary = enabledFirst ? { ...read, state: 'available' as const } : read;
      try {
        const result = await aws.checkShare(gateway, { profile: step.address.profile, region: step.address.region }, summary, step.requested ?? step.diff.add, { ...options, cache });
        // Public risk only matters when public access is really being added.
        const addsPublic = step.diff.add.some(isPublicEntry);
        result.findings = result.findings.filter((f) => addsPublic || (f.code !== 'publicRisk' && f.code !== 'publicBlocked' && f.code !== 'encryptedPublic'));
        return result.findings.map((f) => toFinding(step, f));
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        return [toFinding(step, { code: 'checkFailed', severity: 'checkFailed', check: 'the sharing rules', message: l10n.t('The sharing checks for {0} could not run: {1}', step.address.imageId, (error as Error).message) })];
      }
    },
    options.signal,
  );
  findings.push(...checked.flatMap((f) => f ?? []));

  for (const step of draft.steps) {
    if (step.address.kind === 'snapshotPermissions' && step.diff.add.some(isPublicEntry)) {
      const summary = draft.summaries.get(imageKeyOf(step.address));
      findings.push(
        toFinding(step, {
          code: summary?.anyEncrypted ? 'encryptedPublic' : 'publicRisk',
          severity: summary?.anyEncrypted ? 'blocker' : 'warning',
          message: summary?.anyEncrypted
            ? l10n.t('Snapshot {0} of {1} is encrypted: encrypted snapshots cannot be made public.', step.address.snapshotId ?? '', step.address.imageId)
            : l10n.t('Making snapshot {0} public lets every AWS account create volumes from it and read all of its data.', step.address.snapshotId ?? ''),
        }),
      );
    }
    if (step.address.kind === 'copyImage' && step.copy!.thenShare.some(isPublicEntry)) {
      const summary = draft.summaries.get(imageKeyOf(step.address));
      const encrypted = summary?.anyEncrypted || step.copy!.encrypted || step.copy!.kmsKeyId !== undefined;
      findings.push(
        toFinding(step, {
          code: encrypted ? 'encryptedPublic' : 'publicRisk',
          severity: encrypted ? 'blocker' : 'warning',
          message: encrypted
            ? l10n.t('The copy of {0} in {1} is encrypted: encrypted AMIs cannot be made public.', step.address.imageId, step.copy!.targetRegion)
            : l10n.t('The copy of {0} in {1} will be made public: every AWS account can launch it and copy what is on its disks.', step.address.imageId, step.copy!.targetRegion),
        }),
      );
    }
    if (step.address.kind === 'cancelLaunchPermission' && step.before.length === 0) {
      findings.push(
        toFinding(step, {
          code: 'notDirectlyShared',
          severity: 'blocker',
          message: l10n.t('{0} is not shared with this account directly. EC2 cancels only direct account shares: an AMI shared with an organization, an OU or publicly stays available until its owner removes that share.', step.address.imageId),
        }),
      );
    }
    if (step.address.kind === 'copyImage') {
      const summary = draft.summaries.get(imageKeyOf(step.address));
      if (summary && summary.state !== 'available') {
        findings.push(toFinding(step, { code: 'notAvailable', severity: 'blocker', message: l10n.t('{0} is {1}: only available AMIs can be copied.', step.address.imageId, summary.state) }));
      } else if (summary) {
        findings.push(...(await sharedCopyFindings(aws, gateway, step, summary.ownerId, options)));
      }
    }
  }
  return findings;
}

/** A copy of another account's AMI: explain beforehand what the owner must grant (snapshot permission, key use). */
async function sharedCopyFindings(aws: AwsModule, gateway: AwsGateway, step: PlannedStep, ownerId: string, options: CallOptions): Promise<CheckedFinding[]> {
  try {
    if (ownerId === (await gateway.accountId(step.address.profile))) return [];
    const copy = step.copy!;
    const problem = await aws.sharedCopyProblem(
      gateway,
      { profile: step.address.profile, sourceRegion: step.address.region, targetRegion: copy.targetRegion, sourceImageId: step.address.imageId, name: copy.name, ownerId, ...(copy.kmsKeyId ? { kmsKeyId: copy.kmsKeyId } : {}) },
      options,
    );
    return problem ? [toFinding(step, { code: 'ownerMustGrant', severity: 'blocker', message: problem })] : [];
  } catch (error) {
    if ((error as Error)?.name === 'CancelledError') throw error;
    return [toFinding(step, { code: 'checkFailed', severity: 'checkFailed', check: 'the copy of a shared AMI', message: l10n.t('Whether {0} can be copied could not be checked: {1}', step.address.imageId, (error as Error).message) })];
  }
}

/** AMIs (imageKeyOf) whose change makes something public. */
export function publicImages(steps: readonly PlannedStep[]): Set<string> {
  return new Set(steps.filter((s) => s.diff.add.some(isPublicEntry) || (s.copy?.thenShare.some(isPublicEntry) ?? false)).map((s) => imageKeyOf(s.address)));
}
