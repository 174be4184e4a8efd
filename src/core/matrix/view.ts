/** What part of the matrix is shown: the filter, and the window of rows a fixed-row-height scroller draws. */
import type { Matrix, MatrixColumn, MatrixRow } from './model';

export interface MatrixFilter {
  /** Substring of the AMI name or ID, case-insensitive. */
  text?: string;
  /** Exact Region, or all. */
  region?: string;
  /** Substring of the recipient's label or value (account ID, name, ARN), case-insensitive. */
  recipient?: string;
}

export interface FilteredMatrix {
  rows: MatrixRow[];
  columns: MatrixColumn[];
  imageCount: number;
}

export function filterMatrix(matrix: Matrix, filter: MatrixFilter): FilteredMatrix {
  const text = filter.text?.trim().toLowerCase() ?? '';
  const recipient = filter.recipient?.trim().toLowerCase() ?? '';
  const columns = recipient ? matrix.columns.filter((c) => c.label.toLowerCase().includes(recipient) || c.detail.toLowerCase().includes(recipient)) : matrix.columns;
  const rows: MatrixRow[] = [];
  let group: MatrixRow | undefined;
  let groupShown = false;
  let imageCount = 0;
  for (const row of matrix.rows) {
    if (row.kind === 'group') {
      group = filter.region && row.region !== filter.region ? undefined : row;
      groupShown = false;
      continue;
    }
    if (!group) continue;
    const { image } = row;
    if (text && !image.name.toLowerCase().includes(text) && !image.imageId.toLowerCase().includes(text)) continue;
    if (!groupShown) rows.push(group);
    groupShown = true;
    rows.push(row);
    imageCount += 1;
  }
  return { rows, columns, imageCount };
}

export function regionsOf(matrix: Matrix): string[] {
  return [...new Set(matrix.rows.filter((r) => r.kind === 'group').map((r) => r.region))].sort();
}

export interface RowWindow {
  /** First row drawn (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Pixels above the first drawn row, and the height of the whole list. */
  offset: number;
  totalHeight: number;
}

/** The rows a virtualised list draws: those in the viewport plus `overscan` on each side. */
export function visibleWindow(rowCount: number, scrollTop: number, viewportHeight: number, rowHeight: number, overscan: number): RowWindow {
  const first = Math.max(0, Math.floor(Math.max(0, scrollTop) / rowHeight));
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, first + Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1 + overscan);
  return { start: Math.min(start, end), end, offset: Math.min(start, end) * rowHeight, totalHeight: rowCount * rowHeight };
}
