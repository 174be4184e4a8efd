import * as l10n from '@vscode/l10n';
import { DescribeImagesCommand, GetAllowedImagesSettingsCommand, RunInstancesCommand, type _InstanceType } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { AwsActionError, type AwsGateway, type CallOptions } from './gateway';
import { describeSnapshots, describeKey, getKeyPolicy, regionOfKey } from './encryption';
import { getLaunchPermissions } from './images';
import { getVolumePermissions } from './snapshotPermissions';
import { errorCode } from '../core/errors';
import {
  decideRecipient,
  instanceTypeFor,
  type CallFailure,
  type OwnerFacts,
  type OwnerKeyFacts,
  type RecipientCheck,
  type RecipientSideFacts,
} from '../core/recipients';
import type { AwsTarget } from '../core/types';

/**
 * Gathers both sides of a share (SDK calls only; the decisions are in src/core/recipients.ts): the owner's
 * facts from the owner's profile, and the recipient's from every configured profile whose caller identity
 * is the recipient account.
 */

function failureOf(error: unknown): CallFailure {
  if (error instanceof AwsActionError) return { code: error.code, message: error.described.raw || error.message };
  return { code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
}

async function attempt<T>(call: () => Promise<T>): Promise<T | CallFailure> {
  try {
    return await call();
  } catch (error) {
    return failureOf(error);
  }
}

const isFailure = (value: unknown): value is CallFailure => typeof value === 'object' && value !== null && 'code' in value && 'message' in value;

export async function gatherOwnerFacts(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<OwnerFacts> {
  const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: [imageId], IncludeDeprecated: true }), { ...options, imageId });
  const image = output.Images?.[0];
  if (!image) throw Object.assign(new Error(l10n.t('{0} not found', imageId)), { name: 'InvalidAMIID.NotFound' });
  const snapshotIds = (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
  const [launchPermissions, snapshots] = await Promise.all([
    getLaunchPermissions(gateway, target, imageId, options),
    describeSnapshots(gateway, target, snapshotIds, options),
  ]);
  const withPermissions = await Promise.all(
    snapshots.map(async (snapshot) => {
      const permissions = await attempt(() => getVolumePermissions(gateway, target, snapshot.snapshotId, options));
      return {
        snapshotId: snapshot.snapshotId,
        encrypted: snapshot.encrypted,
        ...(snapshot.kmsKeyId ? { keyArn: snapshot.kmsKeyId } : {}),
        ...(isFailure(permissions) ? {} : { volumeAccounts: permissions.map((p) => ('UserId' in p ? p.UserId : 'all')) }),
      };
    }),
  );
  const keyIds = [...new Set(withPermissions.flatMap((s) => (s.encrypted && s.keyArn ? [s.keyArn] : [])))];
  const keys = await Promise.all(
    keyIds.map(async (keyId): Promise<OwnerKeyFacts> => {
      const keyTarget = { profile: target.profile, region: regionOfKey(keyId) ?? target.region };
      const description = await attempt(() => describeKey(gateway, keyTarget, keyId, options));
      const keyArn = isFailure(description) ? keyId : description.arn;
      if (!isFailure(description) && description.keyManager === 'AWS') return { keyArn, awsManaged: true };
      const policy = await attempt(() => getKeyPolicy(gateway, target.profile, keyArn, options));
      return isFailure(policy) ? { keyArn, policyError: `${policy.code}: ${policy.message}` } : { keyArn, policy: policy.policy };
    }),
  );
  // Snapshots name the key as DescribeSnapshots reports it; use the ARN DescribeKey resolved.
  const arnOf = new Map(keyIds.map((id, index) => [id, keys[index]!.keyArn]));
  return {
    ownerId: image.OwnerId ?? '',
    imageId,
    region: target.region,
    state: image.State ?? 'unknown',
    ...(image.Architecture ? { architecture: image.Architecture } : {}),
    ...(image.DeprecationTime ? { deprecationTime: image.DeprecationTime } : {}),
    launchPermissions,
    snapshots: withPermissions.map((s) => (s.keyArn ? { ...s, keyArn: arnOf.get(s.keyArn) ?? s.keyArn } : s)),
    keys,
  };
}

export async function gatherRecipientFacts(gateway: AwsGateway, profile: string, owner: OwnerFacts, options: CallOptions = {}): Promise<RecipientSideFacts> {
  const target = { profile, region: owner.region };
  const instanceType = instanceTypeFor(owner.architecture);
  const [described, allowedImages, dryRun, ...keyResults] = await Promise.all([
    attempt(() => gateway.send(target, new DescribeImagesCommand({ ImageIds: [owner.imageId], IncludeDeprecated: true }), { ...options, imageId: owner.imageId })),
    attempt(() => gateway.send(target, new GetAllowedImagesSettingsCommand({}), options)),
    attempt(async () => {
      await gateway.send(
        target,
        new RunInstancesCommand({ ImageId: owner.imageId, InstanceType: instanceType as _InstanceType, MinCount: 1, MaxCount: 1, DryRun: true }),
        { ...options, imageId: owner.imageId },
      );
      return true as const;
    }),
    ...owner.keys.filter((k) => !k.awsManaged).map((key) =>
      attempt(() => gateway.send({ profile, region: regionOfKey(key.keyArn) ?? owner.region }, new DescribeKeyCommand({ KeyId: key.keyArn }), options)),
    ),
  ]);
  const keyUse: Record<string, true | CallFailure> = {};
  owner.keys.filter((k) => !k.awsManaged).forEach((key, index) => {
    const result = keyResults[index];
    keyUse[key.keyArn] = isFailure(result) ? result : true;
  });
  const image = isFailure(described) ? undefined : described.Images?.[0];
  return {
    profile,
    visible: isFailure(described) ? described : image ? true : { code: 'InvalidAMIID.NotFound', message: l10n.t('not returned') },
    ...(image?.ImageAllowed !== undefined ? { imageAllowed: image.ImageAllowed } : {}),
    allowedImages: isFailure(allowedImages)
      ? allowedImages
      : {
          state: allowedImages.State ?? 'disabled',
          imageProviders: (allowedImages.ImageCriteria ?? []).flatMap((c) => c.ImageProviders ?? []),
        },
    keyUse,
    // DryRunOperation is how EC2 says "this would have worked".
    dryRun: isFailure(dryRun) ? (dryRun.code === 'DryRunOperation' ? true : dryRun) : true,
    instanceType,
  };
}

/**
 * Configured profiles by the account their caller identity belongs to (GetCallerIdentity, cached by the
 * gateway). Profiles that need an MFA code are left out: a check must not ask for codes for every profile.
 */
export async function profilesByAccount(gateway: AwsGateway): Promise<Map<string, string>> {
  const config = await gateway.sharedConfig();
  const byAccount = new Map<string, string>();
  const identities = await Promise.all(config.profiles.filter((p) => !p.mfaSerial).map(async (p) => ({ name: p.name, account: await gateway.accountId(p.name).catch(() => undefined) })));
  for (const { name, account } of identities) {
    // The first profile of an account (in config order) speaks for it.
    if (account && !byAccount.has(account)) byAccount.set(account, name);
  }
  return byAccount;
}

export interface CheckRecipientsRequest {
  profile: string;
  region: string;
  imageId: string;
  accountIds?: readonly string[];
}

/**
 * Default recipients: every account the AMI is shared with directly, plus — for organization and OU
 * shares — every account with a profile here that sees the AMI without a direct or public grant.
 */
export async function checkRecipients(gateway: AwsGateway, request: CheckRecipientsRequest, options: CallOptions = {}): Promise<RecipientCheck[]> {
  const target = { profile: request.profile, region: request.region };
  const owner = await gatherOwnerFacts(gateway, target, request.imageId, options);
  const profiles = await profilesByAccount(gateway);
  profiles.delete(owner.ownerId);
  let accountIds: string[];
  if (request.accountIds) {
    accountIds = [...new Set(request.accountIds)];
  } else {
    accountIds = owner.launchPermissions.flatMap((p) => (p.UserId ? [p.UserId] : []));
    if (owner.launchPermissions.some((p) => p.OrganizationArn || p.OrganizationalUnitArn)) {
      const members = await Promise.all(
        [...profiles].filter(([account]) => !accountIds.includes(account)).map(async ([account, profile]) => {
          const seen = await attempt(() => gateway.send({ profile, region: owner.region }, new DescribeImagesCommand({ ImageIds: [owner.imageId], IncludeDeprecated: true }), options));
          return !isFailure(seen) && (seen.Images?.length ?? 0) > 0 && !seen.Images?.[0]?.Public ? account : undefined;
        }),
      );
      accountIds.push(...members.flatMap((m) => (m ? [m] : [])));
    }
  }
  return Promise.all(
    accountIds.map(async (accountId) => {
      const profile = profiles.get(accountId);
      const recipient = profile ? await gatherRecipientFacts(gateway, profile, owner, options) : undefined;
      return decideRecipient(owner, accountId, recipient);
    }),
  );
}
