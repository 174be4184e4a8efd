import type { Ec2Context, Ec2Handler } from './ec2Context';
import {
  disableImageBlockPublicAccess,
  enableImageBlockPublicAccess,
  getImageBlockPublicAccessState,
} from './ec2AccountSettings';
import { getAllowedImagesSettings } from './ec2AllowedImages';
import { cancelImageLaunchPermission } from './ec2CancelLaunchPermission';
import { copyImage } from './ec2CopyImage';
import { describeImageAttribute, modifyImageAttribute, resetImageAttribute } from './ec2ImageAttributes';
import { describeImages } from './ec2Images';
import {
  deregisterImage,
  describeImageReferences,
  disableImage,
  disableImageDeprecation,
  disableImageDeregistrationProtection,
  enableImage,
  enableImageDeprecation,
  enableImageDeregistrationProtection,
} from './ec2Lifecycle';
import { describeRegions } from './ec2Regions';
import { runInstances } from './ec2RunInstances';
import {
  describeSnapshotAttribute,
  describeSnapshots,
  modifySnapshotAttribute,
  resetSnapshotAttribute,
} from './ec2Snapshots';
import { ec2Error, ec2Success, type AwsResponse } from '../envelopes';
import { ApiError, ec2Errors } from '../errors';

/** The EC2 actions the endpoint implements. Anything else fails with InvalidAction. */
const EC2_HANDLERS: Readonly<Record<string, Ec2Handler>> = {
  DescribeRegions: describeRegions,
  DescribeImages: describeImages,
  DescribeImageAttribute: describeImageAttribute,
  ModifyImageAttribute: modifyImageAttribute,
  ResetImageAttribute: resetImageAttribute,
  CopyImage: copyImage,
  DescribeSnapshots: describeSnapshots,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  ResetSnapshotAttribute: resetSnapshotAttribute,
  GetImageBlockPublicAccessState: getImageBlockPublicAccessState,
  EnableImageBlockPublicAccess: enableImageBlockPublicAccess,
  DisableImageBlockPublicAccess: disableImageBlockPublicAccess,
  GetAllowedImagesSettings: getAllowedImagesSettings,
  RunInstances: runInstances,
  CancelImageLaunchPermission: cancelImageLaunchPermission,
  EnableImageDeprecation: enableImageDeprecation,
  DisableImageDeprecation: disableImageDeprecation,
  EnableImageDeregistrationProtection: enableImageDeregistrationProtection,
  DisableImageDeregistrationProtection: disableImageDeregistrationProtection,
  DisableImage: disableImage,
  EnableImage: enableImage,
  DeregisterImage: deregisterImage,
  DescribeImageReferences: describeImageReferences,
};

export const EC2_ACTIONS: readonly string[] = Object.keys(EC2_HANDLERS);

export function handleEc2(action: string, context: Ec2Context, requestId: string): AwsResponse {
  try {
    const handler = Object.hasOwn(EC2_HANDLERS, action) ? EC2_HANDLERS[action] : undefined;
    if (!handler) {
      throw ec2Errors.invalidAction(action);
    }
    return ec2Success(action, requestId, handler(context));
  } catch (error) {
    if (error instanceof ApiError) {
      return ec2Error(error, requestId);
    }
    // A bug in the endpoint: report it like EC2 reports its own failures, and keep serving.
    return ec2Error(new ApiError('InternalError', `An internal error has occurred: ${String(error)}`, 500), requestId);
  }
}
