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
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { findFormOf, showImageGroup } from './support/amiSharing';
import { CONTAINER_TITLE, UiSession } from './support/session';
import {
  childRows,
  clickActivityBarItem,
  clickContextMenuItem,
  contextMenuItems,
  expandTreeRow,
  rightClickTreeRow,
  resizeSidebar,
  screenshot,
  treeRow,
  waitForNotification,
  waitForText,
  waitForTreeRows,
  type TreeRow,
} from './support/workbench';

const DEV = DEFAULT_ACCOUNTS.dev;
const PROD = DEFAULT_ACCOUNTS.prod;
const PARTNER = DEFAULT_ACCOUNTS.external.accountId; // 444444444444
const AMI = (day: number): string => `golden-al2023-2026-11-0${day}`;
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 45_000;

const session = new UiSession();

/** Shows the AMI Sharing view with dev → us-east-1 → My AMIs expanded; returns the AMI rows once loaded. */
async function showDevImages(p: Page): Promise<TreeRow[]> {
  const images = await showImageGroup(p, 'dev', 'us-east-1', 'My AMIs');
  assert.ok(images.length > 0, 'My AMIs has no rows');
  return images;
}

function descriptionOf(rows: TreeRow[], label: string): string | undefined {
  return rows.find((r) => r.label === label)?.description;
}

async function openFormFromTree(p: Page, name: string, imageId: string): Promise<Frame> {
  await showDevImages(p);
  await rightClickTreeRow(p, name);
  await clickContextMenuItem(p, 'Edit Permissions…');
  return findFormOf(p, imageId);
}

describe('AMI Sharing in the real workbench (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 6 * TEST_TIMEOUT_MS }, () => {
  // UiSession.start sets `amiSharing.profiles: ["dev", "prod"]`, the profiles these tests expect.
  before(() => session.start(), { timeout: SETUP_TIMEOUT_MS });
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the activity-bar icon shows the profiles with their account IDs', TEST_TIMEOUT_MS, async (p) => {
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

  session.test('dev → us-east-1 → My AMIs lists the AMIs newest first with their sharing status', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    const expectedNames = [7, 6, 5, 4, 3, 2, 1].map(AMI);
    // Sharing status loads after the list; wait until the rows checked below have it.
    const rows = childRows(
      await waitForTreeRows(p, 'the sharing status of -01, -02 and -03', (all) => {
        const images = childRows(all, 'My AMIs');
        return [1, 2, 3].every((day) => /· (private|public|shared with \d+)$/.test(descriptionOf(images, AMI(day)) ?? ''));
      }),
      'My AMIs',
    );
    assert.deepEqual(rows.map((r) => r.label), expectedNames);
    for (const row of rows) assert.match(row.description, /^ami-[0-9a-f]+ · /, `description of ${row.label}`);
    assert.match(descriptionOf(rows, AMI(3))!, /shared with 2$/);
    assert.match(descriptionOf(rows, AMI(2))!, /public$/);
    assert.match(descriptionOf(rows, AMI(1))!, /private$/);
    const ids = await session.control.images(DEV.accountId, DEV.region);
    assert.equal(descriptionOf(rows, AMI(1))!.split(' · ')[0], ids.find((i) => i.name === AMI(1))?.imageId, 'the tree shows the endpoint\'s AMI ID');
    const sidebar = await p.locator('.part.sidebar').boundingBox();
    if (sidebar && sidebar.width < 480) await resizeSidebar(p, 520); // so the screenshot shows whole descriptions
    await screenshot(p, 'tree');
  });

  session.test('each kind of tree item has exactly the context menu that applies to it', TEST_TIMEOUT_MS, async (p) => {
    const menuOf = async (label: string): Promise<string[]> => {
      await rightClickTreeRow(p, label);
      const items = await contextMenuItems(p);
      await p.keyboard.press('Escape');
      await p.locator('.context-view.monaco-menu-container .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 });
      return items;
    };
    const rows = await showDevImages(p);
    // Menus follow the sharing state, so wait until the share counts are in.
    for (const day of [1, 2, 6]) {
      await waitForText(treeRow(p, AMI(day)).locator('.label-description'), /private|public|shared with \d+/);
    }
    const copies = ['Copy AMI ID', 'Copy AMI ARN', 'Open in EC2 Console'];
    assert.deepEqual(await menuOf(AMI(1)), ['Edit Permissions…', 'Share AMI…', ...copies, 'Copy AMI to Regions…', 'Promote from Previous Version…', 'Deprecate AMI…', 'Deregistration Protection…', 'Disable AMI…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Refresh'], 'a private, available AMI: nothing to unshare or make private');
    assert.deepEqual(
      await menuOf(AMI(2)),
      ['Edit Permissions…', 'Share AMI…', 'Unshare AMI…', 'Make AMI Private…', 'Reset Launch Permissions…', ...copies, 'Copy AMI to Regions…', 'Promote from Previous Version…', 'Deprecate AMI…', 'Deregistration Protection…', 'Disable AMI…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Check Recipients', 'Refresh'],
      'a public AMI',
    );
    assert.ok(rows.some((r) => r.label === AMI(6)), 'fixture: -06 is pending');
    assert.deepEqual(await menuOf(AMI(6)), ['Edit Permissions…', ...copies, 'Deprecate AMI…', 'Deregistration Protection…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Refresh'], 'a pending AMI cannot be shared or copied yet');
    const entries = await expandTreeRow(p, AMI(3));
    assert.deepEqual(await menuOf(entries[0]!.label), ['Unshare AMI…'], 'a launch permission entry');
    const shared = await expandTreeRow(p, 'Shared with me');
    assert.deepEqual(await menuOf(shared[0]!.label), [...copies, 'Copy to My AMIs…', 'Stop Receiving This AMI', 'Refresh'], 'an AMI shared with me: copy it, or stop receiving it');
  });

  session.test('the Edit Permissions form shares a private AMI with an account', TEST_TIMEOUT_MS, async (p) => {
    const initial = await session.control.image(DEV.accountId, DEV.region, AMI(1));
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

    await waitForTreeRows(p, `${AMI(1)} as "shared with 1"`, (all) => /· shared with 1$/.test(descriptionOf(childRows(all, 'My AMIs'), AMI(1)) ?? ''));
    const afterSave = await session.control.image(DEV.accountId, DEV.region, AMI(1));
    assert.deepEqual(afterSave.launchPermissions, [{ UserId: PARTNER }]);
  });

  session.test('the form validates account IDs as you type', TEST_TIMEOUT_MS, async (p) => {
    const { imageId } = await session.control.image(DEV.accountId, DEV.region, AMI(1));
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
