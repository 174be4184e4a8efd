import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact';
import type { Services } from '../services';
import type { ExplorerNode } from '../tree/nodes';
import { ArgumentError, classifyCall, type Invocation } from './arguments';
import { showChangeLog, undoChange } from './changeLogCommands';
import { checkRecipients } from './checkRecipients';
import { copyImageToRegions } from './copyImageToRegions';
import { editPermissions, imageClicked } from './editPermissions';
import { deregisterImage, disableImage, enableImage, promoteFromPrevious, promoteImage, setDeprecation, setDeregistrationProtection } from './lifecycleCommands';
import { openConfigFile } from './openConfigFile';
import { copyImageId, makeImagePrivate, resetImagePermissions, shareImage, unshareImage } from './permissionCommands';
import { exportTerraform, reconcile, refreshPolicies, writeManifest } from './policyCommands';
import { setPublicOnly } from './publicAudit';
import { openSharingMatrix } from './sharingMatrix';
import { copySharedImage, stopReceiving } from './receiving';
import { refresh } from './refresh';
import { selectRegions } from './selectRegions';
import { configureSso, ssoLogin } from './ssoLogin';
import { clearFilter, copyImageArn, filterImages, openInConsole, openSelected, refreshSelected, toggleHideRetired, unshareSelected } from './viewCommands';

type CommandHandler = (services: Services, call: Invocation) => unknown;

/** Commands that take no argument: a script object with fields is refused, as for the others. */
function noArgument(run: (services: Services) => unknown): CommandHandler {
  return (services, call) => {
    if (call.kind === 'script') call.argument.only();
    return run(services);
  };
}

/** Every command of the extension, by id; package.json declares exactly these. */
export const COMMANDS: Record<string, CommandHandler> = {
  'amiSharing.refresh': refresh,
  'amiSharing.selectRegions': selectRegions,
  'amiSharing.ssoLogin': (_services, call) => ssoLogin(call),
  'amiSharing.configureSso': noArgument(() => configureSso()),
  'amiSharing.openConfigFile': noArgument(() => openConfigFile()),
  'amiSharing.showLog': noArgument((services) => services.log.show()),
  'amiSharing.shareImage': shareImage,
  'amiSharing.unshareImage': unshareImage,
  'amiSharing.resetImagePermissions': resetImagePermissions,
  'amiSharing.makeImagePrivate': makeImagePrivate,
  'amiSharing.copyImageId': copyImageId,
  'amiSharing.editPermissions': editPermissions,
  'amiSharing.copyImageToRegions': copyImageToRegions,
  'amiSharing.showChangeLog': noArgument((services) => showChangeLog(services)),
  'amiSharing.undoChange': undoChange,
  'amiSharing.findPublicImages': noArgument((services) => setPublicOnly(services, true)),
  'amiSharing.showAllImages': noArgument((services) => setPublicOnly(services, false)),
  'amiSharing.imageClicked': imageClicked,
  'amiSharing.copyImageArn': copyImageArn,
  'amiSharing.openInConsole': openInConsole,
  'amiSharing.filterImages': filterImages,
  'amiSharing.clearFilter': noArgument(clearFilter),
  'amiSharing.toggleHideRetired': toggleHideRetired,
  'amiSharing.openSelected': noArgument(openSelected),
  'amiSharing.unshareSelected': noArgument(unshareSelected),
  'amiSharing.refreshSelected': noArgument(refreshSelected),
  'amiSharing.checkRecipients': checkRecipients,
  'amiSharing.copySharedImage': copySharedImage,
  'amiSharing.stopReceiving': stopReceiving,
  'amiSharing.setDeprecation': setDeprecation,
  'amiSharing.setDeregistrationProtection': setDeregistrationProtection,
  'amiSharing.disableImage': disableImage,
  'amiSharing.enableImage': enableImage,
  'amiSharing.deregisterImage': deregisterImage,
  'amiSharing.promoteImage': promoteImage,
  'amiSharing.promoteFromPrevious': promoteFromPrevious,
  'amiSharing.reconcile': reconcile,
  'amiSharing.refreshPolicies': refreshPolicies,
  'amiSharing.writeManifest': writeManifest,
  'amiSharing.exportTerraform': exportTerraform,
  'amiSharing.openSharingMatrix': openSharingMatrix,
};

/**
 * One wrapper for every command: the call is classified at the edge (tree nodes | script argument object |
 * palette); anything else is refused naming the argument. Failures are shown (redacted) and logged;
 * script calls always get the rejection, so a script can tell failure from success.
 */
export function registerCommands(services: Services): vscode.Disposable[] {
  const isTreeNode = (value: unknown): value is ExplorerNode => {
    if (typeof value !== 'object' || value === null || !('id' in value) || !('kind' in value)) return false;
    const known = services.model.node(String((value as { id: unknown }).id));
    return known !== undefined && known.kind === (value as { kind: unknown }).kind;
  };
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      let call: Invocation | undefined;
      try {
        call = classifyCall(id, args, isTreeNode);
        return await handler(services, call);
      } catch (error) {
        const message = redactSecrets(error instanceof Error ? error.message : String(error));
        const cancelled = (error as Error)?.name === 'ChangeCancelled';
        services.log[cancelled ? 'info' : 'error'](`${id} ${cancelled ? 'cancelled' : 'failed'}: ${message}`);
        if (!cancelled) void vscode.window.showErrorMessage(message);
        if (call === undefined || call.kind === 'script' || error instanceof ArgumentError) {
          throw error instanceof Error ? Object.assign(error, { message }) : new Error(message);
        }
        return undefined;
      }
    }),
  );
}
