import type { AwsGateway, CallOptions } from './gateway';
import { describeImage, getLaunchPermissions, modifyLaunchPermissions, resetLaunchPermissions } from './images';
import { modifyVolumePermissions, volumePermissionsFor } from './snapshotPermissions';
import { effectiveChange, entityCountAfter, isEmptyChange, MAX_ENTITIES_PER_IMAGE, resetChange, type PermissionChange } from '../core/permissionPlan';
import type { AwsTarget, LaunchPermission } from '../core/types';

export type PermissionAction = ({ type: 'modify'; change: PermissionChange } | { type: 'reset' }) & {
  /** Also grant / remove createVolumePermission on the AMI's snapshots, so recipients can copy it. */
  includeSnapshots?: boolean;
};

export interface ImageResult {
  imageId: string;
  ok: boolean;
  before: LaunchPermission[];
  after: LaunchPermission[];
  /** What actually changed (the inverse of this is the exact undo). */
  applied: PermissionChange;
  error?: string;
  errorCode?: string;
  /** Request ID of the ModifyImageAttribute / ResetImageAttribute call, for the change log. */
  requestId?: string;
}

/**
 * Applies one action to one AMI: reads the current permissions, sends one ModifyImageAttribute with the
 * effective adds and removes (or ResetImageAttribute), then reads the result back.
 */
export async function applyToImage(
  gateway: AwsGateway,
  target: AwsTarget,
  imageId: string,
  action: PermissionAction,
  options: CallOptions & { onBeforeChange?: (imageId: string, before: LaunchPermission[], planned: PermissionChange) => void } = {},
): Promise<ImageResult> {
  let before: LaunchPermission[] = [];
  try {
    before = await getLaunchPermissions(gateway, target, imageId, options);
    const applied = action.type === 'reset' ? resetChange(before) : effectiveChange(before, action.change);
    if (action.type === 'modify') {
      const after = entityCountAfter(before, applied);
      if (after > MAX_ENTITIES_PER_IMAGE) {
        return failure(imageId, before, applied, `${imageId} would have ${after} launch-permission entities; EC2 allows ${MAX_ENTITIES_PER_IMAGE} (accounts, organizations and OUs) per AMI per Region.`, 'ResourceLimitExceeded');
      }
      if (isEmptyChange(applied) && !action.includeSnapshots) return { imageId, ok: true, before, after: before, applied };
    }
    let requestId: string | undefined;
    let after = before;
    if (!isEmptyChange(applied) || action.type === 'reset') {
      options.onBeforeChange?.(imageId, before, applied);
      requestId =
        action.type === 'modify' ? await modifyLaunchPermissions(gateway, target, imageId, applied, options) : await resetLaunchPermissions(gateway, target, imageId, options);
      after = await getLaunchPermissions(gateway, target, imageId, options);
    }
    const done = { imageId, before, after, applied, ...(requestId ? { requestId } : {}) };
    if (action.includeSnapshots) {
      // Snapshots follow what was asked, not only what changed: an account that could already launch may still lack copy rights.
      const problem = await applyToSnapshots(gateway, target, imageId, action.type === 'modify' ? action.change : applied, options);
      if (problem) return { ...done, ok: false, error: problem, errorCode: 'SnapshotPermissions' };
    }
    return { ...done, ok: true };
  } catch (error) {
    if ((error as Error)?.name === 'CancelledError') throw error;
    const described = (error as { described?: { message: string; code: string } }).described;
    return failure(imageId, before, { add: [], remove: [] }, described?.message ?? (error as Error).message, described?.code ?? 'Error');
  }
}

/** Mirrors the applied launch-permission change onto every snapshot; returns a message when a snapshot failed. */
async function applyToSnapshots(gateway: AwsGateway, target: AwsTarget, imageId: string, applied: PermissionChange, options: CallOptions): Promise<string | undefined> {
  const change = { add: volumePermissionsFor(applied.add), remove: volumePermissionsFor(applied.remove) };
  if (change.add.length === 0 && change.remove.length === 0) return undefined;
  const image = await describeImage(gateway, target, imageId, options);
  const failures: string[] = [];
  for (const snapshotId of image.snapshotIds) {
    try {
      await modifyVolumePermissions(gateway, target, snapshotId, change, options);
    } catch (error) {
      failures.push(`${snapshotId}: ${(error as Error).message}`);
    }
  }
  return failures.length
    ? `Launch permissions of ${imageId} were changed, but its snapshot permissions were not (${failures.join('; ')}). Recipients can launch but not copy it until that is fixed.`
    : undefined;
}

function failure(imageId: string, before: LaunchPermission[], applied: PermissionChange, error: string, errorCode: string): ImageResult {
  return { imageId, ok: false, before, after: before, applied, error, errorCode };
}

/** Runs work items with bounded concurrency, in order of submission; the rate limiter does the pacing. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
