// The machine-readable line a suite prints at its end, and its parser. Kept apart from mochaSuite.ts so the
// launcher side can parse it without loading mocha.

export interface MochaSummary {
  passed: number;
  failed: number;
  pending: number;
}

export const SUMMARY_MARKER = 'AMI_SHARING_MOCHA_SUMMARY';

export function formatMochaSummary(summary: MochaSummary): string {
  return `${SUMMARY_MARKER} ${JSON.stringify(summary)}`;
}

/** The last summary line in captured extension-host output; undefined if the suite never printed one. */
export function parseMochaSummary(lines: readonly string[]): MochaSummary | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    const at = line.indexOf(SUMMARY_MARKER);
    if (at < 0) continue;
    try {
      return JSON.parse(line.slice(at + SUMMARY_MARKER.length)) as MochaSummary;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
