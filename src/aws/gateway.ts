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
import { beforeParsing, type ClientSettings, type CommandWithStack, paceRetries, sdkClientConfig } from './clientSetup';
import { OffThreadSender } from './offThread';
import { isOffThreadOperation, type OffThreadOperation } from './offThreadProtocol';
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
  /**
   * Send it from the parsing worker, whose thread parses the answer (offThreadProtocol.ts lists which
   * operations may): for answers too big to parse on the extension host's thread, a listing's later pages.
   */
  parseOffThread?: boolean;
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

/** One SDK client per service, profile and Region (invalidate splits the key to find a profile's). */
function clientKey(service: ServiceId, profile: string, region: string): string {
  return `${service}\u0000${profile}\u0000${region}`;
}

const FALLBACK_REGION = 'us-east-1';
/** Per request and attempts: their product bounds how long a hung endpoint can keep a user waiting (under 30 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Attempts per Organizations call: a throttle or a blip is retried, an endpoint that does not answer costs ≤ 15 s once. */
export const ORGANIZATIONS_MAX_ATTEMPTS = 3;
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
  private readonly clients = new Map<string, SendableClient>();
  private readonly accountIds = new Map<string, Promise<string>>();
  readonly limiter: RateLimiter;
  readonly organizationsLimiter: RateLimiter;
  /** Responses parsed per turn of the event loop, by body size (see TurnGate). */
  private readonly parsing = new TurnGate(RESPONSE_BYTES_PER_TURN);
  /** Sends and parses the reads with big answers on a worker thread (see offThreadProtocol.ts). */
  private readonly offThread = new OffThreadSender();

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
      for (const client of this.clients.values()) client.destroy();
      this.clients.clear();
      this.accountIds.clear();
      this.offThread.forget();
      return;
    }
    this.credentialProviders.delete(profile);
    this.accountIds.delete(profile);
    this.offThread.forget(profile);
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
      (identity: AwsCredentialIdentity) => identity.expiration !== undefined && identity.expiration.getTime() - Date.now() < 300_000,
      (identity: AwsCredentialIdentity) => identity.expiration !== undefined,
    );
    this.credentialProviders.set(profile, memoized);
    return memoized;
  }

  private clientSettings(service: ServiceId, profile: string, region: string, config: SharedConfig['config']): ClientSettings {
    const endpoint = endpointForClient(service, profile, region, config, this.env);
    return {
      region,
      // Organizations only adds names and OUs: an endpoint without it must not keep the account input waiting long.
      maxAttempts: Math.min(this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, service === 'organizations' ? ORGANIZATIONS_MAX_ATTEMPTS : Number.POSITIVE_INFINITY),
      requestTimeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ...(endpoint ? { endpoint } : {}),
    };
  }

  private async clientFor(service: ServiceId, profile: string, region: string): Promise<SendableClient> {
    const key = clientKey(service, profile, region);
    const existing = this.clients.get(key);
    if (existing) return existing;
    const { config } = await this.sharedConfig();
    const common = sdkClientConfig(this.clientSettings(service, profile, region, config), await this.credentials(profile));
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
  private async resolveCredentials(profile: string): Promise<AwsCredentialIdentity> {
    const timeoutMs = this.options.credentialTimeoutMs ?? 25_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const provider = await this.credentials(profile);
      return await Promise.race([
        provider(),
        new Promise<never>((_, reject) => {
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

  /** The pacing of a call's retries (its first attempt's token is taken before the SDK does any work for it). */
  private retryHooks(limiter: RateLimiter | undefined, target: AwsTarget, operation: string, options: CallOptions) {
    return {
      beforeRetry: async () => {
        if (limiter) await limiter.acquire(target.profile, target.region, operation, options.priority ?? 'user', options.signal);
      },
      onThrottle: () => limiter?.throttled(target.profile, target.region, operation),
    };
  }

  /**
   * Waits for a turn of the event loop with room for a response of this size, so however many responses
   * arrive together, no turn parses much more than RESPONSE_BYTES_PER_TURN of them (a DescribeImages page
   * alone, or 7 small answers), nor do our callers process more in it.
   */
  private turnToParse(bodyBytes: number, options: CallOptions): Promise<void> {
    return this.parsing.next(RESPONSE_OVERHEAD_BYTES + bodyBytes, options.parsePriority ?? options.priority ?? 'user');
  }

  /**
   * Starts the parsing worker now, for calls with parseOffThread to come: it loads its SDK copy (a few
   * hundred ms) while, say, a listing's first page is read here.
   */
  prepareOffThread(): void {
    this.offThread.warmUp();
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

  /** The same request made by the parsing worker: same client settings, same pacing (asked for from there). */
  private async sendOffThread(
    service: ServiceId,
    target: AwsTarget,
    operation: OffThreadOperation,
    command: object,
    credentials: AwsCredentialIdentity,
    retries: ReturnType<AwsGateway['retryHooks']>,
    options: CallOptions,
  ): Promise<unknown> {
    const { config } = await this.sharedConfig();
    const client = { ...this.clientSettings(service, target.profile, target.region, config), key: clientKey(service, target.profile, target.region), profile: target.profile };
    const answer = await this.offThread.send(
      { operation, input: (command as { input: object }).input, client, credentials },
      { ...retries, ...(options.signal ? { signal: options.signal } : {}) },
    );
    // Parsed already: the turn is for what our callers do with the answer.
    await this.turnToParse(answer.bodyBytes, options);
    return answer.output;
  }

  private async call(service: ServiceId, target: AwsTarget, operation: string, makeCommand: () => object, options: CallOptions): Promise<unknown> {
    const started = performance.now();
    try {
      const offThread = options.parseOffThread && isOffThreadOperation(service, operation) ? operation : undefined;
      const client = offThread ? undefined : await this.clientFor(service, target.profile, target.region);
      const credentials = await this.resolveCredentials(target.profile);
      // EC2's buckets are what bulk work runs into, and Organizations allows about one List call a second;
      // STS and KMS have their own, far larger quotas.
      const limiter = service === 'ec2' ? this.limiter : service === 'organizations' ? this.organizationsLimiter : undefined;
      if (limiter) await limiter.acquire(target.profile, target.region, operation, options.priority ?? 'user', options.signal);
      const command = makeCommand();
      const retries = this.retryHooks(limiter, target, operation, options);
      let output: { $metadata?: { requestId?: string; attempts?: number } };
      if (offThread) {
        output = (await this.sendOffThread(service, target, offThread, command, credentials, retries, options)) as typeof output;
      } else {
        paceRetries(command as CommandWithStack, retries);
        beforeParsing(command as CommandWithStack, (bytes) => this.turnToParse(bytes, options));
        output = (await client!.send(command, options.signal ? { abortSignal: options.signal } : undefined)) as typeof output;
      }
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
