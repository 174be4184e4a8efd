import { isPublicImage } from './access';
import { deregistrationProtectionText } from './ec2Lifecycle';
import type { CreateVolumePermission, LaunchPermission } from '../fixture/fixture';
import type { EndpointState, ImageRecord, SnapshotRecord } from '../state';
import { itemList, node, text, type Xml } from '../xml';

/** XML renderings of EC2 resources, element names as the SDK's EC2 schema expects them. */

function tagSet(tags: Readonly<Record<string, string>>): Xml {
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    return '' as Xml;
  }
  return itemList('tagSet', entries, ([key, value]) => [text('key', key), text('value', value)]);
}

export function renderBlockDeviceMappings(image: ImageRecord, state: EndpointState): Xml {
  return itemList('blockDeviceMapping', image.blockDeviceMappings, (mapping) => {
    // EC2 reports encryption per mapping from the snapshot; the key id is not shown here.
    const snapshot = state.snapshot(image.region, mapping.snapshotId);
    return [
      text('deviceName', mapping.deviceName),
      node(
        'ebs',
        text('snapshotId', mapping.snapshotId),
        text('volumeSize', mapping.volumeSize),
        text('deleteOnTermination', mapping.deleteOnTermination),
        text('volumeType', mapping.volumeType),
        text('encrypted', snapshot?.encrypted ?? false),
      ),
    ];
  });
}

/**
 * `imageAllowed`: DescribeImages's ImageAllowed for the caller (absent while Allowed AMIs is disabled).
 * `owner`: the caller owns the AMI, so `lastLaunchedTime` is shown (as DescribeImageAttribute, owner only).
 */
export function renderImage(image: ImageRecord, state: EndpointState, imageAllowed?: boolean, owner = false): Xml[] {
  return [
    text('imageId', image.imageId),
    text('imageLocation', `${image.ownerId}/${image.name}`),
    text('imageState', image.state),
    text('imageOwnerId', image.ownerId),
    text('creationDate', image.creationDate),
    text('isPublic', isPublicImage(image)),
    text('architecture', image.architecture),
    text('imageType', 'machine'),
    text('name', image.name),
    text('description', image.description),
    text('rootDeviceType', 'ebs'),
    text('rootDeviceName', image.rootDeviceName),
    renderBlockDeviceMappings(image, state),
    text('virtualizationType', 'hvm'),
    text('hypervisor', 'xen'),
    text('enaSupport', true),
    text('sriovNetSupport', 'simple'),
    text('platformDetails', 'Linux/UNIX'),
    text('usageOperation', 'RunInstances'),
    text('bootMode', 'uefi-preferred'),
    text('imdsSupport', 'v2.0'),
    tagSet(image.tags),
    text('imageAllowed', imageAllowed),
    text('sourceImageId', image.sourceImageId),
    text('sourceImageRegion', image.sourceImageRegion),
    text('deprecationTime', image.deprecationTime),
    text('deregistrationProtection', deregistrationProtectionText(image)),
    text('lastLaunchedTime', owner ? image.lastLaunchedTime : undefined),
    image.stateReason
      ? node('stateReason', text('code', image.stateReason.code), text('message', image.stateReason.message))
      : ('' as Xml),
  ];
}

export function renderSnapshot(snapshot: SnapshotRecord): Xml[] {
  return [
    text('snapshotId', snapshot.snapshotId),
    text('volumeId', snapshot.volumeId),
    text('status', snapshot.state),
    text('statusMessage', snapshot.stateMessage),
    text('startTime', snapshot.startTime),
    text('progress', snapshot.state === 'completed' ? '100%' : snapshot.state === 'pending' ? '42%' : '0%'),
    text('ownerId', snapshot.ownerId),
    text('volumeSize', snapshot.volumeSize),
    text('description', snapshot.description),
    text('encrypted', snapshot.encrypted),
    text('kmsKeyId', snapshot.kmsKeyId),
    text('storageTier', 'standard'),
    tagSet(snapshot.tags),
  ];
}

export function renderLaunchPermission(permission: LaunchPermission): Xml[] {
  return [
    text('userId', permission.UserId),
    text('group', permission.Group),
    text('organizationArn', permission.OrganizationArn),
    text('organizationalUnitArn', permission.OrganizationalUnitArn),
  ];
}

export function renderCreateVolumePermission(permission: CreateVolumePermission): Xml[] {
  return [text('userId', permission.UserId), text('group', permission.Group)];
}
