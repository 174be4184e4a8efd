import type { AwsGateway, CallOptions } from '../aws/gateway';
import { loadAws } from '../awsLoader';
import { byProfileAndRegion, runGrouped } from '../core/bulk';
import type { MatrixImage } from '../core/matrix/model';
import type { AwsTarget, LaunchPermission } from '../core/types';

const LANES_PER_REGION = 8;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface MatrixRead {
  images: MatrixImage[];
  /** Profiles and Regions whose AMIs could not be listed. */
  errors: Array<{ profile: string; region: string; error: string }>;
}

/**
 * Read-only: the owned AMIs of these profiles and Regions (only `imageIds` when given) with their launch
 * permissions and each snapshot's createVolumePermission. An AMI that cannot be read keeps its error and the
 * rest is still read.
 */
export async function readMatrix(gateway: AwsGateway, targets: readonly AwsTarget[], filter: { imageIds?: ReadonlySet<string> }, options: CallOptions = {}): Promise<MatrixRead> {
  const aws = await loadAws();
  const errors: MatrixRead['errors'] = [];
  const listed = await Promise.all(
    targets.map(async (target) => {
      try {
        const images = await aws.listImages(gateway, target, 'owned', options);
        return images.filter((i) => !filter.imageIds || filter.imageIds.has(i.imageId)).map((summary) => ({ ...target, summary }));
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        errors.push({ ...target, error: message(error) });
        return [];
      }
    }),
  );
  const images = await runGrouped(
    listed.flat(),
    byProfileAndRegion,
    LANES_PER_REGION,
    async ({ profile, region, summary }): Promise<MatrixImage> => {
      const base: MatrixImage = { profile, region, imageId: summary.imageId, name: summary.name, state: summary.state, launch: [], ...(summary.creationDate ? { creationDate: summary.creationDate } : {}) };
      const target = { profile, region };
      try {
        const launch = await aws.getLaunchPermissions(gateway, target, summary.imageId, options);
        const snapshots = await Promise.all(summary.snapshotIds.map(async (snapshotId) => ({ snapshotId, permissions: (await aws.getVolumePermissions(gateway, target, snapshotId, options)) as LaunchPermission[] })));
        return { ...base, launch, snapshots };
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        return { ...base, error: message(error) };
      }
    },
    options.signal,
  );
  return { images: images.filter((i): i is MatrixImage => i !== undefined), errors };
}
