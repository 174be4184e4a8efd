import * as l10n from '@vscode/l10n';
import * as crypto from 'node:crypto';
import type { AwsGateway, CallOptions } from '../aws/gateway';
import type { AwsModule } from '../awsLoader';
import type { ChangeLog } from '../changeLog/changeLog';
import type { ChangeResult } from '../changeLog/entries';
import type { PlannedStep, SettingChange } from '../core/changes';
import { applyKeyPolicyDiff, keyPolicyDiff, missingActions, recipientFromPermission, recipientsGrantedByUs, formatPolicy, removeRecipients } from '../core/keyPolicy';
import { permissionKey } from '../core/launchPermissions';
import { applyChange, type PermissionChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';

export interface StepOutcome {
  step: PlannedStep;
  ok: boolean;
  after: LaunchPermission[];
  /** What changed (from the read-back; from the request when `verified` is false). */
  applied: PermissionChange;
  verified: boolean;
  error?: string;
  requestId?: string;
  copyImageId?: string;
  /** Lifecycle settings: the value before and the value read back (or asked for, when not verified). */
  setting?: SettingChange;
}

export interface StepContext {
  aws: AwsModule;
  gateway: AwsGateway;
  changeLog: ChangeLog;
  changeId: string;
  action: string;
  account: string | undefined;
  options: CallOptions;
  /** Key policies: the policy changed since the plan was shown; true = apply to the current policy. */
  confirmPolicyMoved(step: PlannedStep, before: string, after: string): Promise<boolean>;
  /** Copies: progress while the copy is pending. */
  onCopyState?(step: PlannedStep, text: string): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when AWS answered with a client error (4xx) or the call never left: nothing was changed. */
export function definitelyNotApplied(error: unknown): boolean {
  const described = (error as { described?: { credentialProblem?: boolean } }).described;
  if (described?.credentialProblem) return true;
  const cause = (error as { cause?: { $metadata?: { httpStatusCode?: number } } }).cause;
  const status = cause?.$metadata?.httpStatusCode ?? (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

/** The part of the planned diff that the state read back shows as done. */
function observedChange(before: readonly LaunchPermission[], after: readonly LaunchPermission[], planned: PermissionChange): PermissionChange {
  const had = new Set(before.map(permissionKey));
  const has = new Set(after.map(permissionKey));
  return {
    add: planned.add.filter((p) => !had.has(permissionKey(p)) && has.has(permissionKey(p))),
    remove: planned.remove.filter((p) => had.has(permissionKey(p)) && !has.has(permissionKey(p))),
  };
}

async function readState(context: StepContext, step: PlannedStep): Promise<LaunchPermission[]> {
  const { aws, gateway, options } = context;
  const { address } = step;
  const target = { profile: address.profile, region: address.region };
  switch (address.kind) {
    case 'launchPermissions':
      return aws.getLaunchPermissions(gateway, target, address.imageId, options);
    case 'snapshotPermissions':
      return (await aws.getVolumePermissions(gateway, target, address.snapshotId!, options)) as LaunchPermission[];
    case 'keyPolicy': {
      const { policy } = await aws.getKeyPolicy(gateway, address.profile, address.keyArn!, options);
      // For the verification: recipients now granted (ours or otherwise) among those the step touched.
      const touched = [...step.diff.add, ...step.diff.remove];
      const grantedNow = touched.filter((entry) => {
        const recipient = recipientFromPermission(entry);
        if (!recipient) return false;
        const removable = formatPolicy(removeRecipients(policy, [recipient])) !== formatPolicy(policy);
        return missingActions(policy, recipient).length === 0 || removable;
      });
      const ours = recipientsGrantedByUs(policy) as LaunchPermission[];
      return [...ours, ...grantedNow.filter((g) => !ours.some((o) => permissionKey(o) === permissionKey(g)))];
    }
    case 'copyImage':
    case 'imageSetting':
      return [];
    case 'cancelLaunchPermission':
      return aws.directShareEntry(gateway, target, address.imageId, options);
  }
}

/** Sends the step's one write call; returns its request ID. Key policies are re-read and merged first. */
async function write(context: StepContext, step: PlannedStep): Promise<{ requestId?: string; diff: PermissionChange; copyImageId?: string }> {
  const { aws, gateway, options } = context;
  const { address } = step;
  const target = { profile: address.profile, region: address.region };
  switch (address.kind) {
    case 'launchPermissions': {
      const requestId = await aws.modifyLaunchPermissions(gateway, target, address.imageId, step.diff, options);
      return { diff: step.diff, ...(requestId ? { requestId } : {}) };
    }
    case 'snapshotPermissions':
      await aws.modifyVolumePermissions(gateway, target, address.snapshotId!, step.diff as never, options);
      return { diff: step.diff };
    case 'keyPolicy': {
      // Re-read immediately before writing: statements a colleague added or removed meanwhile are kept as they are.
      const fresh = await aws.getKeyPolicy(gateway, address.profile, address.keyArn!, options);
      let diff = step.diff;
      if (fresh.text !== step.policyText) {
        diff = keyPolicyDiff(fresh.policy, step.diff.add, step.diff.remove) as PermissionChange;
        const proposed = applyKeyPolicyDiff(fresh.policy, diff);
        if (!(await context.confirmPolicyMoved(step, formatPolicy(fresh.policy), formatPolicy(proposed)))) {
          throw Object.assign(new Error(l10n.t('The key policy of {0} changed since the plan was shown; nothing was written. Run the change again to see the current policy.', address.keyArn ?? '')), { name: 'PolicyMoved' });
        }
      }
      if (diff.add.length === 0 && diff.remove.length === 0) return { diff };
      await aws.putKeyPolicy(gateway, address.profile, address.keyArn!, applyKeyPolicyDiff(fresh.policy, diff), options);
      return { diff };
    }
    case 'cancelLaunchPermission': {
      const requestId = await aws.cancelImageLaunchPermission(gateway, target, address.imageId, options);
      return { diff: step.diff, ...(requestId ? { requestId } : {}) };
    }
    case 'copyImage': {
      const copy = step.copy!;
      const copyImageId = await aws.copyImage(
        gateway,
        {
          profile: address.profile,
          sourceRegion: address.region,
          targetRegion: copy.targetRegion,
          sourceImageId: address.imageId,
          name: copy.name,
          ...(copy.description ? { description: copy.description } : {}),
          ...(copy.kmsKeyId ? { kmsKeyId: copy.kmsKeyId } : copy.encrypted ? { encrypted: true } : {}),
        },
        options,
      );
      context.onCopyState?.(step, `${copyImageId} pending`);
      try {
        await aws.waitForAvailable(gateway, address.profile, copy.targetRegion, copyImageId, { ...options, onState: (state) => context.onCopyState?.(step, `${copyImageId} ${state}`) });
      } catch (error) {
        // The copy exists (or existed): the record names it even though it never became available.
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { copyImageId });
      }
      context.onCopyState?.(step, `${copyImageId} available`);
      return { diff: step.diff, copyImageId };
    }
    case 'imageSetting': {
      const requestId = await aws.writeImageSetting(gateway, target, address.imageId, step.setting!.name, step.setting!.after, { ...options, ...(step.deleteSnapshots ? { deleteSnapshots: true } : {}) });
      return { diff: step.diff, ...(requestId ? { requestId } : {}) };
    }
  }
}

/** A lifecycle setting step: the value read back decides what was applied (Undo restores `before`). */
async function settingOutcome(context: StepContext, step: PlannedStep, writeError: unknown): Promise<StepOutcome> {
  const planned = step.setting!;
  const base = { step, after: [], applied: { add: [], remove: [] } };
  if (writeError !== undefined && definitelyNotApplied(writeError)) {
    return { ...base, ok: false, verified: true, error: messageOf(writeError), setting: { ...planned, after: planned.before } };
  }
  try {
    const target = { profile: step.address.profile, region: step.address.region };
    const readOptions = { ...context.options, signal: undefined as never };
    const now = await context.aws.readImageSetting(context.gateway, target, step.address.imageId, planned.name, readOptions);
    const ok = writeError === undefined && now === planned.after;
    // Disabling and deregistering take the launch permissions with them: record which, for Enable and Undo.
    let permissions = {};
    if (planned.name === 'state' && step.before.length) {
      const after = now === 'deregistered' ? [] : await context.aws.getLaunchPermissions(context.gateway, target, step.address.imageId, readOptions);
      permissions = { after, applied: observedChange(step.before, after, step.diff) };
    }
    return { ...base, ...permissions, ok, verified: true, setting: { ...planned, after: now }, ...(writeError !== undefined ? { error: messageOf(writeError) } : !ok ? { error: l10n.t('EC2 reports {0} instead of {1}', now ?? l10n.t('none'), planned.after ?? l10n.t('none')) } : {}) };
  } catch (readError) {
    return {
      ...base,
      ok: writeError === undefined,
      verified: false,
      setting: planned,
      error:
        writeError !== undefined
          ? l10n.t('{0}; the change may have been applied but could not be read back ({1})', messageOf(writeError), messageOf(readError))
          : l10n.t('The change may have been applied but could not be read back ({0})', messageOf(readError)),
    };
  }
}

/**
 * One step through record intent (awaited) → apply → read back → record result. A call that may have
 * been applied (timeout, cancellation, a server error) is read back; when that fails too, the applied diff
 * is recorded from the request and marked unverified, so Undo is still offered.
 */
export async function applyStep(context: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const id = crypto.randomUUID();
  const { address } = step;
  const base = {
    id,
    changeId: context.changeId,
    action: context.action,
    resource: address.kind,
    profile: address.profile,
    ...(context.account ? { account: context.account } : {}),
    region: address.region,
    imageId: address.imageId,
    ...(address.snapshotId ? { snapshotId: address.snapshotId } : {}),
    ...(address.keyArn ? { keyArn: address.keyArn } : {}),
    ...(address.targetRegion ? { targetRegion: address.targetRegion } : {}),
    before: step.before,
  };
  await context.changeLog.append({ kind: 'intent', time: new Date().toISOString(), ...base, planned: step.diff, ...(step.setting ? { setting: step.setting } : {}) });

  let written: Awaited<ReturnType<typeof write>> | undefined;
  let writeError: unknown;
  try {
    written = await write(context, step);
  } catch (error) {
    writeError = error;
  }
  const planned = written?.diff ?? step.diff;
  let outcome: StepOutcome;
  if (address.kind === 'imageSetting') {
    outcome = await settingOutcome(context, step, writeError);
  } else if (writeError !== undefined && (definitelyNotApplied(writeError) || (writeError as Error).name === 'PolicyMoved' || address.kind === 'copyImage')) {
    outcome = { step, ok: false, after: step.before, applied: { add: [], remove: [] }, verified: true, error: messageOf(writeError) };
  } else {
    try {
      // A cancelled action still reads back what its last call did.
      const after = await readState({ ...context, options: { ...context.options, signal: undefined as never } }, step);
      const applied = address.kind === 'copyImage' ? planned : observedChange(step.before, after, planned);
      outcome = { step, ok: writeError === undefined, after, applied, verified: true, ...(writeError !== undefined ? { error: messageOf(writeError) } : {}) };
    } catch (readError) {
      outcome = {
        step,
        ok: writeError === undefined,
        after: applyChange(step.before, planned),
        applied: planned,
        verified: false,
        error:
          writeError !== undefined
            ? l10n.t('{0}; the change may have been applied but could not be read back ({1})', messageOf(writeError), messageOf(readError))
            : l10n.t('The change may have been applied but could not be read back ({0})', messageOf(readError)),
      };
    }
  }
  if (written?.requestId) outcome.requestId = written.requestId;
  const copyImageId = written?.copyImageId ?? (writeError as { copyImageId?: string } | undefined)?.copyImageId;
  if (copyImageId) outcome.copyImageId = copyImageId;
  const result: ChangeResult = {
    kind: 'result',
    time: new Date().toISOString(),
    ...base,
    ok: outcome.ok,
    after: outcome.after,
    applied: outcome.applied,
    verified: outcome.verified,
    ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(outcome.copyImageId ? { copyImageId: outcome.copyImageId } : {}),
    ...(outcome.setting ? { setting: outcome.setting } : {}),
  };
  await context.changeLog.append(result);
  return outcome;
}
