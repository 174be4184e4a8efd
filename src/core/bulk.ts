import { groupBy } from './collections';

/** Profile and Region: the unit EC2's request limits apply to. */
export const byProfileAndRegion = (item: { profile: string; region: string }): string => `${item.profile}\u0000${item.region}`;

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
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  const groups = groupBy(items.map((item, index) => ({ item, index })), ({ item }) => groupOf(item));
  await Promise.all(
    [...groups.values()].map(async (members) => {
      const indexes = members.map(({ index }) => index);
      let next = 0;
      const lanes = Array.from({ length: Math.min(lanesPerGroup, indexes.length) }, async () => {
        while (next < indexes.length && !signal?.aborted) {
          const index = indexes[next++]!;
          results[index] = await worker(items[index]!, index);
        }
      });
      await Promise.all(lanes);
    }),
  );
  return results;
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
