import { DescribeSnapshotAttributeCommand, ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import type { AwsGateway, CallOptions } from './gateway';
import { volumeEntries } from '../core/changes';
import { permissionKey } from '../core/launchPermissions';
import type { AwsTarget, LaunchPermission } from '../core/types';

/**
 * createVolumePermission on an AMI's snapshots lets recipients copy the AMI (launching does not need it).
 * Snapshots accept only account IDs and the "all" group, not organizations or OUs.
 */
export type VolumePermission = { UserId: string } | { Group: 'all' };

export async function getVolumePermissions(gateway: AwsGateway, target: AwsTarget, snapshotId: string, options: CallOptions = {}): Promise<VolumePermission[]> {
  const output = await gateway.send(target, new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
    options,
  );
  return (output.CreateVolumePermissions ?? []).flatMap((p): VolumePermission[] => (p.UserId ? [{ UserId: p.UserId }] : p.Group === 'all' ? [{ Group: 'all' }] : []));
}

export async function modifyVolumePermissions(
  gateway: AwsGateway,
  target: AwsTarget,
  snapshotId: string,
  change: { add: VolumePermission[]; remove: VolumePermission[] },
  options: CallOptions = {},
): Promise<void> {
  if (change.add.length === 0 && change.remove.length === 0) return;
  await gateway.send(target, new ModifySnapshotAttributeCommand({
      SnapshotId: snapshotId,
      Attribute: 'createVolumePermission',
      CreateVolumePermission: {
        ...(change.add.length ? { Add: change.add } : {}),
        ...(change.remove.length ? { Remove: change.remove } : {}),
      },
    }),
    options,
  );
}

/** Whether every snapshot's createVolumePermission matches the AMI's launch permissions (accounts and public). */
export function snapshotPermissionsMatch(launch: readonly LaunchPermission[], volumes: readonly VolumePermission[][]): boolean {
  const wanted = new Set(volumeEntries(launch).map((p) => permissionKey(p)));
  return volumes.every((perSnapshot) => {
    const have = new Set(perSnapshot.map((p) => permissionKey(p)));
    return have.size === wanted.size && [...wanted].every((key) => have.has(key));
  });
}
