/**
 * Read access to AWS query-protocol parameters (`Owner.1=self`, `Filter.1.Value.2=x`, …).
 * Lists are numbered from 1; we order by the number and tolerate gaps, as EC2 does.
 */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static fromSearchParams(...sources: URLSearchParams[]): QueryParams {
    const values = new Map<string, string>();
    for (const source of sources) {
      for (const [key, value] of source) {
        values.set(key, value);
      }
    }
    return new QueryParams(values);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** True when any parameter is `name` or starts with `name.`. */
  hasAny(name: string): boolean {
    for (const key of this.values.keys()) {
      if (key === name || key.startsWith(`${name}.`)) {
        return true;
      }
    }
    return false;
  }

  bool(name: string): boolean {
    return this.values.get(name)?.toLowerCase() === 'true';
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  /** Values of `name.1`, `name.2`, … in numeric order. */
  list(name: string): string[] {
    return this.numbered(name)
      .map(([, key]) => this.values.get(key))
      .filter((value): value is string => value !== undefined);
  }

  /** Sub-views of structured list members: `members('Filter')[0].get('Name')` reads `Filter.1.Name`. */
  members(name: string): QueryParams[] {
    const groups = new Map<number, Map<string, string>>();
    const prefix = `${name}.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (dot <= 0) {
        continue;
      }
      const index = Number(rest.slice(0, dot));
      if (!Number.isInteger(index)) {
        continue;
      }
      let group = groups.get(index);
      if (!group) {
        group = new Map();
        groups.set(index, group);
      }
      group.set(rest.slice(dot + 1), value);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => new QueryParams(group));
  }

  private numbered(name: string): Array<[number, string]> {
    const prefix = `${name}.`;
    const found: Array<[number, string]> = [];
    for (const key of this.values.keys()) {
      if (key.startsWith(prefix)) {
        const rest = key.slice(prefix.length);
        if (/^\d+$/.test(rest)) {
          found.push([Number(rest), key]);
        }
      }
    }
    return found.sort(([a], [b]) => a - b);
  }
}
