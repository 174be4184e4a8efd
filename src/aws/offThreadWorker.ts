import { parentPort } from 'node:worker_threads';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AwsCredentialIdentity } from '@smithy/types';
import { beforeParsing, type CommandWithStack, paceRetries, sdkClientConfig } from './clientSetup';
import type { FromWorker, OffThreadOperation, SerializedError, ToWorker } from './offThreadProtocol';

/**
 * The worker thread that sends the EC2 reads with big answers and lets the SDK parse them here, off the
 * extension host's thread (see offThreadProtocol.ts). The main thread keeps the pacing (it asks before
 * every attempt), the credentials (it resolves them and sends them with each request) and the errors'
 * wording; this side only makes the request the gateway would have made.
 */

const COMMANDS: Record<OffThreadOperation, new (input: never) => object> = { DescribeImages: DescribeImagesCommand };

const port = parentPort;
if (!port) throw new Error('offThreadWorker runs only as a worker thread');

interface OwnClient {
  client: EC2Client;
  profile: string;
  /** The latest credentials the main thread sent; the client asks for them on every signing. */
  credentials: AwsCredentialIdentity;
}

const clients = new Map<string, OwnClient>();
const inFlight = new Map<number, { controller: AbortController; retryMayGo?: () => void; retryStopped?: (error: Error) => void }>();

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function serializeError(error: unknown): SerializedError {
  const e = (error ?? {}) as Error & Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    // The raw HTTP response holds a socket's stream.
    if (key === '$response') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // Not cloneable (a function, a stream): the gateway's wording never reads such fields.
    }
  }
  return { name: typeof e.name === 'string' ? e.name : 'Error', message: typeof e.message === 'string' ? e.message : String(error), ...(e.stack ? { stack: e.stack } : {}), fields };
}

function clientFor(message: Extract<ToWorker, { type: 'send' }>): EC2Client {
  let own = clients.get(message.client.key);
  if (!own) {
    const holder: OwnClient = { client: undefined as unknown as EC2Client, profile: message.client.profile, credentials: message.credentials };
    holder.client = new EC2Client(sdkClientConfig(message.client, async () => holder.credentials));
    own = holder;
    clients.set(message.client.key, own);
  }
  own.credentials = message.credentials;
  return own.client;
}

async function send(message: Extract<ToWorker, { type: 'send' }>): Promise<void> {
  const controller = new AbortController();
  const state: { controller: AbortController; retryMayGo?: () => void; retryStopped?: (error: Error) => void } = { controller };
  inFlight.set(message.id, state);
  let bodyBytes = 0;
  try {
    const command = new COMMANDS[message.operation](message.input as never);
    paceRetries(command as CommandWithStack, {
      beforeRetry: () =>
        new Promise<void>((resolve, reject) => {
          state.retryMayGo = resolve;
          state.retryStopped = reject;
          post({ type: 'retry', id: message.id });
        }),
      onThrottle: () => post({ type: 'throttled', id: message.id }),
    });
    beforeParsing(command as CommandWithStack, (bytes) => {
      bodyBytes = bytes;
    });
    const output = await clientFor(message).send(command as never, { abortSignal: controller.signal });
    post({ type: 'result', id: message.id, output, bodyBytes });
  } catch (error) {
    post({ type: 'error', id: message.id, error: serializeError(error) });
  } finally {
    inFlight.delete(message.id);
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'send':
      void send(message);
      return;
    case 'retry': {
      const state = inFlight.get(message.id);
      state?.retryMayGo?.();
      return;
    }
    case 'abort': {
      const state = inFlight.get(message.id);
      if (!state) return;
      state.controller.abort();
      state.retryStopped?.(Object.assign(new Error('The request was cancelled'), { name: 'AbortError' }));
      return;
    }
    case 'forget':
      for (const [key, own] of clients) {
        if (message.profile !== undefined && own.profile !== message.profile) continue;
        // Closes the sockets instead of waiting for garbage collection.
        own.client.destroy();
        clients.delete(key);
      }
      return;
  }
});
