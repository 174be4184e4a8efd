/**
 * The one redactor: everything that leaves the process in text (log channel, error messages,
 * notifications, the change log) passes through it. Plain logic, no SDK and no vscode.
 *
 * Every pattern is anchored at a word start or a delimiter and scans forward only, so a long string
 * (a megabyte of base64 in an error body) costs linear time.
 */

const MASK = '***';
// l10n-ignore: redaction markers inside SDK error texts and the log stay the same in every language.
const COMMAND_HIDDEN = 'credential_process (command hidden)';
const OUTPUT_HIDDEN = '(output hidden)'; // l10n-ignore

/**
 * Node's child_process.exec failure, which the SDK's fromProcess (credential_process) passes on verbatim:
 * `Command failed: <command line>\n<stderr>`. Everything after the marker is the command or its output,
 * and stderr may span lines, so the rest of the text is replaced.
 */
const COMMAND_FAILED = /Command failed:([\s\S]*)$/;
/** `credential_process = <command>` from a config file or a dump of one. */
const CREDENTIAL_PROCESS_LINE = /(?<![\w-])(credential_process)([ \t]*[=:][ \t]*)[^\r\n]+/gi;

/** Access key IDs: long-term (AKIA) and temporary (ASIA). The first 4 and last 4 characters stay. */
const ACCESS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;

/**
 * A value: escaped-double-quoted (JSON inside a JSON string), double-quoted (JSON escapes), single-quoted,
 * an unterminated quote (a message cut short), or bare. A bare value runs to whitespace, a quote, `<`, `>`
 * or `&`: commas and semicolons are part of it (`aws_secret_access_key=abc,def` masks `def` too).
 */
const VALUE = String.raw`(?:\\"(?:[^"\\]|\\(?!"))*\\"|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|["'][^"'\r\n]*|[^\s"'<>&]+)`;

/** `name = value` on a line of its own (INI, env files): the value runs to the end of the line. */
const INI_LINE = /^([ \t]*)([\w-]+)([ \t]*=[ \t]*)([^\r\n]*)/gm;
/** A value right where the previous match ended. */
const VALUE_HERE = new RegExp(VALUE, 'y');
/** `name=` (INI, env, query strings, `Signature=` inside an Authorization header); the value follows. */
const NAME_EQUALS = /(?<![\w-])([\w-]+)[ \t]*=[ \t]*/g;
/** `"name":` (JSON, with or without escaped quotes) and `'name':`. */
const QUOTED_NAME_COLON = /(\\?["'])([\w-]+)\1[ \t]*:[ \t]*/g;
/** `name:` with an unquoted name (HTTP headers, YAML, util.inspect). */
const BARE_NAME_COLON = /(?<![\w-])([\w-]+)[ \t]*:[ \t]*/g;
/** Authorization headers: the scheme stays, the rest of the line goes. */
const AUTHORIZATION = /(?<![\w-])((?:proxy-)?authorization)([ \t]*:[ \t]*)(?:([A-Za-z0-9-]+)[ \t]+)?[^\r\n]*/gi;
/** `<Name>value</Name>` (EC2/STS XML bodies). */
const XML_ELEMENT = /<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g;

/**
 * Names whose value is secret where the separator leaves no doubt it is a value (`=`, a quoted JSON key,
 * an XML element). Over-masking a pagination token is harmless.
 */
const LOOSE_SECRET_NAME = /secret|token|password|passwd|signature|authorization/i;
/**
 * With an unquoted `name:` the text is often prose or an error code ("ExpiredToken: The security token…",
 * "SignatureDoesNotMatch: …"), so the name itself must look like a secret field.
 */
const STRICT_SECRET_NAME =
  /(?:^|[-_])(?:token|password|passwd|pwd|secret|signature)$|secret_?(?:access_?)?key$|client_?secret$|(?:session|security|access|refresh|id|auth|bearer)_?token$|password$/i;

function maskValue(value: string): string {
  if (value.startsWith('\\"')) return `\\"${MASK}\\"`;
  if (value.startsWith('"')) return `"${MASK}"`;
  if (value.startsWith("'")) return `'${MASK}'`;
  return MASK;
}

function maskAccessKey(key: string): string {
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}

/**
 * Masks credentials that might ride along in a message: access key IDs (first and last 4 kept), secret
 * keys, session tokens, passwords, signatures and security tokens in key=value, JSON, XML, HTTP-header and
 * query-string form, and the command line and output of a failed credential_process.
 */
export function redactSecrets(text: string): string {
  if (!text) return text;
  let out = text.replace(COMMAND_FAILED, (_match, rest: string) => {
    const newline = rest.search(/\r?\n/);
    const output = newline < 0 ? '' : rest.slice(newline).trim();
    return output ? `Command failed: ${COMMAND_HIDDEN}\n${OUTPUT_HIDDEN}` : `Command failed: ${COMMAND_HIDDEN}`;
  });
  out = out.replace(CREDENTIAL_PROCESS_LINE, (_m, name: string, sep: string) => `${name}${sep}(command hidden)`);
  out = out.replace(AUTHORIZATION, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ? `${scheme} ` : ''}${MASK}`);
  out = out.replace(INI_LINE, (match, indent: string, name: string, sep: string, value: string) =>
    LOOSE_SECRET_NAME.test(name) && value ? `${indent}${name}${sep}${MASK}` : match,
  );
  out = out.replace(XML_ELEMENT, (match, name: string, value: string) =>
    LOOSE_SECRET_NAME.test(name) && value.trim() ? `<${name}>${MASK}</${name}>` : match,
  );
  out = maskValuesAfter(out, QUOTED_NAME_COLON, 2, LOOSE_SECRET_NAME);
  out = maskValuesAfter(out, BARE_NAME_COLON, 1, STRICT_SECRET_NAME);
  out = maskValuesAfter(out, NAME_EQUALS, 1, LOOSE_SECRET_NAME);
  return out.replace(ACCESS_KEY, maskAccessKey);
}

/**
 * Masks the value after each `name<separator>` whose name is secret. Only the name and separator are
 * matched, so a non-secret pair never swallows a secret one inside its value
 * (`redirect=https://x/?token=abc`), and each character is scanned a bounded number of times.
 */
function maskValuesAfter(text: string, names: RegExp, nameGroup: number, secret: RegExp): string {
  let out = '';
  let copied = 0;
  names.lastIndex = 0;
  for (let match = names.exec(text); match; match = names.exec(text)) {
    if (!secret.test(match[nameGroup]!)) continue;
    const start = match.index + match[0].length;
    VALUE_HERE.lastIndex = start;
    const value = VALUE_HERE.exec(text)?.[0];
    if (!value) continue;
    out += text.slice(copied, start) + maskValue(value);
    copied = start + value.length;
    names.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * A copy of `value` with every string redacted (object keys included), and string values of secret-named
 * properties (`secretAccessKey`, `sessionToken`, `password`…) replaced outright. Arrays and plain objects
 * are copied, Errors become plain-prototype copies with a redacted message and stack, other objects
 * (Date, Map…) are kept as they are. The input is not changed; cycles are preserved.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value, new WeakMap()) as T;
}

function redactValue(value: unknown, seen: WeakMap<object, unknown>, key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && STRICT_SECRET_NAME.test(key) && value ? MASK : redactSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  const existing = seen.get(value);
  if (existing !== undefined) return existing;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactValue(item, seen));
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  const isError = value instanceof Error;
  if (proto !== Object.prototype && proto !== null && !isError) return value;
  const copy: Record<string, unknown> = isError ? (Object.create(proto) as Record<string, unknown>) : {};
  seen.set(value, copy);
  if (isError) {
    for (const name of ['name', 'message', 'stack'] as const) {
      const own = (value as Error)[name];
      if (typeof own === 'string') Object.defineProperty(copy, name, { value: redactSecrets(own), writable: true, configurable: true, enumerable: false });
    }
  }
  for (const [name, item] of Object.entries(value)) copy[redactSecrets(name)] = redactValue(item, seen, name);
  return copy;
}
