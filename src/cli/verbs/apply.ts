import { ChangeCancelled, runChange } from '../../actions/pipeline';
import { imageKeyOf, isPublicEntry } from '../../core/changes';
import { reconcilePlan } from '../../core/manifest/plan';
import { summarizeChange } from '../../core/permissionPlan';
import { terminalSafe } from '../../core/terminalText';
import type { CliContext } from '../context';
import { cliPipelineHost } from '../host';
import { CliError } from '../manifestFile';
import { errorsOf, readPlan } from './plan';

/**
 * Applies the plan through the one pipeline (fresh read, checks, one confirmation, change log, read back).
 * Exit 0 only when every drifting AMI was reconciled.
 */
export async function applyVerb(context: CliContext, options: { manifest: string; yes?: boolean; allowPublic?: boolean }): Promise<number> {
  const reports = await readPlan(context, options.manifest);
  const errors = errorsOf(reports);
  if (errors.length) {
    for (const error of errors) context.io.stderr.write(`error: ${error}\n`);
    throw new CliError('Parts of the current sharing could not be read; nothing was changed.');
  }
  const plan = reconcilePlan(reports);
  if (plan.length === 0) {
    context.io.stdout.write('No drift: nothing to apply.\n');
    return 0;
  }
  const makesPublic = plan.filter((p) => p.drift.missing.some(isPublicEntry));
  if (makesPublic.length && !options.allowPublic) {
    throw new CliError(`The plan makes ${makesPublic.map((p) => p.drift.imageId).join(', ')} public; pass --allow-public to allow that. Nothing was changed.`);
  }
  if (!options.yes && !context.io.interactive) throw new CliError('apply changes sharing: pass --yes to apply without a terminal to confirm on. Nothing was changed.');

  const gateway = await context.gateway();
  const host = cliPipelineHost(context.io, gateway, { assumeYes: options.yes === true, changeLogPath: context.changeLogPath, logger: context.logger });
  const policyOf = new Map(plan.map((p) => [imageKeyOf(p.drift), p.drift.policy]));
  let outcome: Awaited<ReturnType<typeof runChange>>;
  try {
    outcome = await runChange(host, plan.flatMap((p) => p.requests), {
      action: 'Reconcile',
      title: `Reconcile ${plan.length} AMI${plan.length === 1 ? '' : 's'} with ${options.manifest}?`,
      confirmLabel: 'Apply',
      busyLabel: 'Reconciling…',
      interactive: false,
      offerUndo: false,
      offerKeyPolicyFix: false,
      alwaysConfirm: options.yes !== true,
    });
  } catch (error) {
    if (error instanceof ChangeCancelled) throw new CliError(error.message);
    throw error;
  } finally {
    context.io.progress('');
  }
  const results = outcome?.results ?? [];
  for (const result of results) {
    const where = `${result.imageId} (${terminalSafe(result.profile)}, ${result.region}) policy "${terminalSafe(policyOf.get(imageKeyOf(result)) ?? '?')}"`;
    if (result.ok) {
      const applied = outcome!.steps.filter((s) => imageKeyOf(s.step.address) === imageKeyOf(result));
      const launch = applied.filter((s) => s.step.address.kind === 'launchPermissions').map((s) => s.applied);
      const snapshots = applied.filter((s) => s.step.address.kind === 'snapshotPermissions' && (s.applied.add.length || s.applied.remove.length)).length;
      context.io.stdout.write(`ok      ${where}: ${summarizeChange({ add: launch.flatMap((c) => c.add), remove: launch.flatMap((c) => c.remove) })}${snapshots ? `; ${snapshots} snapshot${snapshots === 1 ? '' : 's'} aligned` : ''}\n`);
    } else {
      context.io.stdout.write(`failed  ${where}: ${terminalSafe(result.error ?? 'failed')}\n`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  context.io.stdout.write(`Applied ${results.length - failed} of ${results.length} AMI${results.length === 1 ? '' : 's'}${failed ? `; ${failed} failed` : ''}. Change log: ${context.changeLogPath}${outcome ? ` (change ${outcome.changeId})` : ''}\n`);
  return failed ? 1 : 0;
}
