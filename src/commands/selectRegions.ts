import * as l10n from '@vscode/l10n';
import { loadAws } from '../awsLoader';
import { FALLBACK_REGIONS, regionLabel } from '../core/regions';
import type { Services } from '../services';
import { ArgumentError, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { pickProfile } from './pickProfile';

/** Multi-select of the Regions shown under a profile; remembered per profile across restarts. */
export async function selectRegions(services: Services, call: Invocation): Promise<string[] | undefined> {
  let profile: string | undefined;
  let chosen: string[] | undefined;
  if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'regions');
    profile = argument.text('profile', PROFILE_NAME);
    const regions = argument.optionalList('regions', REGION_NAME);
    if (regions) chosen = [...new Set(regions)];
  } else if (call.kind === 'nodes') {
    const node = call.nodes[0]!;
    if (node.kind !== 'profile') throw new ArgumentError(l10n.t('amiSharing.selectRegions: choose a profile in the tree.'));
    profile = node.profile.name;
  } else {
    profile = await pickProfile(services, l10n.t('Select Regions: choose a profile'));
  }
  if (!profile) return undefined;
  if (!chosen) {
    const gateway = await services.gateway.get();
    const current = services.regionStore.get(profile) ?? [await gateway.defaultRegion(profile)];
    const available = await availableRegions(services, profile, current);
    chosen = await services.prompts.pickMany(
      available.map((region) => ({ label: regionLabel(region), description: region, picked: current.includes(region), value: region })),
      { title: l10n.t('Regions to show for profile {0}', profile), placeHolder: l10n.t('Select one or more Regions') },
    );
    if (!chosen) return undefined;
  }
  if (chosen.length === 0) throw new Error(l10n.t('Select at least one Region.'));
  await services.regionStore.set(profile, chosen);
  services.model.refreshProfile(profile);
  return chosen;
}

async function availableRegions(services: Services, profile: string, current: string[]): Promise<string[]> {
  try {
    const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
    const regions = await aws.listRegionNames(gateway, { profile, region: current[0] ?? (await gateway.defaultRegion(profile)) });
    if (regions.length > 0) return [...new Set([...regions, ...current])].sort();
  } catch (error) {
    services.log.warn(`DescribeRegions failed for ${profile}; using the built-in Region list: ${(error as Error).message}`);
  }
  return [...new Set([...FALLBACK_REGIONS, ...current])].sort();
}
