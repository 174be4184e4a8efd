import * as vscode from 'vscode';
import type { Services } from '../services';
import { isArgumentObject } from './imageRefs';
import { showChangeLog, undoChange } from './changeLogCommands';
import { copyImageToRegions } from './copyImageToRegions';
import { editPermissions, imageClicked } from './editPermissions';
import { openConfigFile } from './openConfigFile';
import { setPublicOnly } from './publicAudit';
import { copyImageId, makeImagePrivate, resetImagePermissions, shareImage, unshareImage } from './permissionCommands';
import { refresh, type RefreshArgument } from './refresh';
import { selectRegions, type SelectRegionsArgument } from './selectRegions';
import { ssoLogin } from './ssoLogin';

type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

/** Every command of the extension, by id; package.json declares exactly these. */
export const COMMANDS: Record<string, CommandHandler> = {
  'amiSharing.refresh': (services, argument) => refresh(services, argument as RefreshArgument),
  'amiSharing.selectRegions': (services, argument) => selectRegions(services, argument as SelectRegionsArgument),
  'amiSharing.ssoLogin': (_services, argument) => ssoLogin(argument as { profile?: unknown }),
  'amiSharing.openConfigFile': () => openConfigFile(),
  'amiSharing.showLog': (services) => services.log.show(),
  'amiSharing.shareImage': shareImage,
  'amiSharing.unshareImage': unshareImage,
  'amiSharing.resetImagePermissions': resetImagePermissions,
  'amiSharing.makeImagePrivate': makeImagePrivate,
  'amiSharing.copyImageId': copyImageId,
  'amiSharing.editPermissions': editPermissions,
  'amiSharing.copyImageToRegions': copyImageToRegions,
  'amiSharing.showChangeLog': (services) => showChangeLog(services),
  'amiSharing.undoChange': (services, argument) => undoChange(services, argument),
  'amiSharing.findPublicImages': (services) => setPublicOnly(services, true),
  'amiSharing.showAllImages': (services) => setPublicOnly(services, false),
  'amiSharing.imageClicked': (services, argument) => imageClicked(services, argument),
};

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(services, ...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        services.log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(message);
        // Scripts that pass an argument object get the rejection; menus and the palette get the notification.
        if (isArgumentObject(args[0])) throw error;
        return undefined;
      }
    }),
  );
}
