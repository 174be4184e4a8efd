import * as l10n from '@vscode/l10n';
import { CancelImageLaunchPermissionCommand, CopyImageCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { regionOfKey } from '../core/keyPolicy';
import { receivedCopyVerdict, type ReceivedCopyVerdict, type ReceivedSnapshotFacts } from '../core/receivedCopy';
import type { CallFailure } from '../core/recipients';
import { AwsActionError, type AwsGateway, type CallOptions } from './gateway';
import { errorCode } from '../core/errors';
import type { AwsTarget, LaunchPermission } from '../core/types';

/**
 * The recipient's side of a share. EC2 lets an account remove itself only from AMIs shared with it directly
 * (not through an organization, an OU or public access); the owner can share it again.
 */

function codeOf(error: unknown): string {
  return error instanceof AwsActionError ? error.code : errorCode(error);
}

/**
 * This account's own entry in the AMI's launch permissions, as far as the recipient can tell: a
 * CancelImageLaunchPermission dry run answers DryRunOperation only for a direct share.
 */
export async function directShareEntry(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<LaunchPermission[]> {
  const accountId = await gateway.accountId(target.profile);
  try {
    await gateway.send(target, new CancelImageLaunchPermissionCommand({ ImageId: imageId, DryRun: true }), { ...options, imageId });
  } catch (error) {
    const code = codeOf(error);
    if (code === 'DryRunOperation') return [{ UserId: accountId }];
    if (code === 'OperationNotPermitted' || code === 'InvalidAMIID.NotFound') return [];
    throw error;
  }
  return [{ UserId: accountId }];
}

export async function cancelImageLaunchPermission(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<string | undefined> {
  const output = await gateway.send(target, new CancelImageLaunchPermissionCommand({ ImageId: imageId }), { ...options, imageId });
  return output.$metadata.requestId;
}

/**
 * Whether a copy of another account's AMI can start: a CopyImage dry run. Undefined when it can; otherwise
 * what the owner must grant, in plain words. (The endpoint checks snapshot permissions and the source key in
 * a dry run; whether EC2's dry run does is unverified, so the copy itself still reports its own error.)
 */
export async function sharedCopyProblem(
  gateway: AwsGateway,
  request: { profile: string; sourceRegion: string; targetRegion: string; sourceImageId: string; name: string; ownerId: string; kmsKeyId?: string },
  options: CallOptions = {},
): Promise<string | undefined> {
  const accountId = await gateway.accountId(request.profile);
  try {
    await gateway.send(
      { profile: request.profile, region: request.targetRegion },
      new CopyImageCommand({
        SourceImageId: request.sourceImageId,
        SourceRegion: request.sourceRegion,
        Name: request.name,
        DryRun: true,
        ...(request.kmsKeyId ? { Encrypted: true, KmsKeyId: request.kmsKeyId } : {}),
      }),
      { ...options, imageId: request.sourceImageId },
    );
    return undefined;
  } catch (error) {
    const code = codeOf(error);
    const text = error instanceof Error ? error.message : String(error);
    if (code === 'DryRunOperation') return undefined;
    if (code === 'InvalidRequest' && /storage of this ami/i.test(text)) {
      return l10n.t('The owner (account {0}) must grant account {1} createVolumePermission on every snapshot of {2} before it can be copied (launching does not need it).', request.ownerId, accountId, request.sourceImageId);
    }
    if (code === 'InvalidRequest' && /KMS key/i.test(text)) {
      return l10n.t('The owner (account {0}) must let account {1} use the snapshots\' KMS key (kms:DescribeKey, kms:Decrypt, kms:ReEncrypt*, kms:CreateGrant) before {2} can be copied.', request.ownerId, accountId, request.sourceImageId);
    }
    throw error;
  }
}

function failureOf(error: unknown): CallFailure {
  return { code: codeOf(error), message: error instanceof AwsActionError ? error.described.raw || error.message : error instanceof Error ? error.message : String(error) };
}

/**
 * May this account copy a shared AMI? Each snapshot by ID from this account (EC2 shows another account's
 * snapshot only with createVolumePermission), then kms:DescribeKey on each key of the encrypted ones.
 */
export async function receivedCopyCheck(gateway: AwsGateway, target: AwsTarget, snapshotIds: readonly string[], options: CallOptions = {}): Promise<ReceivedCopyVerdict> {
  const snapshots = await Promise.all(
    snapshotIds.map(async (snapshotId): Promise<ReceivedSnapshotFacts> => {
      try {
        const output = await gateway.send(target, new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), options);
        const snapshot = output.Snapshots?.[0];
        if (!snapshot) return { snapshotId, visible: { code: 'InvalidSnapshot.NotFound', message: l10n.t('not returned') } };
        return { snapshotId, visible: true, encrypted: snapshot.Encrypted === true, ...(snapshot.KmsKeyId ? { keyArn: snapshot.KmsKeyId } : {}) };
      } catch (error) {
        return { snapshotId, visible: failureOf(error) };
      }
    }),
  );
  const keyArns = [...new Set(snapshots.flatMap((s) => (s.encrypted && s.keyArn ? [s.keyArn] : [])))];
  const keyUse: Record<string, true | CallFailure> = {};
  await Promise.all(
    keyArns.map(async (keyArn) => {
      try {
        await gateway.send({ profile: target.profile, region: regionOfKey(keyArn) ?? target.region }, new DescribeKeyCommand({ KeyId: keyArn }), options);
        keyUse[keyArn] = true;
      } catch (error) {
        keyUse[keyArn] = failureOf(error);
      }
    }),
  );
  return receivedCopyVerdict({ snapshots, keyUse });
}
