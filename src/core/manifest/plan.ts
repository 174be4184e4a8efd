import * as l10n from '@vscode/l10n';
import { imageKeyOf, volumeEntries, type ChangeRequest } from '../changes';
import { permissionKey, sortPermissions } from '../launchPermissions';
import type { ImageSummary, LaunchPermission } from '../types';
import { desiredPermissions, policyMatches } from './match';
import type { SharingManifest, SharingPolicy } from './types';

/** What was read for a manifest: each (profile, Region)'s owned AMIs, and the permissions of the matched ones. */
export interface ObservedState {
  /** Keyed `profile\0region`. */
  regions: Map<string, { images: ImageSummary[] } | { error: string }>;
  /** Keyed imageKeyOf. Snapshots only for AMIs of a policy with `snapshots: true`. */
  permissions: Map<string, { launch: LaunchPermission[]; snapshots?: Map<string, LaunchPermission[]> } | { error: string }>;
}

export interface SnapshotDrift {
  snapshotId: string;
  missing: LaunchPermission[];
  extra: LaunchPermission[];
}

/** One AMI a policy covers, and how its sharing differs from the policy. */
export interface ImageDrift {
  policy: string;
  profile: string;
  region: string;
  imageId: string;
  name: string;
  /** Entries the policy lists that the AMI lacks. */
  missing: LaunchPermission[];
  /** Entries the AMI has that the policy removes: unlisted ones with `exclusive`, public access unless `public: true`. */
  extra: LaunchPermission[];
  /** Only with `snapshots: true`: snapshots whose createVolumePermission is out of line. */
  snapshots: SnapshotDrift[];
  /** Set when the permissions could not be read: drift unknown. */
  error?: string;
}

export interface RegionReport {
  region: string;
  error?: string;
  images: ImageDrift[];
}

export interface PolicyReport {
  policy: SharingPolicy;
  regions: RegionReport[];
}

export function regionKey(profile: string, region: string): string {
  return `${profile}\u0000${region}`;
}

export function hasDrift(drift: ImageDrift): boolean {
  return drift.missing.length > 0 || drift.extra.length > 0 || drift.snapshots.some((s) => s.missing.length > 0 || s.extra.length > 0);
}

/** The AMIs each policy covers, per Region (the same AMI may be covered by several policies). */
export function matchedImages(manifest: SharingManifest, observed: Pick<ObservedState, 'regions'>): Array<{ policy: SharingPolicy; region: string; images: ImageSummary[]; error?: string }> {
  return manifest.policies.flatMap((policy) =>
    policy.regions.map((region) => {
      const read = observed.regions.get(regionKey(policy.profile, region));
      if (!read) return { policy, region, images: [], error: l10n.t('not read') };
      if ('error' in read) return { policy, region, images: [], error: read.error };
      return { policy, region, images: read.images.filter((image) => policyMatches(policy, image)) };
    }),
  );
}

function minus(a: readonly LaunchPermission[], b: readonly LaunchPermission[]): LaunchPermission[] {
  const keys = new Set(b.map(permissionKey));
  return sortPermissions(a.filter((p) => !keys.has(permissionKey(p))));
}

/**
 * Drift of every covered AMI. When several policies cover one AMI, an entry one of them lists is never
 * removed by another (and public access stays when any of them writes `public: true`).
 */
export function planDrift(manifest: SharingManifest, observed: ObservedState): PolicyReport[] {
  const matches = matchedImages(manifest, observed);
  const wantedByImage = new Map<string, LaunchPermission[]>();
  for (const match of matches) {
    for (const image of match.images) {
      const key = imageKeyOf({ profile: match.policy.profile, region: match.region, imageId: image.imageId });
      wantedByImage.set(key, [...(wantedByImage.get(key) ?? []), ...desiredPermissions(match.policy)]);
    }
  }
  const reports = new Map<SharingPolicy, RegionReport[]>(manifest.policies.map((p) => [p, []]));
  for (const match of matches) {
    const { policy, region } = match;
    const images = match.images.map((image): ImageDrift => {
      const key = imageKeyOf({ profile: policy.profile, region, imageId: image.imageId });
      const base = { policy: policy.name, profile: policy.profile, region, imageId: image.imageId, name: image.name, missing: [], extra: [], snapshots: [] };
      const read = observed.permissions.get(key);
      if (!read || 'error' in read) return { ...base, error: read && 'error' in read ? read.error : l10n.t('permissions not read') };
      const desired = desiredPermissions(policy);
      const keep = wantedByImage.get(key) ?? desired;
      const removable = (p: LaunchPermission) => policy.exclusive === true || p.Group === 'all';
      const drift: ImageDrift = { ...base, missing: minus(desired, read.launch), extra: minus(read.launch, keep).filter(removable) };
      if (policy.snapshots === true) {
        for (const snapshotId of image.snapshotIds) {
          const current = read.snapshots?.get(snapshotId);
          if (!current) continue;
          const missing = minus(volumeEntries(desired), current);
          const extra = minus(current, volumeEntries(keep)).filter(removable);
          if (missing.length || extra.length) drift.snapshots.push({ snapshotId, missing, extra });
        }
      }
      return drift;
    });
    reports.get(policy)!.push({ region, ...(match.error ? { error: match.error } : {}), images });
  }
  return manifest.policies.map((policy) => ({ policy, regions: reports.get(policy)! }));
}

/**
 * The pipeline requests that reconcile one AMI: its launch permissions (mirrored onto its snapshots with
 * `snapshots: true`, asking for every listed entry so copy rights follow even where launch already matches),
 * plus removals on snapshots that hold entries their AMI does not.
 */
export function reconcileRequests(drift: ImageDrift, policy: SharingPolicy): ChangeRequest[] {
  if (!hasDrift(drift) || drift.error) return [];
  const image = { profile: drift.profile, region: drift.region, imageId: drift.imageId, name: drift.name };
  const snapshots = policy.snapshots === true;
  const requests: ChangeRequest[] = [];
  const add = snapshots ? desiredPermissions(policy) : drift.missing;
  const launchDrift = drift.missing.length > 0 || drift.extra.length > 0 || drift.snapshots.some((s) => s.missing.length > 0);
  if (launchDrift) requests.push({ kind: 'launchPermissions', image, add, remove: drift.extra, ...(snapshots ? { snapshots: true } : {}) });
  const mirrored = new Set(volumeEntries(drift.extra).map(permissionKey));
  for (const snapshot of drift.snapshots) {
    const remove = snapshot.extra.filter((p) => !launchDrift || !mirrored.has(permissionKey(p)));
    if (remove.length) requests.push({ kind: 'snapshotPermissions', image, mode: { snapshotId: snapshot.snapshotId, add: [], remove } });
  }
  return requests;
}

/** Every drifting AMI of the reports, with its requests. */
export function reconcilePlan(reports: readonly PolicyReport[]): Array<{ drift: ImageDrift; policy: SharingPolicy; requests: ChangeRequest[] }> {
  return reports.flatMap((report) =>
    report.regions.flatMap((region) => region.images.filter((d) => hasDrift(d) && !d.error).map((drift) => ({ drift, policy: report.policy, requests: reconcileRequests(drift, report.policy) }))),
  );
}

/** The CLI's `plan --json` entry of one drifting AMI, in EC2's shapes. */
export function changeJson(drift: ImageDrift): { policy: string; profile: string; region: string; imageId: string; add: LaunchPermission[]; remove: LaunchPermission[]; snapshots: { add: LaunchPermission[]; remove: LaunchPermission[] } } {
  const union = (lists: LaunchPermission[][]) => sortPermissions([...new Map(lists.flat().map((p) => [permissionKey(p), p])).values()]);
  return {
    policy: drift.policy,
    profile: drift.profile,
    region: drift.region,
    imageId: drift.imageId,
    add: drift.missing,
    remove: drift.extra,
    snapshots: { add: union(drift.snapshots.map((s) => s.missing)), remove: union(drift.snapshots.map((s) => s.extra)) },
  };
}
