import { canSeeImage } from './access';
import type { Ec2Handler } from './ec2Context';
import { ApiError, ec2Errors } from '../errors';
import { AMI_ID } from './validation';
import { text } from '../xml';

/**
 * CancelImageLaunchPermission: the caller removes its own account from an AMI's launch permissions.
 * EC2 User Guide ("Cancel having an AMI shared with your AWS account"): only for AMIs shared with the
 * account directly — not for AMIs shared with an organization or OU, nor public ones; the owner can
 * share it again. The error codes and messages for those cases are not documented (unverified).
 */
export const cancelImageLaunchPermission: Ec2Handler = ({ state, principal, region, params }) => {
  const imageId = params.get('ImageId');
  if (imageId === undefined || imageId === '') {
    throw ec2Errors.missingParameter('ImageId');
  }
  if (!AMI_ID.test(imageId)) {
    throw ec2Errors.amiMalformed(imageId);
  }
  const image = state.image(region, imageId);
  if (!image || image.state === 'deregistered' || !canSeeImage(image, principal)) {
    throw ec2Errors.amiNotFound(imageId);
  }
  if (image.ownerId === principal.accountId) {
    throw new ApiError('OperationNotPermitted', `You own AMI ${imageId}: change its launch permissions with ModifyImageAttribute.`);
  }
  if (!image.launchPermissions.some((p) => p.UserId === principal.accountId)) {
    throw new ApiError(
      'OperationNotPermitted',
      `AMI ${imageId} is not shared with account ${principal.accountId} directly; launch permissions through an organization, an organizational unit or public access cannot be cancelled.`,
    );
  }
  if (params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  image.launchPermissions = image.launchPermissions.filter((p) => p.UserId !== principal.accountId);
  return text('return', true);
};
