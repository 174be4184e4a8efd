// "Promote from Previous Version…" from the tree's context menu, as a user meets it in the real workbench
// (packaged .vsix in code-server, headless Chromium, local EC2/STS/KMS test endpoint): the one modal shows the
// whole plan (every Region the tree shows, every recipient, every key statement) and confirming applies it.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/promote.ui.test.js
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { showImageGroup } from './support/amiSharing';
import { UiSession } from './support/session';
import { clickContextMenuItem, clickDialogButton, pickQuickPickItem, rightClickTreeRow, runCommandFromPalette, screenshot, waitForDialog, waitForTreeRow } from './support/workbench';

const DEV = DEFAULT_ACCOUNTS.dev.accountId;
const PROD = DEFAULT_ACCOUNTS.prod.accountId;
const PARTNER = DEFAULT_ACCOUNTS.external.accountId;
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 90_000;
const PREVIOUS = 'ui-app-2026-11-01';
const CURRENT = 'ui-app-2026-12-01';

const session = new UiSession();

/** Picks a quick-pick row once it is there: a loaded machine may take a while to open the list. */
async function pickWhenShown(p: Page, label: string): Promise<void> {
  await p.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: label }).first().waitFor({ state: 'visible', timeout: 45_000 });
  await pickQuickPickItem(p, label);
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('Promote from Previous Version in the real workbench', { timeout: SETUP_TIMEOUT_MS + TEST_TIMEOUT_MS }, () => {
  before(() => session.start(), { timeout: SETUP_TIMEOUT_MS });
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the one modal shows every Region, recipient and key statement; confirming applies them', TEST_TIMEOUT_MS, async (p, t) => {
    await session.control.reset();
    // Two Regions, each with the family's previous and new version, all encrypted with dev's customer managed key "golden-images".
    const fromUs = await session.control.registerImage({ accountId: DEV, region: 'us-east-1', name: PREVIOUS, launchPermissions: [{ UserId: PROD }, { UserId: PARTNER }], kmsKeyAlias: 'golden-images' });
    const toUs = await session.control.registerImage({ accountId: DEV, region: 'us-east-1', name: CURRENT, kmsKeyAlias: 'golden-images' });
    await session.control.registerImage({ accountId: DEV, region: 'eu-west-1', name: PREVIOUS, launchPermissions: [{ UserId: PROD }], kmsKeyAlias: 'golden-images' });
    const toEu = await session.control.registerImage({ accountId: DEV, region: 'eu-west-1', name: CURRENT, kmsKeyAlias: 'golden-images' });
    const keyUs = (await session.control.keys(DEV, 'us-east-1')).find((k) => k.aliases.includes('alias/golden-images'))!.arn;
    const keyEu = (await session.control.keys(DEV, 'eu-west-1')).find((k) => k.aliases.includes('alias/golden-images'))!.arn;

    // The tree shows us-east-1 and eu-west-1 for dev.
    await runCommandFromPalette(p, 'AMI Sharing: Select Regions…');
    await pickWhenShown(p, 'dev');
    await pickWhenShown(p, 'Europe (Ireland)');
    await p.keyboard.press('Enter');
    await showImageGroup(p, 'dev', 'us-east-1', 'My AMIs');
    await waitForTreeRow(p, CURRENT);

    await rightClickTreeRow(p, CURRENT);
    await clickContextMenuItem(p, 'Promote from Previous Version…');
    await pickWhenShown(p, PREVIOUS);
    const modal = await waitForDialog(p, 30_000);
    t.diagnostic(`modal: ${JSON.stringify(modal)}`);
    await screenshot(p, 'promote-plan');
    assert.match(modal.message, new RegExp(`Promote ${CURRENT} \\(${toUs.imageId}\\) from ${PREVIOUS} in us-east-1, eu-west-1\\?`));
    assert.match(modal.message, /Previous version matched by family "ui-app-"/);
    assert.match(modal.detail, new RegExp(`${toUs.imageId} \\(dev ${DEV}, us-east-1\\) launch permissions: \\+ ${PROD}, ${PARTNER}`));
    assert.match(modal.detail, new RegExp(`${toEu.imageId} \\(dev ${DEV}, eu-west-1\\) launch permissions: \\+ ${PROD}`));
    // us-east-1's key allows prod already (the fixture), not the partner; eu-west-1's key allows neither.
    assert.match(modal.detail, new RegExp(`key ${escapeRegExp(keyUs)} policy: allow ${PARTNER}`));
    assert.match(modal.detail, new RegExp(`key ${escapeRegExp(keyEu)} policy: allow ${PROD}`));
    assert.ok(modal.buttons.includes('Promote'), JSON.stringify(modal.buttons));

    await clickDialogButton(p, 'Promote');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [us, eu] = [await session.control.image(DEV, 'us-east-1', CURRENT), await session.control.image(DEV, 'eu-west-1', CURRENT)];
      const accounts = (image: typeof us) => image.launchPermissions.map((e) => e.UserId).sort();
      if (JSON.stringify(accounts(us)) === JSON.stringify([PROD, PARTNER]) && JSON.stringify(accounts(eu)) === JSON.stringify([PROD])) break;
      if (Date.now() > deadline) throw new Error(`not promoted: us-east-1 ${JSON.stringify(us.launchPermissions)}, eu-west-1 ${JSON.stringify(eu.launchPermissions)}`);
      await p.waitForTimeout(250);
    }
    const policies = { us: (await session.control.keys(DEV, 'us-east-1')).find((k) => k.arn === keyUs)!.policy, eu: (await session.control.keys(DEV, 'eu-west-1')).find((k) => k.arn === keyEu)!.policy };
    assert.match(policies.us, new RegExp(PARTNER), 'the us-east-1 key statement for the partner was added');
    assert.match(policies.eu, new RegExp(PROD), 'the eu-west-1 key statement for prod was added');
    assert.equal((await session.control.image(DEV, 'us-east-1', PREVIOUS)).imageId, fromUs.imageId);
  });
});
