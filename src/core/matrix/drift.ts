/** The manifest's drift of each AMI, folded into what the matrix shows per cell. */
import { imageKeyOf } from '../changes';
import { permissionKey, sortPermissions } from '../launchPermissions';
import { desiredPermissions } from '../manifest/match';
import type { ImageDrift, PolicyReport } from '../manifest/plan';
import type { SharingPolicy } from '../manifest/types';
import type { LaunchPermission } from '../types';
import type { MatrixDrift } from './model';

function union(lists: readonly LaunchPermission[][]): LaunchPermission[] {
  return sortPermissions([...new Map(lists.flat().map((p) => [permissionKey(p), p])).values()]);
}

/** By imageKeyOf: every policy covering the AMI, what they want, and the drift (readable AMIs only). */
export function matrixDrift(reports: readonly PolicyReport[]): Map<string, MatrixDrift> {
  const collected = new Map<string, Array<{ policy: SharingPolicy; drift: ImageDrift }>>();
  for (const report of reports) {
    for (const region of report.regions) {
      for (const drift of region.images) {
        if (drift.error) continue;
        const key = imageKeyOf(drift);
        collected.set(key, [...(collected.get(key) ?? []), { policy: report.policy, drift }]);
      }
    }
  }
  const result = new Map<string, MatrixDrift>();
  for (const [key, entries] of collected) {
    result.set(key, {
      policies: entries.map((e) => e.policy.name),
      wanted: union(entries.map((e) => desiredPermissions(e.policy))),
      missing: union(entries.map((e) => e.drift.missing)),
      extra: union(entries.map((e) => e.drift.extra)),
      snapshotMissing: union(entries.flatMap((e) => e.drift.snapshots.map((s) => s.missing))),
      snapshotExtra: union(entries.flatMap((e) => e.drift.snapshots.map((s) => s.extra))),
    });
  }
  return result;
}
