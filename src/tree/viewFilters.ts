import * as vscode from 'vscode';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';

/**
 * The view's active filters (text, hidden retired AMIs) in its description and in context keys for the
 * title menu, then a repaint: one place, so the description always names every filter that is on.
 */
export function showViewFilters(model: ExplorerModel, treeView: vscode.TreeView<ExplorerNode>): void {
  const parts = [
    ...(model.filterText ? [vscode.l10n.t('Filter: {0}', model.filterText)] : []),
    ...(model.hideRetired ? [vscode.l10n.t('hiding disabled and deprecated AMIs')] : []),
  ];
  treeView.description = parts.join(' · ');
  void vscode.commands.executeCommand('setContext', 'amiSharing.filtered', model.filterText !== '');
  void vscode.commands.executeCommand('setContext', 'amiSharing.hidingRetired', model.hideRetired);
  model.repaint();
}
