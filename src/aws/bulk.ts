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
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = groupOf(item);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
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
