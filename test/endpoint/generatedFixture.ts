import { DEFAULT_ORGANIZATION, defaultFixture } from './defaultFixture';
import type { AccountFixture, Fixture, LaunchPermission } from './fixture';
import { buildAmi, buildCustomerKey, kmsKeyArnFor } from './fixtureBuilders';
import { STANDARD_REGIONS } from './regions';

export interface GeneratedFixtureOptions {
  /** Number of accounts. The first three reuse dev, prod and tools (same ids and keys). */
  accounts: number;
  /** Region names, or how many standard Regions to use (starting with us-east-1, eu-west-1). */
  regions: number | readonly string[];
  imagesPerRegion: number;
}

/** EC2 allows at most this many public AMIs per account and Region. */
const MAX_PUBLIC_PER_REGION = 5;

function extraAccountId(index: number): string {
  return `5${String(index).padStart(11, '0')}`;
}

function extraAccessKeyId(index: number): string {
  return `AKIAGEN${String(index).padStart(13, '0')}`;
}

/**
 * A large, deterministic fixture for scale tests (thousands of AMIs). Sharing follows simple
 * modular rules so tests can compute expectations: image i is shared with the next account when
 * i % 5 === 1, with the organization when i % 7 === 2, public when i % 97 === 3 and unencrypted (at most 5 per
 * Region), pending when i % 50 === 49, and encrypted with a customer managed key when i % 3 === 0
 * (one key per account and Region, `alias/gen`, default key policy).
 */
export function generatedFixture(options: GeneratedFixtureOptions): Fixture {
  const base = defaultFixture();
  const regions =
    typeof options.regions === 'number' ? STANDARD_REGIONS.slice(0, options.regions) : [...options.regions];

  const identities: AccountFixture[] = [];
  for (let index = 0; index < options.accounts; index++) {
    const known = base.accounts[index];
    identities.push(
      known
        ? { ...known, images: [], snapshots: [], kmsKeys: [] }
        : {
            accountId: extraAccountId(index),
            alias: `generated-${index}`,
            accessKeys: [
              { accessKeyId: extraAccessKeyId(index), secretAccessKey: `gensecret${index}`, userName: `user-${index}` },
            ],
            organization: { organizationId: DEFAULT_ORGANIZATION.id, organizationalUnitIds: [] },
            images: [],
            snapshots: [],
            kmsKeys: [],
          },
    );
  }

  identities.forEach((account, accountIndex) => {
    const next = identities[(accountIndex + 1) % identities.length];
    for (const region of regions) {
      const cmk = kmsKeyArnFor(account.accountId, region, 'gen');
      account.kmsKeys?.push(
        buildCustomerKey(account.accountId, {
          region,
          name: 'gen',
          description: 'Key of the generated encrypted AMIs',
          creationDate: '2026-01-01T00:00:00.000Z',
        }),
      );
      let publicCount = 0;
      for (let i = 0; i < options.imagesPerRegion; i++) {
        const launchPermissions: LaunchPermission[] = [];
        if (i % 5 === 1 && next && next !== account) {
          launchPermissions.push({ UserId: next.accountId });
        }
        if (i % 7 === 2) {
          launchPermissions.push({ OrganizationArn: DEFAULT_ORGANIZATION.arn });
        }
        const encrypted = i % 3 === 0;
        if (i % 97 === 3 && !encrypted && publicCount < MAX_PUBLIC_PER_REGION) {
          launchPermissions.push({ Group: 'all' });
          publicCount++;
        }
        const day = 1 + (i % 28);
        const built = buildAmi(account.accountId, {
          name: `gen-${account.alias}-${region}-${String(i).padStart(5, '0')}`,
          region,
          creationDate: new Date(Date.UTC(2026, 10 - (i % 12), day, i % 24, i % 60)).toISOString(),
          state: i % 50 === 49 ? 'pending' : 'available',
          launchPermissions,
          disks: [{ sizeGiB: 8 + (i % 4) * 8, ...(encrypted ? { encryption: { kmsKeyId: cmk } } : {}) }],
        });
        account.images.push(built.image);
        account.snapshots.push(...built.snapshots);
      }
    }
  });

  const accountIds = new Set(identities.map((a) => a.accountId));
  return {
    regions,
    accounts: identities,
    roles: base.roles.filter((role) => accountIds.has(role.roleArn.split(':')[4] ?? '')),
    expiredAccessKeyIds: base.expiredAccessKeyIds,
  };
}
