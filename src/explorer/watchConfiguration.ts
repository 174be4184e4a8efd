import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { showViewFilters } from '../tree/viewFilters';

/** Refreshes the tree when amiSharing settings or the AWS config / credentials files change. */
export function watchConfiguration(services: Services): vscode.Disposable[] {
  const refreshAll = async () => {
    await services.gateway.invalidate();
    services.model.refresh();
  };
  const applyHideRetired = () => {
    services.model.hideRetired = readSettings().hideRetiredImages;
    showViewFilters(services.model, services.treeView);
  };
  if (readSettings().hideRetiredImages) applyHideRetired();
  const disposables: vscode.Disposable[] = [
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('amiSharing.hideRetiredImages')) applyHideRetired();
      if (event.affectsConfiguration('amiSharing.profiles')) void refreshAll();
      else if (event.affectsConfiguration('amiSharing.accountNames')) services.model.repaint();
    }),
  ];
  const files = [
    process.env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config'),
    process.env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), '.aws', 'credentials'),
  ];
  for (const file of files) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
    watcher.onDidChange(refreshAll, undefined, disposables);
    watcher.onDidCreate(refreshAll, undefined, disposables);
    watcher.onDidDelete(refreshAll, undefined, disposables);
    disposables.push(watcher);
  }
  return disposables;
}
