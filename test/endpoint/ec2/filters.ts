import { ec2Errors } from '../errors';
import type { QueryParams } from '../query';

/** EC2 `Filter.N.Name` / `Filter.N.Value.M`: filters AND together, values of one filter OR together. */
export interface Filter {
  name: string;
  values: string[];
}

export function readFilters(params: QueryParams): Filter[] {
  return params.members('Filter').map((member) => {
    const name = member.get('Name');
    if (!name) {
      throw ec2Errors.missingParameter('Filter.N.Name');
    }
    return { name, values: member.list('Value') };
  });
}

/** EC2 filter values accept `*` (any run) and `?` (one character); everything else is literal. */
export function wildcardPattern(value: string): RegExp {
  let source = '';
  for (const ch of value) {
    if (ch === '*') {
      source += '.*';
    } else if (ch === '?') {
      source += '.';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** How to read a filterable field from an item; several values mean "any of them matches". */
export type FieldReader<T> = (item: T) => string | readonly string[] | undefined;

export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[],
  fields: Readonly<Record<string, FieldReader<T>>>,
  tagsOf?: (item: T) => Readonly<Record<string, string>>,
): T[] {
  const predicates = filters.map((filter) => {
    const read = fieldReader(filter.name, fields, tagsOf);
    const patterns = filter.values.map(wildcardPattern);
    return (item: T): boolean => {
      const raw = read(item);
      const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
      return values.some((value) => patterns.some((pattern) => pattern.test(value)));
    };
  });
  return items.filter((item) => predicates.every((matches) => matches(item)));
}

function fieldReader<T>(
  name: string,
  fields: Readonly<Record<string, FieldReader<T>>>,
  tagsOf?: (item: T) => Readonly<Record<string, string>>,
): FieldReader<T> {
  const known = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (known) {
    return known;
  }
  if (tagsOf && name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (item) => tagsOf(item)[key];
  }
  if (tagsOf && name === 'tag-key') {
    return (item) => Object.keys(tagsOf(item));
  }
  throw ec2Errors.invalidParameterValue(`The filter '${name}' is invalid`);
}
