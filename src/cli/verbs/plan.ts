import { readDrift } from '../../actions/policyState';
import { describePermission } from '../../core/permissionPlan';
import { changeJson, hasDrift, type ImageDrift, type PolicyReport } from '../../core/manifest/plan';
import { terminalSafe } from '../../core/terminalText';
import type { LaunchPermission } from '../../core/types';
import type { CliContext } from '../context';
import { loadManifest } from '../manifestFile';

export const EXIT_DRIFT = 2;

function entries(sign: string, list: readonly LaunchPermission[], why: string): string[] {
  return list.map((p) => `    ${sign} ${describePermission(p)} (${why})`);
}

/** The human plan of one drifting AMI: each entry and why (missing, extra). */
export function describeDrift(drift: ImageDrift, policyPublic: boolean): string[] {
  const extraWhy = (p: LaunchPermission) => (p.Group === 'all' && !policyPublic ? 'extra: the policy does not make it public' : 'extra: not in the policy, exclusive');
  return [
    `  ${drift.imageId} ${terminalSafe(drift.name)} (${terminalSafe(drift.profile)}, ${drift.region})`,
    ...entries('+', drift.missing, 'missing'),
    ...drift.extra.map((p) => `    − ${describePermission(p)} (${extraWhy(p)})`),
    ...drift.snapshots.flatMap((s) => [...entries(`+ snapshot ${s.snapshotId}:`, s.missing, 'missing copy permission'), ...s.extra.map((p) => `    − snapshot ${s.snapshotId}: ${describePermission(p)} (${extraWhy(p)})`)]),
  ];
}

export function errorsOf(reports: readonly PolicyReport[]): string[] {
  return reports.flatMap((r) =>
    r.regions.flatMap((g) => [
      ...(g.error ? [`policy "${r.policy.name}": ${r.policy.profile} ${g.region} could not be read: ${g.error}`] : []),
      ...g.images.flatMap((i) => (i.error ? [`policy "${r.policy.name}": ${i.imageId} (${i.profile}, ${i.region}) could not be read: ${i.error}`] : [])),
    ]),
  );
}

export async function readPlan(context: CliContext, manifestFile: string): Promise<PolicyReport[]> {
  const gateway = await context.gateway();
  const manifest = await loadManifest(manifestFile, gateway, context.io.stderr);
  context.io.progress('Reading the current sharing…');
  try {
    return await readDrift(gateway, manifest, { priority: 'user' });
  } finally {
    context.io.progress('');
  }
}

export async function planVerb(context: CliContext, options: { manifest: string; json?: boolean }): Promise<number> {
  const reports = await readPlan(context, options.manifest);
  const drifting = reports.flatMap((r) => r.regions.flatMap((g) => g.images.filter((d) => hasDrift(d) && !d.error).map((d) => ({ drift: d, policy: r.policy }))));
  const errors = errorsOf(reports);
  for (const error of errors) context.io.stderr.write(`error: ${error}\n`);
  if (options.json) {
    context.io.stdout.write(`${JSON.stringify({ changes: drifting.map((d) => changeJson(d.drift)) }, null, 2)}\n`);
  } else {
    for (const report of reports) {
      const mine = drifting.filter((d) => d.policy === report.policy);
      const covered = report.regions.reduce((n, g) => n + g.images.length, 0);
      context.io.stdout.write(`policy "${terminalSafe(report.policy.name)}" (${terminalSafe(report.policy.profile)}; ${report.policy.regions.join(', ')}): ${covered} AMI${covered === 1 ? '' : 's'} covered, ${mine.length} drifting\n`);
      for (const { drift } of mine) context.io.stdout.write(`${describeDrift(drift, report.policy.public === true).join('\n')}\n`);
    }
    context.io.stdout.write(drifting.length ? `${drifting.length} AMI${drifting.length === 1 ? '' : 's'} drift from the manifest; \`ami-sharing apply\` reconciles them.\n` : 'No drift: every covered AMI is shared as the manifest says.\n');
  }
  if (errors.length) return 1;
  return drifting.length ? EXIT_DRIFT : 0;
}
