import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketClassFor, CancelledError, clampBudgetPercent, DEFAULT_MAX_LAG_MS, EC2_PUBLISHED_BUCKETS, RateLimiter, type LimiterClock } from '../../src/core/rateLimiter';

/** Time moves only when the test says so; timers fire in order as it passes them. */
class FakeClock implements LimiterClock {
  private time = 0;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  defer(callback: () => void): void {
    deferred.push(callback);
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Advances to `ms` later, firing due timers (and the promise callbacks they release) on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.time = due.at;
      due.callback();
    }
    this.time = end;
    await flush();
  }
  /** The host was busy for `ms`: no timer fires meanwhile, then every overdue one fires in one timers phase. */
  async busy(ms: number): Promise<void> {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.callback();
    await microtasks();
  }
}

/** Callbacks waiting for the next turn of the (fake) event loop. */
const deferred: Array<() => void> = [];

async function microtasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** One turn of the event loop: what was deferred runs, then the promises it settled. */
async function turn(): Promise<void> {
  await microtasks();
  for (const callback of deferred.splice(0)) callback();
  await microtasks();
}

/** Turns until nothing is deferred any more (no fake time passes). */
async function flush(): Promise<void> {
  await microtasks();
  while (deferred.length > 0) await turn();
}

const SMALL = {
  nonMutating: { burst: 3, refillPerSecond: 10 },
  mutating: { burst: 1, refillPerSecond: 10 },
  modifyImageAttribute: { burst: 10, refillPerSecond: 5 },
  modifySnapshotAttribute: { burst: 2, refillPerSecond: 20 },
  copyImage: { burst: 1, refillPerSecond: 1 },
};

/** Starts `count` acquisitions and counts how many have been granted so far. */
function startMany(limiter: RateLimiter, count: number, operation = 'DescribeImages', scope = 'dev', region = 'us-east-1'): { granted: () => number; all: Promise<unknown[]> } {
  let granted = 0;
  const all = Promise.all(Array.from({ length: count }, () => limiter.acquire(scope, region, operation, 'user').then(() => {
    granted += 1;
  })));
  return { granted: () => granted, all };
}

test('operations map to the EC2 buckets', () => {
  assert.equal(bucketClassFor('DescribeImages'), 'nonMutating');
  assert.equal(bucketClassFor('GetImageBlockPublicAccessState'), 'nonMutating');
  assert.equal(bucketClassFor('ModifyImageAttribute'), 'modifyImageAttribute');
  assert.equal(bucketClassFor('ResetImageAttribute'), 'mutating');
  assert.equal(bucketClassFor('ModifySnapshotAttribute'), 'modifySnapshotAttribute');
  assert.equal(bucketClassFor('CopyImage'), 'copyImage');
  assert.equal(bucketClassFor('CreateTags'), 'mutating');
});

test('by default the limiter spends EC2\'s published buckets in full: the whole burst at once', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock });
  const burst = EC2_PUBLISHED_BUCKETS.modifyImageAttribute.burst;
  const calls = startMany(limiter, burst + 1, 'ModifyImageAttribute');
  await flush();
  assert.equal(calls.granted(), burst, 'the full burst of 100, not a reserve kept back');
  // No answer at all (every request left hanging): the refill is counted from DEFAULT_MAX_LAG_MS on, and the
  // next token comes 200 ms (at 5 per second) after that.
  await clock.advance(DEFAULT_MAX_LAG_MS + 200 - 1);
  assert.equal(calls.granted(), burst);
  await clock.advance(1);
  assert.equal(calls.granted(), burst + 1);
  await calls.all;
});

test('once a bucket is spent its refill starts at the burst\'s first answer: one round trip\'s delay once, the rate stays full', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ shapes: SMALL, clock });
  const calls = startMany(limiter, 3 + 20);
  await flush();
  assert.equal(calls.granted(), 3, 'the whole burst');
  // The first answer comes back 45 ms in: EC2 had seen the burst by then, perhaps not before.
  await clock.advance(45);
  limiter.answered('dev', 'us-east-1', 'DescribeImages');
  await clock.advance(99);
  assert.equal(calls.granted(), 3, 'the first refilled token (100 ms at 10 per second) counts from the answer');
  await clock.advance(1);
  assert.equal(calls.granted(), 4);
  // Later answers change nothing: the refill is already counted.
  limiter.answered('dev', 'us-east-1', 'DescribeImages');
  await clock.advance(1900);
  assert.equal(calls.granted(), 23, '19 more in 1.9 s: the full rate of 10 per second');
  await calls.all;
  // Full again after idling: the next burst is whole, and its refill again waits for its own first answer.
  await clock.advance(10_000);
  const again = startMany(limiter, 4);
  await flush();
  assert.equal(again.granted(), 3);
  await clock.advance(20);
  limiter.answered('dev', 'us-east-1', 'DescribeImages');
  await clock.advance(99);
  assert.equal(again.granted(), 3);
  await clock.advance(1);
  assert.equal(again.granted(), 4);
  await again.all;
});

test('an answer that comes before the bucket is spent starts the refill there; a new burst from a full bucket waits for its own', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ shapes: SMALL, clock });
  const first = startMany(limiter, 1);
  await flush();
  await clock.advance(30);
  limiter.answered('dev', 'us-east-1', 'DescribeImages');
  // 170 ms after the answer at 10 per second: 1.7 tokens refilled, capped at the burst of 3.
  await clock.advance(170);
  const more = startMany(limiter, 4);
  await flush();
  assert.equal(more.granted(), 3, 'the burst is whole again');
  await clock.advance(99);
  assert.equal(more.granted(), 3);
  await first.all;
  // This burst (from a full bucket again) gets no answer: DEFAULT_MAX_LAG_MS after it, the refill is counted anyway.
  await clock.advance(DEFAULT_MAX_LAG_MS);
  assert.equal(more.granted(), 3);
  await clock.advance(1);
  assert.equal(more.granted(), 4);
  await more.all;
});

test('an answer to a request sent before a burst began does not start that burst\'s refill; one sent since does', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ shapes: SMALL, clock });
  const early = startMany(limiter, 1);
  await flush();
  const earlySentAt = limiter.now();
  await clock.advance(30);
  limiter.answered('dev', 'us-east-1', 'DescribeImages', earlySentAt);
  // Refilled to the burst of 3 again by 400 ms: the next request starts a new burst there.
  await clock.advance(370);
  const burst = startMany(limiter, 3 + 1);
  await flush();
  const burstSentAt = limiter.now();
  assert.equal(burst.granted(), 3);
  // A reply to the request sent at 0 ms arriving now (it was slow) says nothing about this burst: EC2 may
  // not have seen it yet, so the refill stays held.
  await clock.advance(5);
  limiter.answered('dev', 'us-east-1', 'DescribeImages', earlySentAt);
  await clock.advance(200);
  assert.equal(burst.granted(), 3, 'still held: no answer to the burst yet');
  // The burst's own first answer, 205 ms after it went: the next token is 100 ms (at 10 per second) from here.
  limiter.answered('dev', 'us-east-1', 'DescribeImages', burstSentAt);
  await clock.advance(99);
  assert.equal(burst.granted(), 3);
  await clock.advance(1);
  assert.equal(burst.granted(), 4);
  await Promise.all([early.all, burst.all]);
});

test('at most a few requests go per turn of the event loop, so a burst of many buckets cannot freeze it', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, clock, releasesPerTurn: 4 });
  let granted = 0;
  const all = Promise.all(['us-east-1', 'eu-west-1', 'eu-central-1'].flatMap((region) => Array.from({ length: 4 }, () => limiter.acquire('dev', region, 'DescribeImages', 'background').then(() => {
    granted += 1;
  }))));
  await microtasks();
  assert.equal(granted, 4, 'the first turn lets 4 go, of 12 with tokens');
  const user = limiter.acquire('dev', 'us-east-1', 'DescribeImages', 'user').then(() => {
    granted += 100;
  });
  await turn();
  assert.equal(granted, 100 + 4 + 3, 'the user request goes first in the next turn, with 3 more');
  await turn();
  assert.equal(granted, 100 + 11);
  await flush();
  assert.equal(granted, 112, 'every token is still spent, in the same fake instant');
  await Promise.all([all, user]);
});

test('background requests waiting for room in a turn go one bucket at a time in turn, not first come first served', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, clock, releasesPerTurn: 4, mostReleasesPerTurn: 4 });
  const order: string[] = [];
  const all = Promise.all(['us-east-1', 'eu-west-1'].flatMap((region) => Array.from({ length: 8 }, (_, i) => limiter.acquire('dev', region, 'DescribeImageAttribute', 'background').then(() => {
    order.push(`${region}#${i + 1}`);
  }))));
  await microtasks();
  assert.deepEqual(order, ['us-east-1#1', 'us-east-1#2', 'us-east-1#3', 'us-east-1#4'], 'the first turn: the first four asked');
  await turn();
  assert.deepEqual(order.slice(4), ['us-east-1#5', 'eu-west-1#1', 'us-east-1#6', 'eu-west-1#2'], 'then the buckets in turn');
  await flush();
  await all;
});

test('tokens that refilled while the host was busy still go a few per turn, not all in the turn their timers fire', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock, releasesPerTurn: 4 });
  let granted = 0;
  const regions = ['us-east-1', 'eu-west-1', 'eu-central-1'];
  const all = Promise.all(regions.flatMap((region) => Array.from({ length: 3 + 10 }, () => limiter.acquire('dev', region, 'DescribeImages', 'background').then(() => {
    granted += 1;
  }))));
  await flush();
  assert.equal(granted, 9, 'the three bursts');
  await clock.busy(1000);
  assert.equal(granted, 9 + 4, 'each bucket is full again (3) after the busy second: of those 9, 4 go in the turn the timers fire');
  await turn();
  assert.equal(granted, 9 + 8, '4 more in the next turn');
  await flush();
  assert.equal(granted, 18, 'the last one a turn later, no later in fake time');
  await clock.advance(700);
  assert.equal(granted, 39, 'the rest at the refill rate: 7 per bucket in 0.7 s');
  await all;
});

test('after the burst, calls go at exactly the refill rate', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  const calls = startMany(limiter, 13);
  await flush();
  assert.equal(calls.granted(), 3);
  await clock.advance(500);
  assert.equal(calls.granted(), 8, '5 more in 0.5 s at 10 per second');
  await clock.advance(500);
  assert.equal(calls.granted(), 13);
  await calls.all;
});

test('a bucket refills while idle, up to its burst and no further', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  await startMany(limiter, 3).all;
  assert.ok(limiter.stateOf('dev', 'us-east-1', 'DescribeImages').available < 1);
  await clock.advance(60_000);
  assert.equal(limiter.stateOf('dev', 'us-east-1', 'DescribeImages').available, 3);
  const calls = startMany(limiter, 4);
  await flush();
  assert.equal(calls.granted(), 3);
  await clock.advance(100);
  await calls.all;
});

test('buckets are separate per account/profile, Region and bucket class', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  await limiter.acquire('dev', 'us-east-1', 'CopyImage', 'user');
  let granted = 0;
  for (const [scope, region, operation] of [['dev', 'eu-west-1', 'CopyImage'], ['prod', 'us-east-1', 'CopyImage'], ['dev', 'us-east-1', 'DescribeImages']] as const) {
    void limiter.acquire(scope, region, operation, 'user').then(() => (granted += 1));
  }
  const sameBucket = limiter.acquire('dev', 'us-east-1', 'CopyImage', 'user');
  await flush();
  assert.equal(granted, 3);
  assert.equal(limiter.queuedFor('dev', 'us-east-1', 'CopyImage'), 1);
  await clock.advance(1000);
  await sameBucket;
});

test('user requests overtake queued background requests', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  const order: string[] = [];
  await limiter.acquire('dev', 'r', 'CreateTags', 'user');
  const background = [1, 2, 3].map((n) => limiter.acquire('dev', 'r', 'CreateTags', 'background').then(() => order.push(`bg${n}`)));
  const user = limiter.acquire('dev', 'r', 'CreateTags', 'user').then(() => order.push('user'));
  await clock.advance(1000);
  await Promise.all([...background, user]);
  assert.deepEqual(order, ['user', 'bg1', 'bg2', 'bg3']);
});

test('a cancelled wait rejects and frees its place', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  await limiter.acquire('dev', 'r', 'CopyImage', 'user');
  const controller = new AbortController();
  const waiting = limiter.acquire('dev', 'r', 'CopyImage', 'user', controller.signal);
  assert.equal(limiter.queuedFor('dev', 'r', 'CopyImage'), 1);
  controller.abort();
  await assert.rejects(waiting, CancelledError);
  assert.equal(limiter.queuedFor('dev', 'r', 'CopyImage'), 0);
});

test('at the first RequestLimitExceeded the bucket is believed empty and calls go at the refill rate, with no burst', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  await limiter.acquire('dev', 'r', 'ModifyImageAttribute', 'user');
  // Another tool spent the rest of EC2's bucket: EC2 throttles although we think 9 tokens are left.
  limiter.throttled('dev', 'r', 'ModifyImageAttribute');
  assert.deepEqual(limiter.stateOf('dev', 'r', 'ModifyImageAttribute'), { available: 0, pacedAtRefillRate: true });
  // (lag 0 here; with a lag the bucket is believed that far below empty)
  const calls = startMany(limiter, 5, 'ModifyImageAttribute', 'dev', 'r');
  await flush();
  assert.equal(calls.granted(), 0, 'nothing until a token has refilled');
  await clock.advance(200);
  assert.equal(calls.granted(), 1);
  await clock.advance(600);
  assert.equal(calls.granted(), 4, 'one every 200 ms at 5 per second');
  await clock.advance(200);
  await calls.all;
  // A short pause does not bring the burst back: tokens pile up to a quarter second's refill only (1.25).
  await clock.advance(1000);
  const after = startMany(limiter, 3, 'ModifyImageAttribute', 'dev', 'r');
  await flush();
  assert.equal(after.granted(), 1);
  await clock.advance(400);
  await after.all;
});

test('at the refill rate a quarter second of refill is kept, so a busy moment without a queued call loses nothing', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ clock });
  limiter.throttled('dev', 'r', 'DescribeImageAttribute');
  assert.deepEqual(limiter.stateOf('dev', 'r', 'DescribeImageAttribute'), { available: 0, pacedAtRefillRate: true }, 'empty, not a lag below empty');
  const first = startMany(limiter, 1, 'DescribeImageAttribute', 'dev', 'r');
  await clock.advance(49);
  assert.equal(first.granted(), 0);
  await clock.advance(1);
  assert.equal(first.granted(), 1, 'the next token after 1/20 s, no lag paid again');
  // 600 ms without a queued call: 20 per second would be 12 tokens, of which a quarter second (5) is kept.
  await clock.advance(600);
  const after = startMany(limiter, 7, 'DescribeImageAttribute', 'dev', 'r');
  await flush();
  assert.equal(after.granted(), 5);
  assert.equal(limiter.stateOf('dev', 'r', 'DescribeImageAttribute').pacedAtRefillRate, true);
  await clock.advance(100);
  await after.all;
});

test('a turn that comes late lets more requests go: one more per 2 ms it waited, up to 16', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, clock });
  const calls = startMany(limiter, 60, 'DescribeImageAttribute');
  await microtasks();
  assert.equal(calls.granted(), 4, 'the first turn lets 4 go');
  // The host spent 20 ms on something else (a DescribeImages page) before the next turn.
  await clock.busy(20);
  await turn();
  assert.equal(calls.granted(), 4 + 10);
  await clock.busy(100);
  await turn();
  assert.equal(calls.granted(), 14 + 16, 'no more than 16 however late');
  await turn();
  assert.equal(calls.granted(), 30 + 4, 'a turn right after another lets 4 go');
  await flush();
  await calls.all;
});

test('after idling long enough for a full refill, the burst is trusted again', async () => {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock });
  limiter.throttled('dev', 'r', 'ModifyImageAttribute');
  // 10 tokens at 5 per second: 2 s without a call.
  await clock.advance(1999);
  assert.equal(limiter.stateOf('dev', 'r', 'ModifyImageAttribute').pacedAtRefillRate, true);
  await clock.advance(1);
  assert.deepEqual(limiter.stateOf('dev', 'r', 'ModifyImageAttribute'), { available: 10, pacedAtRefillRate: false });
  const calls = startMany(limiter, 10, 'ModifyImageAttribute', 'dev', 'r');
  await flush();
  assert.equal(calls.granted(), 10);
});

test('the request budget scales burst and refill, and a change applies at once', async () => {
  const clock = new FakeClock();
  let percent = 50;
  const limiter = new RateLimiter({ maxLagMs: 0, shapes: SMALL, clock, budgetPercent: () => percent });
  const calls = startMany(limiter, 8, 'ModifyImageAttribute');
  await flush();
  assert.equal(calls.granted(), 5, 'half of a burst of 10');
  await clock.advance(400);
  assert.equal(calls.granted(), 6, '2.5 per second: one token in 400 ms');
  percent = 100;
  await clock.advance(400);
  assert.equal(calls.granted(), 8, 'back to 5 per second');
  await calls.all;
});

test('the budget setting is clamped to 1–100 and anything else means 100', () => {
  assert.equal(clampBudgetPercent(80), 80);
  assert.equal(clampBudgetPercent(0), 1);
  assert.equal(clampBudgetPercent(250), 100);
  assert.equal(clampBudgetPercent('50'), 100);
  assert.equal(clampBudgetPercent(undefined), 100);
  assert.equal(clampBudgetPercent(Number.NaN), 100);
});
