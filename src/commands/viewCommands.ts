import * as vscode from 'vscode';
import { imageArn, imageConsoleUrl } from '../core/consoleLinks';
import type { Services } from '../services';
import type { ExplorerNode } from '../tree/nodes';
import { ArgumentError, IMAGE_ID, REGION_NAME, type Invocation } from './arguments';
import { editPermissions } from './editPermissions';
import { unshareImage } from './permissionCommands';
import { refresh } from './refresh';
import { SECTION } from '../settings';
import { showViewFilters } from '../tree/viewFilters';

/** The AMIs a call names: tree nodes (AMIs or their permission entries), or `{ region, imageId }`. */
function imagesOf(command: string, call: Invocation): Array<{ region: string; imageId: string }> {
  if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'region', 'imageId');
    return [{ region: argument.text('region', REGION_NAME), imageId: argument.text('imageId', IMAGE_ID) }];
  }
  if (call.kind === 'palette') throw new ArgumentError(vscode.l10n.t('{0}: choose an AMI in the AMI Sharing view.', command));
  const images = call.nodes.flatMap((node) => (node.kind === 'image' ? [{ region: node.region, imageId: node.image.imageId }] : node.kind === 'permission' ? [{ region: node.region, imageId: node.imageId }] : []));
  if (images.length === 0) throw new ArgumentError(vscode.l10n.t('{0}: choose an AMI in the AMI Sharing view.', command));
  return images;
}

/** amiSharing.copyImageArn */
export async function copyImageArn(_services: Services, call: Invocation): Promise<string> {
  const text = imagesOf('amiSharing.copyImageArn', call).map((image) => imageArn(image.region, image.imageId)).join('\n');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(text.includes('\n') ? vscode.l10n.t('Copied the AMI ARNs') : vscode.l10n.t('Copied {0}', text), 3000);
  return text;
}

/** amiSharing.openInConsole: the EC2 console page of the AMI, in its Region. */
export async function openInConsole(_services: Services, call: Invocation): Promise<string> {
  const [image] = imagesOf('amiSharing.openInConsole', call);
  const url = imageConsoleUrl(image!.region, image!.imageId);
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}

/** amiSharing.filterImages: by name, AMI ID or tag; shown in the view's description while active. */
export async function filterImages(services: Services, call: Invocation): Promise<string | undefined> {
  const text =
    call.kind === 'script'
      ? (call.argument.only('text').has('text') ? call.argument.text('text') : '')
      : await services.prompts.input({ title: vscode.l10n.t('Filter AMIs'), prompt: vscode.l10n.t('Name, AMI ID or tag (key, value or key=value); empty shows all'), value: services.model.filterText });
  if (text === undefined) return undefined;
  applyFilter(services, text);
  return services.model.filterText;
}

/** amiSharing.clearFilter */
export function clearFilter(services: Services): void {
  applyFilter(services, '');
}

function applyFilter(services: Services, text: string): void {
  services.model.filterText = text.trim();
  showViewFilters(services.model, services.treeView);
}

/**
 * amiSharing.toggleHideRetired: hides (or shows again) disabled and deprecated AMIs, through the setting
 * amiSharing.hideRetiredImages; `{ hide }` sets it instead of toggling. Returns whether they are hidden now.
 */
export async function toggleHideRetired(services: Services, call: Invocation): Promise<boolean> {
  const argument = call.kind === 'script' ? call.argument.only('hide') : undefined;
  const hide = argument?.optionalFlag('hide') ?? !services.model.hideRetired;
  services.model.hideRetired = hide;
  showViewFilters(services.model, services.treeView);
  await vscode.workspace.getConfiguration(SECTION).update('hideRetiredImages', hide, vscode.ConfigurationTarget.Global);
  return hide;
}

/** The tree's current selection, for keyboard commands (keybindings pass no argument). */
function selection(services: Services): ExplorerNode[] {
  return [...services.treeView.selection];
}

/** Enter on an AMI: its form (bulk form for several). */
export async function openSelected(services: Services): Promise<unknown> {
  const nodes = selection(services).filter((node) => node.kind === 'image' && node.owned);
  return nodes.length ? editPermissions(services, { kind: 'nodes', nodes }) : undefined;
}

/** Delete on permission entries: unshares them, with the pipeline's confirmation. */
export async function unshareSelected(services: Services): Promise<unknown> {
  const nodes = selection(services).filter((node) => node.kind === 'permission');
  return nodes.length ? unshareImage(services, { kind: 'nodes', nodes }) : undefined;
}

/** F5 / Ctrl+R: refreshes the focused node (everything when nothing is selected). */
export async function refreshSelected(services: Services): Promise<void> {
  const nodes = selection(services);
  await refresh(services, nodes.length ? { kind: 'nodes', nodes } : { kind: 'palette' });
}
