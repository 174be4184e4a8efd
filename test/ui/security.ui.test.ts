// Attacker-controlled text stays text: AMI names and descriptions come from whoever owns the AMI (another
// account can share an AMI with you and name it anything), so the tree labels, the tree tooltips (Markdown)
// and the Edit Permissions webview must show them literally — no HTML elements, no command: links, no
// script run. Packaged extension (ami-sharing.vsix) in code-server, driven through headless Chromium.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/security.ui.test.js
//
// Evidence that nothing ran, collected over the whole file and checked by the last test: browser dialogs
// (alert/confirm/prompt in any frame), an init script in every frame that reports alert/confirm/prompt
// calls to the console (sandboxed webviews ignore alert() without a dialog), console messages from any
// frame about blocked inline handlers, blocked images or ignored alerts, requests for the `x` of
// `<img src=x>`, and integrated terminals (the command: link would open one).
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import type { ControlImageView } from '../endpoint/control/control';
import { findFormOf, showImageGroup } from './support/amiSharing';
import { UiSession } from './support/session';
import { clickContextMenuItem, rightClickTreeRow, screenshot, treeRow, waitForText } from './support/workbench';

const DEV = DEFAULT_ACCOUNTS.dev;
const PROD = DEFAULT_ACCOUNTS.prod;
const REGION = 'us-east-1';
/** Shared by prod with dev: shows under dev → us-east-1 → Shared with me. */
const SHARED_NAME = '<img src=x onerror=alert(1)>';
/** Owned by dev: shows under dev → us-east-1 → My AMIs. */
const OWNED_NAME = '<b>bold</b><img src=x onerror=alert(3)>';
const DESCRIPTION = '[click me](command:workbench.action.terminal.new) <script>alert(2)</script>';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 30_000;

const session = new UiSession();
let sharedImage: ControlImageView;
let ownedImage: ControlImageView;

/** What would show that attacker text ran or became markup, gathered from every frame of the page. */
const evidence = {
  dialogs: [] as string[],
  console: [] as string[],
  pageErrors: [] as string[],
  requestsForX: [] as string[],
};
const SUSPICIOUS_CONSOLE = /\[xss-probe\]|alert\(|allow-modals|inline event handler|Refused to load the image|onerror/i;

/** Reports alert/confirm/prompt calls (also the ones a sandboxed frame ignores silently) before running them. */
const PROBE_SCRIPT = `(() => {
  for (const name of ['alert', 'confirm', 'prompt']) {
    const original = window[name];
    window[name] = function (...args) {
      console.log('[xss-probe] ' + name + '(' + args.map(String).join(', ') + ') in ' + location.href);
      return typeof original === 'function' ? original.apply(this, args) : undefined;
    };
  }
})();`;

async function registerImage(endpointUrl: string, body: object): Promise<ControlImageView> {
  const response = await fetch(`${endpointUrl}/__control/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST /__control/images: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as ControlImageView;
}

async function watchPage(page: Page): Promise<void> {
  await page.addInitScript(PROBE_SCRIPT);
  page.on('dialog', (dialog) => {
    evidence.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('console', (message) => {
    const text = message.text();
    if (SUSPICIOUS_CONSOLE.test(text)) evidence.console.push(`[${message.type()}] ${text} (${message.location().url.slice(0, 120)})`);
  });
  page.on('pageerror', (error) => {
    if (SUSPICIOUS_CONSOLE.test(String(error))) evidence.pageErrors.push(String(error));
  });
  page.on('request', (request) => {
    if (/\/x$/.test(new URL(request.url()).pathname)) evidence.requestsForX.push(request.url());
  });
}

/** Integrated terminals the workbench has drawn (the command: link in the description would open one). */
function terminalCount(p: Page): Promise<number> {
  return p.locator('.terminal-wrapper, .xterm, .terminal-tabs-entry').count();
}

/** Hovers a tree row and returns the visible hover widget showing its tooltip (titled with `name`). */
async function hoverTooltip(p: Page, row: Locator, name: string): Promise<Locator> {
  // Away first, so the hover of an earlier row goes and the wait below cannot find it.
  await p.mouse.move(0, 0);
  await p.keyboard.press('Escape');
  await row.locator('.label-name').hover();
  const title = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0]'));
  const hover = p.locator('.monaco-hover, .workbench-hover').filter({ hasText: title }).filter({ hasText: /Description/ }).last();
  await hover.waitFor({ state: 'visible', timeout: 8_000 });
  return hover;
}

/** Text as shown: Markdown escaping turns spaces into no-break spaces. */
/** The text as a reader sees it: non-breaking spaces as spaces, and without the zero-width joiners that keep URLs from being linkified. */
function shownText(text: string | null): string {
  return (text ?? '').replace(/\u00a0/g, ' ').replace(/\u200d/g, '');
}

async function assertInertTooltip(hover: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the reader sees (line breaks of separate elements); textContent runs them together.
  const text = shownText(await hover.innerText());
  assert.ok(text.includes(DESCRIPTION), `the tooltip shows the description as text; it shows:\n${text}`);
  assert.equal(await hover.locator('a[href^="command:"], a[data-href^="command:"]').count(), 0, 'no command: link in the tooltip');
  assert.equal(await hover.locator('a', { hasText: 'click me' }).count(), 0, 'the Markdown link became no link at all');
  assert.equal(await hover.locator('script, img, iframe, object, embed').count(), 0, 'no <script>/<img> elements in the tooltip');
  return text;
}

describe('Attacker-controlled AMI names and descriptions are inert (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 5 * TEST_TIMEOUT_MS }, () => {
  before(async () => {
    await session.start({
      preparePage: watchPage,
      prepareEndpoint: async (_control, endpoint) => {
        sharedImage = await registerImage(endpoint.url, {
          accountId: PROD.accountId,
          region: REGION,
          name: SHARED_NAME,
          description: DESCRIPTION,
          launchPermissions: [{ UserId: DEV.accountId }],
        });
        ownedImage = await registerImage(endpoint.url, { accountId: DEV.accountId, region: REGION, name: OWNED_NAME, description: DESCRIPTION });
      },
    });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(() => session.stop(), { timeout: 30_000 });

  session.test('a shared AMI named <img …> shows as text in the tree and its tooltip', TEST_TIMEOUT_MS, async (p) => {
    assert.equal(await terminalCount(p), 0, 'no terminal at the start');
    const shared = await showImageGroup(p, 'dev', REGION, 'Shared with me');
    const listed = shared.find((r) => r.label === SHARED_NAME);
    assert.ok(listed, `Shared with me lists the AMI by its literal name; rows: ${JSON.stringify(shared.map((r) => r.label))}`);
    assert.equal(listed.description, `${sharedImage.imageId} · owner ${PROD.accountId}`);

    const row = treeRow(p, SHARED_NAME);
    assert.equal(await row.locator('.label-name').textContent(), SHARED_NAME, 'label text exactly the name');
    assert.equal(await row.locator('img').count(), 0, 'no <img> element in the row');

    const hover = await hoverTooltip(p, row, SHARED_NAME);
    const text = await assertInertTooltip(hover);
    assert.ok(text.includes(SHARED_NAME), `the tooltip shows the name as text; it shows:\n${text}`);
    await screenshot(p, 'xss-tree');
    await p.mouse.move(0, 0);
    assert.equal(await terminalCount(p), 0, 'no terminal was opened');
  });

  session.test('an owned AMI named <b>bold</b><img …> shows as text in My AMIs', TEST_TIMEOUT_MS, async (p) => {
    const owned = await showImageGroup(p, 'dev', REGION, 'My AMIs');
    assert.equal(owned[0]?.label, OWNED_NAME, `the new AMI is listed first (newest) by its literal name; rows: ${JSON.stringify(owned.map((r) => r.label))}`);
    const row = treeRow(p, OWNED_NAME);
    assert.equal(await row.locator('.label-name').textContent(), OWNED_NAME, 'label text exactly the name');
    assert.equal(await row.locator('b, img').count(), 0, 'no <b> or <img> element in the row');

    const hover = await hoverTooltip(p, row, OWNED_NAME);
    const text = await assertInertTooltip(hover);
    assert.ok(text.includes(OWNED_NAME), `the tooltip shows the name as text; it shows:\n${text}`);
    assert.equal(await hover.locator('b').count(), 0, 'no <b> element from the name in the tooltip');
    await p.mouse.move(0, 0);
  });

  session.test('the Edit Permissions form shows the name as text', TEST_TIMEOUT_MS, async (p) => {
    await showImageGroup(p, 'dev', REGION, 'My AMIs');
    await rightClickTreeRow(p, OWNED_NAME);
    await clickContextMenuItem(p, 'Edit Permissions…');
    const form = await findFormOf(p, ownedImage.imageId);

    const name = form.locator('dd[data-field="Name"]');
    await waitForText(name, /\S/);
    assert.equal(await name.textContent(), OWNED_NAME, 'summary Name is the raw name');
    assert.equal(await name.evaluate((dd) => dd.childElementCount), 0, 'summary Name has no element children');
    assert.equal(await form.locator('#app b, #app img, #app script, #app iframe').count(), 0, 'no element made from the name anywhere in the form');
    // The editor tab's title carries the name too.
    const tab = p.locator('.tabs-container .tab').filter({ hasText: 'AMI permissions:' }).first();
    assert.equal(shownText(await tab.locator('.label-name').textContent()).trim(), `AMI permissions: ${OWNED_NAME}`);
    assert.equal(await tab.locator('b, img').count(), 0, 'no element made from the name in the tab title');
    await p.mouse.move(800, 880); // off the tree, so no inline-action tooltip shows in the screenshot
    await screenshot(p, 'xss-form');
  });

  session.test('no script ran anywhere: no dialogs, no alert calls, no blocked handlers, no <img src=x>, no terminal', TEST_TIMEOUT_MS, async (p) => {
    // Give late renders (hover, webview) a moment to report.
    await p.waitForTimeout(500);
    assert.deepEqual(evidence.dialogs, [], 'browser dialogs (alert/confirm/prompt) in any frame');
    assert.deepEqual(evidence.console, [], 'console messages that show markup or script from AMI text');
    assert.deepEqual(evidence.pageErrors, [], 'page errors that mention AMI text');
    assert.deepEqual(evidence.requestsForX, [], 'requests for the x of <img src=x>');
    assert.equal(await terminalCount(p), 0, 'no terminal was opened');
    // The probe is really in place in every frame (the main page and the webview frames).
    const probed = await Promise.all(
      p.frames().map((frame) => frame.evaluate<boolean>("String(window.alert).includes('xss-probe')").catch(() => undefined)),
    );
    assert.ok(probed.filter((x) => x === true).length >= 2, `probe installed in the workbench and the webview frames: ${JSON.stringify(probed)}`);
  });
});
