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

/**
 * What we spend: a little below EC2's buckets. A burst takes time to leave the machine, so requests
 * released just after it reach EC2 bunched together with its tail; a 10% smaller burst and a 3% slower
 * refill absorb that (measured: a 100-request burst arrived over ~150 ms here).
 */
export const EC2_BUCKETS: Record<BucketClass, BucketShape> = Object.fromEntries(
  Object.entries(EC2_PUBLISHED_BUCKETS).map(([name, shape]) => [name, { burst: Math.max(1, Math.floor(shape.burst * 0.9)), refillPerSecond: shape.refillPerSecond * 0.985 }]),
) as Record<BucketClass, BucketShape>;

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

class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  private readonly waiting: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly shape: BucketShape, private readonly now: () => number) {
    this.tokens = shape.burst;
    this.lastRefill = now();
  }

  acquire(priority: Priority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
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

  /** EC2 said the bucket is empty: believe it, so our pacing lines up with EC2's bucket again. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = (now - this.lastRefill) / 1000;
    this.tokens = Math.min(this.shape.burst, this.tokens + elapsedSeconds * this.shape.refillPerSecond);
    this.lastRefill = now;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.refill();
    while (this.waiting.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      const waiter = this.waiting.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.waiting.length === 0) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.shape.refillPerSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, waitMs);
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly shapes: Record<BucketClass, BucketShape> = EC2_BUCKETS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waits for a token of `operation`'s bucket for this account/profile and Region. */
  acquire(scope: string, region: string, operation: string, priority: Priority, signal?: AbortSignal): Promise<void> {
    const bucketClass = bucketClassFor(operation);
    const key = `${scope}\u0000${region}\u0000${bucketClass}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.shapes[bucketClass], this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.acquire(priority, signal);
  }

  /** Called when EC2 throttled a request of this bucket despite the pacing. */
  throttled(scope: string, region: string, operation: string): void {
    this.buckets.get(`${scope}\u0000${region}\u0000${bucketClassFor(operation)}`)?.drain();
  }

  queuedFor(scope: string, region: string, operation: string): number {
    return this.buckets.get(`${scope}\u0000${region}\u0000${bucketClassFor(operation)}`)?.queued ?? 0;
  }
}
