import * as l10n from '@vscode/l10n';
import { runChange } from '../actions/pipeline';
import { stopReceivingImages, type ActionResults } from '../actions/operations';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import { ArgumentError, IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { imagesOfArgument, type ImageRef } from './imageRefs';
import type { ExplorerNode } from '../tree/nodes';

/** AMIs shared with this account, from a tree selection (under "Shared with me"). */
function sharedImagesOf(command: string, nodes: readonly ExplorerNode[]): ImageRef[] {
  const images = nodes.flatMap((node): ImageRef[] => (node.kind === 'image' && !node.owned ? [{ profile: node.profile, region: node.region, imageId: node.image.imageId, name: node.image.name }] : []));
  if (images.length === 0) throw new ArgumentError(l10n.t('{0}: select one or more AMIs under "Shared with me".', command));
  return images;
}

/** amiSharing.stopReceiving `{ profile, region, imageIds }`: CancelImageLaunchPermission through the pipeline. */
export async function stopReceiving(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.stopReceiving';
  if (call.kind === 'script') {
    return stopReceivingImages(services, imagesOfArgument(call.argument.only('profile', 'region', 'imageIds')), { interactive: false });
  }
  if (call.kind !== 'nodes') throw new ArgumentError(l10n.t('{0}: run it on AMIs under "Shared with me", or from a script with { profile, region, imageIds }.', command));
  return stopReceivingImages(services, sharedImagesOf(command, call.nodes), { interactive: true });
}

export interface CopySharedImageArgument {
  profile: string;
  region: string;
  imageId: string;
  name?: string;
  targetRegion?: string;
  kmsKeyId?: string;
}

/**
 * amiSharing.copySharedImage: copies an AMI shared with this account into it (My AMIs), through the pipeline's
 * copy step (its checks explain what the owner must grant when the copy cannot work; progress until available).
 * An encrypted source is re-encrypted with one of this account's customer managed keys.
 */
export async function copySharedImage(services: Services, call: Invocation): Promise<{ imageId: string; region: string } | undefined> {
  const command = 'amiSharing.copySharedImage';
  let argument: CopySharedImageArgument;
  if (call.kind === 'script') {
    const a = call.argument.only('profile', 'region', 'imageId', 'name', 'targetRegion', 'kmsKeyId');
    const name = a.optionalText('name');
    const targetRegion = a.optionalText('targetRegion', REGION_NAME);
    const kmsKeyId = a.optionalText('kmsKeyId', { test: /^(arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+|alias\/[\w/-]+|[0-9a-f-]{36})$/, describe: 'a key ID, key ARN, alias name or alias ARN' });
    argument = {
      profile: a.text('profile', PROFILE_NAME),
      region: a.text('region', REGION_NAME),
      imageId: a.text('imageId', IMAGE_ID),
      ...(name !== undefined ? { name } : {}),
      ...(targetRegion ? { targetRegion } : {}),
      ...(kmsKeyId ? { kmsKeyId } : {}),
    };
  } else if (call.kind === 'nodes') {
    const image = sharedImagesOf(command, call.nodes)[0]!;
    argument = { profile: image.profile, region: image.region, imageId: image.imageId };
  } else {
    throw new ArgumentError(l10n.t('{0}: run it on an AMI under "Shared with me", or from a script with { profile, region, imageId }.', command));
  }
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const source = { profile: argument.profile, region: argument.region };
  const summary = await aws.describeImage(gateway, source, argument.imageId);
  const targetRegion = argument.targetRegion ?? argument.region;
  let kmsKeyId = argument.kmsKeyId;
  if (summary.anyEncrypted && !kmsKeyId) {
    if (call.kind === 'script') {
      throw new Error(l10n.t('{0} is encrypted: give kmsKeyId, a customer managed key of this account in {1}, to re-encrypt the copy (the owner\'s key stays the owner\'s).', argument.imageId, targetRegion));
    }
    const keys = await aws.listCustomerManagedKeys(gateway, { profile: argument.profile, region: targetRegion }).catch(() => []);
    if (keys.length === 0) throw new Error(l10n.t('{0} is encrypted and this account has no customer managed key in {1} to re-encrypt the copy with.', argument.imageId, targetRegion));
    kmsKeyId = await services.prompts.pickOne(keys.map((k) => ({ label: k.alias ?? k.arn, description: k.arn, value: k.arn })), { title: l10n.t('Re-encrypt the copy in {0} with…', targetRegion) });
    if (!kmsKeyId) return undefined;
  }
  const name = argument.name ?? (call.kind === 'script' ? summary.name : await services.prompts.input({ title: l10n.t('Copy to My AMIs'), prompt: l10n.t('Name of the copy'), value: summary.name }));
  if (!name) return undefined;
  const image: ImageRef = { ...source, imageId: argument.imageId, name: summary.name };
  const outcome = await runChange(
    services,
    [{ kind: 'copyImage', image, targetRegion, name, ...(summary.description ? { description: summary.description } : {}), ...(kmsKeyId ? { kmsKeyId } : {}), thenShare: [] }],
    { action: 'Copy to My AMIs', title: l10n.t('Copy {0} into this account?', argument.imageId), confirmLabel: l10n.t('Copy'), busyLabel: l10n.t('Copying…'), interactive: call.kind !== 'script' },
  );
  if (!outcome) return undefined;
  const result = outcome.results[0]!;
  const copy = result.copies?.[0];
  if (!result.ok || !copy?.ok || !copy.imageId) throw new Error(copy?.error ?? result.error ?? l10n.t('{0} was not copied.', argument.imageId));
  return { imageId: copy.imageId, region: copy.region };
}
