import type {
  CreateVolumePermission,
  ImageFixture,
  ImageState,
  KmsKeyFixture,
  LaunchPermission,
  SnapshotFixture,
  SnapshotState,
  VolumeType,
} from './fixture';
import { deterministicId, deterministicUuid } from './ids';
import { awsManagedEbsKeyPolicy, defaultCustomerKeyPolicy } from './kmsPolicy';

/** Compact description of an AMI; `buildAmi` expands it into the image and its snapshots. */
export interface AmiSpec {
  name: string;
  region: string;
  creationDate: string;
  state?: ImageState;
  stateReason?: { code: string; message: string };
  description?: string;
  architecture?: 'x86_64' | 'arm64';
  launchPermissions?: LaunchPermission[];
  tags?: Record<string, string>;
  disks: DiskSpec[];
}

export interface DiskSpec {
  sizeGiB: number;
  volumeType?: VolumeType;
  encryption?: { kmsKeyId: string; awsManagedKey?: boolean };
  createVolumePermissions?: CreateVolumePermission[];
}

const DEVICE_NAMES = ['/dev/xvda', '/dev/sdf', '/dev/sdg', '/dev/sdh'];

export function buildAmi(ownerId: string, spec: AmiSpec): { image: ImageFixture; snapshots: SnapshotFixture[] } {
  const seed = `${ownerId}/${spec.region}/${spec.name}`;
  const imageId = deterministicId('ami', seed);
  const state = spec.state ?? 'available';
  const snapshotState: SnapshotState = state === 'pending' ? 'pending' : state === 'failed' ? 'error' : 'completed';
  // Snapshots are taken a few minutes before the AMI is registered.
  const startTime = new Date(Date.parse(spec.creationDate) - 7 * 60_000).toISOString();

  const snapshots: SnapshotFixture[] = [];
  const image: ImageFixture = {
    imageId,
    region: spec.region,
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    state,
    ...(spec.stateReason ? { stateReason: spec.stateReason } : {}),
    creationDate: spec.creationDate,
    architecture: spec.architecture ?? 'x86_64',
    rootDeviceName: DEVICE_NAMES[0] ?? '/dev/xvda',
    blockDeviceMappings: [],
    launchPermissions: spec.launchPermissions ?? [],
    tags: spec.tags ?? { Name: spec.name },
  };

  spec.disks.forEach((disk, index) => {
    const deviceName = DEVICE_NAMES[index] ?? `/dev/sd${String.fromCharCode(105 + index)}`;
    const snapshotId = deterministicId('snap', `${seed}/${deviceName}`);
    image.blockDeviceMappings.push({
      deviceName,
      snapshotId,
      volumeSize: disk.sizeGiB,
      volumeType: disk.volumeType ?? 'gp3',
      deleteOnTermination: index === 0,
    });
    snapshots.push({
      snapshotId,
      region: spec.region,
      volumeId: deterministicId('vol', `${seed}/${deviceName}`),
      volumeSize: disk.sizeGiB,
      state: snapshotState,
      startTime,
      description: `Created by CreateImage for ${imageId}`,
      encrypted: disk.encryption !== undefined,
      ...(disk.encryption ? { kmsKeyId: disk.encryption.kmsKeyId } : {}),
      ...(disk.encryption?.awsManagedKey ? { awsManagedKey: true } : {}),
      createVolumePermissions: disk.createVolumePermissions ?? [],
      tags: {},
    });
  });

  return { image, snapshots };
}

/** The UUID of a fixture KMS key, derived from its owner, Region and name (`aws/ebs`, `golden-images`, …). */
export function kmsKeyIdFor(accountId: string, region: string, keyName: string): string {
  return deterministicUuid(`${accountId}/${region}/${keyName}`);
}

export function kmsKeyArnFor(accountId: string, region: string, keyName: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${kmsKeyIdFor(accountId, region, keyName)}`;
}

export interface CustomerKeySpec {
  region: string;
  /** Also the alias: `alias/NAME`. */
  name: string;
  description: string;
  creationDate: string;
  /** Default: only the owner account (`key-default-1`). */
  policy?: string;
}

export function buildCustomerKey(ownerId: string, spec: CustomerKeySpec): KmsKeyFixture {
  return {
    keyId: kmsKeyIdFor(ownerId, spec.region, spec.name),
    region: spec.region,
    keyManager: 'CUSTOMER',
    keyState: 'Enabled',
    description: spec.description,
    aliases: [`alias/${spec.name}`],
    policy: spec.policy ?? defaultCustomerKeyPolicy(ownerId),
    creationDate: spec.creationDate,
  };
}

/** The AWS managed key EBS creates in an account and Region on first use (`alias/aws/ebs`). */
export function buildAwsManagedEbsKey(ownerId: string, region: string, creationDate: string): KmsKeyFixture {
  return {
    keyId: kmsKeyIdFor(ownerId, region, 'aws/ebs'),
    region,
    keyManager: 'AWS',
    keyState: 'Enabled',
    description: 'Default master key that protects my EBS volumes when no other key is defined',
    aliases: ['alias/aws/ebs'],
    policy: awsManagedEbsKeyPolicy(ownerId, region),
    creationDate,
  };
}
