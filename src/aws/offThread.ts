import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { FromWorker, OffThreadClient, OffThreadOperation, SerializedError, ToWorker } from './offThreadProtocol';

export interface OffThreadRequest {
  operation: OffThreadOperation;
  input: object;
  client: OffThreadClient;
  credentials: AwsCredentialIdentity;
}

export interface OffThreadHooks {
  /** Resolves when a retry may go (the limiter's token); rejecting gives the call up with that error. */
  beforeRetry: () => Promise<void>;
  onThrottle: () => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve: (value: { output: unknown; bodyBytes: number }) => void;
  reject: (error: unknown) => void;
  hooks: OffThreadHooks;
  stopListening: () => void;
}

/** The worker's copy of an SDK error, with the fields the gateway's wording reads (name, Code, $metadata, …). */
function errorFrom(serialized: SerializedError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/**
 * A worker idle this long is stopped: its SDK copy and clients hold some 20 MB of the extension host's
 * memory, and the next listing starts it again in a few hundred ms.
 */
export const IDLE_WORKER_MS = 60_000;

/**
 * Sends requests through the parsing worker (offThreadWorker.ts), started on first use. It holds the
 * process open only while a request is in flight, so a CLI run still ends when its work does; a worker that
 * dies fails its requests and is started again by the next one.
 */
export class OffThreadSender {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** The worker's file sits next to this module's, in dist/ (bundled) as in out/ (compiled tests). */
  constructor(
    private readonly workerFile = path.join(__dirname, 'offThreadWorker.js'),
    private readonly idleMs = IDLE_WORKER_MS,
  ) {}

  send(request: OffThreadRequest, hooks: OffThreadHooks): Promise<{ output: unknown; bodyBytes: number }> {
    return new Promise((resolve, reject) => {
      if (hooks.signal?.aborted) {
        reject(hooks.signal.reason ?? Object.assign(new Error('The request was cancelled'), { name: 'AbortError' }));
        return;
      }
      const worker = this.started();
      clearTimeout(this.idleTimer);
      const id = this.nextId++;
      // The worker aborts the SDK's request and answers with the SDK's AbortError.
      const onAbort = () => this.post({ type: 'abort', id });
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, hooks, stopListening: () => hooks.signal?.removeEventListener('abort', onAbort) });
      if (this.pending.size === 1) worker.ref();
      this.post({ type: 'send', id, ...request });
    });
  }

  /** Starts the worker ahead of its first request: loading its SDK copy takes a few hundred ms. */
  warmUp(): void {
    this.started();
  }

  /** Drops the worker's clients (all, or one profile's). */
  forget(profile?: string): void {
    this.post(profile === undefined ? { type: 'forget' } : { type: 'forget', profile });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.stopped(worker, 'disposed');
    void worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Whether a worker is running (started and not yet stopped, idle or not). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // The main thread's SDK copy has already warned about an old Node.js, if it is one; once is enough.
    const worker = new Worker(this.workerFile, { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.received(message));
    worker.on('error', (error) => this.stopped(worker, error.message));
    worker.on('exit', (code) => this.stopped(worker, `exit code ${code}`));
    this.worker = worker;
    this.stopWhenIdle();
    return worker;
  }

  private stopWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.dispose();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Fails what the worker still had in flight; the next request starts a new one. */
  private stopped(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    const error = new Error(`The AWS request worker stopped (${why})`);
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(error));
    this.worker = undefined;
  }

  private settle(id: number, finish: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.stopListening();
    if (this.pending.size === 0) {
      this.worker?.unref();
      this.stopWhenIdle();
    }
    finish(pending);
  }

  private received(message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'retry':
        pending.hooks.beforeRetry().then(
          () => this.post({ type: 'retry', id: message.id }),
          (error: unknown) => {
            this.post({ type: 'abort', id: message.id });
            this.settle(message.id, (p) => p.reject(error));
          },
        );
        return;
      case 'throttled':
        pending.hooks.onThrottle();
        return;
      case 'result':
        this.settle(message.id, (p) => p.resolve({ output: message.output, bodyBytes: message.bodyBytes }));
        return;
      case 'error':
        this.settle(message.id, (p) => p.reject(errorFrom(message.error)));
        return;
    }
  }
}
