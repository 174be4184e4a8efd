import type { Ec2Context, Ec2Handler } from './ec2Context';
import { ec2Errors } from '../errors';
import { text, concat } from '../xml';

/**
 * Block public access for AMIs, per account and Region (state.imageBlockPublicAccess). EC2 takes up
 * to 10 minutes to apply Enable/Disable (GetImageBlockPublicAccessState shows the old value meanwhile);
 * here the change is immediate.
 */

function stateValue(blocked: boolean): string {
  return blocked ? 'block-new-sharing' : 'unblocked';
}

export const getImageBlockPublicAccessState: Ec2Handler = ({ state, caller, region }) =>
  concat(
    text('imageBlockPublicAccessState', stateValue(state.imageBlockPublicAccess(caller.accountId, region))),
    text('managedBy', 'account'),
  );

export const enableImageBlockPublicAccess: Ec2Handler = (context: Ec2Context) => {
  const value = context.params.get('ImageBlockPublicAccessState');
  if (value === undefined || value === '') {
    throw ec2Errors.missingParameter('ImageBlockPublicAccessState');
  }
  if (value !== 'block-new-sharing') {
    throw ec2Errors.invalidParameterValue(
      `Value (${value}) for parameter imageBlockPublicAccessState is invalid. Valid values: block-new-sharing`,
    );
  }
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  context.state.setImageBlockPublicAccess(context.caller.accountId, context.region, true);
  return text('imageBlockPublicAccessState', stateValue(true));
};

export const disableImageBlockPublicAccess: Ec2Handler = (context: Ec2Context) => {
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  context.state.setImageBlockPublicAccess(context.caller.accountId, context.region, false);
  return text('imageBlockPublicAccessState', stateValue(false));
};
