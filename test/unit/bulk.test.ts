import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runGrouped } from '../../src/core/bulk';
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
