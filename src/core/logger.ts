import { redactDeep, redactSecrets } from './redact';

export { redactDeep, redactSecrets } from './redact';

/** The log sink the AWS layer writes to; the extension backs it with a LogOutputChannel. */
export interface AwsLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const silentLogger: AwsLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** Wraps a sink (the LogOutputChannel) so every message is redacted on its way in. */
export function redactingLogger(sink: AwsLogger): AwsLogger {
  return {
    info: (message) => sink.info(redactSecrets(message)),
    warn: (message) => sink.warn(redactSecrets(message)),
    error: (message) => sink.error(redactSecrets(message)),
    debug: (message) => sink.debug(redactSecrets(message)),
  };
}

const CHANNEL_TEXT_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The same channel with every string argument of its writing methods (trace/debug/info/warn/error,
 * append/appendLine/replace) redacted, so code that logs through `services.log` directly is covered too.
 * Error arguments are redacted with redactDeep. Other members pass through unchanged.
 */
export function redactingChannel<T extends object>(channel: T): T {
  // The target is an empty stand-in: VS Code's channel objects are frozen, and a proxy of a frozen object
  // may not return anything but the original members.
  return new Proxy({} as T, {
    get(_target, property) {
      const member = Reflect.get(channel, property, channel) as unknown;
      if (typeof member !== 'function') return member;
      const method = member as (...a: unknown[]) => unknown;
      if (typeof property !== 'string' || !CHANNEL_TEXT_METHODS.has(property)) return method.bind(channel);
      return (...args: unknown[]) =>
        method.apply(channel, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg instanceof Error ? redactDeep(arg) : arg)));
    },
    has: (_target, property) => property in channel,
  });
}
