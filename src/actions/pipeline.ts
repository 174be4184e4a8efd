import * as crypto from 'node:crypto';
import { loadAws } from '../awsLoader';
import { runGrouped, byProfileAndRegion } from '../core/bulk';
import { confirmationRule, describePlan, imageKeyOf, isEmptyStep, type ChangeRequest, type ImageRef, type PlannedStep } from '../core/changes';
import { groupBy } from '../core/collections';
import { permissionKey } from '../core/launchPermissions';
import type { PipelineHost } from './host';
import { applyStep, type StepContext, type StepOutcome } from './applyStep';
import { ChangeCancelled, type ChangeOptions, type ChangeOutcome, type ImageOutcome } from './changeTypes';
import { resolveFindings } from './resolveFindings';
import { readAndPlan } from './readPlan';
import { runChecks } from './checks';
import { reportOutcome } from './outcome';

export { ChangeCancelled, type ChangeOptions, type ChangeOutcome, type ImageOutcome } from './changeTypes';

const LANES_PER_REGION = 16;

function refOf(request: ChangeRequest): ImageRef | undefined {
  return request.kind === 'keyPolicy' ? undefined : request.image;
}

/**
 * The one path every change takes: validate → read fresh → plan (diff) → checks → one confirmation →
 * record intent (awaited) → apply → read back → record result → inline status and Undo. Commands, the
 * form, Undo, Retry, copies, key policies and snapshot alignment all call this.
 * Returns undefined when an interactive user cancelled; scripts get ChangeCancelled instead.
 */
export async function runChange(services: PipelineHost, requests: ChangeRequest[], options: ChangeOptions): Promise<ChangeOutcome | undefined> {
  try {
    return await runChangeOrThrow(services, requests, options);
  } catch (error) {
    if (error instanceof ChangeCancelled && options.interactive) return undefined;
    throw error;
  }
}

async function runChangeOrThrow(services: PipelineHost, requests: ChangeRequest[], options: ChangeOptions): Promise<ChangeOutcome> {
  if (requests.length === 0) throw new Error('Nothing to change.');
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const images = [...new Map(requests.flatMap((r) => (refOf(r) ? [[imageKeyOf(refOf(r)!), refOf(r)!] as const] : []))).values()];
  const controller = new AbortController();
  const callOptions = { priority: 'user' as const, signal: controller.signal };
  for (const image of images) services.model.setStatus(image.profile, image.region, image.imageId, { busy: options.busyLabel });
  const clearBusy = () => {
    for (const image of images) services.model.setStatus(image.profile, image.region, image.imageId, undefined);
  };

  let draft;
  let findings;
  try {
    draft = await readAndPlan(aws, gateway, requests, callOptions);
    findings = await runChecks(aws, gateway, draft, callOptions);
  } catch (error) {
    clearBusy();
    throw error;
  }
  let resolution;
  try {
    resolution = await resolveFindings(services, draft, findings, requests, options, { aws, gateway, callOptions });
  } catch (error) {
    clearBusy();
    throw error;
  }
  const { failures, warnings } = resolution;
  const steps = draft.steps.filter((step) => !failures.has(imageKeyOf(step.address)) || step.address.kind === 'keyPolicy');
  const active = steps.filter((step) => !isEmptyStep(step));

  // One confirmation for the whole plan, by one rule.
  const rule = confirmationRule(active, services.settings().confirmDestructiveActions);
  const covered = options.preApproved !== undefined && active.every((s) => s.address.kind === 'launchPermissions' && s.diff.remove.length === 0 && s.diff.add.every((p) => options.preApproved!.some((q) => permissionKey(q) === permissionKey(p))));
  if (active.length > 0 && (rule.required || options.alwaysConfirm === true) && !covered) {
    const accounts = await accountsOf(services, active);
    if (options.interactive) {
      for (const step of active.filter((s) => s.address.kind === 'keyPolicy')) {
        const texts = draft.policies.get(`${step.address.profile}\u0000${step.address.keyArn}`);
        if (texts) await services.ui.showPolicyDiff(step.address.keyArn!, texts.before, texts.after);
      }
    }
    const detail = describePlan(active, resolution.shownFindings, services.settings().accountNames, accounts);
    const confirmed = await services.prompts.confirm(options.title, detail, options.confirmLabel);
    if (!confirmed) {
      clearBusy();
      throw new ChangeCancelled();
    }
  }

  const changeId = crypto.randomUUID();
  const accountByProfile = await accountsOf(services, active);
  const copyProgress = new Map<string, string>();
  let reportProgress: (text: string) => void = () => undefined;
  const context = (step: PlannedStep): StepContext => ({
    aws,
    gateway,
    changeLog: services.changeLog,
    changeId,
    action: options.action,
    account: accountByProfile.get(step.address.profile),
    options: callOptions,
    confirmPolicyMoved: async (moved, before, after) => {
      if (!options.interactive) return false;
      await services.ui.showPolicyDiff(moved.address.keyArn!, before, after);
      return services.prompts.confirm(
        `The key policy of ${moved.address.keyArn} changed since it was shown`,
        'Someone changed the policy meanwhile. AMI Sharing merges only its own statements into the current policy, as shown in the diff editor; other statements stay as they are now.',
        'Apply to the current policy',
      );
    },
    onCopyState: (copyStep, text) => {
      copyProgress.set(copyStep.address.targetRegion!, text);
      reportProgress([...copyProgress].map(([region, state]) => `${region}: ${state}`).join(' · '));
    },
  });

  const work = async (report: (text: string) => void): Promise<StepOutcome[]> => {
    reportProgress = report;
    const outcomes: StepOutcome[] = [];
    // Key grants first, so recipients can use the key by the time they can launch.
    for (const step of active.filter((s) => s.address.kind === 'keyPolicy')) outcomes.push(await applyStep(context(step), step));
    const byImage = [...groupBy(active.filter((s) => s.address.kind !== 'keyPolicy' && s.address.kind !== 'copyImage'), (s) => imageKeyOf(s.address)).values()];
    const copies = active.filter((s) => s.address.kind === 'copyImage');
    let done = 0;
    const total = byImage.length + copies.length;
    const [imageOutcomes, copyOutcomes] = await Promise.all([
      runGrouped(
        byImage,
        (group) => byProfileAndRegion(group[0]!.address),
        LANES_PER_REGION,
        async (group) => {
          const results: StepOutcome[] = [];
          for (const step of group) {
            const outcome = await applyStep(context(step), step);
            results.push(outcome);
            // Snapshots follow their AMI: when its launch permissions failed, its snapshots are left alone.
            if (!outcome.ok && step.address.kind === 'launchPermissions') break;
          }
          const launch = results.find((r) => r.step.address.kind === 'launchPermissions' && r.ok);
          if (launch) services.model.setPermissions(launch.step.address.profile, launch.step.address.region, launch.step.address.imageId, launch.after);
          done += 1;
          if (total > 1) report(`${done} of ${total}`);
          return results;
        },
        controller.signal,
      ),
      Promise.all(copies.map((step) => applyCopy(services, context(step), step, options))),
    ]);
    return [...outcomes, ...imageOutcomes.flatMap((r) => r ?? []), ...copyOutcomes.flat()];
  };

  let stepOutcomes: StepOutcome[];
  try {
    stepOutcomes =
      await services.ui.progress(`AMI Sharing: ${options.busyLabel}`, images.length > 1 || active.some((s) => s.address.kind === 'copyImage'), (report, onCancel) => {
        onCancel(() => controller.abort());
        return work(report);
      });
  } catch (error) {
    clearBusy();
    throw error;
  }

  const results = images.map((image) => imageOutcome(image, draft, stepOutcomes, failures, warnings, controller.signal.aborted));
  for (const result of results) {
    services.model.setStatus(result.profile, result.region, result.imageId, result.ok ? undefined : { error: result.error ?? 'failed' });
  }
  const outcome: ChangeOutcome = { changeId, results, steps: stepOutcomes };
  reportOutcome(services, outcome, requests, options, runChange);
  return outcome;
}

async function accountsOf(services: PipelineHost, steps: readonly PlannedStep[]): Promise<Map<string, string>> {
  const gateway = await services.gateway.get();
  const profiles = [...new Set(steps.map((s) => s.address.profile))];
  return new Map(await Promise.all(profiles.map(async (profile) => [profile, await gateway.accountId(profile).catch(() => '?')] as [string, string])));
}

/** A copy, then its share through the pipeline (its plan was confirmed with the copy). */
async function applyCopy(services: PipelineHost, context: StepContext, step: PlannedStep, options: ChangeOptions): Promise<StepOutcome[]> {
  const outcome = await applyStep(context, step);
  services.model.refreshProfile(step.address.profile);
  const thenShare = step.copy!.thenShare;
  if (!outcome.ok || !outcome.copyImageId || thenShare.length === 0) return [outcome];
  const shared = await runChange(
    services,
    [{ kind: 'launchPermissions', image: { profile: step.address.profile, region: step.copy!.targetRegion, imageId: outcome.copyImageId }, add: thenShare, remove: [] }],
    { ...options, action: `${options.action}: share the copy`, busyLabel: 'Sharing the copy…', preApproved: thenShare, interactive: options.interactive },
  ).catch((error: unknown) => ({ error: (error as Error).message }));
  const result = shared && 'results' in shared ? shared.results[0] : undefined;
  const error = shared && 'error' in shared ? shared.error : result && !result.ok ? result.error : undefined;
  return [{ ...outcome, ...(error !== undefined ? { error: `Copied as ${outcome.copyImageId}, but sharing failed: ${error}` } : {}) }, ...(shared && 'steps' in shared ? shared.steps : [])];
}

function imageOutcome(
  image: ImageRef,
  draft: Awaited<ReturnType<typeof readAndPlan>>,
  outcomes: readonly StepOutcome[],
  failures: ReadonlyMap<string, string>,
  warnings: ReadonlyMap<string, string[]>,
  cancelled: boolean,
): ImageOutcome {
  const key = imageKeyOf(image);
  const mine = outcomes.filter((o) => imageKeyOf(o.step.address) === key && o.step.address.kind !== 'keyPolicy');
  const planned = draft.steps.filter((s) => imageKeyOf(s.address) === key && s.address.kind !== 'keyPolicy');
  const launchPlan = planned.find((s) => s.address.kind === 'launchPermissions');
  const launch = mine.find((o) => o.step.address.kind === 'launchPermissions');
  const before = launchPlan?.before ?? [];
  const after = launch?.after ?? before;
  const base = { imageId: image.imageId, profile: image.profile, region: image.region, before, after };
  const imageWarnings = warnings.get(key);
  const failure = failures.get(key);
  if (failure) return { ...base, ok: false, error: failure, ...(imageWarnings ? { warnings: imageWarnings } : {}) };
  const snapshots = mine
    .filter((o) => o.step.address.kind === 'snapshotPermissions')
    .map((o) => ({ snapshotId: o.step.address.snapshotId!, ok: o.ok, before: o.step.before, after: o.after, ...(o.error ? { error: o.error } : {}) }));
  const copies = mine
    .filter((o) => o.step.address.kind === 'copyImage')
    .map((o) => ({ region: o.step.address.targetRegion!, ok: o.ok && !o.error, ...(o.copyImageId ? { imageId: o.copyImageId } : {}), shared: o.ok && !o.error && o.step.copy!.thenShare.length > 0, ...(o.error ? { error: o.error } : {}) }));
  const failed = mine.filter((o) => !o.ok || (o.step.address.kind === 'copyImage' && o.error));
  const unverified = mine.some((o) => !o.verified);
  const missing = planned.filter((s) => !isEmptyStep(s) && !mine.some((o) => o.step === s));
  let error: string | undefined;
  if (failed.length) {
    const launchFailed = failed.find((o) => o.step.address.kind === 'launchPermissions');
    const snapshotFailed = failed.filter((o) => o.step.address.kind === 'snapshotPermissions');
    error = launchFailed?.error ?? (snapshotFailed.length
      ? `Launch permissions of ${image.imageId} were changed, but its snapshot permissions were not (${snapshotFailed.map((o) => `${o.step.address.snapshotId}: ${o.error}`).join('; ')}). Recipients can launch but not copy it until that is fixed; Undo reverts what was applied.`
      : failed.map((o) => o.error).join('; '));
  } else if (missing.length && cancelled) {
    error = 'Cancelled before this AMI was changed.';
  }
  const ok = failed.length === 0 && !(missing.length && cancelled);
  const unverifiedNote = mine.filter((o) => !o.verified).map((o) => o.error).filter((e): e is string => e !== undefined);
  const allWarnings = [...(imageWarnings ?? []), ...(ok ? unverifiedNote : [])];
  return {
    ...base,
    ok,
    ...(error ? { error } : {}),
    ...(allWarnings.length ? { warnings: allWarnings } : {}),
    ...(unverified ? { unverified } : {}),
    ...(snapshots.length ? { snapshots } : {}),
    ...(copies.length ? { copies } : {}),
  };
}

