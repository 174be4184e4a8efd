import * as vscode from 'vscode';
import { formatChangeLog, formatPermissions, type ChangeResult } from '../changeLog/changeLog';
import { describePermission, inverseOf, isEmptyChange, summarizeChange } from '../core/permissionPlan';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { runImageActions, type ActionResults } from './runImageActions';

/** amiSharing.showChangeLog: the JSON Lines log, readable. */
export async function showChangeLog(services: Services): Promise<string> {
  const text = formatChangeLog(await services.changeLog.history());
  const document = await vscode.workspace.openTextDocument({ content: text, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: true });
  return text;
}

/**
 * amiSharing.undoChange: reverts one logged change. The inverse is applied as adds/removes against the
 * AMI's current permissions, so changes made since then by others are kept.
 */
export async function undoChange(services: Services, argument?: unknown): Promise<ActionResults | undefined> {
  const { results } = await services.changeLog.history();
  const undoable = results.filter((entry) => entry.ok && !isEmptyChange(entry.applied));
  if (undoable.length === 0) throw new Error('The change log has no change to undo.');
  const wantedId = typeof argument === 'object' && argument !== null ? (argument as { id?: unknown }).id : undefined;
  const entry: ChangeResult | undefined =
    typeof wantedId === 'string'
      ? undoable.find((e) => e.id === wantedId)
      : await services.prompts.pickOne(
          undoable.map((e) => ({
            label: `${e.action} ${e.imageId}`,
            description: `${e.time} · ${e.profile} · ${e.region}`,
            detail: `${summarizeChange(e.applied)} — before: ${formatPermissions(e.before)}; after: ${formatPermissions(e.after)}`,
            value: e,
          })),
          { title: 'Undo which change?', placeHolder: 'Newest first' },
        );
  if (!entry) {
    if (typeof wantedId === 'string') throw new Error(`No undoable change with id ${wantedId}.`);
    return undefined;
  }
  const inverse = inverseOf(entry.applied);
  const names = readSettings().accountNames;
  const lines = [
    ...inverse.add.map((p) => `+ ${describePermission(p, names)}`),
    ...inverse.remove.map((p) => `− ${describePermission(p, names)}`),
  ];
  if (inverse.remove.length > 0 && readSettings().confirmDestructiveActions) {
    const confirmed = await services.prompts.confirm(`Undo "${entry.action}" on ${entry.imageId}?`, `${entry.profile}, ${entry.region}:\n${lines.join('\n')}`, 'Undo');
    if (!confirmed) return undefined;
  }
  return runImageActions(services, [{ profile: entry.profile, region: entry.region, imageId: entry.imageId }], {
    busyLabel: 'Undoing…',
    actionFor: () => ({ type: 'modify', change: inverse }),
    describeDone: (image, result) => `Undone on ${image.imageId}: ${summarizeChange(result.applied)}`,
    offerUndo: false,
  });
}
