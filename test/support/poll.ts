/**
 * The one polling helper of every tier (node, extension host, browser UI, benchmark): no vscode or Playwright
 * import, only timers. A probe says "not yet, and why" by throwing; on timeout the last such error is what
 * the test reports, so it shows what was last seen rather than a bare "timed out".
 */

export interface PollOptions {
  /** Default 15 s: generous for a loaded 2-core machine; a passing test never waits it out. */
  timeoutMs?: number;
  /** Pause between attempts; default 50 ms. */
  intervalMs?: number;
}

export const DEFAULT_POLL_TIMEOUT_MS = 15_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown by `failNow`: not "not yet" but a failure that no more waiting can mend. */
class PollFailed extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** Inside a probe: fails the whole poll at once with `error` (an unexpected dialog, a wrong answer). */
export function failNow(error: Error): never {
  throw new PollFailed(error);
}

/** Calls `check` until it returns without throwing and returns its result; after the timeout, rethrows its last error. */
export async function eventually<T>(check: () => T | Promise<T>, options: PollOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_POLL_TIMEOUT_MS);
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (error instanceof PollFailed) throw error.reason;
      if (Date.now() >= deadline) throw error;
    }
    await pause(options.intervalMs ?? 50);
  }
}

/** Waits until `condition` holds; on timeout the error names `what` (and `lastSeen()` when given). */
export async function until(what: string, condition: () => boolean | Promise<boolean>, options: PollOptions & { lastSeen?: () => string } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  await eventually(async () => {
    if (await condition()) return;
    throw new Error(`${what}: not so within ${timeoutMs} ms${options.lastSeen ? `; last seen: ${options.lastSeen()}` : ''}`);
  }, options);
}
