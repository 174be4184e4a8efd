import { createHash, randomBytes } from 'node:crypto';

/**
 * Resource ids in EC2's current format (prefix + 17 lowercase hex characters), derived from a seed
 * so the same fixture always yields the same ids and tests can be written against them.
 */
export function deterministicId(prefix: 'ami' | 'snap' | 'vol', seed: string): string {
  const hex = createHash('sha256').update(`${prefix}:${seed}`).digest('hex');
  return `${prefix}-${hex.slice(0, 17)}`;
}

/** A deterministic UUID-shaped string (used for KMS key ids in fixtures). */
export function deterministicUuid(seed: string): string {
  const hex = createHash('sha256').update(`uuid:${seed}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Random upper-case id body, e.g. for temporary access key ids (`ASIA…`). */
export function randomUpperId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) {
    out += UPPER_ALPHANUMERIC[byte % UPPER_ALPHANUMERIC.length];
  }
  return out;
}

export function randomSecret(): string {
  return randomBytes(30).toString('base64');
}
