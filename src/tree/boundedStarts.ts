/**
 * Background loads queued per lane (a profile and Region: one set of EC2 buckets) and started only a few at a
 * time per lane, the next as one settles. Started all at once, the share counts of a 5×4×500 listing were
 * 10,000 calls waiting in the rate limiter for half a minute, each with its promise chain, timers and
 * closures: some 35 MB the garbage collector copied on every scavenge (10–30 ms pauses while the listing
 * streamed in, measured). A queued start is a closure of a few words. The limit is per lane so every lane
 * keeps its own bucket busy and no lane's backlog is left for the end.
 */
export class BoundedStarts {
  private readonly lanes = new Map<string, { queue: Array<() => Promise<unknown> | undefined>; running: number }>();

  constructor(private readonly inFlightPerLane: number) {}

  /**
   * Queues starts behind the lane's earlier ones. A start returns the promise of the work it began, or
   * undefined when there is nothing to do any more (the entry was loaded meanwhile, its listing refreshed).
   */
  enqueue(lane: string, starts: ReadonlyArray<() => Promise<unknown> | undefined>): void {
    let state = this.lanes.get(lane);
    if (!state) {
      state = { queue: [], running: 0 };
      this.lanes.set(lane, state);
    }
    for (const start of starts) state.queue.push(start);
    this.pump(lane);
  }

  private pump(lane: string): void {
    const state = this.lanes.get(lane);
    if (!state) return;
    while (state.running < this.inFlightPerLane && state.queue.length > 0) {
      const started = state.queue.shift()!();
      if (!started) continue;
      state.running += 1;
      const settled = () => {
        state.running -= 1;
        this.pump(lane);
      };
      started.then(settled, settled);
    }
    if (state.running === 0 && state.queue.length === 0) this.lanes.delete(lane);
  }
}
