import * as l10n from '@vscode/l10n';
import {
  GetImageBlockPublicAccessStateCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeRegionsCommand,
  ModifyImageAttributeCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import type { AwsGateway, CallOptions } from './gateway';
import { toLaunchPermissions } from '../core/launchPermissions';
import type { AwsTarget, ImageSummary, LaunchPermission } from '../core/types';

export const IMAGES_PAGE_SIZE = 200;
/**
 * The first page is small: it is what the view waits for (the first AMIs and the first share counts start
 * a round trip sooner), and the SDK parses it while its parser is still cold (a page of 200 cost 100–150 ms
 * of one turn in a fresh process). One request more for a listing of more than 50 AMIs.
 */
export const FIRST_IMAGES_PAGE_SIZE = 50;

export function summarizeImage(image: Image): ImageSummary {
  const ebs = (image.BlockDeviceMappings ?? []).flatMap((mapping) => (mapping.Ebs ? [mapping.Ebs] : []));
  const summary: ImageSummary = {
    imageId: image.ImageId ?? '',
    name: image.Name ?? image.ImageId ?? '',
    ownerId: image.OwnerId ?? '',
    state: image.State ?? 'unknown',
    isPublic: image.Public === true,
    snapshotIds: ebs.flatMap((device) => (device.SnapshotId ? [device.SnapshotId] : [])),
    anyEncrypted: ebs.some((device) => device.Encrypted === true),
  };
  if (image.Description) summary.description = image.Description;
  if (image.Tags?.length) summary.tags = Object.fromEntries(image.Tags.flatMap((tag) => (tag.Key !== undefined ? [[tag.Key, tag.Value ?? '']] : [])));
  if (image.CreationDate) summary.creationDate = image.CreationDate;
  if (image.Architecture) summary.architecture = image.Architecture;
  if (image.RootDeviceType) summary.rootDeviceType = image.RootDeviceType;
  if (image.RootDeviceName) summary.rootDeviceName = image.RootDeviceName;
  if (image.ImageOwnerAlias) summary.ownerAlias = image.ImageOwnerAlias;
  if (image.DeprecationTime) summary.deprecationTime = image.DeprecationTime;
  if (image.DeregistrationProtection) summary.deregistrationProtection = image.DeregistrationProtection;
  if (image.LastLaunchedTime) summary.lastLaunchedTime = image.LastLaunchedTime;
  const reason = [image.StateReason?.Code, image.StateReason?.Message].filter(Boolean).join(': ');
  if (reason) summary.stateReason = reason;
  return summary;
}

export function newestFirst(a: ImageSummary, b: ImageSummary): number {
  return (b.creationDate ?? '').localeCompare(a.creationDate ?? '') || a.imageId.localeCompare(b.imageId);
}

export type ImageListKind = 'owned' | 'sharedWithMe';

/**
 * Reads every page of an image listing. `onPage` sees the accumulated, sorted list after each page so a
 * view can show the first AMIs after one round trip.
 */
export async function listImages(
  gateway: AwsGateway,
  target: AwsTarget,
  kind: ImageListKind,
  /** `pageSize` sets every page's size, the first one's too. */
  options: CallOptions & { onPage?: (soFar: ImageSummary[], complete: boolean) => void; pageSize?: number } = {},
): Promise<ImageSummary[]> {
  const ownAccount = kind === 'sharedWithMe' ? await gateway.accountId(target.profile) : undefined;
  const images: ImageSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await gateway.send(target, new DescribeImagesCommand({
        // Disabled AMIs stay in My AMIs (to enable them), deprecated shares in Shared with me (still launchable by ID).
        ...(kind === 'owned' ? { Owners: ['self'], IncludeDisabled: true } : { ExecutableUsers: ['self'], IncludeDeprecated: true }),
        MaxResults: options.pageSize ?? (nextToken ? IMAGES_PAGE_SIZE : FIRST_IMAGES_PAGE_SIZE),
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
      options,
    );
    for (const image of page.Images ?? []) {
      const summary = summarizeImage(image);
      if (ownAccount === undefined || summary.ownerId !== ownAccount) images.push(summary);
    }
    images.sort(newestFirst);
    nextToken = page.NextToken || undefined;
    options.onPage?.([...images], nextToken === undefined);
  } while (nextToken);
  return images;
}

export async function describeImage(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<ImageSummary> {
  const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true }), {
    ...options,
    imageId,
  });
  const image = output.Images?.[0];
  if (!image) {
    const error = Object.assign(new Error(l10n.t('{0} not found', imageId)), { name: 'InvalidAMIID.NotFound' });
    throw error;
  }
  return summarizeImage(image);
}

export async function getLaunchPermissions(
  gateway: AwsGateway,
  target: AwsTarget,
  imageId: string,
  options: CallOptions = {},
): Promise<LaunchPermission[]> {
  // Made when the limiter lets it go: a big listing queues one of these per AMI (see sendWhenAllowed).
  const output = await gateway.sendWhenAllowed(target, DescribeImageAttributeCommand, { ImageId: imageId, Attribute: 'launchPermission' }, { ...options, imageId });
  return toLaunchPermissions(output.LaunchPermissions ?? []);
}

export async function modifyLaunchPermissions(
  gateway: AwsGateway,
  target: AwsTarget,
  imageId: string,
  change: { add: LaunchPermission[]; remove: LaunchPermission[] },
  options: CallOptions = {},
): Promise<string | undefined> {
  const output = await gateway.send(target, new ModifyImageAttributeCommand({
      ImageId: imageId,
      LaunchPermission: {
        ...(change.add.length ? { Add: change.add } : {}),
        ...(change.remove.length ? { Remove: change.remove } : {}),
      },
    }),
    { ...options, imageId },
  );
  return output.$metadata?.requestId;
}

export async function listRegionNames(gateway: AwsGateway, target: AwsTarget, options: CallOptions = {}): Promise<string[]> {
  const output = await gateway.send(target, new DescribeRegionsCommand({}), options);
  return (output.Regions ?? []).flatMap((region) => (region.RegionName ? [region.RegionName] : [])).sort();
}

/** Describes many AMIs with as few calls as possible (100 IDs a call); missing IDs are simply absent. */
export async function describeImagesByIds(gateway: AwsGateway, target: AwsTarget, imageIds: readonly string[], options: CallOptions = {}): Promise<Map<string, ImageSummary>> {
  const found = new Map<string, ImageSummary>();
  for (let start = 0; start < imageIds.length; start += 100) {
    const chunk = imageIds.slice(start, start + 100);
    try {
      // Disabled AMIs too: the lifecycle changes (EnableImage) address them.
      const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: chunk, IncludeDisabled: true }), options);
      for (const image of output.Images ?? []) found.set(image.ImageId ?? '', summarizeImage(image));
    } catch (error) {
      // One unknown ID fails the whole call; fall back to one call each so the others are still found.
      if (!/InvalidAMIID/.test((error as { code?: string }).code ?? '')) throw error;
      for (const imageId of chunk) {
        const single = await describeImage(gateway, target, imageId, options).catch(() => undefined);
        if (single) found.set(imageId, single);
      }
    }
  }
  return found;
}

/** `block-new-sharing` or `unblocked`; undefined when the caller may not read it. */
export async function getBlockPublicAccessState(gateway: AwsGateway, target: AwsTarget, options: CallOptions = {}): Promise<string | undefined> {
  const output = await gateway.send(target, new GetImageBlockPublicAccessStateCommand({}), options);
  return output.ImageBlockPublicAccessState;
}
