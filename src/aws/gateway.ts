import * as l10n from '@vscode/l10n';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { memoize } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Command, MetadataBearer } from '@smithy/types';
import { endpointForClient, type ServiceId } from '../core/endpoints';
import { describeAwsError, type DescribedError } from '../core/errors';
import type { AwsLogger } from '../core/logger';
import { ORGANIZATIONS_BUCKETS } from '../core/organizations';
import { RateLimiter, type Priority } from '../core/rateLimiter';
import { TurnGate } from '../core/turnGate';
import { readSharedConfig, type SharedConfig } from './sharedConfig';
import type { AwsTarget } from '../core/types';

export interface GatewayOptions {
  logger: AwsLogger;
  /** Asks the user for an MFA code; rejecting cancels the credential lookup. */
  mfaCodeProvider: (profile: string, mfaSerial: string) => Promise<string>;
  limiter?: RateLimiter;
  /** Paces AWS Organizations calls (its quotas are far lower than EC2's); default ORGANIZATIONS_BUCKETS. */
  organizationsLimiter?: RateLimiter;
  /** Percent of EC2's request buckets this gateway may spend (amiSharing.requestBudgetPercent), read on every refill. */
  requestBudgetPercent?: () => number;
  env?: NodeJS.ProcessEnv;
  maxAttempts?: number;
  /**
   * Per HTTP request; a hung endpoint becomes an error instead of a spinner forever. Default 5 s, so that
   * timeout × attempts (5) stays under 30 s: EC2's API calls answer in well under a second.
   */
  requestTimeoutMs?: number;
  /** For resolving a profile's credentials (credential_process, SSO, role); default 25 s. */
  credentialTimeoutMs?: number;
}

export interface CallOptions {
  priority?: Priority;
  /**
   * The response's place in the parsing queue (see TurnGate), when it differs from the request's: a
   * listing's later pages take their tokens as the user's but are parsed in turn with the share counts.
   */
  parsePriority?: Priority;
  signal?: AbortSignal;
  imageId?: string;
}

/** An AWS failure already turned into a user-facing message; `cause` keeps the SDK error for the log. */
export class AwsActionError extends Error {
  constructor(
    readonly described: DescribedError,
    override readonly cause: unknown,
  ) {
    super(described.message);
    this.name = 'AwsActionError';
  }
  get code(): string {
    return this.described.code;
  }
}

interface SendableClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/** Any SDK command whose output is O: `send` infers O, so call sites write no output types. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's Command type is generic over its client's union types; only the output matters here.
export type AnyCommand<O extends MetadataBearer> = Command<any, any, any, O, any>;

const SERVICE_OF_NAMESPACE: Record<string, ServiceId> = {
  'com.amazonaws.ec2': 'ec2',
  'com.amazonaws.kms': 'kms',
  'com.amazonaws.sts': 'sts',
  'com.amazonaws.organizations': 'organizations',
};

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

interface CommandWithStack {
  middlewareStack: {
    add(middleware: Middleware, options: object): void;
    addRelativeTo(middleware: Middleware, options: object): void;
  };
}

/** A response body read to its end (the SDK's deserializer takes bytes as they are); undefined when it is no stream. */
async function bodyBytes(body: unknown): Promise<Uint8Array | undefined> {
  if (!body || body instanceof Uint8Array || typeof (body as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function') return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The service and operation of a command, from its own schema. */
function serviceOperationOf(command: object): { service: ServiceId; operation: string } {
  const [, namespace, operation] = ((command as { schema?: unknown[] }).schema ?? []) as [unknown, string?, string?];
  const service = namespace ? SERVICE_OF_NAMESPACE[namespace] : undefined;
  if (!service || !operation) throw new Error(l10n.t('Not an EC2, KMS, STS or Organizations command: {0}', String(namespace)));
  return { service, operation };
}

const serviceOperationByClass = new WeakMap<object, { service: ServiceId; operation: string }>();

/** The same for a command class: the schema is set per instance, so one empty instance is made per class, once. */
function serviceOperationOfClass(Command: new (input: never) => object): { service: ServiceId; operation: string } {
  let known = serviceOperationByClass.get(Command);
  if (!known) {
    known = serviceOperationOf(new Command({} as never));
    serviceOperationByClass.set(Command, known);
  }
  return known;
}

const FALLBACK_REGION = 'us-east-1';
/** Per request and attempts: their product bounds how long a hung endpoint can keep a user waiting (under 30 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Attempts per Organizations call: a throttle or a blip is retried, an endpoint that does not answer costs ≤ 15 s once. */
export const ORGANIZATIONS_MAX_ATTEMPTS = 3;
/** Credentials are refreshed this long before they expire. */
const CREDENTIALS_REFRESH_MARGIN_MS = 300_000;
/** Connections per client at most (one client per service, profile and Region); see the request handler below. */
export const SOCKETS_PER_CLIENT = 48;
/**
 * Response bytes the SDK may parse in one turn of the event loop: a few ms of XML parsing on this machine
 * (a DescribeImages page of 100 AMIs is some 115 KB and goes alone; a DescribeImageAttribute answer is 0.5 KB,
 * 7 of them go together with their overhead below). Halved from 64 KB with the pages: long turns, not few
 * turns, are what freezes the extension host.
 */
export const RESPONSE_BYTES_PER_TURN = 32 * 1024;
/**
 * What a response costs beyond its bytes (the SDK's middleware unwinding, our bookkeeping), counted as
 * bytes of parsing: without it a turn let 200 small DescribeImageAttribute answers through at once.
 */
export const RESPONSE_OVERHEAD_BYTES = 4 * 1024;

/**
 * The one place every AWS call goes through: per-profile credentials and endpoints, client reuse per
 * profile and Region, rate limiting, logging of each call and translation of errors.
 */
export class AwsGateway {
  private configPromise: Promise<SharedConfig> | undefined;
  private readonly credentialProviders = new Map<string, AwsCredentialIdentityProvider>();
  /**
   * Per profile, until when its resolved credentials are good (five minutes before they expire, as the
   * memoized provider refreshes them): calls until then skip the timed resolution, a timer and two promises
   * per request (a 5×4 listing makes 10,000).
   */
  private readonly credentialsGoodUntil = new Map<string, number>();
  private readonly clients = new Map<string, SendableClient>();
  private readonly accountIds = new Map<string, Promise<string>>();
  readonly limiter: RateLimiter;
  readonly organizationsLimiter: RateLimiter;
  /** Responses parsed per turn of the event loop, by body size (see TurnGate). */
  private readonly parsing = new TurnGate(RESPONSE_BYTES_PER_TURN);

  constructor(private readonly options: GatewayOptions) {
    const budget = options.requestBudgetPercent ? { budgetPercent: options.requestBudgetPercent } : {};
    this.limiter = options.limiter ?? new RateLimiter(budget);
    this.organizationsLimiter = options.organizationsLimiter ?? new RateLimiter({ ...budget, shapes: ORGANIZATIONS_BUCKETS });
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  sharedConfig(): Promise<SharedConfig> {
    this.configPromise ??= readSharedConfig();
    return this.configPromise;
  }

  /** Forgets clients, credentials and identities (all, or one profile's) so the next call starts fresh. */
  invalidate(profile?: string): void {
    if (profile === undefined) {
      this.configPromise = undefined;
      this.credentialProviders.clear();
      this.credentialsGoodUntil.clear();
      for (const client of this.clients.values()) client.destroy();
      this.clients.clear();
      this.accountIds.clear();
      return;
    }
    this.credentialProviders.delete(profile);
    this.credentialsGoodUntil.delete(profile);
    this.accountIds.delete(profile);
    for (const key of [...this.clients.keys()]) {
      if (key.split('\u0000')[1] !== profile) continue;
      // Dropped clients close their sockets instead of waiting for garbage collection.
      this.clients.get(key)?.destroy();
      this.clients.delete(key);
    }
  }

  async defaultRegion(profile: string): Promise<string> {
    const config = await this.sharedConfig();
    return config.profiles.find((p) => p.name === profile)?.region ?? this.env.AWS_REGION ?? this.env.AWS_DEFAULT_REGION ?? FALLBACK_REGION;
  }

  private async credentials(profile: string): Promise<AwsCredentialIdentityProvider> {
    const existing = this.credentialProviders.get(profile);
    if (existing) return existing;
    const region = await this.defaultRegion(profile);
    const { config } = await this.sharedConfig();
    const stsEndpoint = endpointForClient('sts', profile, region, config, this.env);
    const provider = fromIni({
      profile,
      mfaCodeProvider: (serial: string) => this.options.mfaCodeProvider(profile, serial),
      clientConfig: stsEndpoint ? { region, endpoint: stsEndpoint } : { region },
    });
    // One provider per profile, shared by all its Regions, so an MFA code is asked once per session.
    const memoized = memoize(
      provider,
      (identity: AwsCredentialIdentity) => identity.expiration !== undefined && identity.expiration.getTime() - Date.now() < CREDENTIALS_REFRESH_MARGIN_MS,
      (identity: AwsCredentialIdentity) => identity.expiration !== undefined,
    );
    this.credentialProviders.set(profile, memoized);
    return memoized;
  }

  private async clientFor(service: ServiceId, profile: string, region: string): Promise<SendableClient> {
    const key = `${service}\u0000${profile}\u0000${region}`;
    const existing = this.clients.get(key);
    if (existing) return existing;
    const { config } = await this.sharedConfig();
    const endpoint = endpointForClient(service, profile, region, config, this.env);
    const common = {
      region,
      credentials: await this.credentials(profile),
      // Standard, not adaptive: our limiter does the pacing, and adaptive mode's own client-side rate would
      // slow every later call of the client after one throttle, far below EC2's refill rate.
      retryMode: 'standard',
      // Organizations only adds names and OUs: an endpoint without it must not keep the account input waiting long.
      maxAttempts: Math.min(this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, service === 'organizations' ? ORGANIZATIONS_MAX_ATTEMPTS : Number.POSITIVE_INFINITY),
      requestHandler: {
        requestTimeout: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        connectionTimeout: 3_000,
        throwOnRequestTimeout: true,
        // Nearly the SDK's 50: a bulk change sends its DescribeImages chunks and the first lanes' reads at
        // once (37 requests in one Region); with 12 the first write waited a round trip for a free socket.
        // Sockets open only as that many requests run together (keep-alive keeps them warm); what limits
        // how many run is ours: the lanes, the share counts in flight, the limiter.
        httpAgent: { keepAlive: true, maxSockets: SOCKETS_PER_CLIENT },
        httpsAgent: { keepAlive: true, maxSockets: SOCKETS_PER_CLIENT },
      },
      ...(endpoint ? { endpoint } : {}),
    };
    const client: SendableClient =
      service === 'sts' ? new STSClient(common) : service === 'kms' ? new KMSClient(common) : service === 'organizations' ? new OrganizationsClient(common) : new EC2Client(common);
    this.clients.set(key, client);
    return client;
  }

  /** The account ID of a profile (STS GetCallerIdentity), cached until invalidated. */
  accountId(profile: string): Promise<string> {
    let pending = this.accountIds.get(profile);
    if (!pending) {
      pending = this.defaultRegion(profile).then(async (region) => {
        const identity = (await this.call('sts', { profile, region }, 'GetCallerIdentity', () => new GetCallerIdentityCommand({}), {
          priority: 'user',
        })) as { Account?: string };
        if (!identity.Account) throw new Error(l10n.t('GetCallerIdentity returned no account'));
        return identity.Account;
      });
      pending.catch(() => this.accountIds.delete(profile));
      this.accountIds.set(profile, pending);
    }
    return pending;
  }

  /** Resolves (and caches) the profile's credentials so their failures are reported as credential problems. */
  private async resolveCredentials(profile: string): Promise<void> {
    if (Date.now() < (this.credentialsGoodUntil.get(profile) ?? 0)) return;
    const timeoutMs = this.options.credentialTimeoutMs ?? 25_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const provider = await this.credentials(profile);
      await Promise.race([
        provider().then((identity) => {
          // Only while this profile's provider is still the one resolved (invalidate may have dropped it meanwhile).
          if (this.credentialProviders.get(profile) === provider) {
            this.credentialsGoodUntil.set(profile, identity.expiration ? identity.expiration.getTime() - CREDENTIALS_REFRESH_MARGIN_MS : Number.POSITIVE_INFINITY);
          }
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            // The memoized provider would hand the same hung promise to the next caller: start over next time.
            this.credentialProviders.delete(profile);
            reject(Object.assign(new Error(l10n.t('Getting credentials took longer than {0} s (is credential_process or the SSO/STS endpoint answering?)', Math.round(timeoutMs / 1000))), { name: 'CredentialsTimeout' }));
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      const described = describeAwsError(error, { operation: 'credentials', profile, resolvingCredentials: true });
      this.options.logger.error(`Credentials for ${profile} failed: ${described.code}: ${described.raw}`);
      throw new AwsActionError(described, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Paces every attempt. The first attempt's token is taken before the SDK does any work for the call (so
   * thousands of queued calls cost nothing until they may go: serializing them all up front froze the host
   * for a second); retries take theirs inside the SDK's retry loop, just before signing.
   */
  private rateLimit(limiter: RateLimiter, command: CommandWithStack, target: AwsTarget, operation: string, options: CallOptions, attempt: { sentAt?: number }): void {
    let attempts = 0;
    command.middlewareStack.addRelativeTo(
      (next) => async (args) => {
        if (attempts++ > 0) await limiter.acquire(target.profile, target.region, operation, options.priority ?? 'user', options.signal);
        attempt.sentAt = limiter.now();
        try {
          return await next(args);
        } catch (error) {
          const name = (error as { name?: string }).name;
          if (name === 'RequestLimitExceeded' || name === 'TooManyRequestsException') limiter.throttled(target.profile, target.region, operation);
          throw error;
        }
      },
      { name: 'amiSharingRateLimit', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true },
    );
  }

  /**
   * Innermost, next to the HTTP handler: reads the body to its end, then waits for a turn of the event loop
   * with room for it, so however many responses arrive together, no turn parses much more than
   * RESPONSE_BYTES_PER_TURN of them (a DescribeImages page alone, or 16 small answers), nor do our callers
   * process more in it. Being innermost, it is also where an answer is first seen: `onAnswer` hears of
   * every HTTP response (any status; not a request that failed before one came).
   */
  private parseOnePerTurn(command: CommandWithStack, priority: Priority, onAnswer?: () => void): void {
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = (await next(args)) as { response?: { body?: unknown } };
        onAnswer?.();
        const bytes = await bodyBytes(result.response?.body);
        if (bytes && result.response) result.response.body = bytes;
        await this.parsing.next(RESPONSE_OVERHEAD_BYTES + (bytes?.byteLength ?? 0), priority);
        return result;
      },
      { name: 'amiSharingParseOnePerTurn', step: 'deserialize', priority: 'low', override: true },
    );
  }

  /** Sends any EC2, KMS, STS or Organizations command; the service and operation come from the command's own schema. */
  send<O extends MetadataBearer>(target: AwsTarget, command: AnyCommand<O>, options: CallOptions = {}): Promise<O> {
    const { service, operation } = serviceOperationOf(command);
    return this.call(service, target, operation, () => command, options) as Promise<O>;
  }

  /**
   * Like send, but the command is made only once the limiter lets the request go. For calls queued by the
   * thousand (the share counts of a big listing): 10,000 SDK commands built up front, each with its own
   * middleware stack, waited in the heap for up to half a minute and cost a full GC of some 80 ms (measured).
   */
  sendWhenAllowed<I, O extends MetadataBearer>(target: AwsTarget, Command: new (input: I) => AnyCommand<O>, input: I, options: CallOptions = {}): Promise<O> {
    const { service, operation } = serviceOperationOfClass(Command);
    return this.call(service, target, operation, () => new Command(input), options) as Promise<O>;
  }

  private async call(service: ServiceId, target: AwsTarget, operation: string, makeCommand: () => object, options: CallOptions): Promise<unknown> {
    const started = performance.now();
    try {
      const client = await this.clientFor(service, target.profile, target.region);
      await this.resolveCredentials(target.profile);
      // EC2's buckets are what bulk work runs into, and Organizations allows about one List call a second;
      // STS and KMS have their own, far larger quotas.
      const limiter = service === 'ec2' ? this.limiter : service === 'organizations' ? this.organizationsLimiter : undefined;
      if (limiter) await limiter.acquire(target.profile, target.region, operation, options.priority ?? 'user', options.signal);
      const command = makeCommand();
      // When this call's latest attempt went: only an answer to a request sent since a burst began tells the
      // limiter that EC2 has seen that burst (its refill starts there).
      const attempt: { sentAt?: number } = {};
      if (limiter) this.rateLimit(limiter, command as CommandWithStack, target, operation, options, attempt);
      const onAnswer = limiter ? () => limiter.answered(target.profile, target.region, operation, attempt.sentAt) : undefined;
      this.parseOnePerTurn(command as CommandWithStack, options.parsePriority ?? options.priority ?? 'user', onAnswer);
      const output = (await client.send(command, options.signal ? { abortSignal: options.signal } : undefined)) as {
        $metadata?: { requestId?: string; attempts?: number };
      };
      const attempts = output.$metadata?.attempts ?? 1;
      this.options.logger.info(
        `${operation} ${target.profile}/${target.region} ${Math.round(performance.now() - started)} ms` +
          ` request ${output.$metadata?.requestId ?? '-'}${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
      );
      return output;
    } catch (error) {
      if (error instanceof AwsActionError) throw error;
      if ((error as Error)?.name === 'CancelledError' || options.signal?.aborted) throw error;
      const context = { operation, profile: target.profile, region: target.region, ...(options.imageId ? { imageId: options.imageId } : {}) };
      const described = describeAwsError(error, context);
      this.options.logger.error(
        `${operation} ${target.profile}/${target.region} failed after ${Math.round(performance.now() - started)} ms: ` +
          `${described.code}: ${described.raw} (request ${described.requestId ?? '-'})`,
      );
      throw new AwsActionError(described, error);
    }
  }
}
