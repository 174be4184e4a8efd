/** Regions the endpoint knows about, for DescribeRegions and for rejecting calls to disabled Regions. */

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface RegionInfo {
  regionName: string;
  optInStatus: OptInStatus;
}

/** Standard Regions, used for DescribeRegions padding and for generated fixtures. */
export const STANDARD_REGIONS: readonly string[] = [
  'us-east-1',
  'eu-west-1',
  'us-east-2',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'us-west-1',
  'eu-west-2',
  'eu-north-1',
  'ap-south-1',
  'ap-southeast-1',
  'ca-central-1',
  'sa-east-1',
];

/** Returned only with AllRegions=true; calls to it fail like they do on AWS. */
export const NOT_OPTED_IN_REGIONS: readonly string[] = ['ap-east-1', 'me-south-1'];

/** How many extra (empty) standard Regions DescribeRegions lists besides the fixture's. */
const EXTRA_ENABLED_REGIONS = 4;

export function regionCatalogue(fixtureRegions: readonly string[]): RegionInfo[] {
  const enabled = [...fixtureRegions];
  for (const region of STANDARD_REGIONS) {
    if (enabled.length >= fixtureRegions.length + EXTRA_ENABLED_REGIONS) {
      break;
    }
    if (!enabled.includes(region)) {
      enabled.push(region);
    }
  }
  return [
    ...enabled.map((regionName): RegionInfo => ({ regionName, optInStatus: 'opt-in-not-required' })),
    ...NOT_OPTED_IN_REGIONS.filter((r) => !enabled.includes(r)).map(
      (regionName): RegionInfo => ({ regionName, optInStatus: 'not-opted-in' }),
    ),
  ];
}
