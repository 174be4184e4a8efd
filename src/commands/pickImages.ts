import * as l10n from '@vscode/l10n';
import { regionLabel } from '../core/regions';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import type { ImageRef } from './imageRefs';
import { pickProfile } from './pickProfile';

/** Palette flow: profile → Region → AMI(s), each asked only when there is a choice to make. */
export async function pickImages(services: Services, title: string, many: boolean): Promise<ImageRef[] | undefined> {
  const profile = await pickProfile(services, l10n.t('{0}: choose a profile', title));
  if (!profile) return undefined;
  const gateway = await services.gateway.get();
  const regions = services.regionStore.get(profile) ?? [await gateway.defaultRegion(profile)];
  const region =
    regions.length === 1
      ? regions[0]
      : await services.prompts.pickOne(
          regions.map((r) => ({ label: regionLabel(r), description: r, value: r })),
          { title: l10n.t('{0}: choose a Region', title), placeHolder: l10n.t('Region') },
        );
  if (!region) return undefined;
  const aws = await loadAws();
  const images = await aws.listImages(gateway, { profile, region }, 'owned', { priority: 'user' });
  if (images.length === 0) throw new Error(l10n.t('Profile {0} owns no AMIs in {1}.', profile, region));
  const items = images.map((image) => ({
    label: image.name || image.imageId,
    description: l10n.t('{0} · {1}', image.imageId, image.state),
    value: { profile, region, imageId: image.imageId, name: image.name },
  }));
  const options = { title: many ? l10n.t('{0}: choose AMIs', title) : l10n.t('{0}: choose an AMI', title), placeHolder: l10n.t('AMI name or ID') };
  if (many) return services.prompts.pickMany(items, options);
  const one = await services.prompts.pickOne(items, options);
  return one ? [one] : undefined;
}
