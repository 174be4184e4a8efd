import { ec2Errors } from './errors';
import type { QueryParams } from './query';

/**
 * MaxResults / NextToken paging as EC2's Describe* actions do it. Tokens are opaque to clients;
 * ours encode the action and the offset so a token from another action is rejected.
 */

export const MIN_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 1000;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function encodeToken(action: string, offset: number): string {
  return Buffer.from(JSON.stringify({ a: action, o: offset }), 'utf8').toString('base64url');
}

function decodeToken(action: string, token: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      (parsed as { a?: unknown }).a === action &&
      Number.isInteger((parsed as { o?: unknown }).o) &&
      ((parsed as { o: number }).o >= 0)
    ) {
      return (parsed as { o: number }).o;
    }
  } catch {
    // fall through: not one of our tokens
  }
  throw ec2Errors.invalidPaginationToken(token);
}

export function readMaxResults(params: QueryParams): number | undefined {
  const raw = params.get('MaxResults');
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_PAGE_SIZE) {
    // EC2's wording for a value under the minimum (it does accept 5 itself).
    throw ec2Errors.invalidParameterValue(
      `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_PAGE_SIZE}.`,
    );
  }
  if (value > MAX_PAGE_SIZE) {
    // The upper bound and this wording are unverified.
    throw ec2Errors.invalidParameterValue(
      `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${MIN_PAGE_SIZE} and ${MAX_PAGE_SIZE}.`,
    );
  }
  return value;
}

/** One page of `items`; without MaxResults EC2 returns everything (and so do we). */
export function paginate<T>(action: string, items: readonly T[], params: QueryParams): Page<T> {
  const maxResults = readMaxResults(params);
  const token = params.get('NextToken');
  const offset = token ? decodeToken(action, token) : 0;
  const pageSize = maxResults ?? items.length;
  const end = offset + pageSize;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) {
    page.nextToken = encodeToken(action, end);
  }
  return page;
}
