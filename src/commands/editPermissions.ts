import type { Services } from '../services';
import { EditPermissionsPanel } from '../webview/editPermissionsPanel';
import { imageRefsFromNodes, isArgumentObject, parseTargetArgument, selectedNodes, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

/** amiSharing.editPermissions: one AMI, or bulk mode for a multi-selection. */
export async function editPermissions(services: Services, ...args: unknown[]): Promise<{ imageIds: string[] } | undefined> {
  let images: ImageRef[] | undefined;
  if (isArgumentObject(args[0])) {
    const argument = parseTargetArgument(args[0], { requireImageIds: 'one' });
    images = argument.imageIds.map((imageId) => ({ profile: argument.profile, region: argument.region, imageId }));
  } else {
    const nodes = selectedNodes(args);
    images = nodes ? imageRefsFromNodes(nodes) : await pickImages(services, 'Edit AMI permissions', false);
  }
  if (!images?.length) return undefined;
  EditPermissionsPanel.show(services, images);
  return { imageIds: images.map((image) => image.imageId) };
}

const DOUBLE_CLICK_MS = 500;
let lastClick: { id: string; at: number } | undefined;

/** Tree items run this on every click; a second click on the same AMI within 500 ms opens the form. */
export async function imageClicked(services: Services, argument: unknown): Promise<void> {
  const nodeId = typeof argument === 'object' && argument !== null && typeof (argument as { nodeId?: unknown }).nodeId === 'string' ? (argument as { nodeId: string }).nodeId : undefined;
  const node = nodeId ? services.model.node(nodeId) : undefined;
  if (!node || node.kind !== 'image' || !node.owned) return;
  const now = Date.now();
  if (lastClick?.id === node.id && now - lastClick.at < DOUBLE_CLICK_MS) {
    lastClick = undefined;
    await editPermissions(services, node);
    return;
  }
  lastClick = { id: node.id, at: now };
}
