import type { ExplorerNode, ImageNode, PermissionNode } from '../tree/nodes';

/** An AMI addressed by profile and Region, however the command was invoked. */
export interface ImageRef {
  profile: string;
  region: string;
  imageId: string;
  name?: string;
}

export interface TargetArgument {
  profile: string;
  region: string;
  imageIds: string[];
  accountIds?: string[];
  organizationArns?: string[];
  organizationalUnitArns?: string[];
  includeSnapshots?: boolean;
}

const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

function isNode(value: unknown): value is ExplorerNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;
}

/** VS Code passes (clicked, selection) from context menus; inline buttons pass only the clicked node. */
export function selectedNodes(args: readonly unknown[]): ExplorerNode[] | undefined {
  const [clicked, selection] = args;
  if (Array.isArray(selection) && selection.length > 0 && selection.every(isNode)) {
    return isNode(clicked) && !selection.some((node) => node.id === clicked.id) ? [clicked] : selection;
  }
  return isNode(clicked) ? [clicked] : undefined;
}

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

export function permissionNodes(nodes: readonly ExplorerNode[]): PermissionNode[] {
  return nodes.filter((node): node is PermissionNode => node.kind === 'permission');
}

export function imageNodes(nodes: readonly ExplorerNode[]): ImageNode[] {
  return nodes.filter((node): node is ImageNode => node.kind === 'image');
}

/** Validates a script's argument object; throws with a message naming the bad field. */
export function parseTargetArgument(value: unknown, options: { requireImageIds: 'many' | 'one' }): TargetArgument {
  if (typeof value !== 'object' || value === null) throw new Error('Expected an argument object { profile, region, imageIds }.');
  const record = value as Record<string, unknown>;
  const text = (field: string) => {
    const v = record[field];
    if (typeof v !== 'string' || v.length === 0) throw new Error(`Argument "${field}" must be a non-empty string.`);
    return v;
  };
  const list = (field: string): string[] | undefined => {
    const v = record[field];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((item) => typeof item === 'string')) throw new Error(`Argument "${field}" must be an array of strings.`);
    return v as string[];
  };
  const imageIds = options.requireImageIds === 'one' ? [text('imageId')] : list('imageIds');
  if (!imageIds || imageIds.length === 0) throw new Error('Argument "imageIds" must list at least one AMI ID.');
  const malformed = imageIds.filter((id) => !IMAGE_ID.test(id));
  if (malformed.length) throw new Error(`Not AMI IDs: ${malformed.join(', ')} (expected ami- followed by 8 or 17 hex characters).`);
  const result: TargetArgument = { profile: text('profile'), region: text('region'), imageIds };
  const accountIds = list('accountIds');
  const organizationArns = list('organizationArns');
  const organizationalUnitArns = list('organizationalUnitArns');
  if (accountIds) result.accountIds = accountIds;
  if (organizationArns) result.organizationArns = organizationArns;
  if (organizationalUnitArns) result.organizationalUnitArns = organizationalUnitArns;
  if (record.includeSnapshots !== undefined) {
    if (typeof record.includeSnapshots !== 'boolean') throw new Error('Argument "includeSnapshots" must be true or false.');
    result.includeSnapshots = record.includeSnapshots;
  }
  return result;
}

export function isArgumentObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isNode(value) && !('nodeId' in value);
}
