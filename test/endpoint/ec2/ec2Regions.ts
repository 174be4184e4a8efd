import type { Ec2Handler } from './ec2Context';
import { ec2Errors } from '../errors';
import { applyFilters, readFilters } from './filters';
import { regionCatalogue, type RegionInfo } from '../regions';
import { concat, itemList, text } from '../xml';

function regionEndpoint(regionName: string): string {
  return `ec2.${regionName}.amazonaws.com`;
}

/** DescribeRegions: the fixture's Regions plus a few empty ones; disabled ones only with AllRegions. */
export const describeRegions: Ec2Handler = ({ state, params }) => {
  const catalogue = regionCatalogue(state.regions());
  const names = params.list('RegionName');
  for (const name of names) {
    if (!catalogue.some((r) => r.regionName === name)) {
      throw ec2Errors.invalidParameterValue(`Invalid region: ${name}`);
    }
  }
  let regions = params.bool('AllRegions') ? catalogue : catalogue.filter((r) => r.optInStatus !== 'not-opted-in');
  if (names.length > 0) {
    regions = regions.filter((r) => names.includes(r.regionName));
  }
  regions = applyFilters(regions, readFilters(params), {
    'region-name': (r: RegionInfo) => r.regionName,
    endpoint: (r: RegionInfo) => regionEndpoint(r.regionName),
    'opt-in-status': (r: RegionInfo) => r.optInStatus,
  });
  return concat(
    itemList('regionInfo', regions, (r) => [
      text('regionName', r.regionName),
      text('regionEndpoint', regionEndpoint(r.regionName)),
      text('optInStatus', r.optInStatus),
    ]),
  );
};

/** True when calls to this Region should fail because the account has not enabled it. */
export function isDisabledRegion(fixtureRegions: readonly string[], region: string): boolean {
  return regionCatalogue(fixtureRegions).some((r) => r.regionName === region && r.optInStatus === 'not-opted-in');
}
