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
import { newestFirst } from '../core/imageOrder';
import { toLaunchPermissions } from '../core/launchPermissions';
import type { AwsTarget, ImageSummary, LaunchPermission } from '../core/types';

/**
 * AMIs per DescribeImages page. The SDK parses a page in one piece, in one turn of the extension host's event
 * loop: a page of 200 was 25–40 ms of XML parsing in a busy 5×4 listing (100–150 ms while the parser is
 * still cold), too long next to the garbage collector's pauses for a host shared with every other
 * extension. 100 halves that for one request more per 500 AMIs (5 instead of 3 of EC2's tokens).
 */
export const IMAGES_PAGE_SIZE = 100;
/**
 * The first page is smaller: it is what the view waits for, and in a listing of many profiles and Regions
 * each lane's share counts can start only once its first page is parsed. 20 first pages of 100 were
 * parsed one after another for half a second while the last lanes' buckets sat full (the endpoint's count
 * of refill lost; 25 AMIs parse in a quarter of the time, and the first AMI shows in half of it, measured).
 * 10 cut the worst lane's loss from 5.9 to 3.7–4.6 tokens again, for no more pages at 500 AMIs (10 + 4 × 100
 * + 90 is six pages, as 25 + 4 × 100 + 75 was) and about 0.15 of a page more on average.
 */
export const FIRST_IMAGES_PAGE_SIZE = 10;

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
      // The first page is what the view waits for. Later ones are parsed in turn with the share counts'
      // answers, not ahead of all of them: held back behind 100 pages (3.6 s of a 5×4×500 listing), the
      // counts' lookups went unanswered, few more were sent, and EC2's buckets sat full, their refill lost
      // (0.84 of the bound; 0.88 this way, measured). Their tokens are still taken as the user's.
      nextToken ? { ...options, parsePriority: 'background' } : options,
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

/** AMI IDs per DescribeImages call when describing many by ID. */
const IDS_PER_CALL = 100;

/**
 * AMIs in the first DescribeImages of a bulk read: one per planning lane, so the lanes start planning (and
 * the first write goes) a round trip and a page's parsing sooner. The next chunks double up to 100: a page of
 * 100 takes some 25 ms more than one of 16 to build and parse (measured against the endpoint), and when the
 * first AMIs all need their keys read (the newest are often the encrypted ones), the lanes start on the
 * short ones of the second chunk instead of waiting for a full page.
 */
export const FIRST_CHUNK_OF_IDS = 16;

/** The sizes of the chunks describing `count` AMIs: one call up to 100, else 16, 32, 64, then 100 each. */
export function chunkSizesOfIds(count: number): number[] {
  if (count <= IDS_PER_CALL) return count > 0 ? [count] : [];
  const sizes: number[] = [];
  let size = FIRST_CHUNK_OF_IDS;
  for (let left = count; left > 0; left -= sizes[sizes.length - 1]!) {
    sizes.push(Math.min(size, left));
    size = Math.min(IDS_PER_CALL, size * 2);
  }
  return sizes;
}

/**
 * DescribeImages by IDs in chunks, all sent at once; each chunk's AMIs as soon as that chunk is in.
 * `afterSent` runs right after each chunk is sent, before the next (bigger) one: what that chunk's AMIs need
 * next can go out behind it. A server that builds answers one at a time in arrival order (this project's
 * endpoint, other emulators) otherwise answers those small reads after every chunk.
 */
export function describeImagesByIdsInChunks(
  gateway: AwsGateway,
  target: AwsTarget,
  imageIds: readonly string[],
  options: CallOptions = {},
  afterSent?: (chunk: readonly string[]) => void,
): Array<{ imageIds: string[]; found: Promise<Map<string, ImageSummary>> }> {
  const chunks: string[][] = [];
  let start = 0;
  for (const size of chunkSizesOfIds(imageIds.length)) {
    chunks.push(imageIds.slice(start, start + size));
    start += size;
  }
  return chunks.map((chunk) => {
    const found = describeChunk(gateway, target, chunk, options);
    afterSent?.(chunk);
    return { imageIds: chunk, found };
  });
}

async function describeChunk(gateway: AwsGateway, target: AwsTarget, chunk: readonly string[], options: CallOptions): Promise<Map<string, ImageSummary>> {
  const found = new Map<string, ImageSummary>();
  try {
    // Disabled AMIs too: the lifecycle changes (EnableImage) address them.
    const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: [...chunk], IncludeDisabled: true }), options);
    for (const image of output.Images ?? []) found.set(image.ImageId ?? '', summarizeImage(image));
  } catch (error) {
    // One unknown ID fails the whole call; fall back to one call each so the others are still found.
    if (!/InvalidAMIID/.test((error as { code?: string }).code ?? '')) throw error;
    for (const imageId of chunk) {
      const single = await describeImage(gateway, target, imageId, options).catch(() => undefined);
      if (single) found.set(imageId, single);
    }
  }
  return found;
}

/** Describes many AMIs with as few calls as possible; missing IDs are simply absent. */
export async function describeImagesByIds(gateway: AwsGateway, target: AwsTarget, imageIds: readonly string[], options: CallOptions = {}): Promise<Map<string, ImageSummary>> {
  // Chunks at once, not one after another: three round trips of 100 AMIs each were 0.2 s of a bulk change (measured).
  const chunks = await Promise.all(describeImagesByIdsInChunks(gateway, target, imageIds, options).map((chunk) => chunk.found));
  return new Map(chunks.flatMap((chunk) => [...chunk]));
}

/** `block-new-sharing` or `unblocked`; undefined when the caller may not read it. */
export async function getBlockPublicAccessState(gateway: AwsGateway, target: AwsTarget, options: CallOptions = {}): Promise<string | undefined> {
  const output = await gateway.send(target, new GetImageBlockPublicAccessStateCommand({}), options);
  return output.ImageBlockPublicAccessState;
}
