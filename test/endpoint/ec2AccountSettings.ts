import type { Ec2Handler } from './ec2Context';
import { text, concat } from './xml';

/** GetImageBlockPublicAccessState: per account, from the fixture's `imageBlockPublicAccess` flag. */
export const getImageBlockPublicAccessState: Ec2Handler = ({ state, caller }) => {
  const blocked = state.account(caller.accountId)?.imageBlockPublicAccess === true;
  return concat(
    text('imageBlockPublicAccessState', blocked ? 'block-new-sharing' : 'unblocked'),
    text('managedBy', 'account'),
  );
};
