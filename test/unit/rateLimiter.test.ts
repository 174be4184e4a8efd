import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketClassFor, CancelledError, RateLimiter } from '../../src/core/rateLimiter';

const SMALL = {
  nonMutating: { burst: 3, refillPerSecond: 50 },
  mutating: { burst: 1, refillPerSecond: 50 },
  modifyImageAttribute: { burst: 2, refillPerSecond: 20 },
  modifySnapshotAttribute: { burst: 2, refillPerSecond: 20 },
  copyImage: { burst: 1, refillPerSecond: 1 },
};

test('operations map to the EC2 buckets', () => {
  assert.equal(bucketClassFor('DescribeImages'), 'nonMutating');
  assert.equal(bucketClassFor('GetImageBlockPublicAccessState'), 'nonMutating');
  assert.equal(bucketClassFor('ModifyImageAttribute'), 'modifyImageAttribute');
  assert.equal(bucketClassFor('ResetImageAttribute'), 'mutating');
  assert.equal(bucketClassFor('ModifySnapshotAttribute'), 'modifySnapshotAttribute');
  assert.equal(bucketClassFor('CopyImage'), 'copyImage');
  assert.equal(bucketClassFor('CreateTags'), 'mutating');
});

test('the burst passes at once, then calls are spaced by the refill rate', async () => {
  const limiter = new RateLimiter(SMALL);
  const started = performance.now();
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, () => limiter.acquire('dev', 'us-east-1', 'DescribeImages', 'user').then(() => times.push(performance.now() - started))),
  );
  times.sort((a, b) => a - b);
  assert.ok(times[2]! < 15, `burst of 3 should be immediate, got ${times[2]}`);
  // 5 more tokens at 50/s need about 100 ms.
  assert.ok(times[7]! >= 85, `the 8th call came after ${times[7]} ms, faster than 50/s allows`);
  assert.ok(times[7]! < 400, `the 8th call took ${times[7]} ms`);
});

test('buckets are separate per account/profile, Region and bucket class', async () => {
  const limiter = new RateLimiter(SMALL);
  await limiter.acquire('dev', 'us-east-1', 'CopyImage', 'user');
  const started = performance.now();
  await Promise.all([
    limiter.acquire('dev', 'eu-west-1', 'CopyImage', 'user'),
    limiter.acquire('prod', 'us-east-1', 'CopyImage', 'user'),
    limiter.acquire('dev', 'us-east-1', 'DescribeImages', 'user'),
  ]);
  assert.ok(performance.now() - started < 20);
});

test('user requests overtake queued background requests', async () => {
  const limiter = new RateLimiter(SMALL);
  const order: string[] = [];
  await limiter.acquire('dev', 'r', 'CreateTags', 'user');
  const background = [1, 2, 3].map((n) => limiter.acquire('dev', 'r', 'CreateTags', 'background').then(() => order.push(`bg${n}`)));
  const user = limiter.acquire('dev', 'r', 'CreateTags', 'user').then(() => order.push('user'));
  await Promise.all([...background, user]);
  assert.deepEqual(order, ['user', 'bg1', 'bg2', 'bg3']);
});

test('a cancelled wait rejects and frees its place', async () => {
  const limiter = new RateLimiter(SMALL);
  await limiter.acquire('dev', 'r', 'CopyImage', 'user');
  const controller = new AbortController();
  const waiting = limiter.acquire('dev', 'r', 'CopyImage', 'user', controller.signal);
  assert.equal(limiter.queuedFor('dev', 'r', 'CopyImage'), 1);
  controller.abort();
  await assert.rejects(waiting, CancelledError);
  assert.equal(limiter.queuedFor('dev', 'r', 'CopyImage'), 0);
});

test('a throttle reported by EC2 empties our bucket so the next call waits for a fresh token', async () => {
  const limiter = new RateLimiter(SMALL);
  await limiter.acquire('dev', 'r', 'DescribeImages', 'user');
  limiter.throttled('dev', 'r', 'DescribeImages');
  const started = performance.now();
  await limiter.acquire('dev', 'r', 'DescribeImages', 'user');
  assert.ok(performance.now() - started >= 15, 'waited for a refill instead of using the burst');
});
