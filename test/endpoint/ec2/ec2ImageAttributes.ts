import { canSeeImage, isPublicImage } from './access';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { renderBlockDeviceMappings, renderLaunchPermission } from './ec2Render';
import { ApiError, ec2Errors } from '../errors';
import { deregistrationProtectionText } from './ec2Lifecycle';
import {
  applyGrantChange,
  LAUNCH_PERMISSION_KINDS,
  launchPermissionGrants,
  readGrantChange,
  toLaunchPermission,
  type Grant,
  type GrantChange,
} from './permissionChanges';
import type { ImageRecord } from '../state';
import { ACCOUNT_ID, AMI_ID, ORGANIZATION_ARN, ORGANIZATIONAL_UNIT_ARN } from './validation';
import { concat, itemList, node, text, type Xml } from '../xml';

/** Quota: accounts, organizations and OUs an AMI can be shared with, per Region. */
export const MAX_LAUNCH_PERMISSION_ENTITIES = 1000;
/** Quota: public AMIs per account and Region. */
export const MAX_PUBLIC_IMAGES_PER_REGION = 5;

const READABLE_ATTRIBUTES = new Set([
  'launchPermission',
  'description',
  'blockDeviceMapping',
  'productCodes',
  'kernel',
  'ramdisk',
  'sriovNetSupport',
  'bootMode',
  'tpmSupport',
  'uefiData',
  'lastLaunchedTime',
  'imdsSupport',
  'deregistrationProtection',
]);

function requireParam(context: Ec2Context, name: string): string {
  const value = context.params.get(name);
  if (value === undefined || value === '') {
    throw ec2Errors.missingParameter(name);
  }
  return value;
}

/** The image if the caller owns it; NotFound when the caller cannot see it at all, AuthFailure otherwise. */
export function ownedImage(context: Ec2Context): ImageRecord {
  const imageId = requireParam(context, 'ImageId');
  if (!AMI_ID.test(imageId)) {
    throw ec2Errors.amiMalformed(imageId);
  }
  const image = context.state.image(context.region, imageId);
  if (!image || image.state === 'deregistered' || !canSeeImage(image, context.principal)) {
    throw ec2Errors.amiNotFound(imageId);
  }
  if (image.ownerId !== context.caller.accountId) {
    throw ec2Errors.notAuthorizedForImage(imageId);
  }
  return image;
}

/** Item type names in EC2's InvalidAMIAttributeItemValue messages (`… for UserGroup item type.`). */
const ITEM_TYPE: Record<Grant['kind'], string> = {
  UserId: 'userId',
  Group: 'UserGroup',
  OrganizationArn: 'OrganizationArn',
  OrganizationalUnitArn: 'OrganizationalUnitArn',
};

function isValidGrant(grant: Grant): boolean {
  switch (grant.kind) {
    case 'UserId':
      return ACCOUNT_ID.test(grant.value);
    case 'Group':
      return grant.value === 'all';
    case 'OrganizationArn':
      return ORGANIZATION_ARN.test(grant.value);
    case 'OrganizationalUnitArn':
      return ORGANIZATIONAL_UNIT_ARN.test(grant.value);
  }
}

function validateGrants(change: GrantChange): void {
  for (const grant of [...change.add, ...change.remove]) {
    if (!isValidGrant(grant)) {
      throw new ApiError(
        'InvalidAMIAttributeItemValue',
        `Invalid attribute item value "${grant.value}" for ${ITEM_TYPE[grant.kind]} item type.`,
      );
    }
  }
}

/** Checks that only matter when permissions are being granted. */
function validateAdditions(context: Ec2Context, image: ImageRecord, change: GrantChange): void {
  if (change.add.length === 0) {
    return;
  }
  const snapshots = image.blockDeviceMappings.map((m) => context.state.snapshot(image.region, m.snapshotId));
  if (snapshots.some((s) => s?.awsManagedKey)) {
    throw new ApiError(
      'InvalidParameter',
      "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot.",
    );
  }
  const makesPublic = change.add.some((g) => g.kind === 'Group') && !isPublicImage(image);
  if (!makesPublic) {
    return;
  }
  // Codes and wording are EC2's for block public access and the public AMI quota; the encrypted-image wording is approximated.
  if (snapshots.some((s) => s?.encrypted)) {
    throw new ApiError('InvalidParameter', `Encrypted image ${image.imageId} cannot be made public.`);
  }
  if (context.state.imageBlockPublicAccess(image.ownerId, image.region)) {
    throw new ApiError(
      'OperationNotPermitted',
      'You can’t publicly share this image because block public access for AMIs is enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess API.',
    );
  }
  const publicCount = context.state
    .images({ accountId: image.ownerId, region: image.region })
    .filter((other) => other.imageId !== image.imageId && isPublicImage(other)).length;
  if (publicCount >= MAX_PUBLIC_IMAGES_PER_REGION) {
    throw new ApiError(
      'ResourceLimitExceeded',
      `You have reached your quota of ${MAX_PUBLIC_IMAGES_PER_REGION} for the number of public images allowed in this Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.`,
    );
  }
}

function modifyLaunchPermissions(context: Ec2Context, image: ImageRecord, change: GrantChange): void {
  // Validate the whole request before changing anything: EC2 applies all of it or none.
  validateGrants(change);
  if (image.state !== 'available') {
    throw ec2Errors.amiUnavailable(image.imageId, image.state);
  }
  validateAdditions(context, image, change);
  // The owner can always launch its AMI: EC2 accepts its own account id in an Add but never lists it.
  const effective = { ...change, add: change.add.filter((grant) => !(grant.kind === 'UserId' && grant.value === image.ownerId)) };
  const next = applyGrantChange(launchPermissionGrants(image.launchPermissions), effective);
  const entities = next.filter((grant) => grant.kind !== 'Group').length;
  if (entities > MAX_LAUNCH_PERMISSION_ENTITIES) {
    // Code and wording unverified: EC2's documentation names the quota but not the error.
    throw new ApiError(
      'ResourceLimitExceeded',
      `The image ${image.imageId} would be shared with ${entities} entities; the limit is ${MAX_LAUNCH_PERMISSION_ENTITIES} per image and Region.`,
    );
  }
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  image.launchPermissions = next.map(toLaunchPermission);
}

export const modifyImageAttribute: Ec2Handler = (context) => {
  const image = ownedImage(context);
  const attribute = context.params.get('Attribute');
  const change = readGrantChange(context.params, 'LaunchPermission', LAUNCH_PERMISSION_KINDS);
  const description =
    context.params.get('Description.Value') ?? (attribute === 'description' ? context.params.get('Value') : undefined);

  if (change) {
    if (attribute !== undefined && attribute !== 'launchPermission') {
      throw ec2Errors.invalidParameterCombination(
        `Launch permission parameters cannot be combined with the attribute '${attribute}'.`,
      );
    }
    // `OperationType=add` with an empty list (the SDK sends no list entries at all) is a request
    // without anything to modify: EC2 refuses it rather than answering 200.
    if (change.add.length === 0 && change.remove.length === 0) {
      throw ec2Errors.noAttributesSpecified();
    }
    modifyLaunchPermissions(context, image, change);
  } else if (description !== undefined) {
    if (context.params.bool('DryRun')) {
      throw ec2Errors.dryRun();
    }
    image.description = description;
  } else {
    // No attribute at all, or an attribute name without a value.
    throw ec2Errors.noAttributesSpecified();
  }
  return text('return', true);
};

export const describeImageAttribute: Ec2Handler = (context) => {
  const attribute = requireParam(context, 'Attribute');
  if (!READABLE_ATTRIBUTES.has(attribute)) {
    throw ec2Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
  const image = ownedImage(context);
  let value: Xml = '' as Xml;
  switch (attribute) {
    case 'launchPermission':
      value = itemList('launchPermission', image.launchPermissions, renderLaunchPermission);
      break;
    case 'description':
      value = node('description', text('value', image.description));
      break;
    case 'blockDeviceMapping':
      value = renderBlockDeviceMappings(image, context.state);
      break;
    case 'bootMode':
      value = node('bootMode', text('value', 'uefi-preferred'));
      break;
    case 'imdsSupport':
      value = node('imdsSupport', text('value', 'v2.0'));
      break;
    case 'lastLaunchedTime':
      // Owner only (ownedImage); EC2 reports launches with up to 24 hours' delay, the fixture sets it directly.
      value = node('lastLaunchedTime', text('value', image.lastLaunchedTime));
      break;
    case 'deregistrationProtection':
      value = node('deregistrationProtection', text('value', deregistrationProtectionText(image)));
      break;
  }
  return concat(text('imageId', image.imageId), value);
};

export const resetImageAttribute: Ec2Handler = (context) => {
  const attribute = requireParam(context, 'Attribute');
  if (attribute !== 'launchPermission') {
    throw ec2Errors.invalidParameterValue(
      `Value (${attribute}) for parameter attribute is invalid. Only launchPermission can be reset.`,
    );
  }
  const image = ownedImage(context);
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  // Removes explicit and public permissions; the owner keeps its implicit launch right.
  image.launchPermissions = [];
  return text('return', true);
};
