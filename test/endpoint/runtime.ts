import type { RequestRateLimiter } from './buckets';
import type { FaultInjector, FaultKind } from './control/faults';
import type { EndpointState } from './state';

export type AwsService = 'ec2' | 'sts' | 'kms' | 'organizations';

/** One AWS request the endpoint received (control API calls are not logged). */
export interface RequestLogEntry {
  action: string;
  /** The caller's account; undefined when the credentials were not recognised. */
  accountId: string | undefined;
  region: string;
  service: AwsService;
  /** HTTP status sent; 0 while pending, or when the connection was left hanging or dropped. */
  status: number;
  /** ISO 8601 time the request arrived. */
  time: string;
  /** Set when an injected fault answered the request. */
  fault?: FaultKind;
}

export interface EndpointStats {
  /** AWS requests received. */
  requests: number;
  /** Requests answered with RequestLimitExceeded / Throttling (token buckets or injected faults). */
  throttled: number;
}

export interface EndpointSettings {
  latencyMs: number;
  throttling: boolean;
  /** How long an AMI made by CopyImage stays `pending`; unset means DEFAULT_COPY_DELAY_MS. */
  copyDelayMs?: number;
  /**
   * Seeds the order DescribeImages returns AMIs in. EC2 guarantees no order, so the endpoint shuffles
   * (deterministically for a seed, the same on every page of one listing). Random per endpoint unless
   * given (StartOptions, `--image-order-seed`, AMI_SHARING_ENDPOINT_ORDER_SEED, POST settings).
   */
  imageOrderSeed: number;
}

export const DEFAULT_COPY_DELAY_MS = 300;

/** AMI_SHARING_ENDPOINT_ORDER_SEED when set (to replay a failing order), otherwise a random seed. */
export function defaultImageOrderSeed(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.AMI_SHARING_ENDPOINT_ORDER_SEED);
  return env.AMI_SHARING_ENDPOINT_ORDER_SEED && Number.isInteger(fromEnv) ? fromEnv >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

export function copyDelayMs(settings: EndpointSettings): number {
  return settings.copyDelayMs ?? DEFAULT_COPY_DELAY_MS;
}

/** The mutable parts of a running endpoint, shared by the AWS handler and the control API. */
export interface EndpointRuntime {
  state: EndpointState;
  faults: FaultInjector;
  limiter: RequestRateLimiter;
  requests: RequestLogEntry[];
  stats: EndpointStats;
  settings: EndpointSettings;
  /** Pending delayed state changes (copies finishing); cancelled on reset and close. */
  timers: Set<NodeJS.Timeout>;
}

/** Runs `task` after `ms` unless the endpoint is reset or closed first. */
export function schedule(runtime: EndpointRuntime, ms: number, task: () => void): void {
  const timer = setTimeout(() => {
    runtime.timers.delete(timer);
    task();
  }, ms);
  // A pending copy must not keep a test process alive.
  timer.unref();
  runtime.timers.add(timer);
}

export function cancelScheduled(runtime: EndpointRuntime): void {
  for (const timer of runtime.timers) {
    clearTimeout(timer);
  }
  runtime.timers.clear();
}

/** Keeps memory bounded when a sandbox runs for hours. */
const MAX_LOGGED_REQUESTS = 10_000;

export function logRequest(runtime: EndpointRuntime, entry: RequestLogEntry): void {
  runtime.requests.push(entry);
  if (runtime.requests.length > MAX_LOGGED_REQUESTS) {
    runtime.requests.splice(0, runtime.requests.length - MAX_LOGGED_REQUESTS);
  }
}

/** Everything back to how the endpoint started: fixture state, no faults, full buckets, empty log. */
export function resetRuntime(runtime: EndpointRuntime): void {
  cancelScheduled(runtime);
  runtime.state.reset();
  runtime.faults.clear();
  runtime.limiter.reset();
  runtime.requests.length = 0;
  runtime.stats.requests = 0;
  runtime.stats.throttled = 0;
}
