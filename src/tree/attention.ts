import * as vscode from 'vscode';
import type { AwsLogger } from '../core/logger';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';

/**
 * Keeps the view's badge (public AMIs and lists that failed to load) and the "every profile failed" welcome
 * (context key amiSharing.allProfilesFailed) in step with what the tree has loaded. Counting reads the cache
 * only; it never starts a request.
 */
export function watchAttention(model: ExplorerModel, view: vscode.TreeView<ExplorerNode>, changed: vscode.Event<unknown>, log: AwsLogger): vscode.Disposable {
  let scheduled: ReturnType<typeof setTimeout> | undefined;
  let allFailed = false;
  const update = () => {
    scheduled = undefined;
    const counts = model.attention();
    const value = counts.publicImages + counts.failedLists + counts.failedProfiles;
    const parts = [
      ...(counts.publicImages ? [counts.publicImages === 1 ? vscode.l10n.t('1 public AMI') : vscode.l10n.t('{0} public AMIs', counts.publicImages)] : []),
      ...(counts.failedLists + counts.failedProfiles ? [vscode.l10n.t('{0} failed to load', counts.failedLists + counts.failedProfiles)] : []),
    ];
    view.badge = value ? { value, tooltip: parts.join(', ') } : undefined;
    const nowAllFailed = model.allProfilesFailed();
    if (nowAllFailed === allFailed) return;
    allFailed = nowAllFailed;
    void vscode.commands.executeCommand('setContext', 'amiSharing.allProfilesFailed', allFailed);
    if (!allFailed) return;
    // The welcome replaces the rows, so the log keeps each profile's reason (the welcome links to it).
    for (const { profile, reason } of model.failedProfiles()) log.warn(vscode.l10n.t('Profile {0} could not be loaded: {1}', profile, reason));
    // The root then has no rows (see ExplorerModel.profileNodes), and VS Code shows the welcome.
    model.repaint();
  };
  // Bursts of tree events (pages, share counts) become one count.
  const listener = changed(() => {
    scheduled ??= setTimeout(update, 200);
  });
  return { dispose: () => { listener.dispose(); clearTimeout(scheduled); } };
}
