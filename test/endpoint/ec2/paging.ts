import { ec2Errors } from '../errors';
import type { QueryParams } from '../query';

/**
 * MaxResults / NextToken paging as EC2's Describe* actions do it. Tokens are opaque to clients;
 * ours encode the action and the offset (and, for shuffled listings, the order seed) so a token from
 * another action is rejected and the pages of one listing never overlap.
 */

export const MIN_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 1000;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface TokenContent {
  offset: number;
  /** The order seed of the listing the token continues (shuffled listings only). */
  seed?: number;
}

function encodeToken(action: string, content: TokenContent): string {
  return Buffer.from(JSON.stringify({ a: action, o: content.offset, ...(content.seed !== undefined ? { s: content.seed } : {}) }), 'utf8').toString(
    'base64url',
  );
}

function decodeToken(action: string, token: string): TokenContent {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { a, o, s } = parsed as { a?: unknown; o?: unknown; s?: unknown };
      if (a === action && Number.isInteger(o) && (o as number) >= 0 && (s === undefined || Number.isInteger(s))) {
        return { offset: o as number, ...(s !== undefined ? { seed: s as number } : {}) };
      }
    }
  } catch {
    // fall through: not one of our tokens
  }
  throw ec2Errors.invalidPaginationToken(token);
}

/** A 32-bit hash of `text` mixed with `seed` (FNV-1a, then murmur3's finaliser). */
function seededHash(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** `items` in an order that looks random but depends only on `seed` and each item's key. */
export function seededOrder<T>(items: readonly T[], seed: number, key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: key(item), rank: seededHash(seed, key(item)) }))
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.item);
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

/** For listings whose order EC2 does not define: shuffle with this seed (carried in NextToken, so every page agrees). */
export interface ShuffledOrder<T> {
  seed: number;
  key: (item: T) => string;
}

/** One page of `items`; without MaxResults EC2 returns everything (and so do we). */
export function paginate<T>(action: string, items: readonly T[], params: QueryParams, shuffle?: ShuffledOrder<T>): Page<T> {
  const maxResults = readMaxResults(params);
  const token = params.get('NextToken');
  const position: TokenContent = token ? decodeToken(action, token) : { offset: 0 };
  const seed = shuffle ? (position.seed ?? shuffle.seed) : undefined;
  const ordered = shuffle && seed !== undefined ? seededOrder(items, seed, shuffle.key) : items;
  const pageSize = maxResults ?? ordered.length;
  const end = position.offset + pageSize;
  const page: Page<T> = { items: ordered.slice(position.offset, end) };
  if (end < ordered.length) {
    page.nextToken = encodeToken(action, { offset: end, ...(seed !== undefined ? { seed } : {}) });
  }
  return page;
}
