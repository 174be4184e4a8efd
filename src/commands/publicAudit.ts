import * as vscode from 'vscode';
import type { Services } from '../services';

/** "Find public AMIs": the tree shows only public AMIs across every profile and Region, all expanded. */
export async function setPublicOnly(services: Services, publicOnly: boolean): Promise<void> {
  services.model.publicOnly = publicOnly;
  await vscode.commands.executeCommand('setContext', 'amiSharing.publicOnly', publicOnly);
  // TreeView.message is an optional string (exactOptionalPropertyTypes refuses undefined); an empty one shows nothing.
  services.treeView.message = publicOnly ? vscode.l10n.t('Showing only public AMIs (audit). Use "Show All AMIs" to go back.') : '';
  services.model.repaint();
}
