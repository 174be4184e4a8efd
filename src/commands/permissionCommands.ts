import * as vscode from 'vscode';
import { makeImagesPrivate, resetImages, shareImages, unshareImages, type ActionResults } from '../actions/operations';
import { loadAws } from '../awsLoader';
import { describePermission, targetsToPermissions } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import type { Services } from '../services';
import type { Invocation } from './arguments';
import { askTargets, validateTargets } from './askTargets';
import { imagesOfArgument, ownedImagesOf, permissionNodes, targetsOfArgument, type ImageRef } from './imageRefs';
import { offerKeyPolicyCleanup } from './keyPolicyCleanup';
import { pickImages } from './pickImages';

const TARGET_FIELDS = ['profile', 'region', 'imageIds', 'accountIds', 'organizationArns', 'organizationalUnitArns', 'includeSnapshots', 'proceedWithoutChecks'];
const IMAGE_FIELDS = ['profile', 'region', 'imageIds', 'includeSnapshots', 'proceedWithoutChecks'];

async function ownAccounts(services: Services, images: readonly ImageRef[]): Promise<string[]> {
  const gateway = await services.gateway.get();
  return Promise.all([...new Set(images.map((image) => image.profile))].map((profile) => gateway.accountId(profile)));
}

/** The AMIs a call addresses: from the tree selection, the script's argument, or the palette's pickers. */
async function imagesOf(services: Services, call: Invocation, command: string, title: string): Promise<ImageRef[] | undefined> {
  if (call.kind === 'script') return imagesOfArgument(call.argument.only(...IMAGE_FIELDS));
  if (call.kind === 'nodes') return ownedImagesOf(command, call.nodes);
  return pickImages(services, title, true);
}

function scriptOptions(call: Invocation): { interactive: boolean; includeSnapshots: boolean; proceedWithoutChecks: boolean } {
  return call.kind === 'script'
    ? { interactive: false, includeSnapshots: call.argument.flag('includeSnapshots'), proceedWithoutChecks: call.argument.flag('proceedWithoutChecks') }
    : { interactive: true, includeSnapshots: false, proceedWithoutChecks: false };
}

/** amiSharing.shareImage */
export async function shareImage(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.shareImage';
  if (call.kind === 'script') {
    const argument = call.argument.only(...TARGET_FIELDS);
    const images = imagesOfArgument(argument);
    const add = targetsToPermissions(validateTargets(targetsOfArgument(argument), await ownAccounts(services, images)));
    return shareImages(services, images, add, scriptOptions(call));
  }
  const images = call.kind === 'nodes' ? ownedImagesOf(command, call.nodes) : await pickImages(services, vscode.l10n.t('Share AMI'), true);
  if (!images?.length) return undefined;
  const targets = await askTargets(services, images.length === 1 ? vscode.l10n.t('Share {0} with…', images[0]!.imageId) : vscode.l10n.t('Share {0} AMIs with…', images.length), await ownAccounts(services, images), images[0]!.profile);
  if (!targets) return undefined;
  const add = targetsToPermissions(targets);
  return shareImages(services, images, add, scriptOptions(call));
}

/** amiSharing.unshareImage: on permission items removes those; on AMIs asks which to remove. */
export async function unshareImage(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.unshareImage';
  const removals = new Map<string, { image: ImageRef; remove: LaunchPermission[] }>();
  const addRemoval = (image: ImageRef, remove: LaunchPermission[]) => {
    const key = `${image.profile}/${image.region}/${image.imageId}`;
    const entry = removals.get(key) ?? { image, remove: [] };
    entry.remove.push(...remove);
    removals.set(key, entry);
  };
  if (call.kind === 'script') {
    const argument = call.argument.only(...TARGET_FIELDS);
    const images = imagesOfArgument(argument);
    const remove = targetsToPermissions(validateTargets(targetsOfArgument(argument), await ownAccounts(services, images)));
    for (const image of images) addRemoval(image, remove);
  } else {
    const entries = call.kind === 'nodes' ? permissionNodes(call.nodes) : [];
    if (entries.length) {
      for (const node of entries) addRemoval({ profile: node.profile, region: node.region, imageId: node.imageId }, [node.permission]);
    } else {
      const images = call.kind === 'nodes' ? ownedImagesOf(command, call.nodes) : await pickImages(services, vscode.l10n.t('Unshare AMI'), true);
      if (!images?.length) return undefined;
      const remove = await askWhatToRemove(services, images);
      if (!remove?.length) return undefined;
      for (const image of images) addRemoval(image, remove);
    }
  }
  const results = await unshareImages(services, [...removals.values()], scriptOptions(call));
  if (results && call.kind !== 'script') await offerKeyPolicyCleanup(services, results);
  return results;
}

async function askWhatToRemove(services: Services, images: ImageRef[]): Promise<LaunchPermission[] | undefined> {
  if (images.length === 1) {
    const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
    const image = images[0]!;
    const current = await aws.getLaunchPermissions(gateway, { profile: image.profile, region: image.region }, image.imageId);
    if (current.length === 0) throw new Error(vscode.l10n.t('{0} is not shared with anyone.', image.imageId));
    const names = services.settings().accountNames;
    return services.prompts.pickMany(
      current.map((permission) => ({ label: describePermission(permission, names), value: permission })),
      { title: vscode.l10n.t('Stop sharing {0} with…', image.imageId), placeHolder: vscode.l10n.t('Select the launch permissions to remove') },
    );
  }
  const targets = await askTargets(services, vscode.l10n.t('Stop sharing {0} AMIs with…', images.length), [], images[0]?.profile);
  return targets ? targetsToPermissions(targets) : undefined;
}

/** amiSharing.resetImagePermissions: removes every launch permission, exactly as listed in the confirmation. */
export async function resetImagePermissions(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const images = await imagesOf(services, call, 'amiSharing.resetImagePermissions', vscode.l10n.t('Reset launch permissions'));
  return images?.length ? resetImages(services, images, scriptOptions(call)) : undefined;
}

/** amiSharing.makeImagePrivate: removes group "all" only. */
export async function makeImagePrivate(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const images = await imagesOf(services, call, 'amiSharing.makeImagePrivate', vscode.l10n.t('Make AMI private'));
  return images?.length ? makeImagesPrivate(services, images, scriptOptions(call)) : undefined;
}

/** amiSharing.copyImageId */
export async function copyImageId(services: Services, call: Invocation): Promise<string | undefined> {
  let ids: string[];
  if (call.kind === 'nodes') {
    ids = call.nodes.flatMap((node) => (node.kind === 'image' ? [node.image.imageId] : node.kind === 'permission' ? [node.imageId] : []));
  } else if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'region', 'imageId', 'imageIds');
    ids = argument.has('imageIds') ? argument.list('imageIds', undefined, { nonEmpty: true }) : [argument.text('imageId')];
  } else {
    ids = (await pickImages(services, vscode.l10n.t('Copy AMI ID'), false))?.map((image) => image.imageId) ?? [];
  }
  if (ids.length === 0) return undefined;
  const text = [...new Set(ids)].join('\n');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(ids.length === 1 ? vscode.l10n.t('Copied {0}', ids[0]!) : vscode.l10n.t('Copied {0} AMI IDs', ids.length), 3000);
  return text;
}
