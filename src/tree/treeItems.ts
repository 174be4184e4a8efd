import * as vscode from 'vscode';
import type { ExplorerNode } from './nodes';
import type { NodePresentation } from './presentation';

/** The one place a node becomes a TreeItem. AWS-sourced text is added with appendText (escaped), never as Markdown. */
export function toTreeItem(node: ExplorerNode, presentation: NodePresentation): vscode.TreeItem {
  const item = new vscode.TreeItem(presentation.label, collapsibleState(presentation.collapsible));
  item.id = presentation.treeId ?? node.id;
  item.contextValue = presentation.contextValue;
  if (presentation.description !== undefined) item.description = presentation.description;
  if (presentation.icon) {
    item.iconPath = new vscode.ThemeIcon(presentation.icon.id, presentation.icon.color ? new vscode.ThemeColor(presentation.icon.color) : undefined);
  }
  if (presentation.tooltip && !presentation.lazyTooltip) item.tooltip = tooltipMarkdown(presentation.tooltip);
  if (presentation.command) {
    item.command = { command: presentation.command.command, title: presentation.command.title, arguments: presentation.command.args };
  }
  return item;
}

/** AWS-sourced text goes in with appendText (escaped); only our own labels are Markdown. */
export function tooltipMarkdown(tooltip: NonNullable<NodePresentation['tooltip']>): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  markdown.appendMarkdown('**');
  markdown.appendText(tooltip.title);
  markdown.appendMarkdown('**\n\n');
  for (const line of tooltip.lines) {
    markdown.appendMarkdown('**');
    markdown.appendText(line.label);
    markdown.appendMarkdown('**: ');
    markdown.appendText(line.text);
    markdown.appendMarkdown('  \n');
  }
  if (tooltip.note) {
    markdown.appendMarkdown('\n_');
    markdown.appendText(tooltip.note);
    markdown.appendMarkdown('_');
  }
  return markdown;
}

function collapsibleState(value: NodePresentation['collapsible']): vscode.TreeItemCollapsibleState {
  if (value === 'expanded') return vscode.TreeItemCollapsibleState.Expanded;
  if (value === 'collapsed') return vscode.TreeItemCollapsibleState.Collapsed;
  return vscode.TreeItemCollapsibleState.None;
}
