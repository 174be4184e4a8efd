import { isUnder } from './nodes';

/** Plain-words failure of a load, as the tree shows it. */
export interface Failure {
  message: string;
  /** An expired SSO session: the error item offers `aws sso login`. */
  ssoLoginNeeded: boolean;
}

/** One cached load: its value so far (a listing fills in page by page), or why it failed. */
export interface Loaded<T> {
  value?: T;
  /** Plain-words failure, once the load failed. */
  error?: string;
  ssoLoginNeeded?: boolean;
  /** The load finished (with its last value or an error). */
  settled: boolean;
  /** Resolves at the first value (a first page) or the failure; never rejects. */
  ready: Promise<void>;
}

export interface LoadOptions<T> {
  explain(error: unknown): Failure;
  /**
   * Called when the entry changes while it is still cached. `first` marks the change that resolved `ready`
   * (whoever awaited `ready` sees it already); a settle that brings nothing new is not reported.
   */
  onChange?(entry: Loaded<T>, first: boolean): void;
}

/**
 * The tree's one lazy cache, keyed by node id (the key scheme of `nodeIds`): each node that shows loaded data
 * (a profile its account, a Region its block-public-access state, a group its listing, an owned AMI its launch
 * permissions) has one entry under its own id, so refreshing a subtree is `deleteUnder(id)`. A load started
 * twice runs once; a load that finishes after its entry was dropped still settles its own entry (whoever
 * awaits it gets the data) but reports nothing.
 */
export class LazyCache {
  private readonly entries = new Map<string, Loaded<unknown>>();

  get<T>(key: string): Loaded<T> | undefined {
    return this.entries.get(key) as Loaded<T> | undefined;
  }

  /** The cached entry, or a new one whose `loader` runs now; `partial` delivers values before the load ends. */
  load<T>(key: string, loader: (partial: (value: T) => void) => Promise<T>, options: LoadOptions<T>): Loaded<T> {
    const existing = this.get<T>(key);
    if (existing) return existing;
    let resolveReady: () => void = () => undefined;
    const entry: Loaded<T> = { settled: false, ready: new Promise<void>((resolve) => (resolveReady = resolve)) };
    let seen = false;
    const update = (apply: () => boolean) => {
      const first = !seen;
      seen = true;
      const changed = apply();
      resolveReady();
      if ((first || changed) && this.entries.get(key) === entry) options.onChange?.(entry, first);
    };
    this.entries.set(key, entry);
    const partial = (value: T) => {
      if (entry.settled) return;
      update(() => {
        entry.value = value;
        return true;
      });
    };
    Promise.resolve()
      .then(() => loader(partial))
      .then(
        (value) =>
          update(() => {
            const changed = entry.value !== value;
            entry.value = value;
            entry.settled = true;
            return changed;
          }),
        (error: unknown) =>
          update(() => {
            const failure = options.explain(error);
            entry.error = failure.message;
            if (failure.ssoLoginNeeded) entry.ssoLoginNeeded = true;
            entry.settled = true;
            return true;
          }),
      );
    return entry;
  }

  /** Replaces an entry with a known value (after an action changed it). */
  set<T>(key: string, value: T): Loaded<T> {
    const entry: Loaded<T> = { value, settled: true, ready: Promise.resolve() };
    this.entries.set(key, entry);
    return entry;
  }

  /** Drops the entry of `prefix` and of every node under it. */
  /** Every cached entry with its key (the view's badge and welcome state read them; nothing loads). */
  *entriesWithKeys(): IterableIterator<[string, Loaded<unknown>]> {
    yield* this.entries.entries();
  }

  deleteUnder(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (isUnder(key, prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
