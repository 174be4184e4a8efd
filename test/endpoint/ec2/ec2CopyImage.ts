import { canRestoreSnapshot, canSeeImage } from './access';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { ApiError, ec2Errors } from '../errors';
import { deterministicId } from '../fixture/ids';
import { resolveKey } from '../kms/kmsKeys';
import { policyAllows, type PolicyRequest } from '../kms/kmsPolicy';
import { regionCatalogue } from '../regions';
import { kmsKeyArn, type ImageRecord, type KmsKeyRecord, type SnapshotRecord } from '../state';
import { AMI_ID } from './validation';
import { text } from '../xml';

/**
 * CopyImage, called in the destination Region (the request's Region). The copy belongs to the
 * caller, starts `pending` and becomes `available` after the endpoint's `copyDelayMs`, with new
 * snapshots. As in EC2: launch permissions and snapshot permissions are not copied; the copy is
 * encrypted when `Encrypted` is set or the source is encrypted, with `KmsKeyId` or else the
 * destination Region's `aws/ebs` key (created if the account has none there yet); tags are copied
 * only with `CopyImageTags`. As in EC2, the destination KMS key is checked asynchronously: an
 * unknown or unusable KmsKeyId still returns an image id, and the copy ends `failed` with a StateReason.
 */

/** EC2's rule for AMI names. */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;

/** Volume id EC2 reports for snapshots made by copying. */
const COPIED_VOLUME_ID = 'vol-ffffffff';

function required(context: Ec2Context, name: string): string {
  const value = context.params.get(name);
  if (value === undefined || value === '') {
    throw ec2Errors.missingParameter(name);
  }
  return value;
}

function policyRequest(context: Ec2Context, action: string, region: string): PolicyRequest {
  return {
    accountId: context.caller.accountId,
    callerArn: context.caller.arn,
    ...(context.principal.organization ? { organization: context.principal.organization } : {}),
    action,
    // EC2 uses the key on the caller's behalf; the grants it creates are for AWS resources.
    viaService: `ec2.${region}.amazonaws.com`,
    ...(action === 'kms:CreateGrant' ? { grantIsForAwsResource: true } : {}),
  };
}

function keyAllows(context: Ec2Context, key: KmsKeyRecord, actions: readonly string[]): boolean {
  return key.keyState === 'Enabled' && actions.every((action) => policyAllows(key.policy, policyRequest(context, action, key.region)));
}

const SOURCE_KEY_ACTIONS = ['kms:DescribeKey', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant'] as const;
const DESTINATION_KEY_ACTIONS = ['kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptTo', 'kms:CreateGrant'] as const;

/** The source snapshots' keys must be usable by the caller (only checked for keys the endpoint knows). */
function checkSourceKeys(context: Ec2Context, snapshots: SnapshotRecord[]): void {
  for (const snapshot of snapshots) {
    if (!snapshot.encrypted || !snapshot.kmsKeyId) {
      continue;
    }
    const match = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(snapshot.kmsKeyId);
    const key = match ? context.state.kmsKey(match[2] ?? '', match[1] ?? '', match[3] ?? '') : undefined;
    if (key && !keyAllows(context, key, SOURCE_KEY_ACTIONS)) {
      // Wording approximated.
      throw new ApiError(
        'InvalidRequest',
        `The KMS key ${snapshot.kmsKeyId} of snapshot ${snapshot.snapshotId} is not accessible: its key policy must allow account ${context.caller.accountId} kms:DescribeKey, kms:Decrypt, kms:ReEncrypt* and kms:CreateGrant.`,
      );
    }
  }
}

/** What EC2 reports on a copy whose KMS key turned out unusable (StateReason of the AMI, StateMessage of its snapshots). */
export const COPY_KEY_FAILURE = {
  code: 'Server.InternalError',
  message: 'Copy image failed with an internal error.',
  snapshotMessage: 'Given key ID is not accessible',
} as const;

interface DestinationKey {
  /** The key the copy is encrypted with, when KmsKeyId names one in the destination Region. */
  key?: KmsKeyRecord;
  /** Set when the copy will fail later: EC2 checks KmsKeyId asynchronously. */
  unusable?: true;
}

/**
 * The key the copy is encrypted with: KmsKeyId in the destination Region, or the account's aws/ebs
 * key there. As in EC2 ("authenticates the KMS key asynchronously … the action can appear to
 * complete, but eventually fails"), an unknown or unusable KmsKeyId does not fail the call.
 */
function destinationKey(context: Ec2Context, kmsKeyId: string | undefined): DestinationKey {
  const { state, caller, region } = context;
  if (kmsKeyId === undefined) {
    return { key: state.ensureAwsManagedEbsKey(caller.accountId, region) };
  }
  let key: KmsKeyRecord;
  try {
    key = resolveKey(state, kmsKeyId, caller.accountId, region);
  } catch {
    return { unusable: true };
  }
  return keyAllows(context, key, DESTINATION_KEY_ACTIONS) ? { key } : { key, unusable: true };
}

function requestedTags(context: Ec2Context, resourceType: 'image' | 'snapshot'): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of context.params.members('TagSpecification')) {
    if (spec.get('ResourceType') !== resourceType) {
      continue;
    }
    for (const tag of spec.members('Tag')) {
      const key = tag.get('Key');
      if (key !== undefined) {
        tags[key] = tag.get('Value') ?? '';
      }
    }
  }
  return tags;
}

/** Everything that identifies the request, for ClientToken idempotency. */
function fingerprint(context: Ec2Context): string {
  const ignored = new Set(['Action', 'Version', 'ClientToken', 'DryRun']);
  return JSON.stringify(
    context.params
      .keys()
      .filter((key) => !ignored.has(key))
      .sort()
      .map((key) => [key, context.params.get(key)]),
  );
}

function newImageId(context: Ec2Context, source: ImageRecord, name: string): string {
  for (;;) {
    const seed = `${context.caller.accountId}/${context.region}/copy/${context.state.nextCopySequence()}/${source.imageId}/${name}`;
    const id = deterministicId('ami', seed);
    if (!context.state.resourceIdInUse(id)) {
      return id;
    }
  }
}

export const copyImage: Ec2Handler = (context) => {
  const { state, caller, principal, region, params } = context;
  const sourceImageId = required(context, 'SourceImageId');
  const sourceRegion = required(context, 'SourceRegion');
  const name = required(context, 'Name');
  if (!AMI_NAME.test(name)) {
    throw new ApiError(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    );
  }
  if (!AMI_ID.test(sourceImageId)) {
    throw ec2Errors.amiMalformed(sourceImageId);
  }
  if (!regionCatalogue(state.regions()).some((r) => r.regionName === sourceRegion)) {
    throw ec2Errors.invalidParameterValue(`Invalid value '${sourceRegion}' for SourceRegion: not a known Region.`);
  }
  const kmsKeyId = params.get('KmsKeyId') || undefined;
  const encryptedParam = params.get('Encrypted')?.toLowerCase();
  if (kmsKeyId !== undefined && encryptedParam !== 'true') {
    throw new ApiError('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }

  const clientToken = params.get('ClientToken') || undefined;
  if (clientToken !== undefined) {
    const previous = state.copyToken(caller.accountId, region, clientToken);
    if (previous) {
      if (previous.fingerprint !== fingerprint(context)) {
        throw new ApiError(
          'IdempotentParameterMismatch',
          `The client token '${clientToken}' was already used with different parameters.`,
        );
      }
      return text('imageId', previous.imageId);
    }
  }

  const source = state.image(sourceRegion, sourceImageId);
  if (!source || source.state === 'deregistered' || !canSeeImage(source, principal)) {
    throw ec2Errors.amiNotFound(sourceImageId);
  }
  if (source.state !== 'available') {
    throw ec2Errors.amiUnavailable(sourceImageId, source.state);
  }
  const owned = source.ownerId === caller.accountId;
  const sourceSnapshots = source.blockDeviceMappings.map((mapping) => {
    const snapshot = state.snapshot(sourceRegion, mapping.snapshotId);
    if (!snapshot) {
      throw new ApiError('InvalidRequest', 'You do not have permission to access the storage of this ami');
    }
    return snapshot;
  });
  if (!owned && sourceSnapshots.some((snapshot) => !canRestoreSnapshot(snapshot, caller.accountId))) {
    throw new ApiError('InvalidRequest', 'You do not have permission to access the storage of this ami');
  }
  const encryptedSource = sourceSnapshots.find((snapshot) => snapshot.encrypted);
  if (encryptedSource && encryptedParam === 'false') {
    throw new ApiError(
      'InvalidRequest',
      `Snapshot ${encryptedSource.snapshotId} is encrypted. Creating an unencrypted copy from an encrypted snapshot is not supported.`,
    );
  }
  checkSourceKeys(context, sourceSnapshots);
  const encrypt = encryptedParam === 'true' || encryptedSource !== undefined;
  const duplicate = state
    .images({ accountId: caller.accountId, region })
    .find((image) => image.name === name && image.state !== 'deregistered');
  if (duplicate) {
    throw new ApiError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${duplicate.imageId}`);
  }
  if (params.bool('DryRun')) {
    // Nothing is created, not even the aws/ebs key a real copy would create; the key is not checked either.
    throw ec2Errors.dryRun();
  }
  const destination = encrypt ? destinationKey(context, kmsKeyId) : undefined;
  const key = destination?.key;
  const fails = destination?.unusable === true;

  const now = new Date();
  const imageId = newImageId(context, source, name);
  const description = params.get('Description') ?? `[Copied ${source.imageId} from ${sourceRegion}] ${source.name}`;
  const snapshotTags = requestedTags(context, 'snapshot');
  const copiedSnapshotIds: string[] = [];
  const blockDeviceMappings = source.blockDeviceMappings.map((mapping, index) => {
    const original = sourceSnapshots[index];
    const snapshotId = deterministicId('snap', `${imageId}/${mapping.deviceName}`);
    copiedSnapshotIds.push(snapshotId);
    state.addSnapshot({
      snapshotId,
      ownerId: caller.accountId,
      region,
      volumeId: COPIED_VOLUME_ID,
      volumeSize: original?.volumeSize ?? mapping.volumeSize,
      state: 'pending',
      startTime: now.toISOString(),
      description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${mapping.snapshotId}. Task created on ${now.getTime()}.`,
      encrypted: destination !== undefined,
      ...(key ? { kmsKeyId: kmsKeyArn(key) } : {}),
      ...(key?.keyManager === 'AWS' ? { awsManagedKey: true } : {}),
      createVolumePermissions: [],
      tags: { ...snapshotTags },
    });
    return { ...mapping, snapshotId };
  });
  const copy: ImageRecord = {
    imageId,
    ownerId: caller.accountId,
    region,
    name,
    description,
    state: 'pending',
    creationDate: now.toISOString(),
    architecture: source.architecture,
    rootDeviceName: source.rootDeviceName,
    blockDeviceMappings,
    launchPermissions: [],
    tags: { ...(params.bool('CopyImageTags') && owned ? source.tags : {}), ...requestedTags(context, 'image') },
    sourceImageId: source.imageId,
    sourceImageRegion: sourceRegion,
  };
  state.addImage(copy);
  if (clientToken !== undefined) {
    state.rememberCopyToken(caller.accountId, region, clientToken, { imageId, fingerprint: fingerprint(context) });
  }

  context.schedule(context.copyDelayMs, () => {
    // Looked up again: after a reset the copy no longer exists.
    const image = state.image(region, imageId);
    if (image?.state === 'pending') {
      image.state = fails ? 'failed' : 'available';
      if (fails) {
        image.stateReason = { code: COPY_KEY_FAILURE.code, message: COPY_KEY_FAILURE.message };
      }
    }
    for (const snapshotId of copiedSnapshotIds) {
      const snapshot = state.snapshot(region, snapshotId);
      if (snapshot?.state === 'pending') {
        snapshot.state = fails ? 'error' : 'completed';
        if (fails) {
          snapshot.stateMessage = COPY_KEY_FAILURE.snapshotMessage;
        }
      }
    }
  });
  return text('imageId', imageId);
};
