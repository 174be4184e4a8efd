import type { ImageRef, SettingChange } from '../core/changes';
import type { LaunchPermission } from '../core/types';
import type { StepOutcome } from './applyStep';

export interface ChangeOptions {
  /** For the change log and messages: "Share", "Unshare", "Reset", "Undo"… */
  action: string;
  /** The confirmation's question, e.g. "Share ami-… with 2 accounts?" */
  title: string;
  confirmLabel: string;
  /** The temporary description on each affected AMI: "Sharing…". */
  busyLabel: string;
  /** Commands from the tree or the palette; false for script argument objects. */
  interactive: boolean;
  /** Scripts: go on when a check could not run (never for anything public). */
  proceedWithoutChecks?: boolean;
  /** Show the plan and ask even when the confirmation rule would not (a promotion started from the tree, the CLI's apply without --yes). */
  alwaysConfirm?: boolean;
  /** Offer Undo after the change (false for Undo itself). */
  offerUndo?: boolean;
  /** Offer to add missing key-policy statements (false for Undo, which restores a state the user had). */
  offerKeyPolicyFix?: boolean;
  /** A plan already confirmed with an earlier step (a copy's share): no second question when covered. */
  preApproved?: LaunchPermission[];
  /** The one fix for an AMI blocked by the AWS managed key, offered interactively. */
  copyWithCustomerKey?: (image: ImageRef, add: LaunchPermission[]) => Promise<unknown>;
}

export interface ImageOutcome {
  imageId: string;
  profile: string;
  region: string;
  ok: boolean;
  before: LaunchPermission[];
  after: LaunchPermission[];
  error?: string;
  warnings?: string[];
  /** True when a call may have been applied but could not be read back. */
  unverified?: boolean;
  snapshots?: Array<{ snapshotId: string; ok: boolean; before: LaunchPermission[]; after: LaunchPermission[]; error?: string }>;
  /** Copies: Region and the new AMI. */
  copies?: Array<{ region: string; ok: boolean; imageId?: string; shared?: boolean; error?: string }>;
  /** Lifecycle settings: each one's value before and after. */
  settings?: SettingChange[];
}

export interface ChangeOutcome {
  changeId: string;
  results: ImageOutcome[];
  steps: StepOutcome[];
}

/** The user (or a script's confirmation) declined: nothing was changed. */
export class ChangeCancelled extends Error {
  override name = 'ChangeCancelled';
  constructor(message = 'Cancelled: nothing was changed.') {
    super(message);
  }
}

