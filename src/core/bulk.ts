import { groupBy } from './collections';

/** Profile and Region: the unit EC2's request limits apply to. */
export const byProfileAndRegion = (item: { profile: string; region: string }): string => `${item.profile}\u0000${item.region}`;

/**
 * The order a group's lanes take its items in: indexes into the items, each of `indexes` exactly once. The
 * lanes pull from it, so it may wait for what decides the order. Results still keep the input order.
 */
export type StartOrder = (indexes: readonly number[]) => AsyncIterator<number>;

/**
 * Runs work over many AMIs: groups (account/profile + Region) run in parallel, each with a few lanes; the
 * rate limiter paces the calls inside a group. Results keep the input order; an item not started before
 * cancellation has no result.
 */
export async function runGrouped<T, R>(
  items: readonly T[],
  groupOf: (item: T) => string,
  lanesPerGroup: number,
  worker: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
  startOrder?: StartOrder,
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  const groups = groupBy(items.map((item, index) => ({ item, index })), ({ item }) => groupOf(item));
  await Promise.all(
    [...groups.values()].map(async (members) => {
      const indexes = members.map(({ index }) => index);
      // One iterator shared by the lanes: each pull gets the next item, whichever lane asks.
      const order = startOrder ? startOrder(indexes) : indexes[Symbol.iterator]();
      const lanes = Array.from({ length: Math.min(lanesPerGroup, indexes.length) }, async () => {
        while (!signal?.aborted) {
          const next = await order.next();
          if (next.done) return;
          results[next.value] = await worker(items[next.value]!, next.value);
        }
      });
      await Promise.all(lanes);
    }),
  );
  return results;
}

/**
 * A start order for items read in batches (one DescribeImages per chunk of AMIs): the short items of each
 * batch as soon as it settles, the others once no batch is pending; each part in input order. A batch that
 * fails settles its items as short (there is nothing to wait for).
 */
export async function* shortFirst(indexes: readonly number[], batchOf: (index: number) => Promise<unknown>, isShort: (index: number) => boolean): AsyncGenerator<number> {
  const batches = groupBy(indexes, batchOf);
  const short: number[] = [];
  const long: number[] = [];
  const pending = new Set<Promise<void>>();
  for (const [batch, members] of batches) {
    const settled: Promise<void> = batch.then(
      () => {
        for (const index of members) (isShort(index) ? short : long).push(index);
      },
      () => void short.push(...members),
    ).finally(() => pending.delete(settled));
    pending.add(settled);
  }
  let nextShort = 0;
  let nextLong = 0;
  while (nextShort < short.length || nextLong < long.length || pending.size > 0) {
    if (nextShort < short.length) yield short[nextShort++]!;
    else if (pending.size > 0) await Promise.race(pending);
    else yield long[nextLong++]!;
  }
}

/** Runs work items with bounded concurrency, in order of submission; the rate limiter does the pacing. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
