import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/tree/nodes';

export const EXTENSION_ID = 'ami-sharing.ami-sharing';

export async function activateExtension(): Promise<AmiSharingApi> {
  const extension = vscode.extensions.getExtension<AmiSharingApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

export interface RenderedNode {
  node: ExplorerNode;
  item: vscode.TreeItem;
  label: string;
  description: string;
}

function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export async function children(api: AmiSharingApi, parent?: ExplorerNode): Promise<RenderedNode[]> {
  const nodes = (await api.treeProvider.getChildren(parent)) ?? [];
  return Promise.all(
    nodes.map(async (node) => {
      const item = await api.treeProvider.getTreeItem(node);
      return { node, item, label: labelOf(item), description: typeof item.description === 'string' ? item.description : '' };
    }),
  );
}

export async function childByLabel(api: AmiSharingApi, parent: ExplorerNode | undefined, label: string): Promise<RenderedNode> {
  const all = await children(api, parent);
  const found = all.find((child) => child.label === label);
  if (!found) throw new Error(`no child "${label}" under ${parent?.id ?? 'root'}; have ${all.map((c) => c.label).join(', ')}`);
  return found;
}
