import * as vscode from 'vscode';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode } from './nodes';


/**
 * Keeps the view's badge (public AMIs and lists that failed to load) and the "every profile failed" message in
 * step with what the tree has loaded. Counting reads the cache only; it never starts a request.
 */
export function watchAttention(model: ExplorerModel, view: vscode.TreeView<ExplorerNode>, changed: vscode.Event<unknown>): vscode.Disposable {
  const ALL_FAILED = vscode.l10n.t('No profile could be loaded: check the credentials of your AWS profiles (each shows why) or Open AWS Config File.');
  let scheduled: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    scheduled = undefined;
    const counts = model.attention();
    const value = counts.publicImages + counts.failedLists + counts.failedProfiles;
    const parts = [
      ...(counts.publicImages ? [counts.publicImages === 1 ? vscode.l10n.t('1 public AMI') : vscode.l10n.t('{0} public AMIs', counts.publicImages)] : []),
      ...(counts.failedLists + counts.failedProfiles ? [vscode.l10n.t('{0} failed to load', counts.failedLists + counts.failedProfiles)] : []),
    ];
    view.badge = value ? { value, tooltip: parts.join(', ') } : undefined;
    const allFailed = counts.profiles > 0 && counts.failedProfiles === counts.profiles;
    if (allFailed && !model.publicOnly) view.message = ALL_FAILED;
    else if (view.message === ALL_FAILED) view.message = '';
  };
  // Bursts of tree events (pages, share counts) become one count.
  const listener = changed(() => {
    scheduled ??= setTimeout(update, 200);
  });
  return { dispose: () => { listener.dispose(); clearTimeout(scheduled); } };
}
