import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { dedupe, describePermission, inverseOf, isEmptyChange, summarizeChange, type PermissionChange } from '../core/permissionPlan';
import type { ImageResult, PermissionAction } from '../aws/sharing';
import type { LaunchPermission } from '../core/types';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import { readSettings } from '../settings';
import type { ImageRef } from './imageRefs';

export interface ActionRequest {
  /** "Sharing…", "Resetting…": the temporary description on each affected AMI. */
  busyLabel: string;
  /** Builds the action for one AMI (the same change for all, or a per-AMI plan). */
  actionFor: (image: ImageRef) => PermissionAction;
  /** Past-tense summary of one AMI's result, e.g. "Shared ami-… with 3 accounts". */
  describeDone: (image: ImageRef, result: ImageResult) => string;
  /** Offer an Undo that applies the exact inverse; false for undo itself. */
  offerUndo: boolean;
}

export interface ActionResults {
  results: Array<{ imageId: string; profile: string; region: string; ok: boolean; before: LaunchPermission[]; after: LaunchPermission[]; error?: string; warnings?: string[] }>;
}

/** In-flight AMIs per profile and Region; Regions and profiles run in parallel, the rate limiter paces each. */
const LANES_PER_REGION = 16;

/**
 * Runs a permission action over AMIs with inline status on each tree item, progress (cancellable for
 * several AMIs), a result notification with Undo, and a per-AMI result list for scripts.
 */
export async function runImageActions(services: Services, images: ImageRef[], request: ActionRequest): Promise<ActionResults> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  for (const image of images) services.model.setStatus(image.profile, image.region, image.imageId, { busy: request.busyLabel });
  const controller = new AbortController();
  let done = 0;

  const work = async (report: (message: string) => void): Promise<Array<ImageResult | undefined>> =>
    aws.runGrouped(
      images,
      aws.byProfileAndRegion,
      LANES_PER_REGION,
      async (image) => {
        const logged = { action: request.busyLabel.replace('…', ''), profile: image.profile, region: image.region, imageId: image.imageId, account: await gateway.accountId(image.profile).catch(() => undefined) };
        let intentId: string | undefined;
        const result = await aws
          .applyToImage(gateway, { profile: image.profile, region: image.region }, image.imageId, request.actionFor(image), {
            priority: 'user',
            signal: controller.signal,
            imageId: image.imageId,
            onBeforeChange: (_id, before, planned) => {
              intentId = crypto.randomUUID();
              void services.changeLog.append({ kind: 'intent', id: intentId, time: new Date().toISOString(), ...withAccount(logged), before, planned });
            },
          })
          .catch((error: unknown): ImageResult => ({ imageId: image.imageId, ok: false, before: [], after: [], applied: { add: [], remove: [] }, error: (error as Error).message }));
        if (intentId || !result.ok) {
          await services.changeLog.append({
            kind: 'result',
            id: intentId ?? crypto.randomUUID(),
            time: new Date().toISOString(),
            ...withAccount(logged),
            ok: result.ok,
            before: result.before,
            after: result.after,
            applied: result.applied,
            ...(result.requestId ? { requestId: result.requestId } : {}),
            ...(result.error ? { error: result.error } : {}),
          });
        }
        if (result.ok) {
          services.model.setStatus(image.profile, image.region, image.imageId, undefined);
          services.model.setPermissions(image.profile, image.region, image.imageId, result.after);
        } else {
          services.model.setStatus(image.profile, image.region, image.imageId, { error: result.error ?? 'failed' });
        }
        done += 1;
        report(`${done} of ${images.length}`);
        return result;
      },
      controller.signal,
    );

  let results: Array<ImageResult | undefined>;
  if (images.length > 1) {
    results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `AMI Sharing: ${request.busyLabel}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return work((message) => progress.report({ message, increment: 100 / images.length }));
      },
    );
  } else {
    results = await vscode.window.withProgress({ location: { viewId: 'amiSharing.images' } }, () => work(() => undefined));
  }

  const completed = images.flatMap((image, index) => {
    const result = results[index];
    if (result) return [{ image, result }];
    // Cancelled before it started: nothing was sent for this AMI.
    services.model.setStatus(image.profile, image.region, image.imageId, undefined);
    return [];
  });
  reportOutcome(services, completed, request);
  return {
    results: completed.map(({ image, result }) => ({
      imageId: result.imageId,
      profile: image.profile,
      region: image.region,
      ok: result.ok,
      before: result.before,
      after: result.after,
      ...(result.error !== undefined ? { error: result.error } : {}),
    })),
  };
}

function withAccount<T extends { account: string | undefined }>(entry: T): Omit<T, 'account'> & { account?: string } {
  const { account, ...rest } = entry;
  return account ? { ...rest, account } : rest;
}

function reportOutcome(services: Services, completed: Array<{ image: ImageRef; result: ImageResult }>, request: ActionRequest): void {
  const succeeded = completed.filter(({ result }) => result.ok);
  const failed = completed.filter(({ result }) => !result.ok);
  for (const { image, result } of failed) {
    services.log.error(`${image.imageId} (${image.profile}/${image.region}): ${result.error}`);
  }
  const undoable = succeeded.filter(({ result }) => !isEmptyChange(result.applied));
  const actions: string[] = [];
  if (request.offerUndo && undoable.length > 0) actions.push('Undo');
  if (failed.length > 0) actions.push('Retry failed', 'Show log');

  const message =
    completed.length === 1
      ? completed[0]!.result.ok
        ? request.describeDone(completed[0]!.image, completed[0]!.result)
        : completed[0]!.result.error ?? 'Failed'
      : `${request.busyLabel.replace('…', '')}: ${succeeded.length} of ${completed.length} AMIs succeeded` +
        (failed.length ? `; ${failed.length} failed (${failed.map(({ image }) => image.imageId).join(', ')})` : '') +
        (undoable.length ? ` — ${summarizeChange(distinctEntries(undoable.map(({ result }) => result.applied)))} on ${undoable.length === 1 ? '1 AMI' : `${undoable.length} AMIs`}` : '');
  const show = failed.length > 0 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  void show(message, ...actions).then(async (choice) => {
    if (choice === 'Undo') {
      await undo(services, undoable);
    } else if (choice === 'Retry failed') {
      await runImageActions(services, failed.map(({ image }) => image), request);
    } else if (choice === 'Show log') {
      services.log.show();
    }
  });
}

export async function undo(services: Services, done: Array<{ image: ImageRef; result: ImageResult }>): Promise<ActionResults | undefined> {
  const inverse = new Map(done.map(({ image, result }) => [image, inverseOf(result.applied)]));
  const plan = [...inverse].map(([image, change]) => ({ image, add: change.add, remove: change.remove }));
  if ((plan.length > 1 || plan.some((p) => p.remove.length)) && !(await confirmPlan(services, 'Undo this change?', plan, 'Undo'))) return undefined;
  return runImageActions(services, [...inverse.keys()], {
    busyLabel: 'Undoing…',
    actionFor: (image) => ({ type: 'modify', change: inverse.get(image)! }),
    describeDone: (image, result) => `Undone on ${image.imageId}: ${summarizeChange(result.applied)}`,
    offerUndo: false,
  });
}

/** The distinct entries added and removed across AMIs: one account added to 20 AMIs counts once. */
function distinctEntries(changes: PermissionChange[]): PermissionChange {
  return { add: dedupe(changes.flatMap((c) => c.add)), remove: dedupe(changes.flatMap((c) => c.remove)) };
}

export interface PlannedChange {
  image: ImageRef;
  add?: LaunchPermission[];
  remove?: LaunchPermission[];
}

/**
 * The plan, shown in a modal before a change that touches more than one AMI or removes anything: which
 * entries are added and removed on which AMI, in which profile, account and Region, with friendly names.
 * Skipped when amiSharing.confirmDestructiveActions is off (scripted use).
 */
export async function confirmPlan(services: Services, title: string, plan: PlannedChange[], confirmLabel: string): Promise<boolean> {
  if (!readSettings().confirmDestructiveActions) return true;
  const names = readSettings().accountNames;
  const gateway = await services.gateway.get();
  const accounts = new Map(await Promise.all([...new Set(plan.map((p) => p.image.profile))].map(async (profile) => [profile, await gateway.accountId(profile).catch(() => '?')] as const)));
  const describe = (list: LaunchPermission[] | undefined) => (list ?? []).map((p) => describePermission(p, names)).join(', ');
  const lines = plan.map(({ image, add, remove }) => {
    const parts = [...(add?.length ? [`+ ${describe(add)}`] : []), ...(remove?.length ? [`− ${describe(remove)}`] : [])];
    return `${image.imageId} (${image.profile} ${accounts.get(image.profile)}, ${image.region}): ${parts.length ? parts.join('; ') : 'no change'}`;
  });
  const shown = lines.length > 25 ? [...lines.slice(0, 25), `…and ${lines.length - 25} more AMIs`] : lines;
  const removes = plan.some((p) => p.remove?.length);
  return services.prompts.confirm(title, `${shown.join('\n')}${removes ? '\n\nThe owner account always keeps access.' : ''}`, confirmLabel);
}

/** The confirmation for removals (reset, make private, unshare). */
export function confirmRemoval(services: Services, title: string, removals: Array<{ image: ImageRef; remove: LaunchPermission[] }>, confirmLabel: string): Promise<boolean> {
  return confirmPlan(services, title, removals, confirmLabel);
}
