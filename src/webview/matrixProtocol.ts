/**
 * Messages between the sharing matrix webview and the extension. Both sides import this file; the extension
 * validates every incoming message with `parseMatrixMessage` because the webview is untrusted. Requests that
 * get an answer carry a `requestId` the answer repeats.
 */
import type { MatrixImage, MatrixMembership } from '../core/matrix/model';
import type { MatrixFilter } from '../core/matrix/view';
import type { LaunchPermission } from '../core/types';
import { isValidPermission, messageFields } from './protocol';

export interface MatrixState {
  images: MatrixImage[];
  recipients: LaunchPermission[];
  accountNames: Record<string, string>;
  membership: MatrixMembership;
  /** Set when the matrix shows one policy's AMIs. */
  policy?: string;
  /** Profiles and Regions that could not be listed. */
  errors: string[];
}

/** One queued toggle, as the webview shows it. */
export interface MatrixToggle {
  /** imageKeyOf of the AMI. */
  row: string;
  /** permissionKey of the recipient. */
  column: string;
  action: 'add' | 'remove';
}

export interface MatrixResult {
  imageId: string;
  ok: boolean;
  error?: string;
}

export type ExtensionToMatrix =
  | { type: 'state'; state: MatrixState }
  | { type: 'loading'; label: string }
  | { type: 'applied'; requestId: number; outcome: 'applied' | 'cancelled' | 'failed'; message: string; results: MatrixResult[] }
  | { type: 'exported'; requestId: number; ok: boolean; message: string }
  | { type: 'error'; message: string };

export type MatrixToExtension =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'apply'; requestId: number; toggles: MatrixToggle[]; snapshots: boolean }
  | { type: 'exportCsv'; requestId: number; filter: MatrixFilter };

const MAX_TOGGLES = 50_000;
const MAX_TEXT = 500;

function isToggle(value: unknown): value is MatrixToggle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (Object.keys(record).some((key) => !['row', 'column', 'action'].includes(key))) return false;
  if (typeof record.row !== 'string' || record.row.length > MAX_TEXT || typeof record.column !== 'string' || record.column.length > MAX_TEXT) return false;
  if (record.action !== 'add' && record.action !== 'remove') return false;
  // The column names a launch-permission entry: check it has one of EC2's shapes.
  const [kind, ...rest] = record.column.split(':');
  const value_ = rest.join(':');
  const entry = kind === 'user' ? { UserId: value_ } : kind === 'group' ? { Group: value_ } : kind === 'org' ? { OrganizationArn: value_ } : kind === 'ou' ? { OrganizationalUnitArn: value_ } : undefined;
  return entry !== undefined && isValidPermission(entry);
}

function isFilter(value: unknown): value is MatrixFilter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(([key, v]) => ['text', 'region', 'recipient'].includes(key) && typeof v === 'string' && v.length <= MAX_TEXT);
}

const isRequestId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Returns the message when it is exactly one of the protocol's shapes, else a reason for the log. */
export function parseMatrixMessage(raw: unknown): { message: MatrixToExtension } | { rejected: string } {
  const fields = messageFields(raw);
  if (!fields) return { rejected: 'not an object' };
  const { record, only } = fields;
  switch (record.type) {
    case 'ready':
    case 'reload':
      return only('type') ? { message: { type: record.type } } : { rejected: `unexpected fields on ${record.type}` };
    case 'apply': {
      if (!only('type', 'requestId', 'toggles', 'snapshots')) return { rejected: 'unexpected fields on apply' };
      const { requestId, toggles, snapshots } = record;
      if (!isRequestId(requestId)) return { rejected: 'apply needs a requestId' };
      if (typeof snapshots !== 'boolean') return { rejected: 'apply needs snapshots true or false' };
      if (!Array.isArray(toggles) || toggles.length === 0) return { rejected: 'apply needs a non-empty toggles array' };
      if (toggles.length > MAX_TOGGLES) return { rejected: 'too many toggles' };
      const bad = toggles.findIndex((t) => !isToggle(t));
      if (bad >= 0) return { rejected: `invalid toggle ${String(JSON.stringify(toggles[bad])).slice(0, 200)}` };
      return { message: { type: 'apply', requestId, toggles: toggles as MatrixToggle[], snapshots } };
    }
    case 'exportCsv': {
      if (!only('type', 'requestId', 'filter')) return { rejected: 'unexpected fields on exportCsv' };
      if (!isRequestId(record.requestId)) return { rejected: 'exportCsv needs a requestId' };
      if (!isFilter(record.filter)) return { rejected: 'exportCsv needs a filter of text, region and recipient strings' };
      return { message: { type: 'exportCsv', requestId: record.requestId, filter: record.filter } };
    }
    default:
      return { rejected: `unknown message type ${JSON.stringify(record.type)?.slice(0, 60)}` };
  }
}
