/**
 * The change model every change of the extension is expressed in: a request (what a caller asks for), the
 * planned steps (what it does to the state read just now), findings of the checks, and the rules for when the
 * plan must be confirmed. Plain data and functions: no AWS SDK, no VS Code.
 */
import * as l10n from '@vscode/l10n';
import { describePermission, effectiveChange, isEmptyChange, type PermissionChange } from './permissionPlan';
import type { LaunchPermission } from './types';

/** An AMI addressed by profile and Region, however the command was invoked. */
export interface ImageRef {
  profile: string;
  region: string;
  imageId: string;
  name?: string;
}

/** Entries to remove: a list, or everything there is when the state is read (reset), listed in the plan. */
export type RemoveSpec = LaunchPermission[] | 'all';

/** What a caller asks for. Every kind of change the extension makes is one of these. */
export type ChangeRequest =
  | {
      kind: 'launchPermissions';
      image: ImageRef;
      add: LaunchPermission[];
      remove: RemoveSpec;
      /** Mirror the request (accounts and public) onto every snapshot's createVolumePermission. */
      snapshots?: boolean;
    }
  | {
      kind: 'snapshotPermissions';
      image: ImageRef;
      /** `align`: make every snapshot's createVolumePermission match the AMI's launch permissions. */
      mode: 'align' | { add: LaunchPermission[]; remove: LaunchPermission[]; snapshotId: string };
    }
  | {
      kind: 'keyPolicy';
      profile: string;
      keyArn: string;
      /** Recipients (as launch-permission entries) to grant or revoke through AMI Sharing's statements. */
      grant: LaunchPermission[];
      revoke: LaunchPermission[];
      /** The AMIs the change is for, named in the plan. */
      forImages: string[];
    }
  | {
      kind: 'copyImage';
      image: ImageRef;
      targetRegion: string;
      name: string;
      description?: string;
      kmsKeyId?: string;
      encrypted?: boolean;
      /** Launch permissions the copy gets once available (EC2 does not copy them). */
      thenShare: LaunchPermission[];
    }
  | {
      /** The recipient's side: remove this account from a directly shared AMI's launch permissions (CancelImageLaunchPermission). */
      kind: 'cancelLaunchPermission';
      /** The shared AMI, addressed by the recipient's profile. */
      image: ImageRef;
    }
  | {
      kind: 'imageSetting';
      image: ImageRef;
      setting: ImageSettingName;
      /** deprecation: the ISO 8601 time, null = cancel; protection: one of PROTECTION_VALUES; state: disabled / available / deregistered. */
      value: string | null;
      /** state `deregistered`: DeleteAssociatedSnapshots. */
      deleteSnapshots?: boolean;
    };

/**
 * Lifecycle settings of an AMI that are one value each (EC2 keeps no list for them). `state` is
 * DisableImage (available → disabled, removes every launch permission), EnableImage, DeregisterImage.
 */
export type ImageSettingName = 'deprecation' | 'protection' | 'state';

/** Deregistration protection as the plan sees it ("disabled-until …" is read as off: nothing to undo). */
export const PROTECTION_VALUES = ['enabled', 'enabled-with-cooldown', 'disabled'] as const;

/** A setting's value before and after, for the plan, the log and Undo. */
export interface SettingChange {
  name: ImageSettingName;
  before: string | null;
  after: string | null;
}

/** Deregistering cannot be undone: EC2 has no way back for a deregistered AMI (outside the Recycle Bin). */
export function isUndoableSetting(setting: SettingChange): boolean {
  return !(setting.name === 'state' && setting.after === 'deregistered');
}

/** EC2 rounds DeprecateAt to the nearest minute; the plan shows the value EC2 will keep. */
export function roundToMinute(iso: string): string {
  return new Date(Math.round(Date.parse(iso) / 60_000) * 60_000).toISOString();
}

export type StepKind = ChangeRequest['kind'];

/** Where one step applies: an AMI's launch permissions, one snapshot, one key, one copy. */
export interface StepAddress {
  kind: StepKind;
  profile: string;
  region: string;
  imageId: string;
  snapshotId?: string;
  keyArn?: string;
  targetRegion?: string;
  /** Lifecycle settings: which one. */
  setting?: ImageSettingName;
}

/** One planned change of one resource, against the state read just before planning. */
export interface PlannedStep {
  address: StepAddress;
  /** Entries before (launch or volume permissions; for keys, the recipients AMI Sharing's statements grant). */
  before: LaunchPermission[];
  diff: PermissionChange;
  /** Launch permissions: the entries asked for, checked even when already there (a key may still lack them). */
  requested?: LaunchPermission[];
  /** Key policies: the policy document read for the plan (applied only if it is still the same). */
  policyText?: string;
  /** Copies: what is created. */
  copy?: Extract<ChangeRequest, { kind: 'copyImage' }>;
  /** Other AMIs and snapshots that keep using a key with a recipient being removed (kept by default). */
  notes?: string[];
  /** Lifecycle settings: the value read for the plan and the value asked for. */
  setting?: SettingChange;
  /** Deregistering: delete the snapshots with it. */
  deleteSnapshots?: boolean;
}

export type FindingSeverity = 'blocker' | 'warning' | 'checkFailed';

export interface Finding {
  imageId: string;
  profile: string;
  region: string;
  code: string;
  severity: FindingSeverity;
  message: string;
  /** For checkFailed: which check could not run. */
  check?: string;
}

export function isPublicEntry(entry: LaunchPermission): boolean {
  return entry.Group === 'all';
}

/** A request that adds launch permissions: the ones the share check (snapshots, keys, public access) is for. */
export function addsLaunchPermissions(request: ChangeRequest): request is Extract<ChangeRequest, { kind: 'launchPermissions' }> {
  return request.kind === 'launchPermissions' && request.add.length > 0;
}

/** The effective diff of a request against the state read now; `remove: 'all'` lists what is there. */
export function planDiff(current: readonly LaunchPermission[], add: readonly LaunchPermission[], remove: RemoveSpec): PermissionChange {
  return effectiveChange(current, { add: [...add], remove: remove === 'all' ? [...current] : [...remove] });
}

export function stepMakesPublic(step: PlannedStep): boolean {
  return step.diff.add.some(isPublicEntry) || (step.copy?.thenShare.some(isPublicEntry) ?? false);
}

/** Deprecating hides an AMI from its recipients' listings: it counts as removing access. */
export function stepRemoves(step: PlannedStep): boolean {
  if (step.diff.remove.length > 0) return true;
  if (step.setting?.name === 'deprecation') return step.setting.after !== null;
  return step.setting?.name === 'state' && (step.setting.after === 'disabled' || step.setting.after === 'deregistered');
}

export function isEmptyStep(step: PlannedStep): boolean {
  if (step.setting) return step.setting.before === step.setting.after;
  return step.address.kind !== 'copyImage' && isEmptyChange(step.diff);
}

export interface ConfirmationRule {
  required: boolean;
  /** Asked whatever amiSharing.confirmDestructiveActions says. */
  forced: boolean;
  reasons: string[];
}

/**
 * One rule everywhere: a change that touches more than one AMI, removes anything, or makes anything public
 * is shown as a plan first. Public always asks.
 */
export function confirmationRule(steps: readonly PlannedStep[], confirmSetting: boolean): ConfirmationRule {
  const images = new Set(steps.map((s) => `${s.address.profile}\u0000${s.address.region}\u0000${s.address.imageId}`));
  const reasons: string[] = [];
  if (images.size > 1) reasons.push(l10n.t('several AMIs'));
  if (steps.some(stepRemoves)) reasons.push(l10n.t('removes access'));
  const makesPublic = steps.some(stepMakesPublic);
  if (makesPublic) reasons.push(l10n.t('makes something public'));
  // A key policy is shown as a diff and confirmed: it decides who can decrypt every AMI that uses the key.
  if (steps.some((s) => s.address.kind === 'keyPolicy')) reasons.push(l10n.t('changes a key policy'));
  return { required: makesPublic || (confirmSetting && reasons.length > 0), forced: makesPublic, reasons };
}

function describeList(entries: readonly LaunchPermission[], names: Readonly<Record<string, string>>): string {
  return entries.map((p) => describePermission(p, names)).join(', ');
}

function describeDiff(diff: PermissionChange, names: Readonly<Record<string, string>>): string {
  const parts = [...(diff.add.length ? [`+ ${describeList(diff.add, names)}`] : []), ...(diff.remove.length ? [`− ${describeList(diff.remove, names)}`] : [])];
  return parts.length ? parts.join('; ') : l10n.t('no change');
}

/** One line per step: profile, account, Region, AMI, resource and each entry added or removed. */
export function describeStep(step: PlannedStep, names: Readonly<Record<string, string>>, account: string | undefined): string {
  const { address } = step;
  const where = `(${address.profile}${account ? ` ${account}` : ''}, ${address.region})`;
  switch (address.kind) {
    case 'launchPermissions':
      return l10n.t('{0} {1} launch permissions: {2}', address.imageId, where, describeDiff(step.diff, names));
    case 'snapshotPermissions':
      return `  ${l10n.t('snapshot {0} of {1} (copy permission): {2}', address.snapshotId ?? '', address.imageId, describeDiff(step.diff, names))}`;
    case 'keyPolicy': {
      const key = address.keyArn ?? '';
      const allow = describeList(step.diff.add, names);
      const stop = describeList(step.diff.remove, names);
      if (allow && stop) return `  ${l10n.t('key {0} policy: allow {1}; stop allowing {2}', key, allow, stop)}`;
      return `  ${stop ? l10n.t('key {0} policy: stop allowing {1}', key, stop) : l10n.t('key {0} policy: allow {1}', key, allow)}`;
    }
    case 'cancelLaunchPermission':
      return l10n.t('{0} {1}: stop receiving it — {2} (only the owner can share it again)', address.imageId, where, describeDiff(step.diff, names));
    case 'imageSetting': {
      const change = step.setting!;
      if (change.name === 'state') {
        const [from, to] = [change.before ?? '?', change.after ?? '?'];
        const line =
          change.after === 'disabled'
            ? l10n.t('{0} {1}: disable ({2} → {3})', address.imageId, where, from, to)
            : change.after === 'available'
              ? l10n.t('{0} {1}: enable ({2} → {3})', address.imageId, where, from, to)
              : l10n.t('{0} {1}: deregister (cannot be undone) ({2} → {3})', address.imageId, where, from, to);
        return step.diff.remove.length ? l10n.t('{0}; launch permissions: {1}', line, describeDiff(step.diff, names)) : line;
      }
      const [from, to] = [change.before ?? l10n.t('none'), change.after ?? l10n.t('none')];
      if (change.name === 'deprecation') {
        return change.after !== null
          ? l10n.t("{0} {1} deprecation time: {2} → {3} (hidden from recipients' listings from then on; launches by ID keep working)", address.imageId, where, from, to)
          : l10n.t('{0} {1} deprecation time: {2} → {3}', address.imageId, where, from, to);
      }
      return change.before === 'enabled-with-cooldown' && change.after === 'disabled'
        ? l10n.t('{0} {1} deregistration protection: {2} → {3} (the cooldown keeps it protected for 24 more hours)', address.imageId, where, from, to)
        : l10n.t('{0} {1} deregistration protection: {2} → {3}', address.imageId, where, from, to);
    }
    case 'copyImage': {
      const copy = step.copy!;
      const line = copy.kmsKeyId
        ? l10n.t('{0} {1}: copy to {2} as "{3}" encrypted with {4}', address.imageId, where, copy.targetRegion, copy.name, copy.kmsKeyId)
        : copy.encrypted
          ? l10n.t('{0} {1}: copy to {2} as "{3}" encrypted with the default key', address.imageId, where, copy.targetRegion, copy.name)
          : l10n.t('{0} {1}: copy to {2} as "{3}"', address.imageId, where, copy.targetRegion, copy.name);
      return copy.thenShare.length ? l10n.t('{0}, then share the copy: + {1}', line, describeList(copy.thenShare, names)) : line;
    }
  }
}

/** The confirmation text: every step, then the risks (public, removals), then notes of the steps. */
export function describePlan(
  steps: readonly PlannedStep[],
  findings: readonly Finding[],
  names: Readonly<Record<string, string>>,
  accounts: ReadonlyMap<string, string>,
  limit = 40,
  /** Who still uses the AMIs (src/core/usage.ts usageLines), shown right after the steps. */
  usage: readonly string[] = [],
): string {
  const lines = steps.map((step) => describeStep(step, names, accounts.get(step.address.profile)));
  const shown = [...(lines.length > limit ? [...lines.slice(0, limit), l10n.t('…and {0} more changes', lines.length - limit)] : lines), ...(usage.length ? ['', ...usage] : [])];
  const extra: string[] = [];
  const publicSnapshots = steps.filter((s) => s.address.kind === 'snapshotPermissions' && s.diff.add.some(isPublicEntry));
  if (publicSnapshots.length) {
    extra.push(l10n.t('Snapshots made public (anyone can copy their data): {0}.', publicSnapshots.map((s) => s.address.snapshotId).join(', ')));
  }
  for (const finding of findings) if (finding.severity === 'warning' || finding.severity === 'checkFailed') extra.push(finding.message);
  for (const step of steps) for (const note of step.notes ?? []) extra.push(note);
  if (steps.some(stepRemoves)) extra.push(l10n.t('The owner account always keeps access.'));
  return [...shown, ...(extra.length ? ['', ...new Set(extra)] : [])].join('\n');
}

/** The request that exactly reverts an applied step (settings: back to the value read before). */
export function inverseRequest(address: StepAddress, applied: PermissionChange, name?: string, setting?: SettingChange): ChangeRequest | ChangeRequest[] | undefined {
  const image: ImageRef = { profile: address.profile, region: address.region, imageId: address.imageId, ...(name ? { name } : {}) };
  switch (address.kind) {
    case 'imageSetting':
      if (!setting || setting.before === setting.after || !isUndoableSetting(setting)) return undefined;
      if (setting.name === 'state' && setting.after === 'disabled') {
        // Enabling does not bring recipients back (EC2): Undo restores exactly what disabling removed.
        return [
          { kind: 'imageSetting', image, setting: 'state', value: 'available' },
          ...(applied.remove.length ? [{ kind: 'launchPermissions' as const, image, add: [...applied.remove], remove: [] }] : []),
        ];
      }
      return { kind: 'imageSetting', image, setting: setting.name, value: setting.before };
    case 'launchPermissions':
      return { kind: 'launchPermissions', image, add: [...applied.remove], remove: [...applied.add] };
    case 'snapshotPermissions':
      return { kind: 'snapshotPermissions', image, mode: { snapshotId: address.snapshotId!, add: [...applied.remove], remove: [...applied.add] } };
    case 'keyPolicy':
      return { kind: 'keyPolicy', profile: address.profile, keyArn: address.keyArn!, grant: [...applied.remove], revoke: [...applied.add], forImages: [address.imageId] };
    case 'copyImage':
      return undefined; // a copy is reverted by deregistering it, which is its own change
    case 'cancelLaunchPermission':
      return undefined; // only the owner can share the AMI again
  }
}

/** Entries of a launch-permission change that a snapshot's createVolumePermission can hold (accounts, public). */
export function volumeEntries(entries: readonly LaunchPermission[]): LaunchPermission[] {
  return entries.filter((p) => p.UserId !== undefined || p.Group === 'all').map((p) => (p.UserId ? { UserId: p.UserId } : { Group: 'all' as const }));
}

export function imageKeyOf(ref: { profile: string; region: string; imageId: string }): string {
  return `${ref.profile}\u0000${ref.region}\u0000${ref.imageId}`;
}
