import { FALLBACK_REGIONS, regionLabel } from '../core/regions';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import type { ExplorerNode } from '../tree/nodes';
import { pickProfile } from './pickProfile';

export type SelectRegionsArgument = ExplorerNode | { profile: string; regions?: string[] } | undefined;

/** Multi-select of the Regions shown under a profile; remembered per profile across restarts. */
export async function selectRegions(services: Services, argument: SelectRegionsArgument): Promise<string[] | undefined> {
  const profile = await profileOf(services, argument);
  if (!profile) return undefined;
  let chosen: string[] | undefined =
    argument && 'regions' in argument && Array.isArray(argument.regions) ? argument.regions.filter((r): r is string => typeof r === 'string') : undefined;
  if (!chosen) {
    const gateway = await services.gateway.get();
    const current = services.regionStore.get(profile) ?? [await gateway.defaultRegion(profile)];
    const available = await availableRegions(services, profile, current);
    chosen = await services.prompts.pickMany(
      available.map((region) => ({ label: regionLabel(region), description: region, picked: current.includes(region), value: region })),
      { title: `Regions to show for profile ${profile}`, placeHolder: 'Select one or more Regions' },
    );
    if (!chosen) return undefined;
  }
  if (chosen.length === 0) throw new Error('Select at least one Region.');
  await services.regionStore.set(profile, chosen);
  services.model.refreshProfile(profile);
  return chosen;
}

async function profileOf(services: Services, argument: SelectRegionsArgument): Promise<string | undefined> {
  if (argument && 'kind' in argument) return argument.kind === 'profile' ? argument.profile.name : 'profile' in argument ? String(argument.profile) : undefined;
  if (argument && typeof argument.profile === 'string') return argument.profile;
  return pickProfile(services, 'Select Regions: choose a profile');
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
