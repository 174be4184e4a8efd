import { FairQueue } from './fairQueue';

/**
 * Token buckets per account (or profile) and Region, shaped like EC2's request-rate limits, so
 * background fill-ins never push the user's own actions into RequestLimitExceeded.
 */

export interface BucketShape {
  burst: number;
  refillPerSecond: number;
}

export type BucketClass =
  | 'nonMutating'
  | 'mutating'
  | 'modifyImageAttribute'
  | 'modifySnapshotAttribute'
  | 'copyImage';

/** EC2's published buckets per account and Region. */
export const EC2_PUBLISHED_BUCKETS: Record<BucketClass, BucketShape> = {
  nonMutating: { burst: 100, refillPerSecond: 20 },
  mutating: { burst: 50, refillPerSecond: 5 },
  modifyImageAttribute: { burst: 100, refillPerSecond: 5 },
  modifySnapshotAttribute: { burst: 100, refillPerSecond: 5 },
  copyImage: { burst: 100, refillPerSecond: 1 },
};

export function bucketClassFor(operation: string): BucketClass {
  if (operation === 'ModifyImageAttribute') return 'modifyImageAttribute';
  if (operation === 'ModifySnapshotAttribute') return 'modifySnapshotAttribute';
  if (operation === 'CopyImage') return 'copyImage';
  if (/^(Describe|Get|List)/.test(operation)) return 'nonMutating';
  return 'mutating';
}

export type Priority = 'user' | 'background';

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

interface Waiter {
  priority: Priority;
  resolve: () => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The clock and timers the limiter runs on; injectable so tests drive time without sleeping. */
export interface LimiterClock {
  now(): number;
  /** Runs callback on a later turn of the event loop, after pending I/O. */
  defer(callback: () => void): void;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const REAL_CLOCK: LimiterClock = {
  now: () => performance.now(),
  defer: (callback) => void setImmediate(callback),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The part of each bucket we may spend, in percent (the `amiSharing.requestBudgetPercent` setting). */
export function clampBudgetPercent(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(1, value)) : 100;
}

/**
 * One EC2 bucket as we believe it stands. It starts full (EC2's buckets refill while we are idle) and spends
 * the whole burst at once, then the full refill rate. EC2's bucket starts refilling when the burst's first
 * request arrives there, which we cannot see: it is after we released it and before its answer came back (or
 * that of any request of the burst). So our refill starts at the burst's first answer (see answered): however
 * late or out of order the requests arrive, EC2 has refilled at least as much as we count, and the cost is one
 * round trip once per spent bucket (a one-off delay, not a slower rate). Until an answer comes we wait at most
 * maxLagMs. EC2 is the judge: at its first RequestLimitExceeded some other client has spent part of the
 * bucket, so we believe it is empty and stop counting on a burst — at most a quarter second of refill is
 * kept, i.e. calls go at the refill rate — until we have been idle long enough for EC2's bucket to have
 * refilled.
 */
class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  private lastUse: number;
  private refillRateOnly = false;
  /** When a burst was started from a full bucket and its first answer has not come yet: our refill waits for it. */
  private heldSince: number | undefined;
  private readonly waiting: Waiter[] = [];
  private timer: unknown;

  constructor(
    private readonly shape: BucketShape,
    private readonly budgetPercent: () => number,
    private readonly clock: LimiterClock,
    private readonly maxLagMs: number,
  ) {
    this.tokens = this.burst;
    this.lastRefill = clock.now();
    this.lastUse = this.lastRefill;
  }

  private get burst(): number {
    return Math.max(1, Math.floor((this.shape.burst * this.budgetPercent()) / 100));
  }

  private get refillPerSecond(): number {
    return (this.shape.refillPerSecond * this.budgetPercent()) / 100;
  }

  private take(): void {
    if (this.tokens >= this.burst && !this.refillRateOnly) this.heldSince = this.clock.now();
    this.tokens -= 1;
  }

  /**
   * A request of this bucket was answered (or failed): EC2 has seen the burst by now, so our refill starts
   * here. A waiter's timer set while the refill was held is set again for the token's real time. Only a
   * request sent since the burst began proves that: one sent before, while the bucket was still refilling,
   * can be answered before the burst's first request reaches EC2 (a busy host sends it milliseconds after
   * taking its token), and counting from that answer cost a 5×4 listing one throttle per bucket (measured).
   */
  answered(sentAt?: number): void {
    if (this.heldSince === undefined) return;
    if (sentAt !== undefined && sentAt < this.heldSince) return;
    this.refill();
    this.heldSince = undefined;
    // Not the midpoint of the round trip, though that saved 21 ms of a 39 s bulk share: `sentAt` is when the
    // SDK was handed the request, and a request that then waits for a socket or a busy event loop reaches EC2
    // later than that midpoint. Tried: two 5×4 listings got 56 and 25 throttles, against 16 and 21 from the answer.
    this.lastRefill = this.clock.now();
    if (this.timer !== undefined) {
      this.clock.clearTimer(this.timer);
      this.timer = undefined;
      this.schedule();
    }
  }

  /** A token could be taken right now (nobody is queued ahead and one is there). */
  canTakeNow(): boolean {
    this.refill();
    return this.waiting.length === 0 && this.tokens >= 1;
  }

  /** Takes a token now; only after canTakeNow(). */
  takeNow(): void {
    this.lastUse = this.clock.now();
    this.take();
  }

  /** Queues for the next token. */
  wait(priority: Priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    this.refill();
    this.lastUse = this.clock.now();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new CancelledError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      // User actions queue ahead of every background request, but keep FIFO among themselves.
      const firstBackground = this.waiting.findIndex((w) => w.priority === 'background');
      if (priority === 'user' && firstBackground >= 0) {
        this.waiting.splice(firstBackground, 0, waiter);
      } else {
        this.waiting.push(waiter);
      }
      this.schedule();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Tokens we believe are left (for tests and the log). */
  get available(): number {
    this.refill();
    return this.tokens;
  }

  get pacedAtRefillRate(): boolean {
    this.refill();
    return this.refillRateOnly;
  }

  /**
   * At the refill rate we keep up to REFILL_RATE_SLACK_MS of refill, not one token: with one, every moment
   * without a queued request (a busy host between two answers) lost its refill for good while EC2's bucket
   * kept it, and a listing finished with 10–15 tokens unspent per bucket (the endpoint's count, measured).
   */
  private get refillRateSlack(): number {
    return Math.max(1, (this.refillPerSecond * REFILL_RATE_SLACK_MS) / 1000);
  }

  /**
   * EC2 said the bucket is empty: believe it, and go at the refill rate from here. Empty, not emptier: the
   * throttle is itself an answer (EC2 has seen the burst), and a lag paid again at every throttle left EC2's
   * bucket two tokens fuller than we believed each time.
   */
  drain(): void {
    this.refill();
    this.heldSince = undefined;
    this.tokens = Math.min(this.tokens, 0);
    this.refillRateOnly = true;
    this.lastUse = this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    let refilledFrom = this.lastRefill;
    this.lastRefill = now;
    if (this.refillRateOnly && this.waiting.length === 0 && now - this.lastUse >= (this.burst / this.refillPerSecond) * 1000) {
      // Idle for a full refill: EC2's bucket is full again whoever spent it.
      this.refillRateOnly = false;
      this.tokens = this.burst;
      return;
    }
    if (this.heldSince !== undefined) {
      // No answer yet: EC2 may not have seen the burst, so nothing has refilled that we may count on.
      if (now < this.heldSince + this.maxLagMs) return;
      // maxLagMs without any answer: count on EC2's refill from then on.
      refilledFrom = this.heldSince + this.maxLagMs;
      this.heldSince = undefined;
    }
    const cap = this.refillRateOnly ? this.refillRateSlack : this.burst;
    this.tokens = Math.min(cap, this.tokens + (Math.max(0, now - refilledFrom) / 1000) * this.refillPerSecond);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.refill();
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.take();
      const waiter = this.waiting.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.waiting.length === 0) return;
    this.lastUse = this.clock.now();
    // While the refill is held, the token is that much further off (answered() sets the timer again sooner).
    const heldMs = this.heldSince === undefined ? 0 : Math.max(0, this.heldSince + this.maxLagMs - this.clock.now());
    const waitMs = Math.max(1, Math.ceil(heldMs + ((1 - this.tokens) / this.refillPerSecond) * 1000));
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.schedule();
    }, waitMs);
  }
}

export interface RateLimiterOptions {
  /** EC2's published buckets unless told otherwise. */
  shapes?: Record<BucketClass, BucketShape>;
  /** Percent of each bucket (burst and refill) we may spend, read on every refill so a setting change applies at once. */
  budgetPercent?: () => number;
  clock?: LimiterClock;
  /** How long a burst's refill waits for its first answer at most (see TokenBucket); default DEFAULT_MAX_LAG_MS. */
  maxLagMs?: number;
  /** Requests let go per turn of the event loop, across all buckets; default DEFAULT_RELEASES_PER_TURN. */
  releasesPerTurn?: number;
  /** Most requests one late turn may let go (see LATE_TURN_MS_PER_RELEASE); default DEFAULT_MOST_RELEASES_PER_TURN. */
  mostReleasesPerTurn?: number;
}

/**
 * Each request let go costs the SDK about a millisecond of synchronous work (serializing, signing). Full
 * bursts of 20 buckets at once would be 2,000 of them in one turn: a 1–2 s freeze of the extension host
 * (measured), and requests leaving the machine long after their token was counted. So at most a few go per
 * turn; the rest wait for the next turn (microseconds later when the host is idle), taking their token then.
 * The cap holds for refills too: a bucket's timer that fires late (the host was busy) hands out every token
 * refilled meanwhile, and those requests also leave a few per turn.
 */
export const DEFAULT_RELEASES_PER_TURN = 4;

/**
 * A turn that comes late (the host spent 25 ms parsing a DescribeImages page) lets one more request go per
 * LATE_TURN_MS_PER_RELEASE ms it waited, up to DEFAULT_MOST_RELEASES_PER_TURN: at 4 per turn, turns of a
 * listing's pages let only 160 requests a second leave across all buckets, less than 20 buckets' refill, and
 * the buckets of the last profiles sat full for 1–2 s (the endpoint's count of refill lost, measured). By
 * time, the send rate no longer depends on how long other work keeps each turn.
 */
export const LATE_TURN_MS_PER_RELEASE = 2;
export const DEFAULT_MOST_RELEASES_PER_TURN = 16;

interface GateEntry {
  priority: Priority;
  bucket: TokenBucket;
  signal?: AbortSignal;
  resolve: () => void;
  reject: (error: Error) => void;
  onAbort?: () => void;
}

/**
 * A burst's refill starts at its first answer (see TokenBucket), which is one round trip: 45 ms against the
 * local endpoint, a few hundred with a TCP and TLS set-up to a distant Region (the fixed 100 ms lag this
 * replaced was too short there and twice too long here: 50 ms more per spent bucket in the bench). Without
 * any answer for this long (a request left hanging), the refill is counted from then on.
 */
export const DEFAULT_MAX_LAG_MS = 1000;

/** Refill kept while paced at the refill rate after a throttle (see TokenBucket.refillRateSlack). */
export const REFILL_RATE_SLACK_MS = 250;

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly shapes: Record<BucketClass, BucketShape>;
  private readonly budgetPercent: () => number;
  private readonly clock: LimiterClock;
  private readonly maxLagMs: number;
  private readonly fewestReleasesPerTurn: number;
  private readonly mostReleasesPerTurn: number;
  /** This turn's allowance: the fewest, or more when the turn came late (see LATE_TURN_MS_PER_RELEASE). */
  private releasesPerTurn: number;
  private releasedThisTurn = 0;
  private turnScheduled = false;
  /** Requests waiting for room in a turn whose bucket had a token when they asked (see FairQueue). */
  private readonly gate = new FairQueue<TokenBucket, GateEntry>();
  /**
   * Waiters a bucket has already given a token (its refill timer fired) that wait for room in a turn: after
   * the host was busy for half a second, 20 buckets' refills would otherwise let 200 requests go in one turn.
   */
  private readonly tokened: Array<{ priority: Priority; resolve: () => void }> = [];

  constructor(options: RateLimiterOptions = {}) {
    this.fewestReleasesPerTurn = Math.max(1, options.releasesPerTurn ?? DEFAULT_RELEASES_PER_TURN);
    this.mostReleasesPerTurn = Math.max(this.fewestReleasesPerTurn, options.mostReleasesPerTurn ?? DEFAULT_MOST_RELEASES_PER_TURN);
    this.releasesPerTurn = this.fewestReleasesPerTurn;
    this.maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
    this.shapes = options.shapes ?? EC2_PUBLISHED_BUCKETS;
    const budget = options.budgetPercent ?? (() => 100);
    this.budgetPercent = () => clampBudgetPercent(budget());
    this.clock = options.clock ?? REAL_CLOCK;
  }

  private static keyOf(scope: string, region: string, bucketClass: BucketClass): string {
    return `${scope}\u0000${region}\u0000${bucketClass}`;
  }

  private bucket(scope: string, region: string, operation: string): TokenBucket {
    const bucketClass = bucketClassFor(operation);
    const key = RateLimiter.keyOf(scope, region, bucketClass);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.shapes[bucketClass], this.budgetPercent, this.clock, this.maxLagMs);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits for a token of `operation`'s bucket for this account/profile and Region. */
  acquire(scope: string, region: string, operation: string, priority: Priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const bucket = this.bucket(scope, region, operation);
    if (!bucket.canTakeNow()) return bucket.wait(priority, signal).then(() => this.roomInTurn(priority));
    if (this.gate.size === 0 && this.tokened.length === 0 && this.releasedThisTurn < this.releasesPerTurn) {
      this.release(bucket);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry: GateEntry = { priority, bucket, resolve, reject };
      if (signal) {
        entry.signal = signal;
        entry.onAbort = () => {
          this.gate.remove(bucket, entry);
          reject(new CancelledError());
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.gate.push(bucket, entry);
      this.scheduleTurn();
    });
  }

  /** For a request that holds its token: goes now if this turn has room, else in a later turn (user first). */
  private roomInTurn(priority: Priority): Promise<void> {
    if (this.tokened.length === 0 && this.releasedThisTurn < this.releasesPerTurn) {
      this.releasedThisTurn += 1;
      this.scheduleTurn();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const firstBackground = this.tokened.findIndex((t) => t.priority === 'background');
      if (priority === 'user' && firstBackground >= 0) this.tokened.splice(firstBackground, 0, { priority, resolve });
      else this.tokened.push({ priority, resolve });
      this.scheduleTurn();
    });
  }

  private release(bucket: TokenBucket): void {
    bucket.takeNow();
    this.releasedThisTurn += 1;
    this.scheduleTurn();
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    const scheduledAt = this.clock.now();
    this.clock.defer(() => {
      this.turnScheduled = false;
      this.releasedThisTurn = 0;
      // Late by what the host did since the turn was asked for (never before the previous turn ran).
      const lateMs = this.clock.now() - scheduledAt;
      this.releasesPerTurn = Math.min(this.mostReleasesPerTurn, Math.max(this.fewestReleasesPerTurn, Math.floor(lateMs / LATE_TURN_MS_PER_RELEASE)));
      this.nextTurn();
    });
  }

  /** Lets the next few go; an entry whose bucket has no token now queues there instead (that costs nothing). */
  private nextTurn(): void {
    // Those already holding a token first: their token is counted, so they should leave soon.
    while (this.tokened.length > 0 && this.releasedThisTurn < this.releasesPerTurn) {
      this.releasedThisTurn += 1;
      this.tokened.shift()!.resolve();
    }
    while (this.gate.size > 0 && this.releasedThisTurn < this.releasesPerTurn) {
      const entry = this.gate.shift()!;
      if (entry.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
      if (entry.bucket.canTakeNow()) {
        this.release(entry.bucket);
        entry.resolve();
      } else {
        entry.bucket.wait(entry.priority, entry.signal).then(() => this.roomInTurn(entry.priority)).then(entry.resolve, entry.reject);
      }
    }
    if (this.gate.size > 0 || this.tokened.length > 0) this.scheduleTurn();
  }

  /**
   * Called when EC2 answered a request of this bucket (or it failed): the burst's refill starts then (see
   * TokenBucket). `sentAt` is the limiter's time (now()) when that request went; unknown, any answer counts.
   */
  answered(scope: string, region: string, operation: string, sentAt?: number): void {
    this.buckets.get(RateLimiter.keyOf(scope, region, bucketClassFor(operation)))?.answered(sentAt);
  }

  /** The limiter's clock, for telling it when a request went (see answered). */
  now(): number {
    return this.clock.now();
  }

  /** Called when EC2 throttled a request of this bucket despite the pacing. */
  throttled(scope: string, region: string, operation: string): void {
    this.bucket(scope, region, operation).drain();
  }

  queuedFor(scope: string, region: string, operation: string): number {
    return this.buckets.get(RateLimiter.keyOf(scope, region, bucketClassFor(operation)))?.queued ?? 0;
  }

  /** What we believe is left in a bucket, and whether a throttle put it on the refill rate (for tests). */
  stateOf(scope: string, region: string, operation: string): { available: number; pacedAtRefillRate: boolean } {
    const bucket = this.bucket(scope, region, operation);
    return { available: bucket.available, pacedAtRefillRate: bucket.pacedAtRefillRate };
  }
}
