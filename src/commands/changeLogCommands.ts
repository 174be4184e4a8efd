import * as vscode from 'vscode';
import { runUndo, undoRequests } from '../actions/undo';
import { toResults, type ActionResults } from '../actions/operations';
import { formatChangeLog, formatPermissions, type ChangeResult } from '../changeLog/changeLog';
import { isUndoableSetting, type StepAddress } from '../core/changes';
import { isEmptyChange, summarizeChange } from '../core/permissionPlan';
import type { Services } from '../services';
import type { Invocation } from './arguments';
import { displayAction } from '../core/actionNames';

/** amiSharing.showChangeLog: the JSON Lines log, readable. */
export async function showChangeLog(services: Services): Promise<string> {
  const text = formatChangeLog(await services.changeLog.history());
  const document = await vscode.workspace.openTextDocument({ content: text, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: true });
  return text;
}

function addressOf(entry: ChangeResult): StepAddress {
  return {
    kind: entry.resource ?? 'launchPermissions',
    profile: entry.profile,
    region: entry.region,
    imageId: entry.imageId,
    ...(entry.snapshotId ? { snapshotId: entry.snapshotId } : {}),
    ...(entry.keyArn ? { keyArn: entry.keyArn } : {}),
    ...(entry.targetRegion ? { targetRegion: entry.targetRegion } : {}),
  };
}

/** A change is every step recorded under one changeId (older logs: one entry each). */
interface LoggedChange {
  id: string;
  steps: ChangeResult[];
}

function undoableChanges(results: readonly ChangeResult[]): LoggedChange[] {
  const changes = new Map<string, LoggedChange>();
  for (const entry of results) {
    // Applied (verified or not), partly applied, or applied but not read back: all have something to revert.
    const settingChanged = entry.setting !== undefined && entry.setting.before !== entry.setting.after && isUndoableSetting(entry.setting);
    if (entry.setting && !isUndoableSetting(entry.setting)) continue;
    if ((isEmptyChange(entry.applied) && !settingChanged) || entry.resource === 'copyImage') continue;
    const id = entry.changeId ?? entry.id;
    const change = changes.get(id) ?? { id, steps: [] };
    change.steps.push(entry);
    changes.set(id, change);
  }
  return [...changes.values()];
}

/**
 * amiSharing.undoChange: reverts one logged change (every step of it: launch permissions, snapshots, key
 * policies) through the pipeline, which re-reads the current state: changes made since by others are kept,
 * and re-adding public access or removing anything is confirmed first.
 */
export async function undoChange(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const wantedId = call.kind === 'script' ? call.argument.only('id').text('id') : undefined;
  const { results } = await services.changeLog.history();
  const undoable = undoableChanges(results);
  let change: LoggedChange | undefined;
  if (wantedId !== undefined) {
    change = undoable.find((c) => c.id === wantedId) ?? undoable.find((c) => c.steps.some((s) => s.id === wantedId));
    if (!change) throw new Error(vscode.l10n.t('No undoable change with id {0} in the change log.', wantedId));
    // A step id undoes that step only.
    if (change.id !== wantedId) change = { id: wantedId, steps: change.steps.filter((s) => s.id === wantedId) };
  } else {
    if (undoable.length === 0) throw new Error(vscode.l10n.t('The change log has no change to undo.'));
    change = await services.prompts.pickOne(
      undoable.map((c) => {
        const first = c.steps[0]!;
        const images = [...new Set(c.steps.map((s) => s.imageId))];
        return {
          label: images.length === 1 ? `${displayAction(first.action)} ${images[0]}` : vscode.l10n.t('{0} {1} AMIs', displayAction(first.action), images.length),
          description: c.steps.some((s) => s.verified === false)
            ? vscode.l10n.t('{0} · {1} · {2} · not verified', first.time, first.profile, first.region)
            : `${first.time} · ${first.profile} · ${first.region}`,
          detail: c.steps.map(describeLoggedStep).join('; '),
          value: c,
        };
      }),
      { title: vscode.l10n.t('Undo which change?'), placeHolder: vscode.l10n.t('Newest first') },
    );
    if (!change) return undefined;
  }
  const requests = undoRequests([...change.steps].reverse().map((s) => ({ address: addressOf(s), applied: s.applied, ...(s.setting ? { setting: s.setting } : {}) })));
  return toResults(await runUndo(services, requests, call.kind !== 'script'));
}

/** One logged step in the Undo picker: a setting's before → after, or the permissions change and what was there before. */
function describeLoggedStep(s: ChangeResult): string {
  const none = vscode.l10n.t('none');
  if (s.setting) return `${s.imageId} ${s.setting.name}: ${s.setting.before ?? none} → ${s.setting.after ?? none}`;
  const resource = s.resource === 'snapshotPermissions' ? vscode.l10n.t('snapshot {0}', s.snapshotId ?? '') : s.resource === 'keyPolicy' ? vscode.l10n.t('key {0}', s.keyArn ?? '') : s.imageId;
  return vscode.l10n.t('{0}: {1} (before: {2})', resource, summarizeChange(s.applied), formatPermissions(s.before));
}
