import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGrouped, shortFirst } from '../../src/core/bulk';
import { groupBy, uniqueBy } from '../../src/core/collections';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('groups run in parallel with bounded lanes each, results in input order', async () => {
  const items = [...Array.from({ length: 6 }, (_, i) => ({ region: 'a', n: i })), ...Array.from({ length: 6 }, (_, i) => ({ region: 'b', n: i }))];
  const inFlight = new Map<string, number>();
  let maxPerRegion = 0;
  let maxTotal = 0;
  const results = await runGrouped(items, (item) => item.region, 2, async (item) => {
    inFlight.set(item.region, (inFlight.get(item.region) ?? 0) + 1);
    maxPerRegion = Math.max(maxPerRegion, ...inFlight.values());
    maxTotal = Math.max(maxTotal, [...inFlight.values()].reduce((a, b) => a + b, 0));
    await sleep(10);
    inFlight.set(item.region, inFlight.get(item.region)! - 1);
    return `${item.region}${item.n}`;
  });
  assert.deepEqual(results, [...[0, 1, 2, 3, 4, 5].map((n) => `a${n}`), ...[0, 1, 2, 3, 4, 5].map((n) => `b${n}`)]);
  assert.equal(maxPerRegion, 2);
  assert.equal(maxTotal, 4, 'both Regions ran at once');
});

test('cancelling stops starting new items; unstarted items have no result', async () => {
  const controller = new AbortController();
  const results = await runGrouped(Array.from({ length: 10 }, (_, i) => i), () => 'one', 1, async (n) => {
    if (n === 2) controller.abort();
    await sleep(1);
    return n;
  }, controller.signal);
  assert.deepEqual(results, [0, 1, 2, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('groupBy keeps insertion order inside each group', () => {
  assert.deepEqual([...groupBy(['a1', 'b1', 'a2'], (s) => s[0]!)], [['a', ['a1', 'a2']], ['b', ['b1']]]);
});

test('uniqueBy keeps the first item of each key, in order', () => {
  assert.deepEqual(uniqueBy(['a1', 'b1', 'a2', 'c1'], (s) => s[0]!), ['a1', 'b1', 'c1']);
});

test('shortFirst: the short items of each batch as it settles, the long ones once no batch is pending, each in input order', async () => {
  let settleFirst!: () => void;
  let settleSecond!: () => void;
  const first = new Promise<void>((resolve) => (settleFirst = resolve));
  const second = new Promise<void>((resolve) => (settleSecond = resolve));
  // Items 0–3 are in the first batch (all long), 4–7 in the second (5 and 7 short).
  const batchOf = (index: number) => (index < 4 ? first : second);
  const isShort = (index: number) => index === 5 || index === 7;
  const started: number[] = [];
  const run = runGrouped(Array.from({ length: 8 }, (_, i) => i), () => 'one', 2, async (n) => {
    started.push(n);
    await sleep(1);
    return n;
  }, undefined, (indexes) => shortFirst(indexes, batchOf, isShort));
  settleFirst();
  await sleep(5);
  assert.deepEqual(started, [], 'long items wait while a batch that may hold short ones is pending');
  settleSecond();
  const results = await run;
  assert.deepEqual(started, [5, 7, 0, 1, 2, 3, 4, 6]);
  assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7], 'results keep the input order');
});

test('shortFirst: a batch that fails gives its items at once (there is nothing to wait for), every item exactly once', async () => {
  const failed = Promise.reject(new Error('chunk failed'));
  const pending = new Promise<void>(() => undefined);
  const order = shortFirst([0, 1, 2], (index) => (index === 2 ? pending : failed), () => false);
  assert.deepEqual([(await order.next()).value, (await order.next()).value], [0, 1]);
  const all = await runGrouped([0, 1, 2, 3], () => 'one', 3, async (n) => n, undefined, (indexes) => shortFirst(indexes, () => Promise.resolve(), (index) => index % 2 === 1));
  assert.deepEqual(all, [0, 1, 2, 3]);
});
