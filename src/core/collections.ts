/** Small list helpers shared by the AWS layer and the commands; no AWS or VS Code here. */

export function groupBy<T, K = string>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The value cached under `key`, made (and cached) by `make` the first time: a per-action memo of pending reads. */
export function memoized<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** The first item for each key, in input order. */
export function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Orders by UTF-16 code units. For machine text of a fixed form (ISO 8601 times, AMI and account IDs) it is
 * the right order and some 50 times cheaper than localeCompare, which a listing's sorts called hundreds of
 * thousands of times (every page re-sorts all AMIs so far, in 20 profile × Region lanes).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
