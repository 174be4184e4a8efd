import { canSeeImage } from './access';
import { usableUnderAllowedImages } from './allowedImages';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { ApiError, ec2Errors } from '../errors';
import { AMI_ID } from './validation';

/**
 * RunInstances, for `DryRun` only: the checks EC2 makes before launching, in EC2's words, and
 * `DryRunOperation` when they all pass. Nothing is launched (a call without DryRun is refused).
 * As in EC2 the encrypted volumes' KMS keys are not checked here: EC2 uses the key when the instance
 * starts, and an unusable key ends the launch with state reason `Client.InvalidKMSKey.InvalidState`.
 * Every account has a default VPC with a default subnet, so a launch without SubnetId finds one.
 */

/** EC2's default when InstanceType is left out. */
const DEFAULT_INSTANCE_TYPE = 'm1.small';

const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;

/** The architecture of an instance type: Graviton families carry a `g` after the generation (t4g, m7gd, c6gn), and a1. */
export function instanceTypeArchitecture(instanceType: string): 'x86_64' | 'arm64' | undefined {
  const match = INSTANCE_TYPE.exec(instanceType);
  if (!match) {
    return undefined;
  }
  const [, family = '', generation = '', attributes = ''] = match;
  if (family === 'a' && generation === '1') {
    return 'arm64';
  }
  return attributes.includes('g') ? 'arm64' : 'x86_64';
}

function requiredCount(context: Ec2Context, name: 'MinCount' | 'MaxCount'): number {
  const value = context.params.get(name);
  if (value === undefined || value === '') {
    throw ec2Errors.missingParameter(name);
  }
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter ${name.charAt(0).toLowerCase()}${name.slice(1)} is invalid. Expected a positive integer.`);
  }
  return count;
}

export const runInstances: Ec2Handler = (context) => {
  const { state, principal, region, params } = context;
  const imageId = params.get('ImageId');
  if (imageId === undefined || imageId === '') {
    throw ec2Errors.missingParameter('ImageId');
  }
  if (!AMI_ID.test(imageId)) {
    throw ec2Errors.amiMalformed(imageId);
  }
  const minCount = requiredCount(context, 'MinCount');
  const maxCount = requiredCount(context, 'MaxCount');
  if (minCount > maxCount) {
    throw ec2Errors.invalidParameterValue('MinCount must be less than or equal to MaxCount');
  }
  const instanceType = params.get('InstanceType') || DEFAULT_INSTANCE_TYPE;
  const instanceArchitecture = instanceTypeArchitecture(instanceType);
  if (!instanceArchitecture) {
    throw ec2Errors.invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  }
  const subnetId = params.get('SubnetId');
  if (subnetId !== undefined && subnetId !== '') {
    // Only default subnets exist here (the launch without SubnetId uses one).
    throw new ApiError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  }

  const image = state.image(region, imageId);
  // An AMI that is not shared with the caller (or that Allowed AMIs keeps from it) does not exist for it.
  if (
    !image ||
    image.state === 'deregistered' ||
    !canSeeImage(image, principal) ||
    !usableUnderAllowedImages(state, image, principal.accountId, region)
  ) {
    throw ec2Errors.amiNotFound(imageId);
  }
  if (image.state !== 'available') {
    throw ec2Errors.amiUnavailable(imageId, image.state);
  }
  if (image.architecture !== instanceArchitecture) {
    throw ec2Errors.invalidParameterValue(
      `The architecture '${instanceArchitecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  }
  if (params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  throw new ApiError('UnsupportedOperation', 'The test endpoint does not launch instances: call RunInstances with DryRun.');
};
