import * as vscode from 'vscode';
import type { ExplorerNode } from './nodes';
import { tooltipMarkdown, type NodePresentation, type Tooltip } from './presentation';

/** The one place a node becomes a TreeItem, from its presentation. */
export function toTreeItem(node: ExplorerNode, presentation: NodePresentation): vscode.TreeItem {
  const item = new vscode.TreeItem(presentation.label, collapsibleState(presentation.collapsible));
  item.id = presentation.treeId ?? node.id;
  item.contextValue = presentation.contextValue;
  if (presentation.description !== undefined) item.description = presentation.description;
  if (presentation.icon) {
    item.iconPath = new vscode.ThemeIcon(presentation.icon.id, presentation.icon.color ? new vscode.ThemeColor(presentation.icon.color) : undefined);
  }
  if (presentation.tooltip && !presentation.lazyTooltip) item.tooltip = tooltipItem(presentation.tooltip);
  if (presentation.command) {
    item.command = { command: presentation.command.command, title: presentation.command.title, arguments: presentation.command.args };
  }
  return item;
}

/** Untrusted Markdown, no HTML, no theme icons: AWS text in it was made inert by `tooltipMarkdown`. */
export function tooltipItem(tooltip: Tooltip): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(tooltipMarkdown(tooltip), false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}

function collapsibleState(value: NodePresentation['collapsible']): vscode.TreeItemCollapsibleState {
  if (value === 'expanded') return vscode.TreeItemCollapsibleState.Expanded;
  if (value === 'collapsed') return vscode.TreeItemCollapsibleState.Collapsed;
  return vscode.TreeItemCollapsibleState.None;
}
