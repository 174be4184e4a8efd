// Browser UI tests of the packaged extension (ami-sharing.vsix) installed into a real VS Code (code-server
// 4.100.3) and driven through headless Chromium, as a user meets it: the activity-bar icon, the AMI tree, the
// context menu and the "Edit AMI permissions" webview form. The extension talks to the local EC2/STS test
// endpoint through the real AWS SDK (profiles dev and prod of the default fixture).
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui
//
// The tests share one workbench and run in order (node:test runs a file's tests one after another); each
// one brings the tree to the state it needs itself, so a failure names the step that broke.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { writeAwsConfigFiles } from '../endpoint/awsFiles';
import { DEFAULT_ACCOUNTS } from '../endpoint/defaultFixture';
import { startTestEndpoint, type TestEndpoint } from '../endpoint/server';
import { ControlClient } from '../support/controlClient';
import { cleanupOnSignals, type SignalGuard } from '../vscode/cleanupOnSignals';
import { installVsix, launchChromium, startCodeServer, type RunningCodeServer } from '../vscode/codeServer';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  contextMenuItems,
  expandTreeRow,
  findWebviewFrame,
  openWorkbench,
  rightClickTreeRow,
  resizeSidebar,
  screenshot,
  waitForNotification,
  waitForText,
  waitForTreeRows,
  type TreeRow,
} from './support/workbench';

/** Compiled to out/test/ui/, three folders below the repository root. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VSIX = path.join(REPO_ROOT, 'ami-sharing.vsix');
const CONTAINER_TITLE = 'AMI Sharing';
const DEV = DEFAULT_ACCOUNTS.dev;
const PROD = DEFAULT_ACCOUNTS.prod;
const PARTNER = DEFAULT_ACCOUNTS.external.accountId; // 444444444444
const AMI = (day: number): string => `golden-al2023-2026-11-0${day}`;
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 45_000;

let scratch: string | undefined;
let endpoint: TestEndpoint | undefined;
let server: RunningCodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let guard: SignalGuard | undefined;
let control: ControlClient;

function workbench(): Page {
  if (!page) throw new Error('the workbench did not open (see the before() failure)');
  return page;
}

/** Stops everything started so far; each step runs even if an earlier one fails. Safe to call twice. */
async function cleanup(): Promise<void> {
  const failures: unknown[] = [];
  const attempt = async (step: () => Promise<unknown> | undefined): Promise<void> => {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  };
  await attempt(() => browser?.close());
  browser = undefined;
  page = undefined;
  await attempt(() => server?.stop());
  await attempt(() => endpoint?.close());
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  if (failures.length) throw new AggregateError(failures, 'UI test cleanup failed');
}

/** For the process 'exit' handler: synchronous, so only kills and removes. */
function stopNow(): void {
  server?.stopNow();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}

function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * A test with a hard timeout; on failure it saves test-results/failed-NAME.png and adds code-server's log
 * tail to the error, so a red run explains itself.
 */
function uiTest(name: string, body: (page: Page) => Promise<void>): void {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    const p = workbench();
    try {
      await body(p);
    } catch (error) {
      const shot = await screenshot(p, `failed-${name.slice(0, 40)}`).catch(() => '(no screenshot)');
      if (error instanceof Error) error.message += `\n  screenshot: ${shot}`;
      throw error;
    }
  });
}

/** Shows the AMI Sharing view with dev → us-east-1 → My AMIs expanded; returns the AMI rows once loaded. */
async function showDevImages(p: Page): Promise<TreeRow[]> {
  await clickActivityBarItem(p, CONTAINER_TITLE);
  await expandTreeRow(p, 'dev');
  await expandTreeRow(p, 'us-east-1');
  const images = await expandTreeRow(p, 'My AMIs');
  assert.ok(images.length > 0, 'My AMIs has no rows');
  return images;
}

/** The rows right under the first "My AMIs" (dev → us-east-1, the only Region the tests expand). */
function amiRows(rows: TreeRow[]): TreeRow[] {
  const at = rows.findIndex((r) => r.label === 'My AMIs');
  if (at < 0) return [];
  const level = rows[at]!.level;
  const out: TreeRow[] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.level <= level) break;
    if (row.level === level + 1) out.push(row);
  }
  return out;
}

function descriptionOf(rows: TreeRow[], label: string): string | undefined {
  return rows.find((r) => r.label === label)?.description;
}

/** The form's frame for one AMI: the webview document whose summary shows that AMI ID. */
async function findFormFrame(p: Page, imageId: string): Promise<Frame> {
  try {
    return await findWebviewFrame(
      p,
      async (frame) => (await frame.locator('dd[data-field="AMI ID"]').textContent({ timeout: 200 }).catch(() => null))?.trim() === imageId,
      20_000,
    );
  } catch (error) {
    // Say what the frames do show: no form at all, a form still loading, or the form of another AMI.
    const frames = await Promise.all(
      p.frames().map(async (frame) => {
        const text = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '(unreadable)');
        return `  ${frame.url().slice(0, 100)}: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 160))}`;
      }),
    );
    throw new Error(`no Edit Permissions form showing AMI ID ${imageId} (${(error as Error).message}); frames:\n${frames.join('\n')}`);
  }
}

async function openFormFromTree(p: Page, name: string, imageId: string): Promise<Frame> {
  await showDevImages(p);
  await rightClickTreeRow(p, name);
  await clickContextMenuItem(p, 'Edit Permissions…');
  return findFormFrame(p, imageId);
}

describe('AMI Sharing in the real workbench (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 6 * TEST_TIMEOUT_MS }, () => {
  before(async () => {
    if (!fs.existsSync(VSIX)) {
      throw new Error(`${VSIX} is missing: the UI tests run the packaged extension. Build it first with \`npm run package\` in ${REPO_ROOT}.`);
    }
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-ui-'));
    // Registered first, so a Ctrl+C during start-up also stops what has started.
    guard = cleanupOnSignals(cleanup, stopNow);
    // On Ctrl+C the `node --test` parent exits at once; this file's stdout/stderr pipes then break, and the
    // next report line would crash this process with EPIPE before the cleanup above has stopped code-server
    // (seen: code-server left running, reparented to init). Lost output is all we lose by ignoring it.
    ignoreBrokenPipes();
    const workspace = path.join(scratch, 'workspace');
    const extensionsDir = path.join(scratch, 'extensions');
    fs.mkdirSync(workspace);

    endpoint = await startTestEndpoint();
    control = new ControlClient(endpoint.url);
    const aws = writeAwsConfigFiles(path.join(scratch, 'aws'), { default: endpoint.url });
    await installVsix(VSIX, extensionsDir);
    server = await startCodeServer({
      workspaceFolder: workspace,
      runDir: path.join(scratch, 'run'),
      extensionsDir,
      env: {
        AWS_CONFIG_FILE: aws.configFile,
        AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      userSettings: { 'amiSharing.profiles': ['dev', 'prod'] },
    });
    browser = await launchChromium({ playwrightHandlesSignals: false });
    page = await openWorkbench(browser, server.url, workspace, { waitForActivityBarItem: CONTAINER_TITLE });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    try {
      await cleanup();
    } finally {
      guard?.dispose();
    }
  }, { timeout: 30_000 });

  uiTest('the activity-bar icon shows the profiles with their account IDs', async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    const rows = await waitForTreeRows(
      p,
      `profiles dev (${DEV.accountId}) and prod (${PROD.accountId})`,
      (all) => all.length === 2 && all[0]?.description === DEV.accountId && all[1]?.description === PROD.accountId,
    );
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.level, r.expanded]),
      [
        ['dev', DEV.accountId, 1, false],
        ['prod', PROD.accountId, 1, false],
      ],
    );
  });

  uiTest('dev → us-east-1 → My AMIs lists the AMIs newest first with their sharing status', async (p) => {
    await showDevImages(p);
    const expectedNames = [7, 6, 5, 4, 3, 2, 1].map(AMI);
    // Sharing status loads after the list; wait until the rows checked below have it.
    const rows = amiRows(
      await waitForTreeRows(p, 'the sharing status of -01, -02 and -03', (all) => {
        const images = amiRows(all);
        return [1, 2, 3].every((day) => /· (private|public|shared with \d+)$/.test(descriptionOf(images, AMI(day)) ?? ''));
      }),
    );
    assert.deepEqual(rows.map((r) => r.label), expectedNames);
    for (const row of rows) assert.match(row.description, /^ami-[0-9a-f]+ · /, `description of ${row.label}`);
    assert.match(descriptionOf(rows, AMI(3))!, /shared with 2$/);
    assert.match(descriptionOf(rows, AMI(2))!, /public$/);
    assert.match(descriptionOf(rows, AMI(1))!, /private$/);
    const ids = await control.images(DEV.accountId, DEV.region);
    assert.equal(descriptionOf(rows, AMI(1))!.split(' · ')[0], ids.find((i) => i.name === AMI(1))?.imageId, 'the tree shows the endpoint\'s AMI ID');
    const sidebar = await p.locator('.part.sidebar').boundingBox();
    if (sidebar && sidebar.width < 480) await resizeSidebar(p, 520); // so the screenshot shows whole descriptions
    await screenshot(p, 'tree');
  });

  uiTest(`the context menu of an owned AMI offers the permission commands`, async (p) => {
    await showDevImages(p);
    await rightClickTreeRow(p, AMI(1));
    const items = await contextMenuItems(p);
    for (const expected of ['Edit Permissions…', 'Share AMI…', 'Unshare AMI…', 'Make AMI Private…', 'Reset Launch Permissions…', 'Copy AMI ID']) {
      assert.ok(items.includes(expected), `context menu lacks "${expected}"; it has: ${JSON.stringify(items)}`);
    }
    await p.keyboard.press('Escape');
    await p.locator('.context-view.monaco-menu-container .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 });
  });

  uiTest('the Edit Permissions form shares a private AMI with an account', async (p) => {
    const initial = await control.image(DEV.accountId, DEV.region, AMI(1));
    assert.deepEqual(initial.launchPermissions, [], 'fixture: -01 starts private');
    const form = await openFormFromTree(p, AMI(1), initial.imageId);

    await waitForText(form.locator('dd[data-field="Name"]'), new RegExp(`^\\s*${AMI(1)}\\s*$`));
    await waitForText(form.locator('dd[data-field="AMI ID"]'), new RegExp(`^\\s*${initial.imageId}\\s*$`));
    await waitForText(form.locator('ul[aria-labelledby="accounts-heading"]'), /^\s*Not shared with any account\.\s*$/);
    await waitForText(form.locator('#pending-summary'), /No pending changes/);

    const save = form.locator('#save');
    assert.equal(await save.isDisabled(), true, 'Save is disabled while nothing is pending');

    await form.locator('#accounts-input').pressSequentially(PARTNER);
    await form.locator('#accounts-input-add').click();
    await waitForText(form.locator('#pending-summary'), /\+1 account\b/);
    await waitForText(form.locator('li[data-permission].adding'), new RegExp(`${PARTNER}\\s*will be added`));
    assert.equal(await form.locator('#accounts-input').inputValue(), '', 'the textarea empties after Add');
    assert.equal(await save.isDisabled(), false, 'Save is enabled once a change is pending');

    await save.click();
    await waitForText(form.locator('#result-message'), /^Saved\b/, 20_000);
    // The form reloads from AWS: the account is now a current permission, nothing is pending any more.
    await waitForText(form.locator('ul[aria-labelledby="accounts-heading"] li[data-permission]:not(.adding)'), new RegExp(`^\\s*${PARTNER}\\s*$`));
    await waitForText(form.locator('#pending-summary'), /No pending changes/);
    assert.equal(await save.isDisabled(), true, 'Save is disabled again after saving');
    const toast = await waitForNotification(p, new RegExp(`${initial.imageId}: \\+1 account`));
    const buttons = (await toast.toast.locator('.notification-list-item-buttons-container a.monaco-button').allTextContents()).map((b) => b.trim());
    assert.deepEqual(buttons, ['Undo'], 'the notification offers Undo');
    await form.locator('#result-message').scrollIntoViewIfNeeded();
    await screenshot(p, 'form');

    await waitForTreeRows(p, `${AMI(1)} as "shared with 1"`, (all) => /· shared with 1$/.test(descriptionOf(amiRows(all), AMI(1)) ?? ''));
    const afterSave = await control.image(DEV.accountId, DEV.region, AMI(1));
    assert.deepEqual(afterSave.launchPermissions, [{ UserId: PARTNER }]);
  });

  uiTest('the form validates account IDs as you type', async (p) => {
    const { imageId } = await control.image(DEV.accountId, DEV.region, AMI(1));
    const form = await openFormFromTree(p, AMI(1), imageId); // reveals the panel the last test opened, if any
    const input = form.locator('#accounts-input');
    const add = form.locator('#accounts-input-add');
    await input.fill('');
    await input.pressSequentially(`12345, ${DEV.accountId}`);
    const problem = await waitForText(form.locator('#accounts-input-problem'), /\S/);
    assert.match(problem, /"12345"/);
    assert.match(problem, new RegExp(`"${DEV.accountId}" is your own account`));
    assert.equal(await add.isDisabled(), true, 'Add is disabled while the input has problems');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');

    // Correcting the input clears the error and enables Add.
    await input.fill('');
    await input.pressSequentially('333333333333');
    await waitForText(form.locator('#accounts-input-problem'), /^\s*$/);
    assert.equal(await add.isDisabled(), false, 'Add is enabled for a valid account ID');
  });
});
