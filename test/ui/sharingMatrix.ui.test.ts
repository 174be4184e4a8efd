// Browser UI tests of the sharing matrix and of the manifest as a user edits it, in the packaged extension
// (ami-sharing.vsix) in code-server, driven through headless Chromium against the local EC2/STS endpoint.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/sharingMatrix.ui.test.js
//
// The tests share one workbench and run in order; each brings the state it needs itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { showImageGroup } from './support/amiSharing';
import { CONTAINER_TITLE, UiSession } from './support/session';
import {
  clickActivityBarItem,
  clickContextMenuItem,
  clickDialogButton,
  findWebviewFrame,
  frameHasSelector,
  rightClickTreeRow,
  runCommandFromPalette,
  screenshot,
  waitForDialog,
  waitForText,
  waitForTreeRow,
  waitForTreeRows,
  type ModalDialog,
} from './support/workbench';

const DEV = DEFAULT_ACCOUNTS.dev;
const PARTNER = DEFAULT_ACCOUNTS.external.accountId; // 444444444444
const NEW_ACCOUNT = '555555555555';
const AMI = (day: number): string => `golden-al2023-2026-11-0${day}`;
/** Owned by dev in us-east-1: another hand may name an AMI anything; the matrix must show it as text. */
const HOSTILE_NAME = '<img src=x onerror=alert(7)><b>matrix</b>';
const POLICY = 'matrix-golden';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 60_000;

let workspaceFolder = '';
const session = new UiSession();

async function openMatrix(p: Page): Promise<Frame> {
  await runCommandFromPalette(p, 'AMI Sharing: Open Sharing Matrix');
  const frame = await findWebviewFrame(p, frameHasSelector('#matrix-scroll .row.image'), 30_000);
  return frame;
}

const cell = (frame: Frame, imageId: string, recipient: string) => frame.locator(`.row.image[data-image-id="${imageId}"] button.cell[data-recipient="${recipient}"]`);

async function stateOf(frame: Frame, imageId: string, recipient: string): Promise<string | null> {
  return cell(frame, imageId, recipient).getAttribute('data-state', { timeout: 5_000 });
}

/**
 * Clicks Apply and confirms each modal the change asks (they must match `expected`, in order) until
 * #matrix-result matches `done`.
 */
async function applyAndConfirm(p: Page, frame: Frame, done: RegExp, expected: RegExp[], timeoutMs = 40_000): Promise<{ result: string; modals: ModalDialog[] }> {
  await frame.locator('#apply').click();
  const modals: ModalDialog[] = [];
  const box = p.locator('.monaco-dialog-box');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = (await frame.locator('#matrix-result').textContent({ timeout: 500 }).catch(() => null))?.trim();
    if (result !== undefined && done.test(result)) {
      assert.equal(modals.length, expected.length, `expected the modals ${expected.join(', ')}; saw ${JSON.stringify(modals.map((m) => m.message))}`);
      return { result, modals };
    }
    if (await box.isVisible()) {
      const modal = await waitForDialog(p, 2_000);
      const wanted = expected[modals.length];
      if (!wanted?.test(modal.message)) throw new Error(`unexpected modal ${JSON.stringify(modal)}; expected ${wanted ?? 'none'}`);
      modals.push(modal);
      await clickDialogButton(p, 'Apply');
      continue;
    }
    if (Date.now() > deadline) throw new Error(`#matrix-result never matched ${done}; last: ${JSON.stringify(result ?? '(none)')}; modals: ${JSON.stringify(modals)}`);
    await p.waitForTimeout(150);
  }
}

describe('the sharing matrix and the manifest in the real workbench', { timeout: SETUP_TIMEOUT_MS + 4 * TEST_TIMEOUT_MS }, () => {
  let hostileId = '';
  before(
    () =>
      session.start({
        prepareEndpoint: async (control) => {
          hostileId = (await control.registerImage({ accountId: DEV.accountId, region: DEV.region, name: HOSTILE_NAME, launchPermissions: [{ UserId: PARTNER }] })).imageId;
        },
        prepareWorkspace: (folder) => {
          workspaceFolder = folder;
          fs.writeFileSync(path.join(folder, 'ami-sharing.json'), '{ "policies": [] }\n');
        },
        // Typed text stays as typed: no auto-closed brackets or quotes, no completions.
        userSettings: {
          'editor.autoClosingBrackets': 'never',
          'editor.autoClosingQuotes': 'never',
          'editor.autoSurround': 'never',
          'editor.autoIndent': 'none',
          'editor.formatOnType': false,
          'editor.quickSuggestions': { other: false, comments: false, strings: false },
          'editor.suggestOnTriggerCharacters': false,
          'editor.acceptSuggestionOnEnter': 'off',
        },
      }),
    { timeout: SETUP_TIMEOUT_MS },
  );
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the matrix shows AMIs by family with their recipients; a hostile AMI name is text', TEST_TIMEOUT_MS, async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    const frame = await openMatrix(p);
    const three = await session.control.image(DEV.accountId, DEV.region, AMI(3));
    await waitForText(frame.locator(`.row.image[data-image-id="${three.imageId}"] .image-name`), new RegExp(`^${AMI(3)}$`));
    assert.equal(await stateOf(frame, three.imageId, PARTNER), 'shared');
    assert.equal(await stateOf(frame, three.imageId, '222222222222'), 'shared+snapshots', 'prod may copy -03 too');
    assert.equal(await stateOf(frame, three.imageId, 'all'), 'not shared');
    assert.equal(await stateOf(frame, (await session.control.image(DEV.accountId, DEV.region, AMI(2))).imageId, 'all'), 'shared');
    const groups = await frame.locator('.row.group').allTextContents();
    assert.ok(groups.some((g) => g.startsWith('golden-al2023 · us-east-1 · dev')), `family groups: ${JSON.stringify(groups)}`);

    const hostileName = frame.locator(`.row.image[data-image-id="${hostileId}"] .image-name`);
    assert.equal((await hostileName.textContent())?.trim(), HOSTILE_NAME, 'the name is shown literally');
    assert.equal(await frame.locator('#matrix-scroll img, #matrix-scroll b').count(), 0, 'no element came from the name');
    assert.equal(await stateOf(frame, hostileId, PARTNER), 'shared');
    await screenshot(p, 'sharing-matrix');

    // Export CSV: the extension opens the CSV of what is shown in a new editor beside the matrix.
    await frame.locator('#filter-text').fill('golden-al2023');
    await waitForText(frame.locator('#shown-count'), /^7 of 8 AMIs/);
    await frame.locator('#export-csv').click();
    await waitForText(frame.locator('#matrix-result'), /Exported 7 AMIs as CSV\.$/);
    const csvEditor = p.locator('.editor-instance .monaco-editor .view-lines').last();
    await waitForText(csvEditor, /^profile,region,family,imageId,name,creationDate,public,/);
    // Close the untitled CSV unsaved, so no "unsaved" badge covers the Explorer icon later.
    await csvEditor.click();
    await runCommandFromPalette(p, 'View: Revert and Close Editor');
    await p.locator('.tab', { hasText: 'Untitled-1' }).waitFor({ state: 'detached' });
    await frame.locator('#filter-text').fill('');
  });

  session.test('cells toggled build a plan; Apply goes through the pipeline (one confirmation) and the cells follow the read-back', TEST_TIMEOUT_MS, async (p) => {
    // The matrix opened by the test before, else a new one.
    const frame = await findWebviewFrame(p, frameHasSelector('#matrix-scroll .row.image'), 2_000).catch(() => openMatrix(p));
    const one = await session.control.image(DEV.accountId, DEV.region, AMI(1));
    const three = await session.control.image(DEV.accountId, DEV.region, AMI(3));
    await waitForText(frame.locator('#plan-summary'), /No pending changes/);
    await cell(frame, one.imageId, PARTNER).click();
    // By keyboard: newest first, so -03 is two rows above -01 in the same column; Enter toggles it.
    await p.keyboard.press('ArrowUp');
    await p.keyboard.press('ArrowUp');
    assert.equal(await frame.evaluate("document.activeElement?.closest('.row')?.getAttribute('data-image-id')"), three.imageId, 'the arrows moved the focus to -03');
    await p.keyboard.press('Enter');
    assert.equal(await cell(frame, one.imageId, PARTNER).getAttribute('data-pending'), 'add');
    assert.equal(await cell(frame, three.imageId, PARTNER).getAttribute('data-pending'), 'remove');
    await waitForText(frame.locator('#plan-summary'), /^2 AMIs will change:$/);
    const plan = (await frame.locator('#plan-list li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(plan.map((line) => line.replace(/\s+/g, ' ')).sort(), [`${AMI(1)} ${one.imageId} (dev, us-east-1): + ${PARTNER}`, `${AMI(3)} ${three.imageId} (dev, us-east-1): − ${PARTNER}`].sort());

    const { modals } = await applyAndConfirm(p, frame, /^Applied to 2 AMIs\.$/, [/Apply the sharing matrix changes to 2 AMIs\?/]);
    assert.match(modals[0]!.detail, new RegExp(`${one.imageId}[\\s\\S]*\\+ ${PARTNER}`));
    assert.match(modals[0]!.detail, new RegExp(`${three.imageId}[\\s\\S]*− ${PARTNER}`));
    assert.deepEqual((await session.control.image(DEV.accountId, DEV.region, AMI(1))).launchPermissions, [{ UserId: PARTNER }]);
    assert.ok(!(await session.control.image(DEV.accountId, DEV.region, AMI(3))).launchPermissions.some((e) => e.UserId === PARTNER));
    // The cells show the state read back, and no toggle is left pending.
    assert.equal(await stateOf(frame, one.imageId, PARTNER), 'shared');
    assert.equal(await stateOf(frame, three.imageId, PARTNER), 'not shared');
    assert.equal(await cell(frame, one.imageId, PARTNER).getAttribute('data-pending'), null);
    await waitForText(frame.locator('#plan-summary'), /No pending changes/);
  });

  session.test('typing a policy into ami-sharing.json shows its drift in the Policies view and the AMI tree; Reconcile clears it', TEST_TIMEOUT_MS, async (p) => {
    // Opened from the Explorer, as a user would (Quick Open needs the file search, which code-server may lack).
    await clickActivityBarItem(p, 'Explorer');
    await (await waitForTreeRow(p, 'ami-sharing.json')).dblclick();
    const editor = p.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible' });
    await p.locator('.tab.active', { hasText: 'ami-sharing.json' }).waitFor();
    await editor.locator('.view-lines').click();
    await p.keyboard.press('Control+A');
    const manifest = JSON.stringify({ policies: [{ name: POLICY, profile: 'dev', regions: ['us-east-1'], images: { namePattern: AMI(1) }, share: { accounts: [NEW_ACCOUNT] } }] });
    await p.keyboard.insertText(manifest);
    await p.keyboard.press('Control+S');
    const file = path.join(workspaceFolder, 'ami-sharing.json');
    const deadline = Date.now() + 10_000;
    while (fs.readFileSync(file, 'utf8') !== manifest && Date.now() < deadline) await p.waitForTimeout(200);
    assert.equal(fs.readFileSync(file, 'utf8'), manifest, 'the editor saved what was typed');

    await clickActivityBarItem(p, CONTAINER_TITLE);
    const policiesHeader = p.locator('.part.sidebar .pane-header[aria-label^="Policies"]');
    if ((await policiesHeader.getAttribute('aria-expanded')) === 'false') await policiesHeader.click();
    await waitForTreeRows(p, `policy ${POLICY} with 1 drifting AMI`, (rows) => rows.some((r) => r.label === POLICY && /1 AMIs · 1 drifting/.test(r.description)), 30_000);
    await showImageGroup(p, 'dev', 'us-east-1', 'My AMIs');
    await waitForTreeRows(p, `${AMI(1)} marked as drifting`, (rows) => rows.some((r) => r.label === AMI(1) && new RegExp(`drifts from policy "${POLICY}"`).test(r.description)), 30_000);
    await screenshot(p, 'policy-drift');

    // The policy's own matrix, from its row: only its AMI, the drifting cell marked.
    await rightClickTreeRow(p, POLICY);
    await clickContextMenuItem(p, 'Open Sharing Matrix');
    const policyMatrix = await findWebviewFrame(p, async (f) => (await f.locator('h1').textContent({ timeout: 200 }).catch(() => null)) === `Sharing matrix: ${POLICY}` && (await f.locator('.row.image').count()) > 0, 30_000);
    const one = await session.control.image(DEV.accountId, DEV.region, AMI(1));
    assert.deepEqual(await policyMatrix.locator('.row.image').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-image-id'))), [one.imageId]);
    assert.match((await stateOf(policyMatrix, one.imageId, NEW_ACCOUNT)) ?? '', /drift: missing/);

    await rightClickTreeRow(p, POLICY);
    await clickContextMenuItem(p, 'Reconcile');
    await waitForTreeRows(p, `policy ${POLICY} with no drift`, (rows) => rows.some((r) => r.label === POLICY && /1 AMIs · 0 drifting/.test(r.description)), 30_000);
    const after = (await session.control.image(DEV.accountId, DEV.region, AMI(1))).launchPermissions;
    assert.ok(after.some((e) => e.UserId === NEW_ACCOUNT), `the missing account was added: ${JSON.stringify(after)}`);
    await waitForTreeRows(p, `${AMI(1)} no longer marked`, (rows) => rows.some((r) => r.label === AMI(1) && !/drifts from policy/.test(r.description)), 30_000);
  });
});
