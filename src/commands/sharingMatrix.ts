import * as l10n from '@vscode/l10n';
import type { Services } from '../services';
import { SharingMatrixPanel, type MatrixScope } from '../webview/sharingMatrixPanel';
import { ArgumentError, type Invocation } from './arguments';

/**
 * amiSharing.openSharingMatrix: from the view's title bar or the palette (every configured profile's selected
 * Regions), or with a policy row of the Policies view / a script's `{ manifest, policy }` (that policy's AMIs).
 * Resolves once the matrix shows its first state, with how many organizations and OUs it knows the member
 * accounts of (0: every "covered through an organization or OU" cell says maybe).
 */
export async function openSharingMatrix(services: Services, call: Invocation): Promise<{ images: number; organizationEntriesKnown: number; policy?: string }> {
  const scope: MatrixScope = {};
  if (call.kind === 'nodes') throw new ArgumentError(l10n.t('amiSharing.openSharingMatrix: run it from the view title or a policy in the Policies view.'));
  if (call.kind === 'script') {
    const a = call.argument.only('manifest', 'policy');
    const policy = a.optionalText('policy');
    if (policy !== undefined) scope.policy = { manifest: a.text('manifest'), name: policy };
    else if (a.has('manifest')) throw new ArgumentError(l10n.t('amiSharing.openSharingMatrix: "manifest" needs "policy".'));
  }
  const panel = SharingMatrixPanel.show(services, scope);
  await panel.loaded;
  return { images: panel.imageCount, organizationEntriesKnown: panel.knownEntryCount, ...(scope.policy ? { policy: scope.policy.name } : {}) };
}
