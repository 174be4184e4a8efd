/**
 * Messages between the "Edit AMI permissions" webview and the extension. Both sides import this file;
 * the extension validates every incoming message with `parseWebviewMessage` because the webview is untrusted.
 */
import { ORGANIZATIONAL_UNIT_ARN, ORGANIZATION_ARN } from '../core/accountInput';
import type { LaunchPermission } from '../core/types';

export interface FormImage {
  profile: string;
  region: string;
  accountId: string;
  imageId: string;
  name: string;
  state: string;
  encrypted: boolean;
  isPublic: boolean;
  permissions: LaunchPermission[];
  snapshots: FormSnapshot[];
  /** Whether the snapshots' createVolumePermission matches the launch permissions (recipients can copy). */
  snapshotPermissionsMatch?: boolean;
  /** Set when the AMI's current permissions could not be read. */
  error?: string;
}

export interface FormSnapshot {
  snapshotId: string;
  encrypted: boolean;
  keyManager?: 'AWS' | 'CUSTOMER' | 'unknown';
  kmsKeyId?: string;
  keyAlias?: string;
}

export interface FormState {
  images: FormImage[];
  accountNames: Record<string, string>;
  /** GetImageBlockPublicAccessState per Region, when known. */
  blockPublicAccess: Record<string, string>;
  confirmDestructive: boolean;
}

export interface FormResult {
  imageId: string;
  ok: boolean;
  error?: string;
  summary: string;
}

/** What the owner can fix for a recipient from the form (through the pipeline). */
export type RecipientFixKind = 'snapshotPermission' | 'keyStatements';
export const RECIPIENT_FIX_KINDS: readonly RecipientFixKind[] = ['snapshotPermission', 'keyStatements'];

/** One row of the form's Recipients section: the result of the recipient check for one account. */
export interface RecipientRow {
  accountId: string;
  /** The friendly name (amiSharing.accountNames) or the profile here that belongs to the account. */
  name?: string;
  profile?: string;
  canLaunch: 'yes' | 'no' | 'unknown';
  canCopy: 'yes' | 'no' | 'unknown';
  reasons: string[];
  fixes: RecipientFixKind[];
}

/** The Recipients section's state: checking (rows of the last check stay shown), done, or the check failed. */
export interface RecipientsView {
  status: 'checking' | 'done' | 'failed';
  rows: RecipientRow[];
  /** The account whose row is being fixed or re-checked. */
  busyAccountId?: string;
  message?: string;
}

export type ExtensionToWebview =
  | { type: 'state'; state: FormState; notice?: string }
  | { type: 'recipients'; recipients: RecipientsView }
  | { type: 'busy'; label: string }
  | { type: 'results'; results: FormResult[]; message: string }
  | { type: 'error'; message: string }
  /** Member accounts and OUs from AWS Organizations, for the autocompletes; names are shown as text only. */
  | { type: 'accountSuggestions'; accounts: SuggestedAccount[]; units: SuggestedUnit[] };

export interface SuggestedAccount {
  id: string;
  name: string;
}

/** A whole organization (its root) or an OU, to be shared with by ARN. */
export interface SuggestedUnit {
  kind: 'organization' | 'organizationalUnit';
  arn: string;
  name: string;
}

/** The suggested OU is an entry EC2 takes (organization ARN for the root, OU ARN otherwise): both sides check it. */
export function isValidSuggestedUnit(unit: SuggestedUnit): boolean {
  return typeof unit.name === 'string' && isValidPermission(unit.kind === 'organization' ? { OrganizationArn: unit.arn } : { OrganizationalUnitArn: unit.arn });
}

export type WebviewToExtension =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'save'; add: LaunchPermission[]; remove: LaunchPermission[]; includeSnapshots: boolean }
  | { type: 'alignSnapshots' }
  | { type: 'reset' }
  | { type: 'makePrivate' }
  | { type: 'checkRecipients' }
  | { type: 'fixRecipient'; accountId: string; fix: RecipientFixKind }
  | { type: 'close' };

const MAX_ENTRIES = 10_000;
const ACCOUNT_ID = /^[0-9]{12}$/;

export function isValidPermission(value: unknown): value is LaunchPermission {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length !== 1) return false;
  const [key, v] = entries[0]!;
  if (typeof v !== 'string') return false;
  switch (key) {
    case 'UserId':
      return ACCOUNT_ID.test(v);
    case 'Group':
      return v === 'all';
    case 'OrganizationArn':
      return ORGANIZATION_ARN.test(v);
    case 'OrganizationalUnitArn':
      return ORGANIZATIONAL_UNIT_ARN.test(v);
    default:
      return false;
  }
}

/**
 * A message from a webview as a record, with `only(...)` telling whether it has no field beyond those named:
 * the start of every parser here, since each message must be exactly one of the protocol's shapes.
 */
export function messageFields(raw: unknown): { record: Record<string, unknown>; only: (...allowed: string[]) => boolean } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  const keys = Object.keys(record);
  return { record, only: (...allowed: string[]) => keys.every((key) => allowed.includes(key)) };
}

/** Returns the message when it is exactly one of the protocol's shapes, else a reason for the log. */
export function parseWebviewMessage(raw: unknown): { message: WebviewToExtension } | { rejected: string } {
  const fields = messageFields(raw);
  if (!fields) return { rejected: 'not an object' };
  const { record, only } = fields;
  switch (record.type) {
    case 'ready':
    case 'reload':
    case 'reset':
    case 'makePrivate':
    case 'close':
    case 'alignSnapshots':
    case 'checkRecipients':
      return only('type') ? { message: { type: record.type } } : { rejected: `unexpected fields on ${record.type}` };
    case 'save': {
      if (!only('type', 'add', 'remove', 'includeSnapshots')) return { rejected: 'unexpected fields on save' };
      const { add, remove, includeSnapshots } = record;
      if (typeof includeSnapshots !== 'boolean') return { rejected: 'save needs includeSnapshots true or false' };
      if (!Array.isArray(add) || !Array.isArray(remove)) return { rejected: 'save needs add and remove arrays' };
      if (add.length + remove.length > MAX_ENTRIES) return { rejected: 'too many entries' };
      const entries: unknown[] = [...add, ...remove];
      const badIndex = entries.findIndex((entry) => !isValidPermission(entry));
      if (badIndex >= 0) return { rejected: `invalid launch permission ${String(JSON.stringify(entries[badIndex])).slice(0, 200)}` };
      return { message: { type: 'save', add: add as LaunchPermission[], remove: remove as LaunchPermission[], includeSnapshots } };
    }
    case 'fixRecipient': {
      if (!only('type', 'accountId', 'fix')) return { rejected: 'unexpected fields on fixRecipient' };
      const { accountId, fix } = record;
      if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) return { rejected: 'fixRecipient needs a 12-digit accountId' };
      if (!RECIPIENT_FIX_KINDS.includes(fix as RecipientFixKind)) return { rejected: `unknown fix ${String(JSON.stringify(fix)).slice(0, 60)}` };
      return { message: { type: 'fixRecipient', accountId, fix: fix as RecipientFixKind } };
    }
    default:
      return { rejected: `unknown message type ${JSON.stringify(record.type)?.slice(0, 60)}` };
  }
}

/**
 * The extension's l10n bundle, as the webview receives it (on `<body data-l10n>`, before the first render):
 * only string keys with string messages pass, so a malformed bundle falls back to English instead of failing.
 * Both sides call it: the host on `vscode.l10n.bundle` before embedding it, the webview on what it reads.
 */
export function l10nContentsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const contents: Record<string, string> = {};
  for (const [key, message] of Object.entries(value)) if (typeof message === 'string') contents[key] = message;
  return contents;
}
