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

export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly limit: BucketLimit,
    private readonly clock: Clock,
  ) {
    this.tokens = limit.burst;
    this.lastRefill = clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.lastRefill) / 1000;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsedSeconds * this.limit.refillPerSecond);
    this.lastRefill = now;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) {
      return false;
    }
    this.tokens -= 1;
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

  /** Refills every bucket. */
  reset(): void {
    this.buckets.clear();
  }
}
