import * as vscode from 'vscode';
import { describePermission, makePrivateChange, summarizeChange, targetsToPermissions, type PermissionChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { askTargets, validateTargets } from './askTargets';
import { imageRefsFromNodes, isArgumentObject, parseTargetArgument, permissionNodes, selectedNodes, type ImageRef } from './imageRefs';
import { uniqueBy } from '../core/collections';
import { describeRecipient, recipientFromPermission } from '../core/keyPolicy';
import { offerKeyPolicyCleanup } from './keyPolicyFix';
import { pickImages } from './pickImages';
import { guardShare } from './shareGuardrails';
import { confirmPlan, confirmRemoval, runImageActions, type ActionResults } from './runImageActions';

async function ownAccounts(services: Services, images: readonly ImageRef[]): Promise<string[]> {
  const gateway = await services.gateway.get();
  const profiles = [...new Set(images.map((image) => image.profile))];
  return Promise.all(profiles.map((profile) => gateway.accountId(profile)));
}

function refsFromArgument(argument: { profile: string; region: string; imageIds: string[] }): ImageRef[] {
  return argument.imageIds.map((imageId) => ({ profile: argument.profile, region: argument.region, imageId }));
}

function countTargets(permissions: readonly LaunchPermission[]): string {
  return summarizeChange({ add: [...permissions], remove: [] }).replace(/\+/g, '');
}

/** amiSharing.shareImage */
export async function shareImage(services: Services, ...args: unknown[]): Promise<ActionResults | undefined> {
  let images: ImageRef[] | undefined;
  let add: LaunchPermission[];
  let includeSnapshots = false;
  const interactive = !isArgumentObject(args[0]);
  if (!interactive) {
    const argument = parseTargetArgument(args[0], { requireImageIds: 'many' });
    images = refsFromArgument(argument);
    add = targetsToPermissions(validateTargets(argument, await ownAccounts(services, images)));
    includeSnapshots = argument.includeSnapshots === true;
  } else {
    const nodes = selectedNodes(args);
    images = nodes ? imageRefsFromNodes(nodes) : await pickImages(services, 'Share AMI', true);
    if (!images?.length) return undefined;
    const targets = await askTargets(services, `Share ${images.length === 1 ? images[0]!.imageId : `${images.length} AMIs`} with…`, await ownAccounts(services, images));
    if (!targets) return undefined;
    add = targetsToPermissions(targets);
  }
  return shareWithGuardrails(services, images, add, { interactive, includeSnapshots });
}

/** Checks the sharing rules, shares what may be shared, and reports blocked AMIs as failed without calling EC2 for them. */
export async function shareWithGuardrails(
  services: Services,
  images: ImageRef[],
  add: LaunchPermission[],
  options: { interactive: boolean; includeSnapshots: boolean },
): Promise<ActionResults | undefined> {
  const guard = await guardShare(services, images, add, options.interactive);
  if (!guard) return undefined;
  if (guard.proceed.length > 1 && !(await confirmPlan(services, `Share ${guard.proceed.length} AMIs?`, guard.proceed.map((image) => ({ image, add })), 'Share'))) return undefined;
  const change: PermissionChange = { add, remove: [] };
  const shared = guard.proceed.length
    ? await runImageActions(services, guard.proceed, {
        busyLabel: 'Sharing…',
        actionFor: () => ({ type: 'modify', change, includeSnapshots: options.includeSnapshots }),
        describeDone: (image, result) =>
          result.applied.add.length ? `Shared ${image.imageId} with ${countTargets(result.applied.add)}` : `${image.imageId} was already shared with ${countTargets(add)}`,
        offerUndo: true,
      })
    : { results: [] };
  for (const { image, message } of guard.blocked) {
    services.model.setStatus(image.profile, image.region, image.imageId, { error: message });
    if (!options.interactive) void vscode.window.showErrorMessage(message);
  }
  const byId = new Map(shared.results.map((r) => [`${r.profile}/${r.region}/${r.imageId}`, r]));
  return {
    results: images.map((image) => {
      const blocked = guard.blocked.find((b) => b.image === image);
      const result = byId.get(`${image.profile}/${image.region}/${image.imageId}`) ?? {
        imageId: image.imageId,
        profile: image.profile,
        region: image.region,
        ok: false,
        before: [],
        after: [],
        error: blocked?.message ?? 'Not shared',
      };
      const warnings = guard.warnings.get(image.imageId);
      return warnings ? { ...result, warnings } : result;
    }),
  };
}

/** amiSharing.unshareImage: on permission items removes those; on AMIs asks which to remove. */
export async function unshareImage(services: Services, ...args: unknown[]): Promise<ActionResults | undefined> {
  const removals = new Map<string, { image: ImageRef; remove: LaunchPermission[] }>();
  const addRemoval = (image: ImageRef, remove: LaunchPermission[]) => {
    const key = `${image.profile}/${image.region}/${image.imageId}`;
    const entry = removals.get(key) ?? { image, remove: [] };
    entry.remove.push(...remove);
    removals.set(key, entry);
  };
  let includeSnapshots = false;
  if (isArgumentObject(args[0])) {
    const argument = parseTargetArgument(args[0], { requireImageIds: 'many' });
    const remove = targetsToPermissions(validateTargets(argument, await ownAccounts(services, refsFromArgument(argument))));
    for (const image of refsFromArgument(argument)) addRemoval(image, remove);
    includeSnapshots = argument.includeSnapshots === true;
  } else {
    const nodes = selectedNodes(args);
    const permissionItems = nodes ? permissionNodes(nodes) : [];
    if (permissionItems.length) {
      for (const node of permissionItems) addRemoval({ profile: node.profile, region: node.region, imageId: node.imageId }, [node.permission]);
    } else {
      const images = nodes ? imageRefsFromNodes(nodes) : await pickImages(services, 'Unshare AMI', true);
      if (!images?.length) return undefined;
      const remove = await askWhatToRemove(services, images);
      if (!remove) return undefined;
      for (const image of images) addRemoval(image, remove);
    }
  }
  const plan = [...removals.values()];
  const entries = plan.reduce((sum, { remove }) => sum + remove.length, 0);
  // Anything removed is confirmed with the plan (who loses access to which AMI).
  if (!(await confirmRemoval(services, `Remove ${entries} launch permission${entries === 1 ? '' : 's'}?`, plan, 'Unshare'))) return undefined;
  const byImage = new Map(plan.map(({ image, remove }) => [image, remove]));
  const results = await runImageActions(services, [...byImage.keys()], {
    busyLabel: 'Unsharing…',
    actionFor: (image) => ({ type: 'modify', change: { add: [], remove: byImage.get(image)! }, includeSnapshots }),
    describeDone: (image, result) =>
      result.applied.remove.length ? `Stopped sharing ${image.imageId} with ${countTargets(result.applied.remove)}` : `${image.imageId} was not shared with those`,
    offerUndo: true,
  });
  if (!isArgumentObject(args[0])) await offerCleanupAfterUnshare(services, results, byImage);
  return results;
}

/** Interactive unshares also offer to remove the key-policy grants AMI Sharing added for those recipients. */
async function offerCleanupAfterUnshare(services: Services, results: ActionResults, byImage: Map<ImageRef, LaunchPermission[]>): Promise<void> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const done = [...byImage].filter(([image]) => results.results.some((r) => r.ok && r.imageId === image.imageId && r.profile === image.profile && r.region === image.region));
  const groups = aws.groupBy(done, ([image]) => aws.byProfileAndRegion(image));
  for (const entries of groups.values()) {
    const { profile, region } = entries[0]![0];
    try {
      const summaries = await aws.describeImagesByIds(gateway, { profile, region }, entries.map(([image]) => image.imageId));
      const encrypted = entries.flatMap(([image]) => {
        const summary = summaries.get(image.imageId);
        return summary?.anyEncrypted ? [summary.snapshotIds] : [];
      });
      const removed = uniqueBy(entries.flatMap(([, remove]) => remove.flatMap((p) => recipientFromPermission(p) ?? [])), describeRecipient);
      if (encrypted.length) await offerKeyPolicyCleanup(services, profile, region, encrypted, removed);
    } catch (error) {
      services.log.warn(`Could not check key policies after unsharing: ${(error as Error).message}`);
    }
  }
}

async function askWhatToRemove(services: Services, images: ImageRef[]): Promise<LaunchPermission[] | undefined> {
  if (images.length === 1) {
    const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
    const image = images[0]!;
    const current = await aws.getLaunchPermissions(gateway, { profile: image.profile, region: image.region }, image.imageId);
    if (current.length === 0) throw new Error(`${image.imageId} is not shared with anyone.`);
    const names = readSettings().accountNames;
    return services.prompts.pickMany(
      current.map((permission) => ({ label: describePermission(permission, names), value: permission })),
      { title: `Stop sharing ${image.imageId} with…`, placeHolder: 'Select the launch permissions to remove' },
    );
  }
  const targets = await askTargets(services, `Stop sharing ${images.length} AMIs with…`, []);
  return targets ? targetsToPermissions(targets) : undefined;
}

async function imagesFor(services: Services, args: unknown[], title: string): Promise<ImageRef[] | undefined> {
  if (isArgumentObject(args[0])) return refsFromArgument(parseTargetArgument(args[0], { requireImageIds: 'many' }));
  const nodes = selectedNodes(args);
  return nodes ? imageRefsFromNodes(nodes) : pickImages(services, title, true);
}

async function currentPermissions(services: Services, images: ImageRef[]): Promise<Array<{ image: ImageRef; current: LaunchPermission[] }>> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  return aws.runPool(images, 16, async (image) => ({
    image,
    current: await aws.getLaunchPermissions(gateway, { profile: image.profile, region: image.region }, image.imageId),
  }));
}

/** amiSharing.resetImagePermissions: ResetImageAttribute launchPermission. */
export async function resetImagePermissions(services: Services, ...args: unknown[]): Promise<ActionResults | undefined> {
  const images = await imagesFor(services, args, 'Reset launch permissions');
  return images?.length ? resetImages(services, images) : undefined;
}

export async function resetImages(services: Services, images: ImageRef[]): Promise<ActionResults | undefined> {
  const current = await currentPermissions(services, images);
  const confirmed = await confirmRemoval(
    services,
    `Reset the launch permissions of ${images.length === 1 ? images[0]!.imageId : `${images.length} AMIs`}?`,
    current.map(({ image, current: permissions }) => ({ image, remove: permissions })),
    'Reset',
  );
  if (!confirmed) return undefined;
  return runImageActions(services, images, {
    busyLabel: 'Resetting…',
    actionFor: () => ({ type: 'reset' }),
    describeDone: (image, result) =>
      result.applied.remove.length ? `Reset ${image.imageId}: removed ${countTargets(result.applied.remove)}` : `${image.imageId} had no launch permissions to reset`,
    offerUndo: true,
  });
}

/** amiSharing.makeImagePrivate: removes group "all" only. */
export async function makeImagePrivate(services: Services, ...args: unknown[]): Promise<ActionResults | undefined> {
  const images = await imagesFor(services, args, 'Make AMI private');
  return images?.length ? makeImagesPrivate(services, images) : undefined;
}

export async function makeImagesPrivate(services: Services, images: ImageRef[]): Promise<ActionResults | undefined> {
  const current = await currentPermissions(services, images);
  const confirmed = await confirmRemoval(
    services,
    `Make ${images.length === 1 ? images[0]!.imageId : `${images.length} AMIs`} private?`,
    current.map(({ image, current: permissions }) => ({ image, remove: makePrivateChange(permissions).remove })),
    'Make private',
  );
  if (!confirmed) return undefined;
  return runImageActions(services, images, {
    busyLabel: 'Making private…',
    actionFor: () => ({ type: 'modify', change: { add: [], remove: [{ Group: 'all' }] } }),
    describeDone: (image, result) => (result.applied.remove.length ? `${image.imageId} is no longer public` : `${image.imageId} was not public`),
    offerUndo: true,
  });
}

/** amiSharing.copyImageId */
export async function copyImageId(services: Services, ...args: unknown[]): Promise<string | undefined> {
  const nodes = selectedNodes(args);
  const ids = nodes
    ? nodes.flatMap((node) => (node.kind === 'image' ? [node.image.imageId] : node.kind === 'permission' ? [node.imageId] : []))
    : isArgumentObject(args[0]) && typeof (args[0] as { imageId?: unknown }).imageId === 'string'
      ? [(args[0] as { imageId: string }).imageId]
      : (await pickImages(services, 'Copy AMI ID', false))?.map((image) => image.imageId) ?? [];
  if (ids.length === 0) return undefined;
  const text = [...new Set(ids)].join('\n');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`Copied ${ids.length === 1 ? ids[0] : `${ids.length} AMI IDs`}`, 3000);
  return text;
}
