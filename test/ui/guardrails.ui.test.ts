// Guardrails in the Edit Permissions form, as a user meets them in the real workbench (packaged .vsix in
// code-server, headless Chromium, local EC2/STS/KMS test endpoint with the default fixture):
// encryption warnings (AWS managed key: cannot be shared; customer managed key: recipients need the key
// policy), a concurrent change made elsewhere while the form is open (the save must keep it), and bulk
// mode for a multi-selection in the tree.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/guardrails.ui.test.js
//
// Modals the extension shows while saving are confirmed and printed as test diagnostics ("modal: …").
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { currentAccounts, findBulkForm, findFormOf, saveAndConfirm, showImageGroup, type SaveOutcome } from './support/amiSharing';
import { UiSession } from './support/session';
import { childRows, clickContextMenuItem, clickDialogButton, rightClickTreeRow, runCommandFromPalette, screenshot, treeRow, treeRows, waitForDialog, waitForText } from './support/workbench';
import { eventually } from '../support/poll';

const DEV = DEFAULT_ACCOUNTS.dev;
const REGION = 'us-east-1';
const PARTNER = DEFAULT_ACCOUNTS.external.accountId; // 444444444444
/** Someone else's addition, made through the control API while the form is open. */
const ELSEWHERE = '777777777777';
const AMI = (day: number): string => `golden-al2023-2026-11-0${day}`;
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 45_000;

const session = new UiSession();

async function imageId(day: number): Promise<string> {
  return (await session.control.image(DEV.accountId, REGION, AMI(day))).imageId;
}

async function openForm(p: Page, day: number): Promise<Frame> {
  const id = await imageId(day);
  await showImageGroup(p, 'dev', REGION, 'My AMIs');
  await rightClickTreeRow(p, AMI(day));
  await clickContextMenuItem(p, 'Edit Permissions…');
  const form = await findFormOf(p, id);
  await waitForText(form.locator('dd[data-field="Name"]'), new RegExp(`^\\s*${AMI(day)}\\s*$`));
  return form;
}

/** The snapshot list items' texts, once the form has drawn `count` of them. */
async function snapshotItems(form: Frame, count: number): Promise<string[]> {
  const items = form.locator('li[data-snapshot]');
  await eventually(
    async () => {
      const shown = await items.count();
      if (shown < count) throw new Error(`the form shows ${shown} snapshot items, expected ${count}`);
    },
    { intervalMs: 100 },
  );
  return (await items.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function addAccount(form: Frame, accountId: string): Promise<void> {
  await form.locator('#accounts-input').pressSequentially(accountId);
  await form.locator('#accounts-input-add').click();
  await waitForText(form.locator('li[data-permission].adding'), new RegExp(`${accountId}\\s*will be added`));
}

function reportModals(t: { diagnostic(message: string): void }, outcome: SaveOutcome): void {
  for (const modal of outcome.modals) {
    t.diagnostic(`modal: ${JSON.stringify(modal.message)} detail: ${JSON.stringify(modal.detail)} buttons: ${JSON.stringify(modal.buttons)} → clicked ${JSON.stringify(modal.clicked)}`);
  }
}

/** Polls until the form's current "Shared accounts" are exactly `expected` (it reloads after a save). */
async function waitForCurrentAccounts(form: Frame, expected: string[], timeoutMs = 15_000): Promise<void> {
  const want = [...expected].sort();
  await eventually(
    async () => {
      const last = await currentAccounts(form).catch(() => []);
      if (JSON.stringify(last) !== JSON.stringify(want)) throw new Error(`the form lists ${JSON.stringify(last)} as shared accounts, expected ${JSON.stringify(want)}`);
    },
    { timeoutMs, intervalMs: 150 },
  );
}

describe('Guardrails in the Edit Permissions form (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 5 * TEST_TIMEOUT_MS }, () => {
  const outcomes: { concurrent?: SaveOutcome; bulk?: SaveOutcome } = {};

  before(() => session.start(), { timeout: SETUP_TIMEOUT_MS });
  after(() => session.stop(), { timeout: 30_000 });

  session.test('an AMI encrypted with the AWS managed key: the form warns it cannot be shared', TEST_TIMEOUT_MS, async (p) => {
    const id = await imageId(5);
    const form = await openForm(p, 5);
    const warning = await waitForText(form.locator('#encryption-warning'), /\S/);
    assert.match(warning, /AWS managed key/, `#encryption-warning: ${warning}`);
    assert.match(warning, new RegExp(id), 'the warning names the AMI');
    const items = await snapshotItems(form, 1);
    assert.equal(items.length, 1, `snapshot items: ${JSON.stringify(items)}`);
    assert.match(items[0]!, /AWS managed key .*cannot be shared/, `snapshot item: ${items[0]}`);
    await waitForText(form.locator('dd[data-field="Encryption"]'), /AWS managed key/);
    await form.locator('#encryption-warning').scrollIntoViewIfNeeded();
    await p.mouse.move(800, 880);
    await screenshot(p, 'form-encryption');
  });

  session.test('an AMI encrypted with a customer managed key: the snapshots name the key alias', TEST_TIMEOUT_MS, async (p) => {
    const form = await openForm(p, 3);
    const items = await snapshotItems(form, 2);
    assert.equal(items.length, 2, `snapshot items: ${JSON.stringify(items)}`);
    for (const item of items) {
      assert.match(item, /customer managed key/, `snapshot item: ${item}`);
      assert.match(item, /alias\/golden-images/, `snapshot item names the alias: ${item}`);
    }
    assert.equal(await form.locator('#encryption-warning').count(), 0, 'no AWS-managed-key warning for a customer managed key');
  });

  session.test('a change made elsewhere while the form is open survives the save', TEST_TIMEOUT_MS, async (p, t) => {
    await session.control.reset();
    const id = await imageId(1);
    const form = await openForm(p, 1);
    await waitForText(form.locator('ul[aria-labelledby="accounts-heading"]'), /^\s*Not shared with any account\.\s*$/);

    // Someone else shares -01 with 777777777777 after the form loaded; the form still shows it private.
    await session.control.changeLaunchPermissions({ accountId: DEV.accountId, region: REGION, imageId: id, add: [{ UserId: ELSEWHERE }] });
    await addAccount(form, PARTNER);
    await waitForText(form.locator('#pending-summary'), /\+1 account\b/);

    // One AMI, nothing removed, not public: the save asks nothing.
    outcomes.concurrent = await saveAndConfirm(p, form, /^Saved\b/, []);
    reportModals(t, outcomes.concurrent);

    const saved = await session.control.image(DEV.accountId, REGION, AMI(1));
    assert.deepEqual(
      saved.launchPermissions.map((lp) => lp.UserId).sort(),
      [PARTNER, ELSEWHERE].sort(),
      `the endpoint keeps the other change and has the form's: ${JSON.stringify(saved.launchPermissions)}`,
    );
    await waitForCurrentAccounts(form, [PARTNER, ELSEWHERE]);
    await waitForText(form.locator('#pending-summary'), /No pending changes/);
  });

  session.test('Public with the snapshot box checked: the one question names the snapshots; declining changes nothing', TEST_TIMEOUT_MS, async (p, t) => {
    await session.control.reset();
    const form = await openForm(p, 1);
    const id = await imageId(1);
    await form.locator('#availability-public').check();
    await form.locator('#include-snapshots').check();
    await form.locator('#save').click();
    const modal = await waitForDialog(p, 15_000);
    t.diagnostic(`modal: ${JSON.stringify(modal)}`);
    assert.match(modal.message, new RegExp(`Save the permissions of ${id}\\?`));
    assert.match(modal.detail, /\+ public access/);
    assert.match(modal.detail, /Snapshots made public \(anyone can copy their data\): snap-/);
    assert.ok(modal.buttons.includes('Make public'), JSON.stringify(modal.buttons));
    await clickDialogButton(p, 'Cancel');
    await waitForText(form.locator('#result-message'), /Nothing was saved/);
    const image = await session.control.image(DEV.accountId, REGION, AMI(1));
    assert.deepEqual(image.launchPermissions, [], 'declined: still private');
    const snapshots = await session.control.snapshots(DEV.accountId, REGION);
    assert.ok(snapshots.every((snapshot) => !snapshot.createVolumePermissions.some((perm) => perm.Group === 'all')), 'no snapshot was made public');
    await form.locator('#cancel').click();
  });

  session.test('bulk mode: two AMIs selected with Ctrl+click share in one save', TEST_TIMEOUT_MS, async (p, t) => {
    await session.control.reset();
    const [id1, id4] = [await imageId(1), await imageId(4)];
    await showImageGroup(p, 'dev', REGION, 'My AMIs');
    await treeRow(p, AMI(1)).locator('.label-name').click();
    await treeRow(p, AMI(4)).locator('.label-name').click({ modifiers: ['ControlOrMeta'] });
    const selected = childRows(await treeRows(p), 'My AMIs').filter((r) => r.selected).map((r) => r.label);
    assert.deepEqual(selected.sort(), [AMI(1), AMI(4)], 'both AMIs are selected');
    await rightClickTreeRow(p, AMI(4));
    await clickContextMenuItem(p, 'Edit Permissions…');

    const form = await findBulkForm(p, [id1, id4]);
    await waitForText(form.locator('h1'), /Edit permissions of 2 AMIs/);
    await addAccount(form, PARTNER);
    for (const id of [id1, id4]) {
      await waitForText(form.locator(`tr[data-image-id="${id}"] td.plan`), /^\s*\+1 account\s*$/);
    }
    await waitForText(form.locator('#pending-summary'), /\+1 account\b/);
    await form.locator('table.bulk').scrollIntoViewIfNeeded();
    await p.mouse.move(800, 880);
    await screenshot(p, 'form-bulk-plan');

    // -04's key does not allow the partner yet (the key question), then the plan of two AMIs.
    outcomes.bulk = await saveAndConfirm(p, form, /^Saved\b/, [/^Recipients need access to the encryption key$/, /^Save the permissions of 2 AMIs\?$/]);
    reportModals(t, outcomes.bulk);
    // The bulk save went through the pipeline's one confirmation, which named both AMIs.
    const plan = outcomes.bulk.modals.find((m) => /Save the permissions of 2 AMIs\?/.test(m.message));
    assert.ok(plan, `the bulk save showed its plan first: ${JSON.stringify(outcomes.bulk.modals)}`);
    assert.match(plan.detail, new RegExp(`${id1}[\\s\\S]*\\+ ${PARTNER}`));
    assert.match(plan.detail, new RegExp(id4));

    for (const day of [1, 4]) {
      const image = await session.control.image(DEV.accountId, REGION, AMI(day));
      assert.ok(image.launchPermissions.some((lp) => lp.UserId === PARTNER), `${AMI(day)} is shared with ${PARTNER}: ${JSON.stringify(image.launchPermissions)}`);
    }
    const fourth = await session.control.image(DEV.accountId, REGION, AMI(4));
    assert.equal(fourth.launchPermissions.length, 3, `-04 keeps its organization and OU shares: ${JSON.stringify(fourth.launchPermissions)}`);
    // Per-AMI results, then the table reloads: nothing pending, both rows list the new account.
    await waitForText(form.locator('.results'), new RegExp(`${id1}[\\s\\S]*${id4}|${id4}[\\s\\S]*${id1}`));
    for (const id of [id1, id4]) {
      await waitForText(form.locator(`tr[data-image-id="${id}"]`), new RegExp(PARTNER));
    }
    // The table (now listing the account under Current sharing) without the result toasts over it. The
    // progress toast ("Saving…: 1 of 2") stays up to a second after the work ended and cannot be cleared.
    await p.locator('.notifications-toasts .notification-toast', { hasText: 'Saving…:' }).waitFor({ state: 'detached', timeout: 5_000 });
    await runCommandFromPalette(p, 'Notifications: Clear All Notifications');
    await form.locator('h1').scrollIntoViewIfNeeded();
    await p.mouse.move(800, 880);
    await screenshot(p, 'form-bulk');
  });
});
