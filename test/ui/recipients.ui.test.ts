// The Recipients section of the Edit Permissions form, as a user meets it in the real workbench (packaged
// .vsix in code-server, headless Chromium, local EC2/STS/KMS test endpoint with the default fixture).
// golden-al2023-2026-11-04 (dev, us-east-1) is shared with the organization that prod and tools belong to;
// its encrypted snapshot has no createVolumePermission, and the key policy leaves tools out.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/recipients.ui.test.js
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { findFormOf, showImageGroup } from './support/amiSharing';
import { UiSession } from './support/session';
import { clickContextMenuItem, clickDialogButton, rightClickTreeRow, screenshot, waitForDialog, waitForText } from './support/workbench';

const { dev, prod, tools } = DEFAULT_ACCOUNTS;
const REGION = 'us-east-1';
const AMI = 'golden-al2023-2026-11-04';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 60_000;

const session = new UiSession();

async function openForm(p: Page, imageId: string): Promise<Frame> {
  await showImageGroup(p, 'dev', REGION, 'My AMIs');
  await rightClickTreeRow(p, AMI);
  await clickContextMenuItem(p, 'Edit Permissions…');
  return findFormOf(p, imageId);
}

const cell = (form: Frame, accountId: string, field: string) => form.locator(`tr[data-recipient="${accountId}"] [data-field="${field}"]`);

describe('The Recipients section of the Edit Permissions form (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + 2 * TEST_TIMEOUT_MS }, () => {
  before(() => session.start({ userSettings: { 'amiSharing.accountNames': { [prod.accountId]: 'Production <b>team</b>' } } }), { timeout: SETUP_TIMEOUT_MS });
  after(() => session.stop(), { timeout: 30_000 });

  session.test('a recipient that cannot copy shows no with its reason; Add snapshot permission fixes it through the confirmation, and the row shows yes', TEST_TIMEOUT_MS, async (p, t) => {
    const { imageId } = await session.control.image(dev.accountId, REGION, AMI);
    const sharedWithProd = async () => (await session.control.snapshots(dev.accountId, REGION)).filter((s) => s.createVolumePermissions.some((e) => e.UserId === prod.accountId)).map((s) => s.snapshotId);
    const before = await sharedWithProd();
    const form = await openForm(p, imageId);

    // The check runs on its own when the form opens: one row per member account with a profile here.
    await waitForText(cell(form, prod.accountId, 'canCopy'), /^\s*no\s*$/, 30_000);
    assert.match((await cell(form, prod.accountId, 'canLaunch').textContent()) ?? '', /^\s*yes\s*$/);
    assert.match((await cell(form, prod.accountId, 'reasons').textContent()) ?? '', /no createVolumePermission for account 222222222222/);
    // The friendly name is text, never markup.
    assert.equal((await cell(form, prod.accountId, 'name').textContent())?.trim(), 'Production <b>team</b>');
    assert.equal(await form.locator(`tr[data-recipient="${prod.accountId}"] b`).count(), 0, 'no element from the name');
    // tools: the key policy leaves it out; the owner can add its statements.
    await waitForText(cell(form, tools.accountId, 'canLaunch'), /^\s*no\s*$/);
    assert.match((await cell(form, tools.accountId, 'reasons').textContent()) ?? '', /key policy of .* does not allow account 333333333333/);
    assert.equal(await form.locator(`#fix-keyStatements-${tools.accountId}`).count(), 1, 'tools is offered Add key statements');
    assert.equal(await form.locator(`#fix-keyStatements-${prod.accountId}`).count(), 0, 'prod needs no key statements');
    await form.locator('#recipients').scrollIntoViewIfNeeded();
    await screenshot(p, 'form-recipients');

    await form.locator(`#fix-snapshotPermission-${prod.accountId}`).click();
    const modal = await waitForDialog(p);
    t.diagnostic(`modal: ${JSON.stringify(modal)}`);
    assert.match(modal.message, /Let account 222222222222 copy/);
    assert.ok(modal.buttons.includes('Add snapshot permission'), `buttons: ${JSON.stringify(modal.buttons)}`);
    await clickDialogButton(p, 'Add snapshot permission');

    // The row is checked again: prod can copy now.
    await waitForText(cell(form, prod.accountId, 'canCopy'), /^\s*yes\s*$/, 30_000);
    const added = (await sharedWithProd()).filter((id) => !before.includes(id));
    assert.equal(added.length, 1, `one more snapshot lets prod create volumes: ${JSON.stringify(added)}`);
    await screenshot(p, 'form-recipients-fixed');
  });
});
