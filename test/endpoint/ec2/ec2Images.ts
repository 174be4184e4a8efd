import { allowedImagesOf } from './allowedImages';
import { canSeeImage, isExplicitlySharedWith, isPublicImage, type Principal } from './access';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { isDeprecated } from './ec2Lifecycle';
import { renderImage } from './ec2Render';
import { ec2Errors } from '../errors';
import { applyFilters, readFilters, type FieldReader } from './filters';
import { paginate } from './paging';
import type { EndpointState, ImageRecord } from '../state';
import { ACCOUNT_ID, AMI_ID } from './validation';
import { concat, itemList, text } from '../xml';

/** Owner aliases of AMIs published by AWS; the fixture has none, so they match nothing. */
const AWS_OWNER_ALIASES = new Set(['amazon', 'aws-marketplace', 'aws-backup-vault']);

function imageFilterFields(state: EndpointState): Record<string, FieldReader<ImageRecord>> {
  const snapshotsOf = (image: ImageRecord) =>
    image.blockDeviceMappings.map((m) => state.snapshot(image.region, m.snapshotId));
  return {
    'image-id': (image) => image.imageId,
    name: (image) => image.name,
    description: (image) => image.description,
    state: (image) => image.state,
    'owner-id': (image) => image.ownerId,
    'is-public': (image) => String(isPublicImage(image)),
    architecture: (image) => image.architecture,
    'image-type': () => 'machine',
    'root-device-type': () => 'ebs',
    'block-device-mapping.snapshot-id': (image) => image.blockDeviceMappings.map((m) => m.snapshotId),
    'block-device-mapping.encrypted': (image) => snapshotsOf(image).map((s) => String(s?.encrypted ?? false)),
  };
}

function matchesOwner(image: ImageRecord, owner: string, caller: Principal): boolean {
  if (owner === 'self') {
    return image.ownerId === caller.accountId;
  }
  if (AWS_OWNER_ALIASES.has(owner)) {
    return false;
  }
  return image.ownerId === owner;
}

/**
 * ExecutableUsers: `self` = shared with the caller's account, organization or OU (the caller's own
 * AMIs and merely public ones are not included); another account id = that account's direct
 * shares only; `all` = public AMIs.
 */
function matchesExecutableBy(image: ImageRecord, user: string, caller: Principal): boolean {
  if (user === 'all') {
    return isPublicImage(image);
  }
  if (user === 'self' || user === caller.accountId) {
    return image.ownerId !== caller.accountId && isExplicitlySharedWith(image, caller);
  }
  return image.launchPermissions.some((p) => p.UserId === user);
}

function byImageIds(visible: ImageRecord[], imageIds: string[]): ImageRecord[] {
  for (const id of imageIds) {
    if (!AMI_ID.test(id)) {
      throw ec2Errors.amiMalformed(id);
    }
  }
  const wanted = new Set(imageIds);
  const found = visible.filter((image) => wanted.has(image.imageId));
  const missing = imageIds.find((id) => !found.some((image) => image.imageId === id));
  if (missing) {
    throw ec2Errors.amiNotFound(missing);
  }
  return found;
}

export const describeImages: Ec2Handler = ({ state, principal, region, params, imageOrderSeed }: Ec2Context) => {
  const imageIds = params.list('ImageId');
  const owners = params.list('Owner');
  const executableBy = params.list('ExecutableBy');
  const filters = readFilters(params);
  if (imageIds.length > 0 && params.has('MaxResults')) {
    throw ec2Errors.invalidParameterCombination('The parameter imageIdsSet cannot be used with the parameter maxResults');
  }
  for (const owner of owners) {
    if (owner !== 'self' && !AWS_OWNER_ALIASES.has(owner) && !ACCOUNT_ID.test(owner)) {
      throw ec2Errors.invalidParameterValue(`Invalid value '${owner}' for ownerId`);
    }
  }

  const includeDisabled = params.bool('IncludeDisabled');
  // Deprecated AMIs: hidden from other accounts unless IncludeDeprecated or asked for by id; owners always see them.
  const includeDeprecated = params.bool('IncludeDeprecated') || imageIds.length > 0;
  const allowed = allowedImagesOf(state, principal.accountId, region);
  // Owners first: it is the cheap test that drops most AMIs (a listing of one's own in a Region of many
  // accounts), and the filters commute.
  let images = state
    .images({ region })
    .filter((image) => owners.length === 0 || owners.some((owner) => matchesOwner(image, owner, principal)))
    .filter((image) => image.state !== 'deregistered')
    .filter((image) => includeDisabled || image.state !== 'disabled')
    .filter((image) => canSeeImage(image, principal))
    // Allowed AMIs (enabled) keeps AMIs that match no criterion from being discovered.
    .filter((image) => allowed.usable(image))
    .filter((image) => includeDeprecated || image.ownerId === principal.accountId || !isDeprecated(image));

  if (imageIds.length > 0) {
    images = byImageIds(images, imageIds);
  }
  if (executableBy.length > 0) {
    images = images.filter((image) => executableBy.some((user) => matchesExecutableBy(image, user, principal)));
  }
  images = applyFilters(images, filters, imageFilterFields(state), (image) => image.tags);
  // EC2 documents no order: a seeded shuffle, so nothing relies on one by accident. The seed rides in
  // NextToken, so the pages of one listing neither overlap nor skip.
  const page = paginate('DescribeImages', images, params, { seed: imageOrderSeed, key: (image) => image.imageId });
  return concat(
    itemList('imagesSet', page.items, (image) =>
      renderImage(image, state, allowed.field(image), image.ownerId === principal.accountId),
    ),
    text('nextToken', page.nextToken),
  );
};
