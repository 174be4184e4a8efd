import type { AwsGateway, CallOptions } from '../aws/gateway';
import { loadAws } from '../awsLoader';
import { byProfileAndRegion, runGrouped } from '../core/bulk';
import { imageKeyOf } from '../core/changes';
import { matchedImages, planDrift, regionKey, type ObservedState, type PolicyReport } from '../core/manifest/plan';
import type { SharingManifest } from '../core/manifest/types';
import type { LaunchPermission } from '../core/types';

const LANES_PER_REGION = 8;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads what a manifest needs, read-only: each (profile, Region)'s owned AMIs, then the launch permissions of
 * the AMIs a policy covers (and their snapshots' createVolumePermission with `snapshots: true`). A Region or an
 * AMI that cannot be read is reported with its error; the rest is still read.
 */
export async function readPolicyState(gateway: AwsGateway, manifest: SharingManifest, options: CallOptions = {}): Promise<ObservedState> {
  const aws = await loadAws();
  const observed: ObservedState = { regions: new Map(), permissions: new Map() };
  const targets = [...new Map(manifest.policies.flatMap((p) => p.regions.map((region) => [regionKey(p.profile, region), { profile: p.profile, region }] as const))).values()];
  await Promise.all(
    targets.map(async (target) => {
      try {
        observed.regions.set(regionKey(target.profile, target.region), { images: await aws.listImages(gateway, target, 'owned', options) });
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        observed.regions.set(regionKey(target.profile, target.region), { error: message(error) });
      }
    }),
  );
  const wanted = new Map<string, { profile: string; region: string; imageId: string; snapshotIds: string[]; snapshots: boolean }>();
  for (const match of matchedImages(manifest, observed)) {
    for (const image of match.images) {
      const ref = { profile: match.policy.profile, region: match.region, imageId: image.imageId };
      const previous = wanted.get(imageKeyOf(ref));
      wanted.set(imageKeyOf(ref), { ...ref, snapshotIds: image.snapshotIds, snapshots: (previous?.snapshots ?? false) || match.policy.snapshots === true });
    }
  }
  await runGrouped(
    [...wanted.values()],
    byProfileAndRegion,
    LANES_PER_REGION,
    async (item) => {
      const target = { profile: item.profile, region: item.region };
      try {
        const launch = await aws.getLaunchPermissions(gateway, target, item.imageId, options);
        const snapshots = item.snapshots ? new Map<string, LaunchPermission[]>() : undefined;
        for (const snapshotId of item.snapshots ? item.snapshotIds : []) snapshots!.set(snapshotId, (await aws.getVolumePermissions(gateway, target, snapshotId, options)) as LaunchPermission[]);
        observed.permissions.set(imageKeyOf(item), { launch, ...(snapshots ? { snapshots } : {}) });
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        observed.permissions.set(imageKeyOf(item), { error: message(error) });
      }
    },
    options.signal,
  );
  return observed;
}

/** Reads and plans: the drift of every AMI each policy covers. */
export async function readDrift(gateway: AwsGateway, manifest: SharingManifest, options: CallOptions = {}): Promise<PolicyReport[]> {
  return planDrift(manifest, await readPolicyState(gateway, manifest, options));
}
