import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as readline from 'node:readline';

/**
 * A JSON Lines file: one JSON value per line, appended durably and read back as a stream.
 *
 * - append() runs one write at a time in call order and resolves only after the line is on disk
 *   (datasync), so a caller that awaits it may then do the thing the line announces.
 * - A line left torn by a crash is never glued to the next one: a newline is written first.
 * - The file is created 0600 in a folder created 0700; an existing file is tightened to 0600.
 * - Before an append, a file over `maxBytes` is rotated to `<name>.1.jsonl` (older ones shift to .2, .3…,
 *   `generations` of them are kept); entries() reads the oldest generation first.
 * - entries() streams (fs.createReadStream + readline), so its memory does not grow with the file, and
 *   skips lines that are not valid JSON (torn ones).
 *
 * No vscode and no AWS SDK here.
 */
export interface JsonLinesOptions<T> {
  /** Rotate before an append when the file is larger than this. Default 64 MiB. */
  maxBytes?: number;
  /** Rotated files kept besides the live one (`.1` newest … `.N` oldest). Default 3. */
  generations?: number;
  /** Keeps only the parsed lines that pass (for instance: objects only). Default: every valid JSON line. */
  accept?: (value: unknown) => value is T;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_GENERATIONS = 3;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const NEWLINE = 0x0a;

export class JsonLinesFile<T> {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxBytes: number;
  private readonly generations: number;
  private readonly accept: ((value: unknown) => value is T) | undefined;

  constructor(readonly file: string, options: JsonLinesOptions<T> = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.generations = Math.max(0, Math.floor(options.generations ?? DEFAULT_GENERATIONS));
    this.accept = options.accept;
  }

  /** `<name>.<n>.jsonl` for generation n ≥ 1 (`changes.jsonl` → `changes.1.jsonl`); the live file for 0. */
  generationFile(n: number): string {
    if (n === 0) return this.file;
    const ext = path.extname(this.file);
    const stem = ext === '.jsonl' ? this.file.slice(0, -ext.length) : this.file;
    return `${stem}.${n}.jsonl`;
  }

  /**
   * Appends one line and resolves once it is on disk. Appends run one at a time in call order; a failed
   * one rejects (with the file system's error) and does not stop the ones after it. The entry is
   * serialized at call time, so changing the object afterwards does not change what is written.
   */
  append(entry: T): Promise<void> {
    let line: string | undefined;
    try {
      line = JSON.stringify(entry);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (line === undefined) return Promise.reject(new TypeError(l10n.t('A JSON Lines entry must be serializable to JSON.')));
    const data = Buffer.from(`${line}\n`, 'utf8');
    return this.enqueue(() => this.write(data));
  }

  /** Resolves when every append issued so far has finished (successfully or not). */
  async idle(): Promise<void> {
    await this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  /**
   * Every entry, oldest generation first, streamed line by line. Appends issued before the call are
   * included; the generations are opened together (between two appends), so a rotation during a long
   * read neither skips nor repeats a file.
   */
  entries(): AsyncGenerator<T, void, undefined> {
    const opened = this.enqueue(() => this.openGenerations());
    return this.stream(opened);
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(data: Buffer): Promise<void> {
    await fsp.mkdir(path.dirname(this.file), { recursive: true, mode: DIR_MODE });
    let created = await this.rotateIfLarge();
    const handle = await fsp.open(this.file, 'a+', FILE_MODE);
    try {
      const stat = await handle.stat();
      if (stat.size === 0) created = true;
      if ((stat.mode & 0o777) !== FILE_MODE && process.platform !== 'win32') await handle.chmod(FILE_MODE);
      let payload = data;
      if (stat.size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, stat.size - 1);
        if (last[0] !== NEWLINE) payload = Buffer.concat([Buffer.from('\n'), data]);
      }
      // 'a+' appends every write at the end, whatever the position says; loop over short writes.
      let offset = 0;
      while (offset < payload.length) {
        const { bytesWritten } = await handle.write(payload, offset, payload.length - offset);
        if (bytesWritten <= 0) throw new Error(l10n.t('Could not write to {0}.', this.file));
        offset += bytesWritten;
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (created) await syncDirectory(path.dirname(this.file));
  }

  /** Shifts the generations when the live file is over the limit; returns true when it was moved away. */
  private async rotateIfLarge(): Promise<boolean> {
    let size: number;
    try {
      size = (await fsp.stat(this.file)).size;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
    if (size <= this.maxBytes) return false;
    if (this.generations === 0) {
      await fsp.rm(this.file, { force: true });
      return true;
    }
    await fsp.rm(this.generationFile(this.generations), { force: true });
    for (let n = this.generations - 1; n >= 0; n--) {
      const from = this.generationFile(n);
      try {
        await fsp.rename(from, this.generationFile(n + 1));
      } catch (error) {
        if (isNotFound(error)) continue;
        throw error;
      }
      if (process.platform !== 'win32') await fsp.chmod(this.generationFile(n + 1), FILE_MODE);
    }
    return true;
  }

  /** Opens the existing generations, oldest first. */
  private async openGenerations(): Promise<fsp.FileHandle[]> {
    const handles: fsp.FileHandle[] = [];
    try {
      for (let n = this.generations; n >= 0; n--) {
        try {
          handles.push(await fsp.open(this.generationFile(n), 'r'));
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    } catch (error) {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
      throw error;
    }
    return handles;
  }

  private async *stream(opened: Promise<fsp.FileHandle[]>): AsyncGenerator<T, void, undefined> {
    const handles = await opened;
    try {
      for (const handle of handles) {
        const input = fs.createReadStream('', { fd: handle, encoding: 'utf8', autoClose: false, highWaterMark: 64 * 1024 });
        const lines = readline.createInterface({ input, crlfDelay: Infinity });
        try {
          for await (const line of lines) {
            if (!line.trim()) continue;
            let value: unknown;
            try {
              value = JSON.parse(line);
            } catch {
              continue; // a line cut short by a crash
            }
            if (!this.accept || this.accept(value)) yield value as T;
          }
        } finally {
          lines.close();
          input.destroy();
        }
      }
    } finally {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** Makes a new or renamed file's directory entry durable too. Directories cannot be opened on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
