import * as vscode from 'vscode';
import type { PipelineUi } from './host';

/** The pipeline's editor side in VS Code: progress, notifications, the key-policy diff editor, the clipboard. */
export const vscodePipelineUi: PipelineUi = {
  progress: (title, notification, work) =>
    notification
      ? vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
          // A bulk job also shows in the status bar (the notification may be hidden); idle shows nothing.
          const status = vscode.window.createStatusBarItem('amiSharing.job', vscode.StatusBarAlignment.Left);
          status.name = vscode.l10n.t('AMI Sharing job');
          status.text = `$(sync~spin) ${title}`;
          status.tooltip = vscode.l10n.t('Show the AMI Sharing log');
          status.command = 'amiSharing.showLog';
          status.show();
          return Promise.resolve(
            work(
              (message) => {
                progress.report({ message });
                status.text = `$(sync~spin) ${title} ${message}`;
              },
              (cancel) => token.onCancellationRequested(cancel),
            ),
          ).finally(() => status.dispose());
        })
      : vscode.window.withProgress({ location: { viewId: 'amiSharing.images' } }, () => work(() => undefined, () => undefined)),
  notify: (severity, message, actions) =>
    severity === 'error'
      ? vscode.window.showErrorMessage(message, ...actions)
      : severity === 'warning'
        ? vscode.window.showWarningMessage(message, ...actions)
        : vscode.window.showInformationMessage(message, ...actions),
  async showPolicyDiff(keyArn, before, after) {
    const [left, right] = await Promise.all([
      vscode.workspace.openTextDocument({ content: before, language: 'json' }),
      vscode.workspace.openTextDocument({ content: after, language: 'json' }),
    ]);
    await vscode.commands.executeCommand('vscode.diff', left.uri, right.uri, vscode.l10n.t('Key policy of {0}: current ↔ proposed', keyArn.split('/').pop() ?? keyArn), { preview: true });
  },
  async copyText(text, note) {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(note);
  },
};
