import * as l10n from '@vscode/l10n';
import { redactDeep } from '../core/redact';
import { JsonLinesFile, type JsonLinesOptions } from './jsonLines';
import type { LaunchPermission } from '../core/types';
import type { ChangeIntent, ChangeLogEntry, ChangeResult } from './entries';

export type { ChangeIntent, ChangeLogEntry, ChangeResult } from './entries';

export class ChangeLog {
  private readonly store: JsonLinesFile<ChangeLogEntry>;

  /** `file` is the live JSON Lines file; rotated generations sit beside it (see JsonLinesFile). */
  constructor(readonly file: string, options: Omit<JsonLinesOptions<ChangeLogEntry>, 'accept'> = {}) {
    this.store = new JsonLinesFile(file, { ...options, accept: isEntryLike });
  }

  /**
   * Appends in call order and resolves once the line is on disk, so an intent that is awaited is
   * recorded before the EC2 call it announces. Every string is redacted first: no secret is written.
   */
  append(entry: ChangeLogEntry): Promise<void> {
    return this.store.append(redactDeep(entry));
  }

  /** Every entry, oldest first, streamed (the file is never read into one string). */
  entries(): AsyncIterable<ChangeLogEntry> {
    return this.store.entries();
  }

  async read(): Promise<ChangeLogEntry[]> {
    const entries: ChangeLogEntry[] = [];
    for await (const entry of this.store.entries()) entries.push(entry);
    return entries;
  }

  /** Results, newest first, plus intents that never got a result (interrupted). */
  async history(): Promise<{ results: ChangeResult[]; interrupted: ChangeIntent[] }> {
    const results: ChangeResult[] = [];
    const intents: ChangeIntent[] = [];
    const finished = new Set<string>();
    for await (const entry of this.store.entries()) {
      if (entry.kind === 'result') {
        results.push(entry);
        finished.add(entry.id);
      } else if (entry.kind === 'intent') {
        intents.push(entry);
      }
    }
    return {
      results: results.reverse(),
      interrupted: intents.filter((e) => !finished.has(e.id)),
    };
  }
}

/** A line that parsed to something other than an object (a torn line can parse as a number) is skipped. */
function isEntryLike(value: unknown): value is ChangeLogEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatPermissions(permissions: readonly LaunchPermission[]): string {
  return permissions.length ? permissions.map((p) => Object.values(p)[0]).join(', ') : '(none)';
}

export function formatChangeLog(history: { results: ChangeResult[]; interrupted: ChangeIntent[] }): string {
  const lines: string[] = ['# AMI Sharing change log', ''];
  if (history.interrupted.length) {
    lines.push(l10n.t('## Interrupted (started, no result recorded: check these AMIs)'), '');
    for (const entry of history.interrupted) {
      lines.push(l10n.t('- {0} {1} {2} ({3}, {4}) — before: {5}', entry.time, entry.action, entry.imageId, entry.profile, entry.region, formatPermissions(entry.before)));
    }
    lines.push('');
  }
  lines.push(l10n.t('## Changes (newest first)'), '');
  for (const entry of history.results) {
    lines.push(
      `- ${entry.time} ${entry.ok ? 'OK    ' : 'FAILED'} ${entry.action} ${entry.imageId} (${entry.profile}${entry.account ? ` ${entry.account}` : ''}, ${entry.region})`,
      `    before: ${formatPermissions(entry.before)}`,
      `    after:  ${formatPermissions(entry.after)}`,
      ...(entry.requestId ? [`    request: ${entry.requestId}`] : []),
      ...(entry.error ? [`    error: ${entry.error}`] : []),
    );
  }
  if (history.results.length === 0) lines.push(l10n.t('No changes recorded yet.'));
  return lines.join('\n');
}
