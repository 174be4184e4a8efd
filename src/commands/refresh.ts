import * as l10n from '@vscode/l10n';
import type { Services } from '../services';
import { ArgumentError, PROFILE_NAME, type Invocation } from './arguments';

/** Refreshes the whole tree, one node (from a node's inline action or a retry item), or one profile. */
export async function refresh(services: Services, call: Invocation): Promise<void> {
  if (call.kind === 'nodes') {
    for (const node of call.nodes) {
      // A retry on an error item refreshes the node it stands for; for a profile, its credentials start afresh.
      const target = node.kind === 'message' && node.retryNodeId ? services.model.node(node.retryNodeId) : node;
      if (target?.kind === 'profile') await services.gateway.invalidate(target.profile.name);
      services.model.refresh(node);
    }
    return;
  }
  if (call.kind === 'script') {
    const argument = call.argument.only('nodeId', 'profile');
    if (argument.has('nodeId')) {
      const node = services.model.node(argument.text('nodeId'));
      if (!node) throw new ArgumentError(l10n.t('amiSharing.refresh: no tree item has the id {0}.', JSON.stringify(argument.text('nodeId'))));
      if (node.kind === 'profile') await services.gateway.invalidate(node.profile.name);
      services.model.refresh(node);
      return;
    }
    const profile = argument.text('profile', PROFILE_NAME);
    await services.gateway.invalidate(profile);
    services.model.refreshProfile(profile);
    return;
  }
  await services.gateway.invalidate();
  services.model.refresh();
}
