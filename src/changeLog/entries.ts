import type { SettingChange, StepKind } from '../core/changes';
import type { PermissionChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';

/**
 * The change log's lines. Every step of every change (an AMI's launch permissions, one snapshot, one key
 * policy, one copy) writes an "intent" line before the AWS call, awaited, and a "result" line after it.
 * Only permissions and IDs are stored, never credentials.
 */
interface ChangeEntryBase {
  /** The same id on a step's intent and its result. */
  id: string;
  /** The change the step belongs to (one confirmation, one Undo); older logs have none. */
  changeId?: string;
  time: string;
  action: string;
  /** What the step changes; older logs have none (launch permissions). */
  resource?: StepKind;
  profile: string;
  account?: string;
  region: string;
  imageId: string;
  snapshotId?: string;
  keyArn?: string;
  targetRegion?: string;
  before: LaunchPermission[];
}

/** Lifecycle settings (deprecation, protection): the value before and after, what Undo restores. */
interface SettingFields {
  setting?: SettingChange;
}

export interface ChangeIntent extends ChangeEntryBase, SettingFields {
  kind: 'intent';
  planned: PermissionChange;
}

export interface ChangeResult extends ChangeEntryBase, SettingFields {
  kind: 'result';
  ok: boolean;
  after: LaunchPermission[];
  /** What was changed; when `verified` is false it is taken from the request (the read-back failed). */
  applied: PermissionChange;
  /** False when the call may have been applied but the state could not be read back. */
  verified?: boolean;
  requestId?: string;
  error?: string;
  /** Copies: the new AMI. */
  copyImageId?: string;
}

export type ChangeLogEntry = ChangeIntent | ChangeResult;
