import * as vscode from 'vscode';
import { clampBudgetPercent } from './core/rateLimiter';

export const SECTION = 'amiSharing';

export interface ExtensionSettings {
  profiles: string[];
  accountNames: Record<string, string>;
  confirmDestructiveActions: boolean;
  /** Percent of EC2's request buckets to spend, 1–100. */
  requestBudgetPercent: number;
  /** Check the new recipients of a share (can they launch and copy it?) when the share is done. */
  checkRecipientsAfterShare: boolean;
  /** The AMI Sharing view leaves out disabled and deprecated AMIs. */
  hideRetiredImages: boolean;
}

export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const accountNames = config.get<unknown>('accountNames');
  return {
    profiles: (config.get<unknown[]>('profiles') ?? []).filter((p): p is string => typeof p === 'string'),
    accountNames: isStringRecord(accountNames) ? accountNames : {},
    confirmDestructiveActions: config.get<boolean>('confirmDestructiveActions') ?? true,
    requestBudgetPercent: clampBudgetPercent(config.get<unknown>('requestBudgetPercent')),
    checkRecipientsAfterShare: config.get<boolean>('checkRecipientsAfterShare') ?? true,
    hideRetiredImages: config.get<boolean>('hideRetiredImages') ?? false,
  };
}

/**
 * The request budget as a cheap getter: the limiter reads it on every refill, so it is read from the
 * configuration once and again only when it changes.
 */
export function watchRequestBudget(subscriptions: { dispose(): unknown }[]): () => number {
  let percent = readSettings().requestBudgetPercent;
  subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.requestBudgetPercent`)) percent = readSettings().requestBudgetPercent;
    }),
  );
  return () => percent;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
