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
  if (presentation.tooltip) {
    const markdown = new vscode.MarkdownString(undefined, false);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.appendMarkdown('**');
    markdown.appendText(presentation.tooltip.title);
    markdown.appendMarkdown('**\n\n');
    for (const line of presentation.tooltip.lines) {
      markdown.appendMarkdown('**');
      markdown.appendText(line.label);
      markdown.appendMarkdown('**: ');
      markdown.appendText(line.text);
      markdown.appendMarkdown('  \n');
    }
    if (presentation.tooltip.note) {
      markdown.appendMarkdown('\n_');
      markdown.appendText(presentation.tooltip.note);
      markdown.appendMarkdown('_');
    }
    item.tooltip = markdown;
  }
  if (presentation.command) {
    item.command = { command: presentation.command.command, title: presentation.command.title, arguments: presentation.command.args };
  }
  return item;
}

function collapsibleState(value: NodePresentation['collapsible']): vscode.TreeItemCollapsibleState {
  if (value === 'expanded') return vscode.TreeItemCollapsibleState.Expanded;
  if (value === 'collapsed') return vscode.TreeItemCollapsibleState.Collapsed;
  return vscode.TreeItemCollapsibleState.None;
}
