import * as l10n from '@vscode/l10n';
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
    /** Names of the sharing policies an AMI drifts from (the workspace manifest), for a marker on its row. */
    private readonly driftingPolicies: (profile: string, region: string, imageId: string) => string[] = () => [],
  ) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = toTreeItem(node, presentNode(node, this.model, this.accountNames()));
    const drifting = node.kind === 'image' ? this.driftingPolicies(node.profile, node.region, node.image.imageId) : [];
    if (drifting.length) {
      const drift = l10n.t('drifts from policy {0}', drifting.map((p) => `"${p}"`).join(', '));
      item.description = typeof item.description === 'string' && item.description ? `${item.description} · ${drift}` : drift;
    }
    return item;
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
