import type { AwsGateway, CallOptions } from '../aws/gateway';
import { loadAws } from '../awsLoader';
import { byProfileAndRegion, runGrouped } from '../core/bulk';
import { matchesGlob } from '../core/manifest/glob';
import type { SharedImage } from '../core/manifest/exportState';
import type { AwsTarget, LaunchPermission } from '../core/types';

export interface SharingRead {
  images: SharedImage[];
  errors: Array<{ profile: string; region: string; imageId?: string; error: string }>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The owned AMIs of some profiles and Regions with their launch permissions (and snapshot permissions when
 * asked), for audits and exports; only AMIs shared with anyone, or only public ones. Read-only.
 */
export async function readSharing(
  gateway: AwsGateway,
  targets: readonly AwsTarget[],
  filter: { namePattern?: string; publicOnly?: boolean; snapshots?: boolean; imageIds?: readonly string[] },
  options: CallOptions & { onProgress?: (text: string) => void } = {},
): Promise<SharingRead> {
  const aws = await loadAws();
  const result: SharingRead = { images: [], errors: [] };
  const listed = await Promise.all(
    targets.map(async (target) => {
      try {
        const images = await aws.listImages(gateway, target, 'owned', options);
        return images
          .filter((i) => (filter.namePattern === undefined || matchesGlob(i.name, filter.namePattern)) && (!filter.publicOnly || i.isPublic) && (filter.imageIds === undefined || filter.imageIds.includes(i.imageId)))
          .map((summary) => ({ ...target, summary }));
      } catch (error) {
        result.errors.push({ ...target, error: message(error) });
        return [];
      }
    }),
  );
  const candidates = listed.flat();
  let done = 0;
  const read = await runGrouped(candidates, byProfileAndRegion, 8, async ({ profile, region, summary }) => {
    const target = { profile, region };
    try {
      const launch = await aws.getLaunchPermissions(gateway, target, summary.imageId, options);
      const snapshots: SharedImage['snapshots'] = [];
      if (filter.snapshots && launch.length) {
        for (const snapshotId of summary.snapshotIds) snapshots.push({ snapshotId, permissions: (await aws.getVolumePermissions(gateway, target, snapshotId, options)) as LaunchPermission[] });
      }
      options.onProgress?.(`${++done} of ${candidates.length} AMIs read`);
      return { profile, region, imageId: summary.imageId, name: summary.name, launch, snapshots };
    } catch (error) {
      result.errors.push({ profile, region, imageId: summary.imageId, error: message(error) });
      return undefined;
    }
  });
  result.images = read.filter((i): i is SharedImage => i !== undefined && i.launch.length > 0);
  return result;
}
