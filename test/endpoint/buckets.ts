import type { QueryParams } from './query';

/**
 * EC2 request throttling: token buckets per account and Region (see the sharing notes).
 * A request takes one token from its bucket; an empty bucket means RequestLimitExceeded.
 */

export interface BucketLimit {
  burst: number;
  refillPerSecond: number;
}

export const BUCKET_LIMITS = {
  'non-mutating': { burst: 100, refillPerSecond: 20 },
  'unfiltered-non-mutating': { burst: 50, refillPerSecond: 10 },
  mutating: { burst: 50, refillPerSecond: 5 },
  ModifyImageAttribute: { burst: 100, refillPerSecond: 5 },
  ModifySnapshotAttribute: { burst: 100, refillPerSecond: 5 },
  CopyImage: { burst: 100, refillPerSecond: 1 },
  'image-block-public-access': { burst: 1, refillPerSecond: 0.1 },
} as const satisfies Record<string, BucketLimit>;

export type BucketName = keyof typeof BUCKET_LIMITS;

/** Monotonic clock in milliseconds; injectable so tests need not sleep. */
export type Clock = () => number;

/** What a bucket's client spent and left unspent (the benchmark's account of a run against the bound). */
export interface BucketUsage {
  /** Tokens left just after the latest request that got one. */
  tokensAtLastRequest: number;
  requests: number;
  /** Refill lost because the bucket was full. */
  overflowedTokens: number;
  overflowBySecond: number[];
  /** The first and the latest request, as epoch ms (performance.timeOrigin + the clock), for lining up with a client's timeline. */
  firstRequestAt: number;
  lastRequestAt: number;
}

export class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  /**
   * Refill that found the bucket full, up to the latest request: what a client left unspent while it had
   * work (the benchmark reads it to show where a run fell short of the bound).
   */
  private overflowed = 0;
  /** The overflow of the latest refill, counted only once a request follows it (idle time after the work is not lost). */
  private pendingOverflow = 0;
  private requests = 0;
  private tokensAtLastRequest: number;
  /** overflowed, by the second (since the bucket's first use) in which it was lost. */
  private readonly overflowBySecond: number[] = [];
  private readonly created: number;
  private lastRequest: number;

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.burst;
    this.tokensAtLastRequest = limit.burst;
    this.lastRefill = clock();
    this.created = this.lastRefill;
    this.lastRequest = this.lastRefill;
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.lastRefill) / 1000;
    const refilled = this.tokens + elapsedSeconds * this.limit.refillPerSecond;
    this.pendingOverflow += Math.max(0, refilled - this.limit.burst);
    this.tokens = Math.min(this.limit.burst, refilled);
    this.lastRefill = now;
  }

  usage(): BucketUsage {
    return {
      tokensAtLastRequest: this.tokensAtLastRequest,
      requests: this.requests,
      overflowedTokens: this.overflowed,
      overflowBySecond: Array.from(this.overflowBySecond, (tokens) => tokens ?? 0),
      firstRequestAt: performance.timeOrigin + this.created,
      lastRequestAt: performance.timeOrigin + this.lastRequest,
    };
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  tryTake(): boolean {
    this.refill();
    if (this.pendingOverflow > 0) {
      this.overflowed += this.pendingOverflow;
      const second = Math.floor((this.lastRefill - this.created) / 1000);
      this.overflowBySecond[second] = (this.overflowBySecond[second] ?? 0) + this.pendingOverflow;
      this.pendingOverflow = 0;
    }
    this.requests += 1;
    this.lastRequest = this.lastRefill;
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
    this.tokensAtLastRequest = this.tokens;
    return true;
  }
}

const READ_ONLY_PREFIXES = ['Describe', 'Get', 'List', 'Search'];
/** Actions EC2 gives a smaller bucket when called with neither a filter nor paging. */
const UNFILTERED_LIMITED_ACTIONS = new Set(['DescribeImages', 'DescribeSnapshots', 'DescribeInstances', 'DescribeVolumes']);
/** Parameters that neither filter nor page. */
const NEUTRAL_PARAMETERS = new Set(['Action', 'Version', 'DryRun', 'IncludeDeprecated', 'IncludeDisabled']);

export function bucketFor(action: string, params: QueryParams): BucketName {
  if (action === 'ModifyImageAttribute' || action === 'ModifySnapshotAttribute' || action === 'CopyImage') {
    return action;
  }
  if (action === 'EnableImageBlockPublicAccess' || action === 'DisableImageBlockPublicAccess') {
    return 'image-block-public-access';
  }
  if (!READ_ONLY_PREFIXES.some((prefix) => action.startsWith(prefix))) {
    return 'mutating';
  }
  const unfiltered = params.keys().every((key) => NEUTRAL_PARAMETERS.has(key));
  return unfiltered && UNFILTERED_LIMITED_ACTIONS.has(action) ? 'unfiltered-non-mutating' : 'non-mutating';
}

export class RequestRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock = () => performance.now()) {}

  /** Takes a token for this request; false when the bucket is empty (the request is throttled). */
  tryAcquire(accountId: string, region: string, bucket: BucketName): boolean {
    const key = `${accountId}/${region}/${bucket}`;
    let tokens = this.buckets.get(key);
    if (!tokens) {
      tokens = new TokenBucket(BUCKET_LIMITS[bucket], this.clock);
      this.buckets.set(key, tokens);
    }
    return tokens.tryTake();
  }

  /** Every bucket used since the last reset, by `account/Region/bucket`. */
  usage(): Record<string, BucketUsage> {
    return Object.fromEntries([...this.buckets].map(([key, bucket]) => [key, bucket.usage()]));
  }

  /** Refills every bucket. */
  reset(): void {
    this.buckets.clear();
  }
}
