import * as l10n from '@vscode/l10n';
import { imageKeyOf, inverseRequest, isUndoableSetting, type ChangeRequest, type SettingChange } from '../core/changes';
import { dedupe, isEmptyChange, summarizeChange } from '../core/permissionPlan';
import type { PipelineHost } from './host';
import type { StepOutcome } from './applyStep';
import type { ChangeOptions, ChangeOutcome } from './changeTypes';
import { displayAction } from '../core/actionNames';

/** Steps that changed something (verified or not): what Undo reverts. */
export function undoableSteps(steps: readonly StepOutcome[]): StepOutcome[] {
  return steps.filter((s) => (s.setting ? s.setting.before !== s.setting.after && isUndoableSetting(s.setting) : !isEmptyChange(s.applied)) && s.step.address.kind !== 'copyImage');
}

/** The exact inverse of what was applied, as requests for the pipeline (which re-reads and re-plans). */
export function undoRequests(steps: ReadonlyArray<{ address: StepOutcome['step']['address']; applied: StepOutcome['applied']; setting?: SettingChange }>): ChangeRequest[] {
  return steps.flatMap((s) => inverseRequest(s.address, s.applied, undefined, s.setting) ?? []);
}

/** Runs requests through the pipeline (passed in, so this file does not import the pipeline back). */
export type RunChange = (services: PipelineHost, requests: ChangeRequest[], options: ChangeOptions) => Promise<ChangeOutcome | undefined>;

/** Undo's options: it goes through the same pipeline, so re-adding public access or removing anything asks first. */
export function undoOptions(interactive: boolean): ChangeOptions {
  return { action: 'Undo', title: l10n.t('Undo this change?'), confirmLabel: l10n.t('Undo'), busyLabel: l10n.t('Undoing…'), interactive, offerUndo: false, offerKeyPolicyFix: false };
}

type ImageResult = ChangeOutcome['results'][number];

/** One AMI's outcome line: what was done (or that nothing needed doing), and where copies went. */
function singleOutcome(action: string, result: ImageResult, summary: string | undefined): string {
  if (!result.ok) return result.error ?? l10n.t('Failed');
  const done = summary ? l10n.t('{0} {1}: {2}', action, result.imageId, summary) : l10n.t('{0} {1}: nothing to change (already so)', action, result.imageId);
  if (!result.copies?.length) return done;
  return l10n.t('{0} — {1}', done, result.copies.map((c) => `${c.region} ${c.imageId ?? l10n.t('failed')}`).join(', '));
}

/** Several AMIs: counts, which failed, and what changed. */
function bulkOutcome(action: string, results: readonly ImageResult[], summary: string | undefined): string {
  const failed = results.filter((r) => !r.ok);
  const succeeded = l10n.t('{0}: {1} of {2} AMIs succeeded', action, results.length - failed.length, results.length);
  const withFailures = failed.length ? l10n.t('{0}; {1} failed ({2})', succeeded, failed.length, failed.map((r) => r.imageId).join(', ')) : succeeded;
  return summary ? l10n.t('{0} — {1}', withFailures, summary) : withFailures;
}

/** The result notification: one line for one AMI, a count for several, with Undo / Retry failed / Show log. */
export function reportOutcome(services: PipelineHost, outcome: ChangeOutcome, requests: readonly ChangeRequest[], options: ChangeOptions, run: RunChange): void {
  const { results } = outcome;
  const failed = results.filter((r) => !r.ok);
  for (const result of failed) services.log.error(`${options.action} ${result.imageId} (${result.profile}/${result.region}): ${result.error}`);
  const undoable = undoableSteps(outcome.steps);
  const launchApplied = outcome.steps.filter((s) => s.step.address.kind === 'launchPermissions').map((s) => s.applied);
  const settingLines = outcome.steps.flatMap((s) => (s.setting && s.setting.before !== s.setting.after ? [`${s.setting.name} ${s.setting.after ?? 'none'}`] : []));
  const summary = settingLines.length && launchApplied.every(isEmptyChange) ? [...new Set(settingLines)].join(', ') : summarizeChange({ add: dedupe(launchApplied.flatMap((c) => c.add)), remove: dedupe(launchApplied.flatMap((c) => c.remove)) });
  const [undo, retryFailed, showLog] = [l10n.t('Undo'), l10n.t('Retry failed'), l10n.t('Show log')];
  const actions = [...(options.offerUndo !== false && undoable.length ? [undo] : []), ...(failed.length ? [retryFailed, showLog] : [])];
  const action = displayAction(options.action);
  const message = results.length === 1 ? singleOutcome(action, results[0]!, undoable.length ? summary : undefined) : bulkOutcome(action, results, undoable.length ? summary : undefined);
  void services.ui.notify(failed.length ? 'error' : 'info', message, actions).then(async (choice) => {
    try {
      if (choice === undo) await run(services, undoRequests(undoable.map((s) => ({ address: s.step.address, applied: s.applied, ...(s.setting ? { setting: s.setting } : {}) }))), undoOptions(true));
      else if (choice === retryFailed) {
        const failedKeys = new Set(failed.map((r) => imageKeyOf(r)));
        const again = requests.filter((r) => r.kind !== 'keyPolicy' && failedKeys.has(imageKeyOf(r.image)));
        if (again.length) await run(services, again, { ...options, interactive: true });
      } else if (choice === showLog) services.log.show?.();
    } catch (error) {
      services.log.error(`${options.action}: ${(error as Error).message}`);
      void services.ui.notify('error', (error as Error).message, []);
    }
  });
}
