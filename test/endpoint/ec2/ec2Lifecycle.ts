import { canSeeImage, isPublicImage } from './access';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { ownedImage } from './ec2ImageAttributes';
import { ApiError, ec2Errors } from '../errors';
import { paginate } from './paging';
import type { ImageRecord } from '../state';
import { AMI_ID } from './validation';
import { concat, itemList, text } from '../xml';

/**
 * The AMI lifecycle: deprecation, deregistration protection, disable/enable, deregister and
 * DescribeImageReferences, following the EC2 API reference (see README "How closely it follows AWS").
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** WithCooldown: protection stays for 24 hours after it is disabled. */
export const PROTECTION_COOLDOWN_MS = DAY_MS;

function addYears(time: number, years: number): number {
  const date = new Date(time);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

export function isDeprecated(image: ImageRecord, now = Date.now()): boolean {
  return image.deprecationTime !== undefined && Date.parse(image.deprecationTime) <= now;
}

export function isDeregistrationProtected(image: ImageRecord, now = Date.now()): boolean {
  const protection = image.deregistrationProtection;
  if (!protection) return false;
  return protection.enabled || Date.parse(protection.disabledUntil) > now;
}

/** DescribeImages' DeregistrationProtection string. */
export function deregistrationProtectionText(image: ImageRecord, now = Date.now()): string {
  const protection = image.deregistrationProtection;
  if (!protection) return 'disabled';
  if (protection.enabled) return protection.withCooldown ? 'enabled-with-cooldown' : 'enabled';
  return Date.parse(protection.disabledUntil) > now ? `disabled-until ${protection.disabledUntil}` : 'disabled';
}

function dryRun(context: Ec2Context): void {
  if (context.params.bool('DryRun')) throw ec2Errors.dryRun();
}

export const enableImageDeprecation: Ec2Handler = (context) => {
  const raw = context.params.get('DeprecateAt');
  if (raw === undefined || raw === '') throw ec2Errors.missingParameter('DeprecateAt');
  const image = ownedImage(context);
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) {
    throw ec2Errors.invalidParameterValue(`Value (${raw}) for parameter deprecateAt is invalid.`);
  }
  // "If you specify a value for seconds, Amazon EC2 rounds the seconds to the nearest minute."
  const rounded = Math.round(parsed / MINUTE_MS) * MINUTE_MS;
  const now = Date.now();
  if (rounded < now) {
    throw ec2Errors.invalidParameterValue(`The deprecation time ${new Date(rounded).toISOString()} is in the past.`);
  }
  const limit = isPublicImage(image) ? addYears(Date.parse(image.creationDate), 2) : addYears(now, 10);
  if (rounded > limit) {
    throw ec2Errors.invalidParameterValue(
      isPublicImage(image)
        ? `The deprecation time of a public AMI can be at most 2 years after its creation date (${new Date(limit).toISOString()}).`
        : `The deprecation time can be at most 10 years from now (${new Date(limit).toISOString()}).`,
    );
  }
  dryRun(context);
  image.deprecationTime = new Date(rounded).toISOString();
  return text('return', true);
};

export const disableImageDeprecation: Ec2Handler = (context) => {
  const image = ownedImage(context);
  dryRun(context);
  delete image.deprecationTime;
  return text('return', true);
};

export const enableImageDeregistrationProtection: Ec2Handler = (context) => {
  const image = ownedImage(context);
  dryRun(context);
  image.deregistrationProtection = { enabled: true, withCooldown: context.params.bool('WithCooldown') };
  return text('return', 'true');
};

export const disableImageDeregistrationProtection: Ec2Handler = (context) => {
  const image = ownedImage(context);
  dryRun(context);
  const protection = image.deregistrationProtection;
  if (protection?.enabled) {
    if (protection.withCooldown) {
      const until = new Date(Date.now() + PROTECTION_COOLDOWN_MS);
      until.setUTCMilliseconds(0);
      image.deregistrationProtection = { enabled: false, disabledUntil: until.toISOString().replace('.000Z', 'Z') };
    } else {
      delete image.deregistrationProtection;
    }
  }
  return text('return', 'true');
};

export const disableImage: Ec2Handler = (context) => {
  const image = ownedImage(context);
  if (image.state !== 'available') {
    throw ec2Errors.amiUnavailable(image.imageId, image.state);
  }
  dryRun(context);
  // "removes all launch permissions … If an AMI was public or previously shared, it is made private."
  image.state = 'disabled';
  image.launchPermissions = [];
  return text('return', true);
};

export const enableImage: Ec2Handler = (context) => {
  const image = ownedImage(context);
  if (image.state !== 'disabled') {
    throw new ApiError('IncorrectState', `The image '${image.imageId}' is not disabled (it is ${image.state}).`);
  }
  dryRun(context);
  // Recipients that lost access "do not regain access automatically".
  image.state = 'available';
  return text('return', true);
};

export const deregisterImage: Ec2Handler = (context) => {
  const image = ownedImage(context);
  if (isDeregistrationProtected(image)) {
    throw new ApiError(
      'OperationNotPermitted',
      `The AMI '${image.imageId}' can't be deregistered because deregistration protection is enabled (${deregistrationProtectionText(image)}). Disable deregistration protection first.`,
    );
  }
  dryRun(context);
  const deleteSnapshots = context.params.bool('DeleteAssociatedSnapshots');
  image.state = 'deregistered';
  image.launchPermissions = [];
  const results: Array<{ snapshotId: string; returnCode: string }> = [];
  if (deleteSnapshots) {
    const others = context.state
      .images({ region: image.region })
      .filter((other) => other.imageId !== image.imageId && other.state !== 'deregistered');
    for (const mapping of image.blockDeviceMappings) {
      // "If a snapshot is associated with multiple AMIs, it is not deleted."
      const shared = others.some((other) => other.blockDeviceMappings.some((m) => m.snapshotId === mapping.snapshotId));
      if (shared) {
        results.push({ snapshotId: mapping.snapshotId, returnCode: 'skipped' });
      } else {
        context.state.deleteSnapshot(image.ownerId, image.region, mapping.snapshotId);
        results.push({ snapshotId: mapping.snapshotId, returnCode: 'success' });
      }
    }
  }
  return concat(
    text('return', true),
    deleteSnapshots
      ? itemList('deleteSnapshotResultSet', results, (r) => [text('snapshotId', r.snapshotId), text('returnCode', r.returnCode)])
      : ('' as ReturnType<typeof text>),
  );
};

const REFERENCE_TYPES = new Set(['ec2:Instance', 'ec2:LaunchTemplate', 'ssm:Parameter', 'imagebuilder:ImageRecipe', 'imagebuilder:ContainerRecipe']);

/** The caller's own resources that reference the given AMIs (fixture-controlled; no instances are modelled). */
export const describeImageReferences: Ec2Handler = (context) => {
  const imageIds = context.params.list('ImageId');
  if (imageIds.length === 0) throw ec2Errors.missingParameter('ImageId');
  for (const id of imageIds) {
    if (!AMI_ID.test(id)) throw ec2Errors.amiMalformed(id);
    const image = context.state.image(context.region, id);
    if (!image || image.state === 'deregistered' || !canSeeImage(image, context.principal)) {
      throw ec2Errors.amiNotFound(id);
    }
  }
  const requested = context.params.members('ResourceType').map((member) => member.get('ResourceType') ?? '');
  for (const type of requested) {
    if (!REFERENCE_TYPES.has(type)) {
      throw ec2Errors.invalidParameterValue(`Value (${type}) for parameter resourceType is invalid.`);
    }
  }
  const all = context.params.bool('IncludeAllResourceTypes');
  if (!all && requested.length === 0) {
    throw ec2Errors.missingParameter('ResourceType or IncludeAllResourceTypes');
  }
  dryRun(context);
  const wanted = new Set(imageIds);
  const references = context.state
    .imageReferences(context.caller.accountId)
    .filter((ref) => ref.region === context.region && wanted.has(ref.imageId))
    .filter((ref) => all || requested.includes(ref.resourceType));
  const page = paginate('DescribeImageReferences', references, context.params);
  return concat(
    itemList('imageReferenceSet', page.items, (ref) => [text('imageId', ref.imageId), text('resourceType', ref.resourceType), text('arn', ref.arn)]),
    text('nextToken', page.nextToken),
  );
};
