import * as l10n from '@vscode/l10n';
import type { Services } from '../services';
import { EditPermissionsPanel } from '../webview/editPermissionsPanel';
import type { Invocation } from './arguments';
import { imagesOfArgument, ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

/** amiSharing.editPermissions: one AMI, or bulk mode for a multi-selection. */
export async function editPermissions(services: Services, call: Invocation): Promise<{ imageIds: string[] } | undefined> {
  let images: ImageRef[] | undefined;
  if (call.kind === 'script') images = imagesOfArgument(call.argument.only('profile', 'region', 'imageId', 'imageIds'), { one: true });
  else if (call.kind === 'nodes') images = ownedImagesOf('amiSharing.editPermissions', call.nodes);
  else images = await pickImages(services, l10n.t('Edit AMI permissions'), false);
  if (!images?.length) return undefined;
  EditPermissionsPanel.show(services, images);
  return { imageIds: images.map((image) => image.imageId) };
}

const DOUBLE_CLICK_MS = 500;
let lastClick: { id: string; at: number } | undefined;

/** Tree items run this on every click; a second click on the same AMI within 500 ms opens the form. */
export async function imageClicked(services: Services, call: Invocation): Promise<void> {
  if (call.kind !== 'script') return;
  const nodeId = call.argument.only('nodeId').text('nodeId');
  const node = services.model.node(nodeId);
  if (node?.kind !== 'image' || !node.owned) return;
  const now = Date.now();
  if (lastClick?.id === node.id && now - lastClick.at < DOUBLE_CLICK_MS) {
    lastClick = undefined;
    await editPermissions(services, { kind: 'nodes', nodes: [node] });
    return;
  }
  lastClick = { id: node.id, at: now };
}
