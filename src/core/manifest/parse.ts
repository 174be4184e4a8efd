import * as l10n from '@vscode/l10n';
import Ajv, { type ErrorObject } from 'ajv';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { REGION_NAMES } from '../regions';
import schema from '../../../schemas/ami-sharing.schema.json';
import type { ManifestParse, ManifestProblem, SharingManifest } from './types';

/** Regions beyond the picker's list that are still real (newer, GovCloud, China). */
const MORE_REGIONS = ['ap-east-2', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'mx-central-1', 'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1'];
const KNOWN_REGIONS = new Set([...Object.keys(REGION_NAMES), ...MORE_REGIONS]);

export interface ManifestContext {
  /** Profiles of the AWS config and credentials files; unknown profiles are refused when given. */
  profiles?: readonly string[];
  /** Region names accepted beyond the built-in list (e.g. an endpoint's own). */
  extraRegions?: readonly string[];
}

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

type Segment = string | number;

function pointerToSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function formatPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}

class Positions {
  private readonly lineStarts: number[] = [0];
  constructor(private readonly text: string, readonly root: Node | undefined) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  problem(message: string, segments: readonly Segment[], where: 'value' | 'key' = 'value'): ManifestProblem {
    let node = this.root ? findNodeAtLocation(this.root, [...segments]) : undefined;
    if (where === 'key' && node?.parent?.type === 'property') node = node.parent.children?.[0];
    // A missing member is reported at the nearest object that holds it.
    for (let cut = segments.length - 1; !node && cut >= 0 && this.root; cut--) node = findNodeAtLocation(this.root, [...segments.slice(0, cut)]);
    return this.at(message, formatPath(segments), node?.offset ?? 0, node?.length ?? 0);
  }

  at(message: string, path: string, offset: number, length: number): ManifestProblem {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1]! <= offset) line++;
    return { message, path, line: line + 1, column: offset - this.lineStarts[line]! + 1, offset, length };
  }

  get size(): number {
    return this.text.length;
  }
}

const PATTERN_MESSAGES: Array<[RegExp, (value: string) => string]> = [
  [/\.share\.accounts\[\d+\]$/, (v) => `${JSON.stringify(v)} is not an AWS account ID: 12 digits, no hyphens.`],
  [/\.share\.organizations\[\d+\]$/, (v) => `${JSON.stringify(v)} is not an organization ARN (arn:aws:organizations::<management account>:organization/o-…).`],
  [/\.share\.organizationalUnits\[\d+\]$/, (v) => `${JSON.stringify(v)} is not an organizational unit ARN (arn:aws:organizations::<management account>:ou/o-…/ou-…).`],
  [/\.regions\[\d+\]$/, (v) => `${JSON.stringify(v)} is not a Region name (e.g. us-east-1).`],
];

function valueAt(value: unknown, segments: readonly Segment[]): unknown {
  let current = value;
  for (const s of segments) current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[s] : undefined;
  return current;
}

function schemaProblem(error: ErrorObject, document: unknown, positions: Positions): ManifestProblem {
  const segments = pointerToSegments(error.instancePath);
  const path = formatPath(segments);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      return positions.problem(path ? l10n.t('Unknown field "{0}" in {1}.', field, path) : l10n.t('Unknown field "{0}".', field), [...segments, field], 'key');
    }
    case 'required':
      return positions.problem(path ? l10n.t('Missing field "{0}" in {1}.', String(error.params.missingProperty), path) : l10n.t('Missing field "{0}".', String(error.params.missingProperty)), segments);
    case 'pattern': {
      const value = String(valueAt(document, segments));
      const known = PATTERN_MESSAGES.find(([where]) => where.test(path));
      return positions.problem(known ? known[1](value) : `${path}: ${error.message ?? 'does not match'}.`, segments);
    }
    case 'type': {
      const what = path || l10n.t('The manifest');
      const type = String(error.params.type);
      return positions.problem(
        type === 'object' ? l10n.t('{0} must be an object.', what) : type === 'array' ? l10n.t('{0} must be an array.', what) : l10n.t('{0} must be a {1}.', what, type),
        segments,
      );
    }
    case 'uniqueItems':
      return positions.problem(l10n.t('{0} lists the same entry twice (items {1} and {2}).', path, String(error.params.j), String(error.params.i)), [...segments, Number(error.params.i)]);
    default:
      // ajv's own message is English: the manifest's path and it are shown as they are.
      return positions.problem(`${path || 'The manifest'} ${error.message ?? 'is not valid'}.`, segments); // l10n-ignore
  }
}

/** Checks the schema cannot express: profiles that exist, Region names that are Regions, unique policy names. */
function semanticProblems(manifest: SharingManifest, context: ManifestContext, positions: Positions): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const regions = new Set([...KNOWN_REGIONS, ...(context.extraRegions ?? [])]);
  const names = new Map<string, number>();
  manifest.policies.forEach((policy, index) => {
    const first = names.get(policy.name);
    if (first !== undefined) problems.push(positions.problem(l10n.t('Policy name "{0}" is used twice (also policies[{1}]); names must be unique.', policy.name, first), ['policies', index, 'name']));
    else names.set(policy.name, index);
    if (context.profiles && !context.profiles.includes(policy.profile)) {
      problems.push(positions.problem(context.profiles.length
            ? l10n.t('Unknown profile "{0}": it is in neither the AWS config nor the credentials file (profiles: {1}).', policy.profile, context.profiles.join(', '))
            : l10n.t('Unknown profile "{0}": it is in neither the AWS config nor the credentials file.', policy.profile), ['policies', index, 'profile']));
    }
    policy.regions.forEach((region, r) => {
      if (!regions.has(region)) problems.push(positions.problem(l10n.t('"{0}" is not a Region.', region), ['policies', index, 'regions', r]));
    });
  });
  return problems;
}

/**
 * Parses and validates a manifest: JSON syntax, the shipped JSON Schema, then semantic checks. Every problem
 * names its line, column and JSON path; a manifest with any problem yields no policies at all.
 */
export function parseManifest(text: string, context: ManifestContext = {}): ManifestParse {
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const positions = new Positions(text, root);
  if (syntax.length || !root) {
    const problems = syntax.map((e) => positions.at(l10n.t('JSON syntax error: {0}.', describeSyntaxError(printParseErrorCode(e.error))), '', e.offset, e.length));
    return { ok: false, problems: problems.length ? problems : [positions.at(l10n.t('The manifest is empty.'), '', 0, 0)] };
  }
  const document = JSON.parse(text) as unknown;
  const schemaErrors = validate(document);
  if (schemaErrors.length) {
    const seen = new Set<string>();
    const problems = schemaErrors.map((error) => schemaProblem(error, document, positions)).filter((p) => !seen.has(p.message + p.path) && seen.add(p.message + p.path) !== undefined);
    return { ok: false, problems: problems.sort((a, b) => a.offset - b.offset) };
  }
  const manifest = document as SharingManifest;
  const problems = semanticProblems(manifest, context, positions);
  return problems.length ? { ok: false, problems } : { ok: true, manifest, problems: [] };
}

function describeSyntaxError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function formatProblem(file: string, problem: ManifestProblem): string {
  return `${file}:${problem.line}:${problem.column}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

// This bundle (dist/manifest.js) has its own copy of @vscode/l10n: manifestLoader hands it the extension's bundle.
export { config as configureL10n } from '@vscode/l10n';
