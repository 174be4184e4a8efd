import * as l10n from '@vscode/l10n';
import type { CallFailure, Verdict } from './recipients';

/**
 * May this account copy an AMI another account shared with it? From what the recipient itself can see:
 * EC2 shows another account's snapshot (DescribeSnapshots by ID) only to accounts with createVolumePermission
 * on it (or when it is public), and an encrypted snapshot's key must be usable from here (kms:DescribeKey).
 * What cannot be decided stays `unknown`: never a guessed `yes`.
 */

export interface ReceivedSnapshotFacts {
  snapshotId: string;
  /** DescribeSnapshots by ID from this account: true, or the failure. */
  visible: true | CallFailure;
  encrypted?: boolean;
  keyArn?: string;
}

export interface ReceivedCopyFacts {
  snapshots: ReceivedSnapshotFacts[];
  /** kms:DescribeKey on each key ARN from this account: true, or the failure. */
  keyUse: Record<string, true | CallFailure>;
}

export interface ReceivedCopyVerdict {
  verdict: Verdict;
  reason: string;
}

const isFailure = (value: unknown): value is CallFailure => typeof value === 'object' && value !== null && 'code' in value;

/** KMS codes that mean "this account may not use the key" (not a throttle or a network error). */
const KEY_REFUSED = ['AccessDeniedException', 'NotFoundException', 'KMSInvalidStateException', 'DisabledException'];

export function receivedCopyVerdict(facts: ReceivedCopyFacts): ReceivedCopyVerdict {
  if (facts.snapshots.length === 0) return { verdict: 'unknown', reason: l10n.t('the AMI has no EBS snapshots to check') };
  const hidden = facts.snapshots.filter((s) => isFailure(s.visible) && s.visible.code === 'InvalidSnapshot.NotFound');
  if (hidden.length > 0) {
    return {
      verdict: 'no',
      reason: l10n.t('the owner has not shared snapshot {0} with this account (createVolumePermission); launching does not need it', hidden.map((s) => s.snapshotId).join(', ')),
    };
  }
  const unreadable = facts.snapshots.find((s) => isFailure(s.visible));
  if (unreadable && isFailure(unreadable.visible)) {
    return { verdict: 'unknown', reason: l10n.t('DescribeSnapshots failed: {0}: {1}', unreadable.visible.code, unreadable.visible.message) };
  }
  const encrypted = facts.snapshots.filter((s) => s.encrypted);
  if (encrypted.some((s) => !s.keyArn)) return { verdict: 'unknown', reason: l10n.t('an encrypted snapshot does not name its KMS key') };
  for (const keyArn of new Set(encrypted.map((s) => s.keyArn!))) {
    const use = facts.keyUse[keyArn];
    if (use === undefined) return { verdict: 'unknown', reason: l10n.t('the key {0} was not checked', keyArn) };
    if (isFailure(use)) {
      return KEY_REFUSED.includes(use.code)
        ? { verdict: 'no', reason: l10n.t('this account cannot use the snapshots’ key {0} ({1}); the owner must allow it in the key policy', keyArn, use.code) }
        : { verdict: 'unknown', reason: l10n.t('the key {0} could not be checked: {1}: {2}', keyArn, use.code, use.message) };
    }
  }
  return {
    verdict: 'yes',
    reason: encrypted.length
      ? l10n.t('every snapshot is shared with this account and its key can be used from here')
      : l10n.t('every snapshot is shared with this account'),
  };
}
