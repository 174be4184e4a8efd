// The sharing matrix's plain model at scale (500 AMIs × 50 recipients in the full run): build, filter, the
// cells of one scroll position (what the virtualised webview draws per frame), a pending plan, the CSV.
import { matrixCsv } from '../src/core/matrix/csv';
import { buildMatrix, cellOf, pendingPlan, togglePending, type MatrixImage, type Pending } from '../src/core/matrix/model';
import { matrixRequests } from '../src/core/matrix/requests';
import { filterMatrix, visibleWindow } from '../src/core/matrix/view';
import type { LaunchPermission } from '../src/core/types';

export interface MatrixBenchRow {
  measure: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

/** The webview's geometry: 26 px rows, a 900 px viewport, 8 rows of overscan. */
const ROW_HEIGHT = 26;
const VIEWPORT = 900;
const OVERSCAN = 8;

function syntheticImages(images: number, recipients: number): { images: MatrixImage[]; accounts: LaunchPermission[] } {
  const accounts = Array.from({ length: recipients - 3 }, (_, i) => ({ UserId: String(100000000000 + i * 7919).padStart(12, '0') }));
  const org = { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' };
  const ou = { OrganizationalUnitArn: 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456' };
  const list = Array.from({ length: images }, (_, i): MatrixImage => {
    const launch: LaunchPermission[] = [...accounts.filter((_, a) => (i + a) % 3 === 0), ...(i % 5 === 0 ? [org] : []), ...(i % 7 === 0 ? [ou] : []), ...(i % 97 === 0 ? [{ Group: 'all' as const }] : [])];
    const day = String((i % 28) + 1).padStart(2, '0');
    return {
      profile: `p${i % 3}`,
      region: ['us-east-1', 'eu-west-1', 'ap-southeast-2'][i % 3]!,
      imageId: `ami-${(0x10000000 + i).toString(16)}`,
      name: `family${i % 20}-2026-${String((i % 12) + 1).padStart(2, '0')}-${day}`,
      creationDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${day}T00:00:00.000Z`,
      state: 'available',
      launch,
      snapshots: [{ snapshotId: `snap-${i}`, permissions: launch.filter((p) => p.UserId).slice(0, 5) }],
      ...(i % 4 === 0 ? { drift: { policies: ['golden'], wanted: accounts.slice(0, 4), missing: accounts.slice(0, 2), extra: [], snapshotMissing: [], snapshotExtra: [] } } : {}),
    };
  });
  return { images: list, accounts };
}

function timed<T>(run: () => T, repeat: number): { ms: number; value: T } {
  let value = run();
  const started = performance.now();
  for (let i = 0; i < repeat; i++) value = run();
  return { ms: (performance.now() - started) / repeat, value };
}

export function matrixBench(images: number, recipients: number): MatrixBenchRow[] {
  const shape = `sharing matrix ${images} AMIs × ${recipients} recipients`;
  const input = syntheticImages(images, recipients);
  const names = Object.fromEntries(input.accounts.slice(0, 10).map((a, i) => [a.UserId!, `account ${i}`]));
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  // What one matrix holds beyond the AMIs read: rows, columns, lookups and, once every cell was drawn, the per-AMI key sets.
  const held = buildMatrix({ images: input.images.map((i) => ({ ...i })), recipients: input.accounts, accountNames: names });
  for (const row of held.rows) if (row.kind === 'image') for (const column of held.columns) cellOf(held, row.image, column);
  globalThis.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const built = timed(() => buildMatrix({ images: input.images, recipients: input.accounts, accountNames: names }), 20);
  const matrix = built.value;
  const filtered = timed(() => filterMatrix(matrix, { text: 'family1', recipient: '0' }), 50);
  const shown = filterMatrix(matrix, {});
  // Every scroll position through the list, as the webview computes it on a scroll event: the window, then each drawn cell's state.
  let cells = 0;
  const positions = Math.max(1, Math.ceil((shown.rows.length * ROW_HEIGHT) / VIEWPORT));
  const windowed = timed(() => {
    cells = 0;
    for (let position = 0; position < positions; position++) {
      const w = visibleWindow(shown.rows.length, position * VIEWPORT, VIEWPORT, ROW_HEIGHT, OVERSCAN);
      for (let r = w.start; r < w.end; r++) {
        const row = shown.rows[r]!;
        if (row.kind !== 'image') continue;
        for (const column of shown.columns) {
          cellOf(matrix, row.image, column);
          cells++;
        }
      }
    }
  }, 5);
  const perFrameMs = windowed.ms / positions;
  const cellsPerFrame = cells / positions;
  let pending: Pending = new Map();
  const imageRows = shown.rows.filter((r) => r.kind === 'image');
  // One click per AMI, each on another recipient: what clicking through the whole matrix costs per click.
  const clicked = timed(() => {
    pending = new Map();
    for (const [index, row] of imageRows.entries()) pending = togglePending(matrix, pending, row.key, matrix.columns[1 + (index % (matrix.columns.length - 1))]!.key);
  }, 1);
  const perClickMs = clicked.ms / Math.max(1, imageRows.length);
  const planned = timed(() => matrixRequests(matrix, pending, true), 5);
  const planOnly = timed(() => pendingPlan(matrix, pending), 5);
  const csv = timed(() => matrixCsv(matrix, shown), 5);
  void held.rows.length; // kept alive until the heap was read
  return [
    { measure: `${shape}: build the model (rows by family and Region, columns, lookups)`, value: `${built.ms.toFixed(1)} ms (${matrix.rows.length} rows, ${matrix.columns.length} columns)`, goal: '≤ 100 ms', met: built.ms <= 100 },
    { measure: `${shape}: heap of one model with every cell drawn once (copies of the AMIs included)`, value: `${heapMb.toFixed(1)} MB`, goal: '≤ 20 MB', met: heapMb <= 20 },
    { measure: `${shape}: filter by name and recipient`, value: `${filtered.ms.toFixed(2)} ms`, goal: '≤ 16 ms (one frame)', met: filtered.ms <= 16 },
    { measure: `${shape}: cell states of one scroll position (virtualised window, ${VIEWPORT} px / ${ROW_HEIGHT} px rows + ${OVERSCAN} overscan)`, value: `${perFrameMs.toFixed(2)} ms for ${Math.round(cellsPerFrame)} cells (of ${imageRows.length * shown.columns.length} in the matrix)`, goal: '≤ 8 ms (half a frame)', met: perFrameMs <= 8 },
    { measure: `${shape}: one click (toggle a cell, ${pending.size} toggles pending at the end)`, value: `${perClickMs.toFixed(3)} ms per click on average`, goal: '≤ 1 ms', met: perClickMs <= 1 },
    { measure: `${shape}: ${pending.size} pending toggles → the plan shown → pipeline requests`, value: `${planned.ms.toFixed(1)} ms (${planned.value.length} requests); the plan alone ${planOnly.ms.toFixed(1)} ms`, goal: '≤ 100 ms', met: planned.ms <= 100 },
    { measure: `${shape}: CSV export`, value: `${csv.ms.toFixed(1)} ms (${Math.round(csv.value.length / 1024)} KB)`, goal: '≤ 200 ms', met: csv.ms <= 200 },
  ];
}
