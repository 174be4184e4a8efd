import * as vscode from 'vscode';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';
import { presentNode, type AccountNames } from './presentation';
import { toTreeItem } from './treeItems';

export class AmiTreeProvider implements vscode.TreeDataProvider<ExplorerNode> {
  constructor(
    private readonly model: ExplorerModel,
    readonly onDidChangeTreeData: vscode.Event<ExplorerNode | ExplorerNode[] | undefined>,
    private readonly accountNames: () => AccountNames,
  ) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return toTreeItem(node, presentNode(node, this.model, this.accountNames()));
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model.getChildren(node);
  }
}
