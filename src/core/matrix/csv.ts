// l10n-ignore-file: CSV cell values and headers are stable machine-readable codes for spreadsheets and scripts, not prose.
/** The sharing matrix as CSV (RFC 4180): one line per AMI, one column per recipient. */
import { type Cell, cellOf, type Matrix } from './model';
import type { FilteredMatrix } from './view';

/** Short, stable words for a cell, for the CSV and for screen readers. */
export function cellWords(cell: Cell): string {
  if (cell.unknown) return 'unknown';
  const parts: string[] = [];
  if (cell.shared) parts.push(cell.snapshots === 'all' ? 'shared+snapshots' : cell.snapshots === 'some' ? 'shared+some snapshots' : 'shared');
  else if (cell.covered === 'maybe') parts.push('maybe via organization');
  else if (cell.covered) parts.push(cell.covered.through === 'public' ? 'via public' : `via ${cell.covered.by.split('/').pop()}`);
  else if (cell.snapshots === 'all' || cell.snapshots === 'some') parts.push('snapshots only');
  if (cell.drift) parts.push(cell.drift === 'missing' ? 'drift: missing' : cell.drift === 'extra' ? 'drift: extra' : cell.drift === 'snapshotMissing' ? 'drift: snapshot missing' : 'drift: snapshot extra');
  return parts.join('; ');
}

/**
 * One field: quoted when it holds a separator, quote or line break; a leading = + - @ (or tab/CR) is
 * prefixed with ' so a spreadsheet does not run another account's AMI name as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function matrixCsv(matrix: Matrix, shown: FilteredMatrix): string {
  const header = ['profile', 'region', 'family', 'imageId', 'name', 'creationDate', ...shown.columns.map((c) => (c.kind === 'account' && c.label !== c.detail ? `${c.label} (${c.detail})` : c.detail === 'all' ? 'public' : c.detail))];
  const lines = [header.map(csvField).join(',')];
  let family = '';
  for (const row of shown.rows) {
    if (row.kind === 'group') {
      family = row.family;
      continue;
    }
    const { image } = row;
    const cells = shown.columns.map((column) => cellWords(cellOf(matrix, image, column)));
    lines.push([image.profile, image.region, family, image.imageId, image.name, image.creationDate ?? '', ...cells].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
