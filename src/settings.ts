import * as vscode from 'vscode';

export const SECTION = 'amiSharing';

export interface ExtensionSettings {
  profiles: string[];
  accountNames: Record<string, string>;
  confirmDestructiveActions: boolean;
  /** Check the new recipients of a share (can they launch and copy it?) when the share is done. */
  checkRecipientsAfterShare: boolean;
}

export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const accountNames = config.get<unknown>('accountNames');
  return {
    profiles: (config.get<unknown[]>('profiles') ?? []).filter((p): p is string => typeof p === 'string'),
    accountNames: isStringRecord(accountNames) ? accountNames : {},
    confirmDestructiveActions: config.get<boolean>('confirmDestructiveActions') ?? true,
    checkRecipientsAfterShare: config.get<boolean>('checkRecipientsAfterShare') ?? true,
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
