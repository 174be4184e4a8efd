import type * as vscode from 'vscode';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';
import { presentNode, type AccountNames } from './presentation';
import { tooltipItem, toTreeItem } from './treeItems';

export class AmiTreeProvider implements vscode.TreeDataProvider<ExplorerNode> {
  constructor(
    private readonly model: ExplorerModel,
    readonly onDidChangeTreeData: vscode.Event<ExplorerNode | ExplorerNode[] | undefined>,
    private readonly accountNames: () => AccountNames,
  ) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node, presentNode(node, this.model, this.accountNames()));
  }

  /** Builds lazy tooltips, and adds what is too costly to fetch for every row (snapshot permissions), on hover. */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): Promise<vscode.TreeItem> {
    const line = node.kind === 'image' ? await this.model.snapshotStatusLine(node) : undefined;
    const { tooltip, lazyTooltip } = presentNode(node, this.model, this.accountNames());
    if (tooltip && (lazyTooltip || line)) item.tooltip = tooltipItem(line ? { ...tooltip, details: [...(tooltip.details ?? []), line] } : tooltip);
    return item;
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.getChildren(node);
  }
}
