import * as l10n from '@vscode/l10n';
import * as crypto from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { loadAws } from '../awsLoader';
import { runGrouped, byProfileAndRegion } from '../core/bulk';
import { addsLaunchPermissions, confirmationRule, describePlan, imageKeyOf, isEmptyStep, isPublicEntry, type ChangeRequest, type ImageRef, type PlannedStep } from '../core/changes';
import { groupBy } from '../core/collections';
import { permissionKey } from '../core/launchPermissions';
import type { PipelineHost } from './host';
import { applyStep, type StepContext, type StepOutcome } from './applyStep';
import { ChangeCancelled, type ChangeOptions, type ChangeOutcome, type ImageOutcome } from './changeTypes';
import { resolveFindings, type Resolution } from './resolveFindings';
import { readAndPlan } from './readPlan';
import { runChecks, type CheckedFinding } from './checks';
import { readUsage, usageDetail, type UsageRead } from './readUsage';
import type { ImageSummary } from '../core/types';
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
  if (requests.length === 0) throw new Error(l10n.t('Nothing to change.'));
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const images = [...new Map(requests.flatMap((r) => (refOf(r) ? [[imageKeyOf(refOf(r)!), refOf(r)!] as const] : []))).values()];
  const controller = new AbortController();
  // Every AWS call of the change listens to this one signal while it waits or runs (hundreds at once in a
  // bulk change: the limiter's wait and the SDK's request each add one) and stops when it settles, so the
  // count is the change's concurrency, not a leak: Node's warning at 11 filled the log.
  setMaxListeners(0, controller.signal);
  const callOptions = { priority: 'user' as const, signal: controller.signal };
  for (const image of images) services.model.setStatus(image.profile, image.region, image.imageId, { busy: options.busyLabel });
  const clearBusy = () => {
    for (const image of images) services.model.setStatus(image.profile, image.region, image.imageId, undefined);
  };

  const changeId = crypto.randomUUID();
  const copyProgress = new Map<string, string>();
  let reportProgress: (text: string) => void = () => undefined;
  let accountByProfile = new Map<string, string>();
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
        l10n.t('The key policy of {0} changed since it was shown', moved.address.keyArn ?? ''),
        l10n.t('Someone changed the policy meanwhile. AMI Sharing merges only its own statements into the current policy, as shown in the diff editor; other statements stay as they are now.'),
        l10n.t('Apply to the current policy'),
      );
    },
    onCopyState: (copyStep, text) => {
      copyProgress.set(copyStep.address.targetRegion!, text);
      reportProgress([...copyProgress].map(([region, state]) => `${region}: ${state}`).join(' · '));
    },
  });
  let done = 0;
  let total = images.length;
  /** One AMI's steps in order (launch permissions, then its snapshots), its tree entry updated. */
  const applyImage = async (group: readonly PlannedStep[]): Promise<StepOutcome[]> => {
    const results: StepOutcome[] = [];
    for (const step of group) {
      const outcome = await applyStep(context(step), step);
      results.push(outcome);
      // Snapshots follow their AMI: when its launch permissions failed, its snapshots are left alone.
      // Likewise a restore does not follow an EnableImage that failed.
      if (!outcome.ok && (step.address.kind === 'launchPermissions' || step.address.kind === 'imageSetting')) break;
    }
    const launch = results.find((r) => r.step.address.kind === 'launchPermissions' && r.ok);
    if (launch) services.model.setPermissions(launch.step.address.profile, launch.step.address.region, launch.step.address.imageId, launch.after);
    done += 1;
    if (total > 1) reportProgress(`${done} of ${total}`);
    return results;
  };

  // Pipelining: when nothing in these requests can ask a question (no confirmation by the rule, whatever the
  // reads find; no prompt for findings, as for scripts), the change is confirmed as it stands, so each AMI is
  // applied in its planning lane as soon as its own state is read and its checks raised nothing that stops
  // it. EC2's write bucket then starts with the reads instead of after them. Warnings do not stop it: without
  // a prompt, resolveFindings goes on with them for this AMI alone and reports them in its result (in the
  // bench's bulk share, where a third of the AMIs use a key the recipients are not granted yet, the first
  // write waited 0.1 s longer for those AMIs' plan). A blocker, or a check that could not run, still waits
  // for the whole plan.
  // Intent is still recorded (awaited) before each call by applyStep.
  const early = appliesEarly(requests, options, services.settings().confirmDestructiveActions);
  const earlySteps: PlannedStep[] = [];
  const earlyFindings: CheckedFinding[] = [];
  const earlyOutcomes: StepOutcome[] = [];
  const appliedEarly = new Set<PlannedStep>();
  const inFlight = new Set<Promise<void>>();
  const checkCache = early ? aws.newGuardCache() : undefined;
  // The accounts (for the change log) are read alongside the AMIs, not before them: the first write waits for neither longer than it must.
  const accountsRead = early
    ? accountsOf(services, images.map((image) => ({ address: { kind: 'launchPermissions', ...image } }))).then((accounts) => {
        accountByProfile = accounts;
      })
    : undefined;
  // The checks' reads (snapshots, keys, key policies) need only the AMI and what is added: started with the
  // AMI's permission read instead of after it, into the cache the check then reads (a round trip less before
  // the first write). Their findings come from the check proper, below.
  const onSummary = (request: ChangeRequest, summary: ImageSummary): void => {
    if (!addsLaunchPermissions(request) || !checkCache) return;
    aws.checkShare(gateway, { profile: request.image.profile, region: request.image.region }, summary, request.add, { ...callOptions, cache: checkCache }).catch(() => undefined);
  };
  const onPlanned = async (planned: PlannedStep[], summary: ImageSummary): Promise<void> => {
    earlySteps.push(...planned);
    const first = planned[0];
    if (!first) return;
    const found = await runChecks(aws, gateway, { steps: planned, failures: new Map(), summaries: new Map([[imageKeyOf(first.address), summary]]), policies: new Map() }, callOptions, checkCache);
    earlyFindings.push(...found);
    const active = planned.filter((step) => !isEmptyStep(step));
    await accountsRead;
    if (found.some((finding) => finding.severity !== 'warning') || active.length === 0 || controller.signal.aborted) return;
    for (const step of active) appliedEarly.add(step);
    const applying = applyImage(active).then((outcomes) => void earlyOutcomes.push(...outcomes));
    inFlight.add(applying);
    try {
      await applying;
    } finally {
      inFlight.delete(applying);
    }
  };

  let draft: Awaited<ReturnType<typeof readAndPlan>>;
  let findings: CheckedFinding[];
  /** Who still uses the AMIs this plan takes access from or retires (read with the checks, shown in the confirmation). */
  let usage: UsageRead;
  try {
    if (early) {
      try {
        draft = await services.ui.progress(`AMI Sharing: ${options.busyLabel}`, images.length > 1, (report, onCancel) => {
          reportProgress = report;
          onCancel(() => controller.abort());
          return readAndPlan(aws, gateway, requests, callOptions, onPlanned, onSummary);
        });
      } catch (error) {
        // Other lanes may still be inside an AMI's calls: their outcomes belong to the result.
        await Promise.allSettled([...inFlight]);
        if (!(controller.signal.aborted && earlyOutcomes.length > 0)) throw error;
        // Cancelled after some AMIs were changed: report those (with Undo), and the rest as not changed.
        const planned = new Set(earlySteps.map((step) => imageKeyOf(step.address)));
        draft = { steps: earlySteps, failures: new Map(images.filter((i) => !planned.has(imageKeyOf(i))).map((i) => [imageKeyOf(i), l10n.t('Cancelled before this AMI was changed.')])), summaries: new Map(), policies: new Map() };
      }
      findings = earlyFindings;
      usage = undefined;
    } else {
      draft = await readAndPlan(aws, gateway, requests, callOptions);
      const planned = draft.steps.filter((step) => !isEmptyStep(step));
      const willConfirm = confirmationRule(planned, services.settings().confirmDestructiveActions).required || options.alwaysConfirm === true;
      [findings, usage] = await Promise.all([runChecks(aws, gateway, draft, callOptions), readUsage(aws, gateway, planned, willConfirm, callOptions)]);
    }
  } catch (error) {
    clearBusy();
    throw error;
  }
  let resolution: Resolution;
  try {
    resolution = await resolveFindings(services, draft, findings, requests, options, { aws, gateway, callOptions });
  } catch (error) {
    clearBusy();
    throw error;
  }
  const { failures, warnings } = resolution;
  const steps = draft.steps.filter((step) => !failures.has(imageKeyOf(step.address)) || step.address.kind === 'keyPolicy');
  const active = steps.filter((step) => !isEmptyStep(step));
  const remaining = active.filter((step) => !appliedEarly.has(step));

  // One confirmation for the whole plan, by one rule.
  const rule = confirmationRule(active, services.settings().confirmDestructiveActions);
  const covered = options.preApproved !== undefined && active.every((s) => s.address.kind === 'launchPermissions' && s.diff.remove.length === 0 && s.diff.add.every((p) => options.preApproved!.some((q) => permissionKey(q) === permissionKey(p))));
  const mustConfirm = rule.required || options.alwaysConfirm === true;
  if (early && mustConfirm) throw new Error(l10n.t('Internal error: a change applied early needs a confirmation.'));
  if (active.length > 0 && mustConfirm && !covered) {
    const accounts = await accountsOf(services, active);
    if (options.interactive) {
      for (const step of active.filter((s) => s.address.kind === 'keyPolicy')) {
        const texts = draft.policies.get(`${step.address.profile}\u0000${step.address.keyArn}`);
        if (texts) await services.ui.showPolicyDiff(step.address.keyArn!, texts.before, texts.after);
      }
    }
    const names = services.settings().accountNames;
    const detail = describePlan(active, resolution.shownFindings, names, accounts, undefined, usageDetail(usage, active, names));
    const confirmed = await services.prompts.confirm(options.title, detail, options.confirmLabel);
    if (!confirmed) {
      clearBusy();
      throw new ChangeCancelled();
    }
  }

  if (!early) accountByProfile = await accountsOf(services, active);

  const work = async (report: (text: string) => void): Promise<StepOutcome[]> => {
    reportProgress = report;
    const outcomes: StepOutcome[] = [];
    // Key grants first, so recipients can use the key by the time they can launch.
    for (const step of remaining.filter((s) => s.address.kind === 'keyPolicy')) outcomes.push(await applyStep(context(step), step));
    const byImage = [...groupBy(remaining.filter((s) => s.address.kind !== 'keyPolicy' && s.address.kind !== 'copyImage'), (s) => imageKeyOf(s.address)).values()];
    const copies = remaining.filter((s) => s.address.kind === 'copyImage');
    done = 0;
    total = byImage.length + copies.length;
    const [imageOutcomes, copyOutcomes] = await Promise.all([
      runGrouped(byImage, (group) => byProfileAndRegion(group[0]!.address), LANES_PER_REGION, applyImage, controller.signal),
      Promise.all(copies.map((step) => applyCopy(services, context(step), step, options))),
    ]);
    return [...earlyOutcomes, ...outcomes, ...imageOutcomes.flatMap((r) => r ?? []), ...copyOutcomes.flat()];
  };

  let stepOutcomes: StepOutcome[];
  try {
    stepOutcomes = early && remaining.length === 0
      ? earlyOutcomes
      : await services.ui.progress(`AMI Sharing: ${options.busyLabel}`, images.length > 1 || active.some((s) => s.address.kind === 'copyImage'), (report, onCancel) => {
        onCancel(() => controller.abort());
        return work(report);
      });
  } catch (error) {
    clearBusy();
    throw error;
  }

  // Indexed once: filtering every outcome per AMI was 800,000 key comparisons for a bulk share of 882 AMIs.
  const outcomesByImage = groupBy(stepOutcomes.filter((o) => o.step.address.kind !== 'keyPolicy'), (o) => imageKeyOf(o.step.address));
  const stepsByImage = groupBy(draft.steps.filter((s) => s.address.kind !== 'keyPolicy'), (s) => imageKeyOf(s.address));
  const results = images.map((image) =>
    imageOutcome(image, outcomesByImage.get(imageKeyOf(image)) ?? [], stepsByImage.get(imageKeyOf(image)) ?? [], failures, warnings, controller.signal.aborted),
  );
  for (const result of results) {
    services.model.setStatus(result.profile, result.region, result.imageId, result.ok ? undefined : { error: result.error ?? 'failed' });
  }
  const outcome: ChangeOutcome = { changeId, results, steps: stepOutcomes };
  reportOutcome(services, outcome, requests, options, runChange);
  tellAddedLaunchPermissions(services, outcome);
  return outcome;
}

/** Tells the host's read-only observers (the after-share recipient check) what this change shared with whom. */
function tellAddedLaunchPermissions(services: PipelineHost, outcome: ChangeOutcome): void {
  if (!services.onLaunchPermissionsAdded) return;
  const succeeded = new Set(outcome.results.filter((r) => r.ok).map((r) => imageKeyOf(r)));
  const added = outcome.steps.flatMap((s) => {
    const { address } = s.step;
    if (address.kind !== 'launchPermissions' || s.applied.add.length === 0) return [];
    const image = { profile: address.profile, region: address.region, imageId: address.imageId };
    return succeeded.has(imageKeyOf(image)) ? [{ image, add: s.applied.add }] : [];
  });
  if (added.length > 0) services.onLaunchPermissionsAdded(added);
}

/**
 * True when no question can come up, whatever the reads find: not interactive (findings become per-AMI
 * failures, never prompts), only launch permissions, nothing public added (public always asks), and the
 * confirmation setting off (otherwise several AMIs or a removal ask).
 */
function appliesEarly(requests: readonly ChangeRequest[], options: ChangeOptions, confirmSetting: boolean): boolean {
  if (options.interactive || confirmSetting || options.preApproved !== undefined || options.alwaysConfirm === true) return false;
  return requests.every((r) => r.kind === 'launchPermissions' && !r.add.some(isPublicEntry));
}

async function accountsOf(services: PipelineHost, steps: ReadonlyArray<Pick<PlannedStep, 'address'>>): Promise<Map<string, string>> {
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
    { ...options, action: `${options.action}: share the copy`, busyLabel: l10n.t('Sharing the copy…'), preApproved: thenShare, interactive: options.interactive },
  ).catch((error: unknown) => ({ error: (error as Error).message }));
  const result = shared && 'results' in shared ? shared.results[0] : undefined;
  const error = shared && 'error' in shared ? shared.error : result && !result.ok ? result.error : undefined;
  return [{ ...outcome, ...(error !== undefined ? { error: l10n.t('Copied as {0}, but sharing failed: {1}', outcome.copyImageId, error) } : {}) }, ...(shared && 'steps' in shared ? shared.steps : [])];
}

/** One AMI's result from its own step outcomes (`mine`) and planned steps, key policies left out of both. */
function imageOutcome(
  image: ImageRef,
  mine: readonly StepOutcome[],
  planned: readonly PlannedStep[],
  failures: ReadonlyMap<string, string>,
  warnings: ReadonlyMap<string, string[]>,
  cancelled: boolean,
): ImageOutcome {
  const key = imageKeyOf(image);
  // A recipient's cancel reports its own account's entry as the AMI's before/after, like a launch-permission change.
  const isLaunchStep = (kind: string) => kind === 'launchPermissions' || kind === 'cancelLaunchPermission';
  const launchPlan = planned.find((s) => isLaunchStep(s.address.kind));
  const launch = mine.find((o) => isLaunchStep(o.step.address.kind));
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
  const settings = mine.flatMap((o) => (o.setting ? [o.setting] : []));
  const failed = mine.filter((o) => !o.ok || (o.step.address.kind === 'copyImage' && o.error));
  const unverified = mine.some((o) => !o.verified);
  const missing = planned.filter((s) => !isEmptyStep(s) && !mine.some((o) => o.step === s));
  let error: string | undefined;
  if (failed.length) {
    const launchFailed = failed.find((o) => isLaunchStep(o.step.address.kind));
    const snapshotFailed = failed.filter((o) => o.step.address.kind === 'snapshotPermissions');
    error = launchFailed?.error ?? (snapshotFailed.length
      ? l10n.t(
          'Launch permissions of {0} were changed, but its snapshot permissions were not ({1}). Recipients can launch but not copy it until that is fixed; Undo reverts what was applied.',
          image.imageId,
          snapshotFailed.map((o) => `${o.step.address.snapshotId}: ${o.error}`).join('; '),
        )
      : failed.map((o) => o.error).join('; '));
  } else if (missing.length && cancelled) {
    error = l10n.t('Cancelled before this AMI was changed.');
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
    ...(settings.length ? { settings } : {}),
  };
}

