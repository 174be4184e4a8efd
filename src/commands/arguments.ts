import * as l10n from '@vscode/l10n';
import type { ExplorerNode } from '../tree/nodes';

/**
 * Every command call is classified once, at the edge: tree node(s) from a menu or inline button, a
 * script's plain argument object, or nothing (the palette, which prompts for what is missing). Anything
 * else is rejected with a message naming the argument and the shape it should have: never a prompt.
 */
export type Invocation =
  | { kind: 'nodes'; nodes: ExplorerNode[] }
  | { kind: 'script'; argument: ScriptArgument }
  | { kind: 'palette' };

/** A script's argument object, read field by field with strict types (never coerced). */
export class ScriptArgument {
  constructor(
    readonly command: string,
    private readonly record: Record<string, unknown>,
  ) {}

  private fail(field: string, expected: string): never {
    const value = this.record[field];
    const shown = value === undefined ? 'missing' : `${JSON.stringify(value)?.slice(0, 80) ?? String(value)} (${Array.isArray(value) ? 'array' : typeof value})`;
    throw new ArgumentError(l10n.t('{0}: argument "{1}" must be {2}; got {3}.', this.command, field, expected, shown));
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }

  /** Rejects fields the command does not know, so a typo is not silently ignored. */
  only(...fields: string[]): this {
    const unknown = Object.keys(this.record).filter((key) => !fields.includes(key));
    if (unknown.length) throw new ArgumentError(unknown.length === 1
          ? l10n.t('{0}: unknown argument field {1}; expected {2}.', this.command, unknown.map((f) => `"${f}"`).join(', '), fields.map((f) => `"${f}"`).join(', '))
          : l10n.t('{0}: unknown argument fields {1}; expected {2}.', this.command, unknown.map((f) => `"${f}"`).join(', '), fields.map((f) => `"${f}"`).join(', ')));
    return this;
  }

  text(field: string, pattern?: { test: RegExp; describe: string }): string {
    const value = this.record[field];
    if (typeof value !== 'string' || value.length === 0) this.fail(field, pattern?.describe ?? l10n.t('a non-empty string'));
    if (pattern && !pattern.test.test(value)) this.fail(field, pattern.describe);
    return value;
  }

  /** True when the field is explicitly null (e.g. `deprecateAt: null` = cancel). */
  isNull(field: string): boolean {
    return this.record[field] === null;
  }

  optionalText(field: string, pattern?: { test: RegExp; describe: string }): string | undefined {
    return this.has(field) ? this.text(field, pattern) : undefined;
  }

  list(field: string, item?: { test: RegExp; describe: string }, options: { nonEmpty?: boolean } = {}): string[] {
    const value = this.record[field];
    const of = item?.describe ?? l10n.t('strings');
    const describe = options.nonEmpty ? l10n.t('a non-empty array of {0}', of) : l10n.t('an array of {0}', of);
    if (!Array.isArray(value) || (options.nonEmpty && value.length === 0)) this.fail(field, describe);
    const bad = (value as unknown[]).filter((entry) => typeof entry !== 'string' || (item !== undefined && !item.test.test(entry)));
    if (bad.length) throw new ArgumentError(l10n.t('{0}: argument "{1}" must be {2}; not valid: {3}.', this.command, field, describe, bad.slice(0, 10).map((b) => JSON.stringify(b)).join(', ')));
    return value as string[];
  }

  optionalList(field: string, item?: { test: RegExp; describe: string }): string[] | undefined {
    return this.has(field) ? this.list(field, item) : undefined;
  }

  flag(field: string): boolean {
    const value = this.record[field];
    if (value === undefined) return false;
    if (typeof value !== 'boolean') this.fail(field, l10n.t('true or false'));
    return value;
  }

  optionalFlag(field: string): boolean | undefined {
    return this.has(field) ? this.flag(field) : undefined;
  }

  map(field: string, key: { test: RegExp; describe: string }): Record<string, string> | undefined {
    const value = this.record[field];
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) this.fail(field, l10n.t('an object mapping {0} to strings', key.describe));
    for (const [k, v] of Object.entries(value)) {
      if (!key.test.test(k) || typeof v !== 'string' || v.length === 0) this.fail(field, l10n.t('an object mapping {0} to non-empty strings', key.describe));
    }
    return value as Record<string, string>;
  }
}

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

export const IMAGE_ID = { test: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, describe: 'AMI IDs (ami- followed by 8 or 17 hex characters)' };
export const REGION_NAME = { test: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, describe: 'Region names such as "eu-west-1"' };
export const PROFILE_NAME = { test: /^[\w.@+:/-]{1,128}$/, describe: 'a profile name from the AWS config' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function looksLikeNode(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;
}

/**
 * Classifies the arguments VS Code or a script passed. Menus pass (clicked, selection); inline buttons pass
 * the clicked node only. A node is only a node when the tree knows it (same id, same object kind).
 */
export function classifyCall(command: string, args: readonly unknown[], isTreeNode: (value: unknown) => value is ExplorerNode): Invocation {
  const [first, second] = args;
  if (first === undefined && (second === undefined || (Array.isArray(second) && second.length === 0))) return { kind: 'palette' };
  if (isTreeNode(first)) {
    if (Array.isArray(second) && second.length > 0) {
      if (!second.every(isTreeNode)) throw new ArgumentError(l10n.t('{0}: the selection passed as the second argument holds items that are not tree nodes of AMI Sharing.', command));
      // Right-click outside the selection acts on the clicked node only, as VS Code's own views do.
      return { kind: 'nodes', nodes: second.some((node) => node.id === first.id) ? second : [first] };
    }
    return { kind: 'nodes', nodes: [first] };
  }
  if (looksLikeNode(first)) {
    throw new ArgumentError(l10n.t('{0}: the argument looks like a tree node but is not one of the tree\'s items; scripts pass an argument object (see the README).', command));
  }
  if (isPlainObject(first)) {
    if (second !== undefined) throw new ArgumentError(l10n.t('{0}: takes one argument object; got {1} arguments.', command, args.length));
    return { kind: 'script', argument: new ScriptArgument(command, first) };
  }
  const type = Array.isArray(first) ? 'an array' : first === null ? 'null' : `a ${typeof first}`;
  throw new ArgumentError(l10n.t('{0}: the argument must be an argument object (see the README for its fields), a tree item, or nothing; got {1}.', command, type));
}
