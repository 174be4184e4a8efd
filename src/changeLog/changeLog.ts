import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { PermissionChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';

/**
 * An append-only JSON Lines record of every change the extension makes. An "intent" line is written
 * before the EC2 call and a "result" line after it, so a crash mid-way through a bulk action still
 * shows which AMIs may have been changed. Only permissions and IDs are stored, never credentials.
 */
interface ChangeEntryBase {
  /** The same id on an intent and its result. */
  id: string;
  time: string;
  action: string;
  profile: string;
  account?: string;
  region: string;
  imageId: string;
  before: LaunchPermission[];
}

export interface ChangeIntent extends ChangeEntryBase {
  kind: 'intent';
  planned: PermissionChange;
}

export interface ChangeResult extends ChangeEntryBase {
  kind: 'result';
  ok: boolean;
  after: LaunchPermission[];
  applied: PermissionChange;
  requestId?: string;
  error?: string;
}

export type ChangeLogEntry = ChangeIntent | ChangeResult;

export class ChangeLog {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Appends in call order; each line is flushed before the next is written. */
  append(entry: ChangeLogEntry): Promise<void> {
    this.writing = this.writing.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.appendFile(this.file, `${JSON.stringify(entry)}\n`, 'utf8');
    });
    return this.writing;
  }

  async read(): Promise<ChangeLogEntry[]> {
    await this.writing;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as ChangeLogEntry];
      } catch {
        return []; // a line cut short by a crash
      }
    });
  }

  /** Results, newest first, plus intents that never got a result (interrupted). */
  async history(): Promise<{ results: ChangeResult[]; interrupted: ChangeIntent[] }> {
    const entries = await this.read();
    const finished = new Set(entries.filter((e) => e.kind === 'result').map((e) => e.id));
    return {
      results: entries.filter((e): e is ChangeResult => e.kind === 'result').reverse(),
      interrupted: entries.filter((e): e is ChangeIntent => e.kind === 'intent' && !finished.has(e.id)),
    };
  }
}

export function formatPermissions(permissions: readonly LaunchPermission[]): string {
  return permissions.length ? permissions.map((p) => Object.values(p)[0]).join(', ') : '(none)';
}

export function formatChangeLog(history: { results: ChangeResult[]; interrupted: ChangeIntent[] }): string {
  const lines: string[] = ['# AMI Sharing change log', ''];
  if (history.interrupted.length) {
    lines.push('## Interrupted (started, no result recorded: check these AMIs)', '');
    for (const entry of history.interrupted) {
      lines.push(`- ${entry.time} ${entry.action} ${entry.imageId} (${entry.profile}, ${entry.region}) — before: ${formatPermissions(entry.before)}`);
    }
    lines.push('');
  }
  lines.push('## Changes (newest first)', '');
  for (const entry of history.results) {
    lines.push(
      `- ${entry.time} ${entry.ok ? 'OK    ' : 'FAILED'} ${entry.action} ${entry.imageId} (${entry.profile}${entry.account ? ` ${entry.account}` : ''}, ${entry.region})`,
      `    before: ${formatPermissions(entry.before)}`,
      `    after:  ${formatPermissions(entry.after)}`,
      ...(entry.requestId ? [`    request: ${entry.requestId}`] : []),
      ...(entry.error ? [`    error: ${entry.error}`] : []),
    );
  }
  if (history.results.length === 0) lines.push('No changes recorded yet.');
  return lines.join('\n');
}
