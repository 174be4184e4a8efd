/**
 * Reads started before they are needed, each handed out once and only while fresh: a plan must rest on a
 * state read moments before its write, so a read that waited longer than `keptMs` to be taken is dropped
 * and the caller reads again.
 */
export class FreshReads<T> {
  private readonly reads = new Map<string, { value: Promise<T>; startedAt: number }>();

  constructor(
    private readonly keptMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts `read` for `key` unless one is already waiting. Its failure surfaces only to whoever takes it. */
  start(key: string, read: () => Promise<T>): void {
    if (this.reads.has(key)) return;
    const value = read();
    value.catch(() => undefined);
    this.reads.set(key, { value, startedAt: this.now() });
  }

  /** The read started for `key`, once; undefined when there is none or it is older than `keptMs`. */
  take(key: string): Promise<T> | undefined {
    const read = this.reads.get(key);
    if (!read) return undefined;
    this.reads.delete(key);
    return this.now() - read.startedAt <= this.keptMs ? read.value : undefined;
  }
}
