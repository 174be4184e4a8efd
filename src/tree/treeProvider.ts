import * as vscode from 'vscode';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';
import { presentNode, type AccountNames } from './presentation';
import { tooltipMarkdown, toTreeItem } from './treeItems';

export class AmiTreeProvider implements vscode.TreeDataProvider<ExplorerNode> {
  constructor(
    private readonly model: ExplorerModel,
    readonly onDidChangeTreeData: vscode.Event<ExplorerNode | ExplorerNode[] | undefined>,
    private readonly accountNames: () => AccountNames,
  ) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node, presentNode(node, this.model, this.accountNames()));
  }

  /** Adds what is too costly to fetch for every row (snapshot permissions) when the user hovers an AMI. */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): Promise<vscode.TreeItem> {
    const presentation = presentNode(node, this.model, this.accountNames());
    if (presentation.lazyTooltip && presentation.tooltip) item.tooltip = tooltipMarkdown(presentation.tooltip);
    if (node.kind !== 'image' || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    const line = await this.model.snapshotStatusLine(node);
    if (line) {
      item.tooltip.appendMarkdown('\n\n');
      item.tooltip.appendText(line);
    }
    return item;
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.getChildren(node);
  }
}
