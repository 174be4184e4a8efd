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

const ACCESS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
const SECRET_FIELD = /((?:aws_)?secret_?access_?key|SecretAccessKey|SessionToken|aws_session_token|session_?token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

/** Masks access key IDs and secret/token values that might ride along in an error message. */
export function redactSecrets(text: string): string {
  return text.replace(ACCESS_KEY, (key) => `${key.slice(0, 4)}…${key.slice(-4)}`).replace(SECRET_FIELD, '$1$2***');
}
