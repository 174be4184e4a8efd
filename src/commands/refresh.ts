import type { Services } from '../services';
import type { ExplorerNode } from '../tree/nodes';

export type RefreshArgument = ExplorerNode | { nodeId: string } | { profile: string } | undefined;

/** Refreshes the whole tree, one node (from a node's inline action or a retry item), or one profile. */
export async function refresh(services: Services, argument: RefreshArgument): Promise<void> {
  if (argument && 'nodeId' in argument) {
    const node = services.model.node(argument.nodeId);
    if (node?.kind === 'profile') await services.gateway.invalidate(node.profile.name);
    services.model.refresh(node);
    return;
  }
  if (argument && 'kind' in argument) {
    if (argument.kind === 'profile') await services.gateway.invalidate(argument.profile.name);
    services.model.refresh(argument);
    return;
  }
  if (argument && 'profile' in argument && typeof argument.profile === 'string') {
    await services.gateway.invalidate(argument.profile);
    services.model.refreshProfile(argument.profile);
    return;
  }
  await services.gateway.invalidate();
  services.model.refresh();
}
