/**
 * Waiters served the user's first, in order, then the background ones one key (bucket) at a time in turn.
 * One queue for all buckets served first come first served let a listing's first lane send its 24 share
 * counts before the last lane sent one: with 20 lanes the last waited 0.7 s with its bucket full, and that
 * refill was lost (the endpoint's count grew lane by lane, measured). In turn, every lane starts at once.
 */
export class FairQueue<K, T extends { priority: 'user' | 'background' }> {
  private readonly user: T[] = [];
  /** Background waiters per key; the Map's order is the rotation (a served key goes to the back). */
  private readonly background = new Map<K, T[]>();
  private backgroundCount = 0;

  get size(): number {
    return this.user.length + this.backgroundCount;
  }

  push(key: K, entry: T): void {
    if (entry.priority === 'user') {
      this.user.push(entry);
      return;
    }
    const queue = this.background.get(key);
    if (queue) queue.push(entry);
    else this.background.set(key, [entry]);
    this.backgroundCount += 1;
  }

  shift(): T | undefined {
    const user = this.user.shift();
    if (user) return user;
    for (const [key, queue] of this.background) {
      const entry = queue.shift()!;
      this.background.delete(key);
      if (queue.length > 0) this.background.set(key, queue);
      this.backgroundCount -= 1;
      return entry;
    }
    return undefined;
  }

  /** Takes a waiter out (it was cancelled); false when it was not queued. */
  remove(key: K, entry: T): boolean {
    const index = this.user.indexOf(entry);
    if (index >= 0) {
      this.user.splice(index, 1);
      return true;
    }
    const queue = this.background.get(key);
    const at = queue?.indexOf(entry) ?? -1;
    if (!queue || at < 0) return false;
    queue.splice(at, 1);
    if (queue.length === 0) this.background.delete(key);
    this.backgroundCount -= 1;
    return true;
  }
}
