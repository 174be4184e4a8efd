import type { ChangeRequest } from '../changes';
import type { Matrix, Pending } from './model';
import { pendingPlan } from './model';

/**
 * The pending plan as pipeline requests: one launch-permission change per AMI (the pipeline reads fresh,
 * diffs, checks and asks once). With `snapshots`, accounts and public are mirrored onto the snapshots'
 * createVolumePermission, as the edit form does.
 */
export function matrixRequests(matrix: Matrix, pending: Pending, snapshots: boolean): ChangeRequest[] {
  return pendingPlan(matrix, pending).map(({ image, add, remove }) => ({
    kind: 'launchPermissions',
    image: { profile: image.profile, region: image.region, imageId: image.imageId, name: image.name },
    add,
    remove,
    ...(snapshots ? { snapshots: true } : {}),
  }));
}
