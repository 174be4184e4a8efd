import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestRateLimiter } from './buckets';
import { CONTROL_PREFIX, handleControlRequest } from './control/control';
import { FaultInjector } from './control/faults';
import { defaultFixture, type Fixture } from './fixture/fixture';
import { send } from './httpUtil';
import { handleAwsRequest } from './pipeline';
import {
  cancelScheduled,
  defaultImageOrderSeed,
  resetRuntime,
  type EndpointRuntime,
  type EndpointSettings,
  type EndpointStats,
  type RequestLogEntry,
} from './runtime';
import { EndpointState } from './state';

/**
 * A local EC2-, STS- and KMS-compatible HTTP endpoint the real AWS SDK talks to. One port serves EC2
 * (query protocol), STS (AssumeRole, GetCallerIdentity), KMS (AWS JSON 1.1: keys, aliases, key
 * policies) and the JSON control API under /__control/.
 */

export type { RequestLogEntry, EndpointStats, EndpointSettings } from './runtime';
export type { FaultKind, FaultOptions } from './control/faults';
export { FaultInjector } from './control/faults';
export { EndpointState } from './state';

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  fixture?: Fixture;
  /** Fixed delay added to every AWS request. */
  latencyMs?: number;
  /** Enforce EC2's per-account, per-Region token buckets; default false. */
  throttling?: boolean;
  /** How long CopyImage results stay `pending`; default 300 ms. */
  copyDelayMs?: number;
  /** Seed of the (shuffled) DescribeImages order; default AMI_SHARING_ENDPOINT_ORDER_SEED or random. */
  imageOrderSeed?: number;
}

export interface TestEndpoint {
  /** `http://127.0.0.1:PORT`; use as `endpoint` for EC2Client / STSClient, or as endpoint_url. */
  url: string;
  port: number;
  state: EndpointState;
  faults: FaultInjector;
  requests: RequestLogEntry[];
  stats: EndpointStats;
  /** Latency, throttling, the CopyImage delay and the image order seed can be changed while running. */
  settings: EndpointSettings;
  /** State back to the fixture, faults cleared, buckets refilled, request log emptied. */
  reset(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function dispatch(runtime: EndpointRuntime, req: IncomingMessage, res: ServerResponse): void {
  const isControl = (req.url ?? '').startsWith(CONTROL_PREFIX);
  const handling = isControl ? handleControlRequest(runtime, req, res) : handleAwsRequest(runtime, req, res);
  handling.catch((error: unknown) => {
    // Failures outside the protocol handlers (e.g. an oversized body): a plain 500, keep serving.
    send(res, 500, `Test endpoint failure: ${String(error)}`, 'text/plain');
  });
}

export async function startTestEndpoint(options: StartOptions = {}): Promise<TestEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const runtime: EndpointRuntime = {
    state: new EndpointState(options.fixture ?? defaultFixture()),
    faults: new FaultInjector(),
    limiter: new RequestRateLimiter(),
    requests: [],
    stats: { requests: 0, throttled: 0 },
    settings: {
      latencyMs: options.latencyMs ?? 0,
      throttling: options.throttling ?? false,
      ...(options.copyDelayMs !== undefined ? { copyDelayMs: options.copyDelayMs } : {}),
      imageOrderSeed: options.imageOrderSeed ?? defaultImageOrderSeed(),
    },
    timers: new Set(),
  };

  const server = createServer((req, res) => dispatch(runtime, req, res));
  // Idle keep-alive connections close after 5 s, the shortest idle timeout reported for an AWS endpoint
  // (EC2 documents none: see README). close() drops them at once, so they do not hold it up.
  server.keepAliveTimeout = 5_000;
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state: runtime.state,
    faults: runtime.faults,
    requests: runtime.requests,
    stats: runtime.stats,
    settings: runtime.settings,
    reset: () => resetRuntime(runtime),
    close: () => {
      cancelScheduled(runtime);
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Drops keep-alive sockets and requests left hanging by the 'hang' fault.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
