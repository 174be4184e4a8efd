import { redactSecrets } from './redact';

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
