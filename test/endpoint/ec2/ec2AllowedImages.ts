import type { Ec2Handler } from './ec2Context';
import { concat, itemList, node, text } from '../xml';

/** GetAllowedImagesSettings: the caller's Allowed AMIs state and criteria in the request's Region. */
export const getAllowedImagesSettings: Ec2Handler = ({ state, caller, region }) => {
  const settings = state.allowedImages(caller.accountId, region);
  const criteria = settings.imageProviders.length > 0 ? [settings.imageProviders] : [];
  return concat(
    text('state', settings.state),
    itemList('imageCriterionSet', criteria, (providers) => [
      node('imageProviderSet', ...providers.map((provider) => text('item', provider))),
    ]),
    text('managedBy', 'account'),
  );
};
