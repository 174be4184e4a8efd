import { DescribeImageAttributeCommand, DescribeImageReferencesCommand } from '@aws-sdk/client-ec2';
import { errorCode } from '../core/errors';
import { isUsageFailure, usageFailure, type AccountUsage, type ImageUsage, type ReferenceCounts, type UsageFailure, type UsageSubject } from '../core/usage';
import type { AwsTarget } from '../core/types';
import { AwsActionError, type AwsGateway, type CallOptions } from './gateway';
import { getLaunchPermissions } from './images';
import { profilesByAccount } from './recipients';

/**
 * Who still uses an AMI (SDK calls only; the lines are made in src/core/usage.ts): its last launched time
 * from the owner, and DescribeImageReferences in the owner account and in every affected account that has a
 * profile here, each through that account's own profile (EC2 shows a caller only its own resources).
 */

function failureOf(error: unknown): UsageFailure {
  if (error instanceof AwsActionError) {
    const status = (error.cause as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    return usageFailure(error.code, error.message, status);
  }
  return usageFailure(errorCode(error), error instanceof Error ? error.message : String(error));
}

async function attempt<T>(call: () => Promise<T>): Promise<T | UsageFailure> {
  try {
    return await call();
  } catch (error) {
    if ((error as Error)?.name === 'CancelledError') throw error;
    return failureOf(error);
  }
}

/** DescribeImageAttribute lastLaunchedTime (owner only; EC2 reports launches up to 24 hours late): null when none is recorded. */
export async function lastLaunchedTime(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<string | null> {
  const output = await gateway.send(target, new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'lastLaunchedTime' }), { ...options, imageId });
  return output.LastLaunchedTime?.Value ?? null;
}

/** The caller's own resources that reference the AMI, counted per resource type (every type, every page). */
export async function imageReferenceCounts(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<ReferenceCounts> {
  const counts: ReferenceCounts = {};
  let nextToken: string | undefined;
  do {
    const output = await gateway.send(
      target,
      new DescribeImageReferencesCommand({ ImageIds: [imageId], IncludeAllResourceTypes: true, ...(nextToken ? { NextToken: nextToken } : {}) }),
      { ...options, imageId },
    );
    for (const reference of output.ImageReferences ?? []) {
      const type = reference.ResourceType ?? 'unknown';
      counts[type] = (counts[type] ?? 0) + 1;
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return counts;
}

/**
 * The usage of each subject AMI. Accounts named directly are always listed (without a profile here: as not
 * checked); for organization, OU or public removals every other account with a profile here is asked too, and
 * left out when it does not see the AMI at all (it is no recipient).
 */
export async function readImageUsage(gateway: AwsGateway, subjects: readonly UsageSubject[], options: CallOptions = {}): Promise<ImageUsage[]> {
  const profiles = await profilesByAccount(gateway);
  return Promise.all(
    subjects.map(async (subject): Promise<ImageUsage> => {
      const { image } = subject;
      const owner = { profile: image.profile, region: image.region };
      const ownerAccount = await gateway.accountId(image.profile);
      let accounts = subject.accounts;
      let wide = subject.wide;
      let recipientsUnknown: UsageFailure | undefined;
      if (subject.readPermissions) {
        const permissions = await attempt(() => getLaunchPermissions(gateway, owner, image.imageId, options));
        if (isUsageFailure(permissions)) {
          recipientsUnknown = permissions;
        } else {
          accounts = [...new Set([...accounts, ...permissions.flatMap((p) => (p.UserId ? [p.UserId] : []))])];
          wide ||= permissions.some((p) => p.Group === 'all' || p.OrganizationArn !== undefined || p.OrganizationalUnitArn !== undefined);
        }
      }
      const direct = accounts.filter((a) => a !== ownerAccount);
      const others = wide ? [...profiles.keys()].filter((a) => a !== ownerAccount && !direct.includes(a)) : [];
      const [lastLaunched, ownerReferences, directUsage, otherUsage] = await Promise.all([
        attempt(() => lastLaunchedTime(gateway, owner, image.imageId, options)),
        attempt(() => imageReferenceCounts(gateway, owner, image.imageId, options)),
        Promise.all(direct.map((accountId) => recipientUsage(gateway, profiles.get(accountId), accountId, image.region, image.imageId, options))),
        Promise.all(others.map((accountId) => recipientUsage(gateway, profiles.get(accountId), accountId, image.region, image.imageId, options))),
      ]);
      const ownerUsage: AccountUsage = { accountId: ownerAccount, profile: image.profile, owner: true, references: ownerReferences };
      // Through an organization or OU share, an account that cannot see the AMI is not a recipient of it.
      const members = otherUsage.filter((u) => !(isUsageFailure(u.references) && u.references.code === 'InvalidAMIID.NotFound'));
      return { image, lastLaunched, accounts: [ownerUsage, ...directUsage, ...members], ...(recipientsUnknown ? { recipientsUnknown } : {}) };
    }),
  );
}

async function recipientUsage(gateway: AwsGateway, profile: string | undefined, accountId: string, region: string, imageId: string, options: CallOptions): Promise<AccountUsage> {
  if (!profile) return { accountId, owner: false };
  const references = await attempt(() => imageReferenceCounts(gateway, { profile, region }, imageId, options));
  return { accountId, profile, owner: false, references };
}
