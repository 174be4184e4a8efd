import * as l10n from '@vscode/l10n';
import type { ImageRef } from '../core/changes';
import type { ExplorerNode, PermissionNode } from '../tree/nodes';
import { ArgumentError, IMAGE_ID, PROFILE_NAME, REGION_NAME, type ScriptArgument } from './arguments';

export type { ImageRef } from '../core/changes';

/** The AMIs a tree selection addresses: owned AMIs, and the AMIs of selected permission entries. */
export function imageRefsFromNodes(nodes: readonly ExplorerNode[]): ImageRef[] {
  const refs = new Map<string, ImageRef>();
  for (const node of nodes) {
    if (node.kind === 'image' && node.owned) {
      refs.set(`${node.profile}/${node.region}/${node.image.imageId}`, { profile: node.profile, region: node.region, imageId: node.image.imageId, name: node.image.name });
    } else if (node.kind === 'permission') {
      refs.set(`${node.profile}/${node.region}/${node.imageId}`, { profile: node.profile, region: node.region, imageId: node.imageId });
    }
  }
  return [...refs.values()];
}

/** Owned AMIs of a selection; a selection with none is refused with the reason. */
export function ownedImagesOf(command: string, nodes: readonly ExplorerNode[]): ImageRef[] {
  const images = imageRefsFromNodes(nodes);
  if (images.length === 0) throw new ArgumentError(l10n.t('{0}: select one or more AMIs you own (under My AMIs).', command));
  return images;
}

export function permissionNodes(nodes: readonly ExplorerNode[]): PermissionNode[] {
  return nodes.filter((node): node is PermissionNode => node.kind === 'permission');
}

/** `{ profile, region, imageIds }` (or `imageId` where one AMI is meant) of a script's argument. */
export function imagesOfArgument(argument: ScriptArgument, options: { one?: boolean } = {}): ImageRef[] {
  const profile = argument.text('profile', PROFILE_NAME);
  const region = argument.text('region', REGION_NAME);
  const imageIds = options.one && argument.has('imageId') ? [argument.text('imageId', IMAGE_ID)] : argument.list('imageIds', IMAGE_ID, { nonEmpty: true });
  return [...new Set(imageIds)].map((imageId) => ({ profile, region, imageId }));
}

/** The account IDs and organization / OU ARNs of a script's argument (validated by the account parser later). */
export function targetsOfArgument(argument: ScriptArgument): { accountIds?: string[]; organizationArns?: string[]; organizationalUnitArns?: string[] } {
  const accountIds = argument.optionalList('accountIds');
  const organizationArns = argument.optionalList('organizationArns');
  const organizationalUnitArns = argument.optionalList('organizationalUnitArns');
  return { ...(accountIds ? { accountIds } : {}), ...(organizationArns ? { organizationArns } : {}), ...(organizationalUnitArns ? { organizationalUnitArns } : {}) };
}
