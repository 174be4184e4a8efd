import type { AwsCredentialIdentity } from '@smithy/types';
import type { ClientSettings } from './clientSetup';

/**
 * The messages between the gateway (offThread.ts, on the extension host's thread) and the worker that sends
 * and parses the EC2 reads with big answers (offThreadWorker.ts). Both sides are ours: types, no validation.
 */

/**
 * What may be sent and parsed in the worker when a caller asks for it (CallOptions.parseOffThread): a
 * DescribeImages page of 1,000 AMIs is over 1 MB of XML that the SDK parses in one piece (~40 ms per 100 AMIs
 * on the thread every other extension shares, more with the garbage it leaves for the collector).
 */
export const OFF_THREAD_OPERATIONS = ['DescribeImages'] as const;
export type OffThreadOperation = (typeof OFF_THREAD_OPERATIONS)[number];

export function isOffThreadOperation(service: string, operation: string): operation is OffThreadOperation {
  return service === 'ec2' && (OFF_THREAD_OPERATIONS as readonly string[]).includes(operation);
}

export interface OffThreadClient extends ClientSettings {
  /** The worker keeps one client per key, as the gateway does (service, profile and Region). */
  key: string;
  profile: string;
}

export type ToWorker =
  | { type: 'send'; id: number; operation: OffThreadOperation; input: object; client: OffThreadClient; credentials: AwsCredentialIdentity }
  /** A retry may go (the main thread's limiter gave it a token). */
  | { type: 'retry'; id: number }
  | { type: 'abort'; id: number }
  /** Drop the clients (all, or one profile's), as AwsGateway.invalidate does its own. */
  | { type: 'forget'; profile?: string };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The SDK error's own fields ($metadata, $fault, Code, …) that survive a structured clone. */
  fields: Record<string, unknown>;
}

export type FromWorker =
  /** A retry asks the main thread's limiter for its token. */
  | { type: 'retry'; id: number }
  | { type: 'throttled'; id: number }
  | { type: 'result'; id: number; output: unknown; bodyBytes: number }
  | { type: 'error'; id: number; error: SerializedError };
