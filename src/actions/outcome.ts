import * as l10n from '@vscode/l10n';
import { imageKeyOf, inverseRequest, isUndoableSetting, type ChangeRequest, type SettingChange } from '../core/changes';
import { dedupe, isEmptyChange, summarizeChange } from '../core/permissionPlan';
import type { PipelineHost } from './host';
import type { StepOutcome } from './applyStep';
import type { ChangeOptions, ChangeOutcome } from './changeTypes';

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

/** The result notification: one line for one AMI, a count for several, with Undo / Retry failed / Show log. */
export function reportOutcome(services: PipelineHost, outcome: ChangeOutcome, requests: readonly ChangeRequest[], options: ChangeOptions, run: RunChange): void {
  const { results } = outcome;
  const failed = results.filter((r) => !r.ok);
  const succeeded = results.filter((r) => r.ok);
  for (const result of failed) services.log.error(`${options.action} ${result.imageId} (${result.profile}/${result.region}): ${result.error}`);
  const undoable = undoableSteps(outcome.steps);
  const launchApplied = outcome.steps.filter((s) => s.step.address.kind === 'launchPermissions').map((s) => s.applied);
  const settingLines = outcome.steps.flatMap((s) => (s.setting && s.setting.before !== s.setting.after ? [`${s.setting.name} ${s.setting.after ?? 'none'}`] : []));
  const summary = settingLines.length && launchApplied.every(isEmptyChange) ? [...new Set(settingLines)].join(', ') : summarizeChange({ add: dedupe(launchApplied.flatMap((c) => c.add)), remove: dedupe(launchApplied.flatMap((c) => c.remove)) });
  const actions = [...(options.offerUndo !== false && undoable.length ? ['Undo'] : []), ...(failed.length ? ['Retry failed', 'Show log'] : [])];
  const message =
    results.length === 1
      ? results[0]!.ok
        ? `${options.action} ${results[0]!.imageId}: ${undoable.length ? summary : 'nothing to change (already so)'}${results[0]!.copies?.length ? ` — ${results[0]!.copies.map((c) => `${c.region} ${c.imageId ?? 'failed'}`).join(', ')}` : ''}`
        : results[0]!.error ?? 'Failed'
      : `${options.action}: ${succeeded.length} of ${results.length} AMIs succeeded` +
        (failed.length ? `; ${failed.length} failed (${failed.map((r) => r.imageId).join(', ')})` : '') +
        (undoable.length ? ` — ${summary}` : '');
  void services.ui.notify(failed.length ? 'error' : 'info', message, actions).then(async (choice) => {
    try {
      if (choice === 'Undo') await run(services, undoRequests(undoable.map((s) => ({ address: s.step.address, applied: s.applied, ...(s.setting ? { setting: s.setting } : {}) }))), undoOptions(true));
      else if (choice === 'Retry failed') {
        const failedKeys = new Set(failed.map((r) => imageKeyOf(r)));
        const again = requests.filter((r) => r.kind !== 'keyPolicy' && failedKeys.has(imageKeyOf(r.image)));
        if (again.length) await run(services, again, { ...options, interactive: true });
      } else if (choice === 'Show log') services.log.show?.();
    } catch (error) {
      services.log.error(`${options.action}: ${(error as Error).message}`);
      void services.ui.notify('error', (error as Error).message, []);
    }
  });
}
