import * as l10n from '@vscode/l10n';
import { redactDeep } from '../core/redact';
import { JsonLinesFile, type JsonLinesOptions } from './jsonLines';
import type { LaunchPermission } from '../core/types';
import type { ChangeIntent, ChangeLogEntry, ChangeResult } from './entries';
import { displayAction } from '../core/actionNames';

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
  return permissions.length ? permissions.map((p) => Object.values(p)[0]).join(', ') : l10n.t('(none)');
}

export function formatChangeLog(history: { results: ChangeResult[]; interrupted: ChangeIntent[] }): string {
  const lines: string[] = [l10n.t('# AMI Sharing change log'), ''];
  if (history.interrupted.length) {
    lines.push(l10n.t('## Interrupted (started, no result recorded: check these AMIs)'), '');
    for (const entry of history.interrupted) {
      lines.push(l10n.t('- {0} {1} {2} ({3}, {4}) — before: {5}', entry.time, displayAction(entry.action), entry.imageId, entry.profile, entry.region, formatPermissions(entry.before)));
    }
    lines.push('');
  }
  lines.push(l10n.t('## Changes (newest first)'), '');
  for (const entry of history.results) {
    lines.push(
      // The status column is padded so the actions line up, whatever the language's words for OK and FAILED.
      `- ${entry.time} ${(entry.ok ? l10n.t('OK') : l10n.t('FAILED')).padEnd(6)} ${displayAction(entry.action)} ${entry.imageId} (${entry.profile}${entry.account ? ` ${entry.account}` : ''}, ${entry.region})`,
      `    ${l10n.t('before: {0}', formatPermissions(entry.before))}`,
      `    ${l10n.t('after: {0}', formatPermissions(entry.after))}`,
      ...(entry.requestId ? [`    ${l10n.t('request: {0}', entry.requestId)}`] : []),
      ...(entry.error ? [`    ${l10n.t('error: {0}', entry.error)}`] : []),
    );
  }
  if (history.results.length === 0) lines.push(l10n.t('No changes recorded yet.'));
  return lines.join('\n');
}
