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
import * as path from 'node:path';
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
  paletteCommands,
  waitForTreeRow,
  waitForNotification,
  waitForText,
  waitForTreeRows,
  type TreeRow,
} from './support/workbench';

const DEV = DEFAULT_ACCOUNTS.dev;
const PROD = DEFAULT_ACCOUNTS.prod;
const PARTNER = DEFAULT_ACCOUNTS.external.accountId; // 444444444444
const AMI = (day: number): string => `golden-al2023-2026-11-0${day}`;
/** A policy in the workspace's manifest that matches no AMI: its row has a context menu, and no AMI drifts. */
const MENU_POLICY = 'menu-check';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 45_000;

const session = new UiSession();

/** Shows the AMI Sharing view with dev → us-east-1 → My AMIs expanded; returns the AMI rows once loaded. */
async function showDevImages(p: Page): Promise<TreeRow[]> {
  const images = await showImageGroup(p, 'dev', 'us-east-1', 'My AMIs');
  assert.ok(images.length > 0, 'My AMIs has no rows');
  return images;
}

/** The labels of a tree row's context menu; closes the menu again. */
async function menuOf(p: Page, label: string): Promise<string[]> {
  await rightClickTreeRow(p, label);
  const items = await contextMenuItems(p);
  await p.keyboard.press('Escape');
  await p.locator('.context-view.monaco-menu-container .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 });
  return items;
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

describe('AMI Sharing in the real workbench (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 14 * TEST_TIMEOUT_MS }, () => {
  // UiSession.start sets `amiSharing.profiles: ["dev", "prod"]`, the profiles these tests expect.
  before(
    () =>
      session.start({
        prepareWorkspace: (folder) => {
          const policy = { name: MENU_POLICY, profile: 'dev', regions: [DEV.region], images: { namePattern: 'no-ami-is-called-this-*' }, share: { accounts: [PARTNER] } };
          fs.writeFileSync(path.join(folder, 'ami-sharing.json'), `${JSON.stringify({ policies: [policy] }, null, 2)}\n`);
        },
      }),
    { timeout: SETUP_TIMEOUT_MS },
  );
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

  session.test('the command palette offers the commands that work without a tree item, and only those', TEST_TIMEOUT_MS, async (p) => {
    const commands = await paletteCommands(p, 'AMI Sharing', (shown) => shown.every((label) => label.startsWith('AMI Sharing: ')));
    const ours = commands.filter((label) => label.startsWith('AMI Sharing: ')).map((label) => label.slice('AMI Sharing: '.length));
    // Node-only commands (they need a tree item or a script's argument) and the audit toggles that do not
    // apply now (no public-only audit running, no filter set) are hidden.
    for (const hidden of ['Promote AMI (scripts)', 'Promote from Previous Version…', 'Run aws sso login', 'Select AMI', 'Copy AMI ARN', 'Open in EC2 Console', 'Edit Permissions of the Selected AMI', 'Unshare the Selected Permission Entries', 'Refresh the Selected Item', 'Show All AMIs', 'Clear AMI Filter']) {
      assert.ok(!ours.includes(hidden), `"${hidden}" is hidden from the palette; it lists ${JSON.stringify(ours)}`);
    }
    assert.deepEqual(
      [...ours].sort(),
      [
        'Refresh', 'Select Regions…', 'Run aws configure sso in a Terminal', 'Open AWS Config File', 'Show Log', 'Share AMI…', 'Unshare AMI…', 'Reset Launch Permissions…', 'Make AMI Private…',
        'Deprecate AMI…', 'Deregistration Protection…', 'Disable AMI…', 'Enable AMI…', 'Deregister AMI…', 'Copy AMI ID', 'Edit Permissions…', 'Copy AMI to Regions…',
        'Check Recipients', 'Copy to My AMIs…', 'Stop Receiving This AMI', 'Find Public AMIs', 'Show Change Log', 'Undo a Change…', 'Filter AMIs…',
        'Hide or Show Disabled and Deprecated AMIs', 'Reconcile', 'Refresh Policies', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Open Sharing Matrix',
        // The workbench adds one for each contributed view.
        'Focus on AMIs View', 'Focus on Policies View',
      ].sort(),
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

  // One test per kind of tree item, each asserting the exact context menu (separators left out), so a
  // failure names the kind. Menus of AMIs follow their sharing state: each waits until its share count is in.
  const COPIES = ['Copy AMI ID', 'Copy AMI ARN', 'Open in EC2 Console'];

  session.test('context menu of a profile', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    assert.deepEqual(await menuOf(p, 'dev'), ['Select Regions…', 'Refresh']);
  });

  session.test('context menu of a Region', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    assert.deepEqual(await menuOf(p, DEV.region), ['Refresh']);
  });

  session.test('context menu of a private, available AMI: nothing to unshare or make private', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    await waitForText(treeRow(p, AMI(1)).locator('.label-description'), /· private$/);
    assert.deepEqual(await menuOf(p, AMI(1)), ['Edit Permissions…', 'Share AMI…', ...COPIES, 'Copy AMI to Regions…', 'Promote from Previous Version…', 'Deprecate AMI…', 'Deregistration Protection…', 'Disable AMI…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Refresh']);
  });

  session.test('context menu of a public AMI', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    await waitForText(treeRow(p, AMI(2)).locator('.label-description'), /· public$/);
    assert.deepEqual(
      await menuOf(p, AMI(2)),
      ['Edit Permissions…', 'Share AMI…', 'Unshare AMI…', 'Make AMI Private…', 'Reset Launch Permissions…', ...COPIES, 'Copy AMI to Regions…', 'Promote from Previous Version…', 'Deprecate AMI…', 'Deregistration Protection…', 'Disable AMI…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Check Recipients', 'Refresh'],
    );
  });

  session.test('context menu of a pending AMI: it cannot be shared or copied yet', TEST_TIMEOUT_MS, async (p) => {
    const rows = await showDevImages(p);
    assert.ok(rows.some((r) => r.label === AMI(6)), 'fixture: -06 is pending');
    await waitForText(treeRow(p, AMI(6)).locator('.label-description'), /private|public|shared with \d+/);
    assert.deepEqual(await menuOf(p, AMI(6)), ['Edit Permissions…', ...COPIES, 'Deprecate AMI…', 'Deregistration Protection…', 'Deregister AMI…', 'Write Manifest from Current Sharing', 'Export to Terraform', 'Refresh']);
  });

  session.test('context menu of a launch permission entry', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    const entries = await expandTreeRow(p, AMI(3));
    assert.ok(entries.length > 0, 'fixture: -03 is shared');
    assert.deepEqual(await menuOf(p, entries[0]!.label), ['Unshare AMI…']);
  });

  session.test('context menu of an AMI shared with me: copy it, or stop receiving it', TEST_TIMEOUT_MS, async (p) => {
    await showDevImages(p);
    const shared = await expandTreeRow(p, 'Shared with me');
    assert.deepEqual(await menuOf(p, shared[0]!.label), [...COPIES, 'Copy to My AMIs…', 'Stop Receiving This AMI', 'Refresh']);
  });

  session.test('context menu of a policy in the Policies view', TEST_TIMEOUT_MS, async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    const policiesHeader = p.locator('.part.sidebar .pane-header[aria-label^="Policies"]');
    if ((await policiesHeader.getAttribute('aria-expanded')) === 'false') await policiesHeader.click();
    await waitForTreeRow(p, MENU_POLICY);
    try {
      assert.deepEqual(await menuOf(p, MENU_POLICY), ['Reconcile', 'Open Sharing Matrix']);
    } finally {
      // Collapsed again, so the AMI tree has its full height (and its rows) for the tests after this one.
      if ((await policiesHeader.getAttribute('aria-expanded')) === 'true') await policiesHeader.click();
    }
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
