// The sharing matrix webview: draws only the rows in view (fixed row height), keeps the pending toggles, and
// sends them to the extension, which plans and applies them through the pipeline. Every piece of text from
// AWS (AMI names, recipients) goes in through textContent or a title attribute, never as markup.
import * as l10n from '@vscode/l10n';
import { cellWords } from '../core/matrix/csv';
import { buildMatrix, cellOf, pendingPlan, prunePending, togglePending, type Cell, type Matrix, type MatrixColumn, type MatrixRow, type Pending } from '../core/matrix/model';
import { filterMatrix, regionsOf, visibleWindow, type FilteredMatrix, type MatrixFilter } from '../core/matrix/view';
import { describePermission } from '../core/permissionPlan';
import type { ExtensionToMatrix, MatrixState, MatrixToExtension } from '../webview/matrixProtocol';
import { button, el, icon } from './dom';
import { setUpL10n } from './l10nSetup';

declare function acquireVsCodeApi(): { postMessage(message: MatrixToExtension): void };

setUpL10n();
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

const ROW_HEIGHT = 26;
const OVERSCAN = 8;

let state: MatrixState | undefined;
let matrix: Matrix | undefined;
let shown: FilteredMatrix | undefined;
let pending: Pending = new Map();
const filter: MatrixFilter = {};
let includeSnapshots = false;
let busy: string | undefined;
let result: { text: string; failed: boolean; details: string[] } | undefined;
let nextRequestId = 1;
let waitingFor: number | undefined;

// Built once; the rows inside the scroller are redrawn on scroll, the rest on state changes.
const scroller = el('div', { class: 'scroller', id: 'matrix-scroll', role: 'grid', 'aria-rowcount': '0' });
const header = el('div', { class: 'row header', role: 'row' });
const body = el('div', { class: 'body', role: 'rowgroup' });
scroller.append(header, body);
const planSection = el('section', { class: 'plan', 'aria-labelledby': 'plan-heading' });
const status = el('div', { class: 'status', role: 'status' });

function send(message: MatrixToExtension): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent<ExtensionToMatrix>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      state = message.state;
      matrix = buildMatrix(state);
      pending = prunePending(matrix, pending);
      busy = undefined;
      renderAll();
      return;
    case 'loading':
      busy = message.label;
      if (state) renderStatus();
      else renderAll();
      return;
    case 'applied':
      if (message.requestId !== waitingFor) return;
      waitingFor = undefined;
      busy = undefined;
      result = { text: message.message, failed: message.outcome === 'failed', details: message.results.filter((r) => !r.ok).map((r) => `${r.imageId}: ${r.error ?? l10n.t('failed')}`) };
      renderPlan();
      renderStatus();
      return;
    case 'exported':
      result = { text: message.message, failed: !message.ok, details: [] };
      renderStatus();
      return;
    case 'error':
      busy = undefined;
      waitingFor = undefined;
      result = { text: message.message, failed: true, details: [] };
      renderPlan();
      renderStatus();
      return;
  }
});

function columnTitle(column: MatrixColumn): string {
  switch (column.kind) {
    case 'public':
      return l10n.t('Public (all AWS accounts)');
    case 'organization':
      return l10n.t('Organization {0}', column.detail);
    case 'organizationalUnit':
      return l10n.t('Organizational unit {0}', column.detail);
    case 'account':
      return column.label === column.detail ? l10n.t('Account {0}', column.detail) : l10n.t('Account {0} ({1})', column.detail, column.label);
  }
}

function cellLabel(cell: Cell): string {
  if (cell.unknown) return l10n.t('permissions could not be read');
  const parts: string[] = [];
  if (cell.shared) parts.push(cell.snapshots === 'all' ? l10n.t('shared, snapshots too') : cell.snapshots === 'some' ? l10n.t('shared, some snapshots') : l10n.t('shared'));
  else if (cell.covered === 'maybe') parts.push(l10n.t('not shared directly; maybe through an organization or OU'));
  else if (cell.covered?.through === 'public') parts.push(l10n.t('not shared directly; public'));
  else if (cell.covered) parts.push(l10n.t('not shared directly; covered via {0}', matrix?.accountNames[cell.covered.by] ?? cell.covered.by));
  else parts.push(cell.snapshots === 'all' || cell.snapshots === 'some' ? l10n.t('not shared; snapshots only') : l10n.t('not shared'));
  if (cell.drift === 'missing') parts.push(l10n.t('drift: the policy wants it'));
  if (cell.drift === 'extra') parts.push(l10n.t('drift: the policy removes it'));
  if (cell.drift === 'snapshotMissing') parts.push(l10n.t('drift: snapshot copy permission missing'));
  if (cell.drift === 'snapshotExtra') parts.push(l10n.t('drift: extra snapshot copy permission'));
  if (cell.pending === 'add') parts.push(l10n.t('will be shared'));
  if (cell.pending === 'remove') parts.push(l10n.t('will be unshared'));
  return parts.join(', ');
}

function cellClass(cell: Cell): string {
  const classes = ['cell'];
  classes.push(cell.unknown ? 'unknown' : cell.shared ? 'shared' : cell.covered ? 'covered' : 'none');
  if (cell.snapshots === 'all') classes.push('snap-all');
  if (cell.snapshots === 'some') classes.push('snap-some');
  if (cell.drift) classes.push('drift', `drift-${cell.drift}`);
  if (cell.pending) classes.push(`pending-${cell.pending}`);
  return classes.join(' ');
}

/** ✓ shared, ~ covered or maybe, · not shared; a pending toggle shows what it will be. */
function cellSymbol(cell: Cell): string {
  if (cell.unknown) return '?';
  if (cell.pending === 'add') return '+';
  if (cell.pending === 'remove') return '−';
  return cell.shared ? '✓' : cell.covered ? '~' : '·';
}

function drawCell(row: MatrixRow & { kind: 'image' }, column: MatrixColumn, index: number, col: number): HTMLElement {
  const cell = cellOf(matrix!, row.image, column, pending);
  const b = el(
    'button',
    {
      type: 'button',
      class: cellClass(cell),
      role: 'gridcell',
      'data-index': String(index),
      'data-col': String(col),
      'data-recipient': column.detail,
      'data-state': cellWords(cell) || 'not shared',
      'data-pending': cell.pending,
      'aria-label': `${row.image.name} · ${columnTitle(column)}: ${cellLabel(cell)}`,
      title: `${columnTitle(column)}: ${cellLabel(cell)}`,
      disabled: cell.unknown || Boolean(busy && waitingFor !== undefined),
    },
    el('span', { class: 'symbol', 'aria-hidden': 'true' }, cellSymbol(cell)),
    cell.snapshots === 'all' || cell.snapshots === 'some' ? el('span', { class: 'snap', 'aria-hidden': 'true' }, cell.snapshots === 'all' ? 'S' : 's') : undefined,
    cell.drift ? el('span', { class: 'drift-mark', 'aria-hidden': 'true' }, '!') : undefined,
  );
  return b;
}

function drawRow(row: MatrixRow, index: number): HTMLElement {
  if (row.kind === 'group') {
    const label = l10n.t('{0} · {1} · {2} ({3})', row.family, row.region, row.profile, row.count);
    const div = el('div', { class: 'row group', role: 'row', 'data-group': row.family }, el('div', { class: 'name', role: 'rowheader' }, label));
    div.style.top = `${index * ROW_HEIGHT}px`;
    return div;
  }
  const { image } = row;
  const name = el(
    'div',
    { class: 'name', role: 'rowheader', title: `${image.name}\n${image.imageId} · ${image.profile} · ${image.region}${image.creationDate ? ` · ${image.creationDate}` : ''}${image.drift ? `\n${l10n.t('Policies: {0}', image.drift.policies.join(', '))}` : ''}${image.error ? `\n${image.error}` : ''}` },
    el('span', { class: 'image-name' }, image.name || image.imageId),
    el('span', { class: 'image-id' }, image.imageId),
  );
  const div = el('div', { class: `row image${image.error ? ' unreadable' : ''}`, role: 'row', 'data-image-id': image.imageId }, name, ...shown!.columns.map((column, col) => drawCell(row, column, index, col)));
  div.style.top = `${index * ROW_HEIGHT}px`;
  return div;
}

let frame = 0;
function renderRows(): void {
  frame = 0;
  if (!shown) return;
  const window_ = visibleWindow(shown.rows.length, scroller.scrollTop, scroller.clientHeight - ROW_HEIGHT, ROW_HEIGHT, OVERSCAN);
  body.style.height = `${window_.totalHeight}px`;
  const rows: HTMLElement[] = [];
  for (let index = window_.start; index < window_.end; index++) rows.push(drawRow(shown.rows[index]!, index));
  body.replaceChildren(...rows);
}

function scheduleRows(): void {
  if (!frame) frame = requestAnimationFrame(renderRows);
}

scroller.addEventListener('scroll', scheduleRows);
window.addEventListener('resize', scheduleRows);
// One listener for every cell: the cell names its row and column by index into what is shown.
body.addEventListener('click', (event) => {
  const target = (event.target as HTMLElement).closest('button.cell');
  if (!(target instanceof HTMLButtonElement) || !shown || !matrix) return;
  const row = shown.rows[Number(target.dataset.index)];
  const column = shown.columns[Number(target.dataset.col)];
  if (row?.kind !== 'image' || !column) return;
  pending = togglePending(matrix, pending, row.key, column.key);
  result = undefined;
  renderRows();
  renderPlan();
  renderStatus();
  // The row was redrawn: keep the keyboard focus on the same cell.
  (body.querySelector(`button.cell[data-index="${target.dataset.index}"][data-col="${target.dataset.col}"]`) as HTMLElement | null)?.focus();
});

/** Arrow keys move between cells (skipping group rows), scrolling the window so the target row is drawn. */
body.addEventListener('keydown', (event) => {
  const target = (event.target as HTMLElement).closest('button.cell');
  if (!(target instanceof HTMLButtonElement) || !shown) return;
  const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  let index = Number(target.dataset.index);
  const col = Math.min(shown.columns.length - 1, Math.max(0, Number(target.dataset.col) + move[1]));
  if (move[0] !== 0) {
    do index += move[0];
    while (index >= 0 && index < shown.rows.length && shown.rows[index]!.kind !== 'image');
    if (index < 0 || index >= shown.rows.length) return;
  }
  const top = index * ROW_HEIGHT;
  if (top < scroller.scrollTop + ROW_HEIGHT) scroller.scrollTop = Math.max(0, top - ROW_HEIGHT);
  else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + 2 * ROW_HEIGHT - scroller.clientHeight;
  renderRows();
  (body.querySelector(`button.cell[data-index="${index}"][data-col="${col}"]`) as HTMLElement | null)?.focus();
});

function renderHeader(): void {
  if (!shown) return;
  header.replaceChildren(
    el('div', { class: 'name', role: 'columnheader' }, l10n.t('AMI')),
    ...shown.columns.map((column) => el('div', { class: `column ${column.kind}`, role: 'columnheader', title: columnTitle(column), 'data-recipient': column.detail }, column.label)),
  );
  const width = 300 + shown.columns.length * 76;
  header.style.width = `${width}px`;
  body.style.width = `${width}px`;
  scroller.setAttribute('aria-rowcount', String(shown.rows.length));
  scroller.setAttribute('aria-colcount', String(shown.columns.length + 1));
}

function renderPlan(): void {
  if (!matrix) return;
  const plan = pendingPlan(matrix, pending);
  const names = matrix.accountNames;
  const describe = (list: typeof plan[number]['add']) => list.map((p) => describePermission(p, names)).join(', ');
  const applying = waitingFor !== undefined;
  const snapshotBox = el('input', { type: 'checkbox', id: 'include-snapshots', checked: includeSnapshots });
  snapshotBox.addEventListener('change', () => {
    includeSnapshots = snapshotBox.checked;
  });
  planSection.replaceChildren(
    el('h2', { id: 'plan-heading' }, l10n.t('Pending changes')),
    plan.length === 0
      ? el('p', { id: 'plan-summary', class: 'muted' }, l10n.t('No pending changes. Click cells to share or unshare.'))
      : el('p', { id: 'plan-summary' }, plan.length === 1 ? l10n.t('1 AMI will change:') : l10n.t('{0} AMIs will change:', plan.length)),
    plan.length
      ? el(
          'ul',
          { id: 'plan-list' },
          ...plan.map((p) =>
            el(
              'li',
              { 'data-image-id': p.image.imageId },
              el('span', { class: 'image-name' }, p.image.name || p.image.imageId),
              el('span', { class: 'muted' }, ` ${p.image.imageId} (${p.image.profile}, ${p.image.region}): `),
              p.add.length ? el('span', { class: 'adding' }, `+ ${describe(p.add)}`) : undefined,
              p.add.length && p.remove.length ? '; ' : undefined,
              p.remove.length ? el('span', { class: 'removing' }, `− ${describe(p.remove)}`) : undefined,
            ),
          ),
        )
      : '',
    el('div', { class: 'radio' }, snapshotBox, el('label', { for: 'include-snapshots' }, l10n.t('Also add / remove accounts and public access on the snapshots (createVolumePermission), so recipients can copy the AMIs'))),
    el(
      'div',
      { class: 'buttons' },
      button(l10n.t('Apply'), () => apply(), { icon: 'check', id: 'apply', disabled: plan.length === 0 || applying }),
      button(
        l10n.t('Discard'),
        () => {
          pending = new Map();
          result = undefined;
          renderRows();
          renderPlan();
          renderStatus();
        },
        { icon: 'discard', secondary: true, id: 'discard', disabled: plan.length === 0 || applying },
      ),
    ),
  );
}

function apply(): void {
  if (!matrix || pending.size === 0) return;
  waitingFor = nextRequestId++;
  busy = l10n.t('Applying through the change pipeline…');
  result = undefined;
  send({ type: 'apply', requestId: waitingFor, toggles: [...pending.values()], snapshots: includeSnapshots });
  renderPlan();
  renderStatus();
}

function renderStatus(): void {
  status.replaceChildren(
    busy ? el('p', { class: 'busy' }, icon('loading codicon-modifier-spin'), ` ${busy}`) : '',
    result ? el('p', { id: 'matrix-result', class: result.failed ? 'error' : 'ok' }, icon(result.failed ? 'error' : 'check'), ` ${result.text}`) : '',
    result?.details.length ? el('ul', { class: 'failures' }, ...result.details.map((d) => el('li', { class: 'error' }, d))) : '',
    ...(state?.errors ?? []).map((e) => el('p', { class: 'error' }, icon('warning'), ` ${e}`)),
  );
}

function refilter(): void {
  if (!matrix) return;
  shown = filterMatrix(matrix, filter);
  (document.getElementById('shown-count') as HTMLElement | null)?.replaceChildren(l10n.t('{0} of {1} AMIs, {2} recipients', shown.imageCount, matrix.images.size, shown.columns.length));
  renderHeader();
  renderRows();
}

function textInput(id: string, label: string, placeholder: string, field: 'text' | 'recipient'): HTMLElement {
  const input = el('input', { type: 'search', id, placeholder, 'aria-label': label });
  input.value = filter[field] ?? '';
  input.addEventListener('input', () => {
    filter[field] = input.value;
    refilter();
  });
  return el('label', { class: 'filter' }, el('span', {}, label), input);
}

function toolbar(): HTMLElement {
  const select = el('select', { id: 'filter-region', 'aria-label': l10n.t('Region') }, el('option', { value: '' }, l10n.t('All Regions')), ...regionsOf(matrix!).map((r) => el('option', { value: r, selected: filter.region === r }, r)));
  select.addEventListener('change', () => {
    if (select.value) filter.region = select.value;
    else delete filter.region;
    refilter();
  });
  return el(
    'div',
    { class: 'toolbar' },
    textInput('filter-text', l10n.t('Name'), l10n.t('AMI name or ID'), 'text'),
    el('label', { class: 'filter' }, el('span', {}, l10n.t('Region')), select),
    textInput('filter-recipient', l10n.t('Recipient'), l10n.t('Account, name or ARN'), 'recipient'),
    el('span', { class: 'spacer' }),
    button(l10n.t('Export CSV'), () => send({ type: 'exportCsv', requestId: nextRequestId++, filter: { ...filter } }), { icon: 'export', secondary: true, id: 'export-csv' }),
    button('', () => send({ type: 'reload' }), { icon: 'refresh', secondary: true, ariaLabel: l10n.t('Reload'), id: 'reload' }),
  );
}

function legend(): HTMLElement {
  const item = (symbol: string, className: string, text: string) => el('li', {}, el('span', { class: `cell legend ${className}`, 'aria-hidden': 'true' }, symbol), ` ${text}`);
  return el(
    'ul',
    { class: 'legend-list', 'aria-label': l10n.t('Legend') },
    item('✓', 'shared', l10n.t('shared')),
    item('·', 'none', l10n.t('not shared')),
    item('~', 'covered', l10n.t('covered through public access or an organization / OU')),
    item('S', 'shared snap-all', l10n.t('snapshot copy permission too')),
    item('!', 'none drift', l10n.t('drift against the policy')),
    item('+', 'pending-add', l10n.t('pending change')),
  );
}

function renderAll(): void {
  if (!state || !matrix) {
    app.replaceChildren(el('p', { class: 'loading' }, busy ?? l10n.t('Loading the sharing matrix…')));
    return;
  }
  const focusedId = document.activeElement?.id;
  const title = state.policy ? l10n.t('Sharing matrix: {0}', state.policy) : l10n.t('Sharing matrix');
  app.replaceChildren(el('h1', {}, title), toolbar(), el('p', { id: 'shown-count', class: 'muted' }), legend(), scroller, status, planSection);
  refilter();
  renderPlan();
  renderStatus();
  if (focusedId) document.getElementById(focusedId)?.focus();
}

renderAll();
send({ type: 'ready' });
