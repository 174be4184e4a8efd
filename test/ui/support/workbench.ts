// Playwright helpers for UI tests against a real VS Code workbench (code-server in headless Chromium) with
// the extension installed from its .vsix. Selectors checked against VS Code 1.100.3; see
// /work/shared/notes/real-vscode-offline.md. Every helper waits for what it needs (the extension host
// registers contributed views and commands about a second after the workbench shows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { DEFAULT_POLL_TIMEOUT_MS, eventually } from '../../support/poll';

const DEFAULT_TIMEOUT_MS = DEFAULT_POLL_TIMEOUT_MS;
/** Compiled to out/test/ui/support/, four folders below the repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface OpenWorkbenchOptions {
  /** Also wait until this activity-bar item (e.g. the extension's container title) exists. */
  waitForActivityBarItem?: string;
  timeoutMs?: number;
  viewport?: { width: number; height: number };
  /** Runs on the new page before it loads the workbench: listeners (dialog, console) and init scripts. */
  preparePage?: (page: Page) => Promise<void> | void;
}

/**
 * Opens the workbench on workspaceFolder in a new page and waits until it is drawn and its (Node) extension
 * host is connected. url is the code-server base URL (RunningCodeServer.url).
 */
export async function openWorkbench(
  browser: Browser,
  url: string,
  workspaceFolder: string,
  opts: OpenWorkbenchOptions = {},
): Promise<Page> {
  const timeout = opts.timeoutMs ?? 30_000;
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  await opts.preparePage?.(page);
  // The only outward sign that the extension host is up: the workbench logs its socket to the console.
  const extensionHostConnected = page.waitForEvent('console', {
    predicate: (message) => /Creating a socket \(renderer-ExtensionHost-[^)]*\) was successful/.test(message.text()),
    timeout,
  });
  extensionHostConnected.catch(() => undefined); // awaited below; keeps a failed goto from also leaving it unhandled
  await page.goto(`${url}?folder=${encodeURIComponent(workspaceFolder)}`);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  await extensionHostConnected;
  if (opts.waitForActivityBarItem) await activityBarItem(page, opts.waitForActivityBarItem).waitFor({ timeout });
  return page;
}

function activityBarItem(page: Page, title: string): Locator {
  // aria-label is "Explorer (Ctrl+Shift+E)" for built-ins, the bare title for contributed containers.
  return page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${cssString(title)}"]`);
}

/** Shows the view container; does nothing if it is already shown (a second click would hide the sidebar). */
export async function clickActivityBarItem(page: Page, title: string): Promise<void> {
  const link = activityBarItem(page, title).first();
  await link.waitFor();
  const item = link.locator('xpath=..');
  const alreadyShown = (await item.getAttribute('class'))?.split(/\s+/).includes('checked') ?? false;
  if (alreadyShown && (await page.locator('.part.sidebar').isVisible())) return;
  await link.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
}

/** Drags the sash on the sidebar's right edge so the sidebar is about `width` px wide (long descriptions fit). */
export async function resizeSidebar(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the sidebar is not shown');
  const edge = box.x + box.width;
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((nodes) =>
    nodes.map((node) => {
      const r = node.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, height: r.height };
    }),
  );
  const sash = sashes.filter((s) => Math.abs(s.x - edge) <= 4 && s.height > 0).sort((a, b) => b.height - a.height)[0];
  if (!sash) throw new Error(`no vertical sash at the sidebar's right edge (x=${edge})`);
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, sash.y, { steps: 5 });
  await page.mouse.up();
  // Move off the sash so it loses its hover highlight before anyone takes a screenshot.
  await page.mouse.move(box.x + width / 2, box.y + box.height - 5);
  await page
    .waitForFunction("document.querySelector('.monaco-sash.hover, .monaco-sash.active') === null", undefined, { timeout: 2_000 })
    .catch(() => undefined);
  const after = await sidebar.boundingBox();
  if (!after || Math.abs(after.width - width) > 20) throw new Error(`sidebar is ${after?.width} px wide after resizing to ${width}`);
}

export interface TreeRow {
  label: string;
  description: string;
  ariaLabel: string;
  /** 1 for top-level rows. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
  /** The twistie spins while the extension computes the children. */
  loading: boolean;
  selected: boolean;
}

export interface TreeScope {
  /** Only rows of the sidebar section whose header starts with this (e.g. "Explorer Section", "Outline"). */
  view?: string;
}

function sidebarRows(page: Page, scope: TreeScope = {}): Locator {
  if (!scope.view) return page.locator('.part.sidebar .monaco-list-row');
  const header = page.locator(`.pane-header[aria-label^="${cssString(scope.view)}"]`);
  return page.locator('.part.sidebar .pane').filter({ has: header }).locator('.monaco-list-row');
}

/** The rendered rows of the sidebar's trees, top to bottom. Trees are virtualised: off-screen rows are absent. */
export async function treeRows(page: Page, scope: TreeScope = {}): Promise<TreeRow[]> {
  return sidebarRows(page, scope).evaluateAll((rows) =>
    rows
      .map((row) => ({
        top: row.getBoundingClientRect().top,
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        ariaLabel: row.getAttribute('aria-label') ?? '',
        level: Number(row.getAttribute('aria-level') ?? '1'),
        expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
        loading: row.querySelector('.monaco-tl-twistie.codicon-tree-item-loading') !== null,
        selected: row.getAttribute('aria-selected') === 'true',
      }))
      // DOM order is recycling order, not screen order.
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...row }) => row),
  );
}

/**
 * Polls the sidebar's rows until `accept` returns true for them (e.g. once descriptions filled in after an
 * asynchronous load) and returns them; on timeout the error shows the rows last seen.
 */
export async function waitForTreeRows(
  page: Page,
  what: string,
  accept: (rows: TreeRow[]) => boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<TreeRow[]> {
  return eventually(
    async () => {
      const rows = await treeRows(page);
      if (accept(rows)) return rows;
      const seen = rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}${r.description ? ` — ${r.description}` : ''}`).join('\n');
      throw new Error(`tree rows never showed ${what} within ${timeoutMs} ms; last seen:\n${seen}`);
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** The sidebar tree row whose label is exactly `label`. */
export function treeRow(page: Page, label: string, scope: TreeScope = {}): Locator {
  return sidebarRows(page, scope)
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
}

export async function waitForTreeRow(page: Page, label: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Locator> {
  const row = treeRow(page, label);
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return row;
}

/**
 * Expands a collapsed row (the first with that label) and returns its children once they have loaded. An
 * expanded row that stays childless and not loading for a second counts as empty.
 */
export async function expandTreeRow(page: Page, label: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<TreeRow[]> {
  const row = await waitForTreeRow(page, label, timeoutMs);
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
  }
  let emptySince: number | undefined;
  return eventually(
    async () => {
      const rows = await treeRows(page);
      const parent = rows.find((r) => r.label === label);
      if (parent?.expanded && !parent.loading) {
        const children = childRows(rows, label);
        if (children.length > 0) return children;
        emptySince ??= Date.now();
        if (Date.now() - emptySince >= 1_000) return [];
      } else {
        emptySince = undefined;
      }
      throw new Error(`tree row "${label}" did not finish expanding within ${timeoutMs} ms`);
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** The rows right under the first row labelled `parentLabel`, top to bottom (of those `rows` holds). */
export function childRows(rows: TreeRow[], parentLabel: string): TreeRow[] {
  const at = rows.findIndex((r) => r.label === parentLabel);
  if (at < 0) return [];
  const level = rows[at]!.level;
  const out: TreeRow[] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.level <= level) break;
    if (row.level === level + 1) out.push(row);
  }
  return out;
}

export async function rightClickTreeRow(page: Page, label: string): Promise<void> {
  const row = await waitForTreeRow(page, label);
  await row.click({ button: 'right' });
  await contextMenu(page).waitFor({ state: 'visible' });
}

function contextMenu(page: Page): Locator {
  return page.locator('.context-view.monaco-menu-container .monaco-menu').first();
}

/** Labels of the open context menu, separators left out. */
export async function contextMenuItems(page: Page): Promise<string[]> {
  await contextMenu(page).waitFor({ state: 'visible' });
  const labels = await contextMenu(page).locator('a.action-menu-item .action-label').allTextContents();
  return labels.map((label) => label.trim()).filter((label) => label.length > 0);
}

/** Clicks an item of the open context menu by its exact label. */
export async function clickContextMenuItem(page: Page, label: string): Promise<void> {
  const item = contextMenu(page)
    .locator('a.action-menu-item')
    .filter({ has: page.locator('.action-label', { hasText: exactly(label) }) })
    .first();
  // The workbench ignores a click that lands right after the menu opened (measured: an immediate click is
  // dropped, one after hovering for 100-300 ms works), so hover, pause, click, and retry once if still open.
  for (let attempt = 0; attempt < 2; attempt++) {
    await item.hover();
    await page.waitForTimeout(200);
    await item.click();
    const closed = await contextMenu(page).waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
    if (closed) return;
  }
  throw new Error(`context menu item "${label}" did not respond to clicks`);
}

export interface WelcomeView {
  /** The paragraphs' text, in order (a link inside a paragraph is part of its text). */
  paragraphs: string[];
  /** Labels of the buttons (links on a line of their own). */
  buttons: string[];
}

function welcomeContent(page: Page, view: string): Locator {
  const header = page.locator(`.pane-header[aria-label^="${cssString(view)}"]`);
  return page.locator('.part.sidebar .pane').filter({ has: header }).locator('.welcome-view-content');
}

/**
 * The welcome content of the sidebar view whose header starts with `view`, once it shows a paragraph
 * matching `expected` (welcome contents switch with context keys the extension sets after loading).
 */
export async function waitForWelcomeView(page: Page, view: string, expected: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WelcomeView> {
  const content = welcomeContent(page, view);
  return eventually(
    async () => {
      const visible = await content.first().isVisible();
      const paragraphs = visible ? (await content.first().locator('p').allTextContents()).map((t) => t.trim()) : [];
      if (paragraphs.some((t) => expected.test(t))) {
        const buttons = (await content.first().locator('.monaco-button').allTextContents()).map((t) => t.trim());
        return { paragraphs, buttons };
      }
      throw new Error(`the welcome of view "${view}" never showed ${expected} within ${timeoutMs} ms; last seen: ${visible ? JSON.stringify(paragraphs) : '(no welcome shown)'}`);
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Clicks a button of the view's welcome content by its exact label. */
export async function clickWelcomeButton(page: Page, view: string, label: string): Promise<void> {
  await welcomeContent(page, view).locator('.monaco-button', { hasText: exactly(label) }).first().click();
}

/**
 * Opens the command palette (F1), types `query` and returns the label of every command it lists, scrolling
 * through the whole (virtualised) list with the arrow keys; closes the palette again.
 */
export async function paletteCommands(page: Page, query: string, settled: (labels: string[]) => boolean): Promise<string[]> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${query}`);
  const rows = quickInput(page).locator('.monaco-list-row .label-name');
  // The list filters as it is typed; wait until what is shown first passes the caller's check.
  await eventually(
    async () => {
      const shown = (await rows.allTextContents()).map((t) => t.trim());
      if (shown.length > 0 && settled(shown)) return;
      throw new Error(`the palette never settled for ${JSON.stringify(query)}; last seen: ${JSON.stringify(shown)}`);
    },
    { intervalMs: 100 },
  );
  const seen: string[] = [];
  const focused = quickInput(page).locator('.monaco-list-row.focused .label-name');
  // Down from the last row wraps to the first: stop once a label comes round again.
  for (let step = 0; step < 500; step++) {
    const label = ((await focused.first().textContent({ timeout: 2_000 }).catch(() => null)) ?? '').trim();
    if (label && seen.includes(label)) break;
    if (label) seen.push(label);
    await input.press('ArrowDown');
  }
  await input.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden' });
  return seen;
}

function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Runs a command by its palette title ("Category: Title", as the palette shows it). */
export async function runCommandFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await quickPickRow(page, title).click();
  await quickInput(page).waitFor({ state: 'hidden' }).catch(() => undefined); // the command may open its own input
}

function quickPickRow(page: Page, label: string): Locator {
  return quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
}

/** Types into an open showInputBox and confirms with Enter. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** Picks an item of an open showQuickPick by its exact label. */
export async function pickQuickPickItem(page: Page, label: string): Promise<void> {
  await quickPickRow(page, label).click();
}

export interface NotificationToast {
  text: string;
  toast: Locator;
}

/** Waits for a notification toast whose message matches, then for its slide-in animation to finish. */
export async function waitForNotification(page: Page, text: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<NotificationToast> {
  const message = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  await message.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.waitForTimeout(800);
  // `has` takes a locator relative to the toast: the page-rooted `message` (its selector starts at
  // .notifications-toasts, outside the toast) would match no toast at all.
  const toast = page
    .locator('.notifications-toasts .notification-toast')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: text }) })
    .first();
  return { text: (await message.textContent())?.trim() ?? '', toast };
}

export async function clickNotificationButton(toast: NotificationToast, label: string): Promise<void> {
  await toast.toast.locator('.notification-list-item-buttons-container a.monaco-button', { hasText: exactly(label) }).click();
}

export interface ModalDialog {
  message: string;
  detail: string;
  buttons: string[];
}

/** Waits for a modal showInformation/Warning/ErrorMessage({ modal: true }) dialog. */
export async function waitForDialog(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ModalDialog> {
  const box = page.locator('.monaco-dialog-box');
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  return {
    message: (await box.locator('.dialog-message-text').textContent())?.trim() ?? '',
    // innerText: the detail's lines are separate elements, textContent would run them together.
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the reader sees (line breaks of separate elements); textContent runs them together.
    detail: (await box.locator('.dialog-message-detail').innerText({ timeout: 1_000 }).catch(() => ''))?.trim() ?? '',
    buttons: (await box.locator('.dialog-buttons a.monaco-button').allTextContents()).map((b) => b.trim()),
  };
}

/** Clicks a button of the modal; done when that modal is gone, or replaced at once by the next question. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const box = page.locator('.monaco-dialog-box');
  const message = (await box.locator('.dialog-message-text').textContent())?.trim() ?? '';
  await box.locator('.dialog-buttons a.monaco-button', { hasText: exactly(label) }).click();
  await eventually(
    async () => {
      if (!(await box.isVisible())) return;
      const now = (await box.locator('.dialog-message-text').textContent({ timeout: 500 }).catch(() => null))?.trim();
      if (now !== undefined && now !== message) return;
      throw new Error(`the dialog "${message}" did not close after clicking ${label}`);
    },
    { intervalMs: 100 },
  );
}

/**
 * Webviews are iframes inside iframes (index.html, then fake.html holding the content); returns the first
 * frame anywhere in the page for which predicate holds. See frameHasSelector for the usual predicate.
 */
export async function findWebviewFrame(
  page: Page,
  predicate: (frame: Frame) => boolean | Promise<boolean>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Frame> {
  return eventually(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame() || frame.isDetached()) continue;
        const matches = await Promise.resolve(predicate(frame)).catch(() => false); // frames come and go
        if (matches) return frame;
      }
      throw new Error(`no webview frame matched within ${timeoutMs} ms`);
    },
    { timeoutMs, intervalMs: 200 },
  );
}

export function frameHasSelector(selector: string): (frame: Frame) => Promise<boolean> {
  return async (frame) => (await frame.$(selector)) !== null;
}

/**
 * Waits until the element's text matches (webview content is re-rendered on every message, so poll rather
 * than hold element handles); returns the text. On timeout the error shows the text last seen.
 */
export async function waitForText(locator: Locator, expected: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return eventually(
    async () => {
      const last = (await locator.first().textContent({ timeout: 1_000 }).catch(() => undefined)) ?? undefined;
      if (last !== undefined && expected.test(last)) return last.trim();
      throw new Error(`${String(locator)} never matched ${expected} within ${timeoutMs} ms; last text: ${last === undefined ? '(no element)' : JSON.stringify(last.trim())}`);
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Saves test-results/NAME.png (AMI_SHARING_TEST_RESULTS overrides the folder); returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.AMI_SHARING_TEST_RESULTS ?? path.join(REPO_ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
