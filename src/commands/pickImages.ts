import { regionLabel } from '../core/regions';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import type { ImageRef } from './imageRefs';
import { pickProfile } from './pickProfile';

/** Palette flow: profile → Region → AMI(s), each asked only when there is a choice to make. */
export async function pickImages(services: Services, title: string, many: boolean): Promise<ImageRef[] | undefined> {
  const profile = await pickProfile(services, `${title}: choose a profile`);
  if (!profile) return undefined;
  const gateway = await services.gateway.get();
  const regions = services.regionStore.get(profile) ?? [await gateway.defaultRegion(profile)];
  const region =
    regions.length === 1
      ? regions[0]
      : await services.prompts.pickOne(
          regions.map((r) => ({ label: regionLabel(r), description: r, value: r })),
          { title: `${title}: choose a Region`, placeHolder: 'Region' },
        );
  if (!region) return undefined;
  const aws = await loadAws();
  const images = await aws.listImages(gateway, { profile, region }, 'owned', { priority: 'user' });
  if (images.length === 0) throw new Error(`Profile ${profile} owns no AMIs in ${region}.`);
  const items = images.map((image) => ({
    label: image.name || image.imageId,
    description: `${image.imageId} · ${image.state}`,
    value: { profile, region, imageId: image.imageId, name: image.name },
  }));
  const options = { title: `${title}: choose ${many ? 'AMIs' : 'an AMI'}`, placeHolder: 'AMI name or ID' };
  if (many) return services.prompts.pickMany(items, options);
  const one = await services.prompts.pickOne(items, options);
  return one ? [one] : undefined;
}
