import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * What every SDK client of ours is made with, on the extension host's thread and in the parsing worker
 * (offThreadWorker.ts) alike, so a request behaves the same wherever it is sent from.
 */

/** Connections per client (one client per service, profile and Region); see sdkClientConfig. */
export const SOCKETS_PER_CLIENT = 12;

export interface ClientSettings {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
}

export function sdkClientConfig(settings: ClientSettings, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
  return {
    region: settings.region,
    credentials,
    // Standard, not adaptive: our limiter does the pacing, and adaptive mode's own client-side rate would
    // slow every later call of the client after one throttle, far below EC2's refill rate.
    retryMode: 'standard',
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: 3_000,
      throwOnRequestTimeout: true,
      // Few warm connections instead of the SDK's 50: EC2's refill rate needs about 1 request in flight per
      // 50 ms of latency, and sockets that sit idle between rare uses are closed by the server and reopened
      // (a TCP and, against AWS, a TLS handshake each). The burst just queues a moment longer.
      httpAgent: { keepAlive: true, maxSockets: SOCKETS_PER_CLIENT },
      httpsAgent: { keepAlive: true, maxSockets: SOCKETS_PER_CLIENT },
    },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

export interface CommandWithStack {
  middlewareStack: {
    add(middleware: Middleware, options: object): void;
    addRelativeTo(middleware: Middleware, options: object): void;
  };
}

export function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'RequestLimitExceeded' || name === 'TooManyRequestsException';
}

/**
 * Paces every attempt after the first (whose token the caller takes before the SDK does any work for the
 * call): retries take theirs inside the SDK's retry loop, just before signing. Throttles are reported so the
 * limiter drops to the refill rate.
 */
export function paceRetries(command: CommandWithStack, hooks: { beforeRetry: () => Promise<void>; onThrottle: () => void }): void {
  let attempts = 0;
  command.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      if (attempts++ > 0) await hooks.beforeRetry();
      try {
        return await next(args);
      } catch (error) {
        if (isThrottle(error)) hooks.onThrottle();
        throw error;
      }
    },
    { name: 'amiSharingRateLimit', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true },
  );
}

/** A response body read to its end (the SDK's deserializer takes bytes as they are); undefined when it is no stream. */
async function bodyBytes(body: unknown): Promise<Uint8Array | undefined> {
  if (!body || body instanceof Uint8Array || typeof (body as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function') return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Innermost, next to the HTTP handler: reads the body to its end, then hands its size to `beforeParse`
 * and lets the SDK parse it only once that resolves.
 */
export function beforeParsing(command: CommandWithStack, beforeParse: (bodyBytes: number) => Promise<void> | void): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = (await next(args)) as { response?: { body?: unknown } };
      const bytes = await bodyBytes(result.response?.body);
      if (bytes && result.response) result.response.body = bytes;
      await beforeParse(bytes?.byteLength ?? 0);
      return result;
    },
    { name: 'amiSharingParseOnePerTurn', step: 'deserialize', priority: 'low', override: true },
  );
}
