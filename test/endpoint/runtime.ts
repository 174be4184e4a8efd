import type { RequestRateLimiter } from './buckets';
import type { FaultInjector, FaultKind } from './faults';
import type { EndpointState } from './state';

export type AwsService = 'ec2' | 'sts' | 'kms';

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
}

/** The mutable parts of a running endpoint, shared by the AWS handler and the control API. */
export interface EndpointRuntime {
  state: EndpointState;
  faults: FaultInjector;
  limiter: RequestRateLimiter;
  requests: RequestLogEntry[];
  stats: EndpointStats;
  settings: EndpointSettings;
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
  runtime.state.reset();
  runtime.faults.clear();
  runtime.limiter.reset();
  runtime.requests.length = 0;
  runtime.stats.requests = 0;
  runtime.stats.throttled = 0;
}
