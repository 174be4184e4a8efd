import * as l10n from '@vscode/l10n';
import type { ImageSummary } from './types';

/**
 * An AMI's family: its name without the trailing date or version that builds add (Packer's
 * `{{timestamp}}`/`{{isotime}}`, Image Builder's x.y.z, a build number). Plain logic.
 */
const TRAILING_VERSION = [
  // Unix timestamps ({{timestamp}}) first: ten digits would otherwise read as a date and an hour.
  { kind: 'timestamp', pattern: /^(.*?[-_. ])(\d{10})$/ },
  { kind: 'date', pattern: /^(.*?[-_. ])(\d{4}-?\d{2}-?\d{2}(?:[T_.-]?\d{2}(?::?\d{2}){0,2}Z?)?)$/ },
  { kind: 'version', pattern: /^(.*?[-_. ])(v?\d+(?:\.\d+)*)$/i },
] as const;

export interface ImageFamily {
  family: string;
  version: string;
  kind: 'date' | 'timestamp' | 'version';
}

export function imageFamily(name: string): ImageFamily | undefined {
  for (const { kind, pattern } of TRAILING_VERSION) {
    const match = pattern.exec(name);
    // A family names something: it has a letter ("2026-11-03" alone is a date, not a family with a version).
    if (match && /[A-Za-z]/.test(match[1]!)) return { family: match[1]!, version: match[2]!, kind };
  }
  return undefined;
}

export interface PreviousVersion {
  image: ImageSummary;
  /** How it was matched, for the plan. */
  how: string;
}

/** The newest AMI of the same family created before `current` (by creation date, then name). */
export function previousVersionOf(current: ImageSummary, candidates: readonly ImageSummary[]): PreviousVersion | undefined {
  const family = imageFamily(current.name);
  if (!family) return undefined;
  const older = candidates
    .filter((c) => c.imageId !== current.imageId && imageFamily(c.name)?.family === family.family)
    .filter((c) => (c.creationDate ?? '') < (current.creationDate ?? '') || ((c.creationDate ?? '') === (current.creationDate ?? '') && c.name < current.name))
    .sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? '') || b.name.localeCompare(a.name));
  const image = older[0];
  if (!image) return undefined;
  return { image, how: l10n.t('family "{0}" (the name without its trailing {1} "{2}"), newest older AMI of {3}: {4}', family.family, family.kind, family.version, older.length, image.name) };
}
