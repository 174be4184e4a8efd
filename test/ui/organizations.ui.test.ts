// Browser UI test of the Edit Permissions form's "From your organization" autocomplete: profile tools (a delegated
// administrator of the default fixture's organization) gets member accounts by name; picking one fills its ID into
// the accounts box, and names show beside IDs in the form; the organization and its OUs likewise fill the
// organizations box with their ARNs, and OU names show beside ARNs.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/organizations.ui.test.js
import * as assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { DEFAULT_ACCOUNTS, DEFAULT_ORGANIZATION, DEFAULT_ORGANIZATION_TREE } from '../endpoint/fixture/defaultFixture';
import { findFormOf, showImageGroup } from './support/amiSharing';
import { CONTAINER_TITLE, UiSession } from './support/session';
import { clickActivityBarItem, clickContextMenuItem, rightClickTreeRow, waitForText, waitForTreeRows } from './support/workbench';

const TOOLS = DEFAULT_ACCOUNTS.tools.accountId;
const ALICE = DEFAULT_ORGANIZATION_TREE.sandboxAlice;
const WORKLOADS_OU = DEFAULT_ORGANIZATION.ouArn;
const SANDBOXES_OU = `arn:aws:organizations::${DEFAULT_ACCOUNTS.dev.accountId}:ou/${DEFAULT_ORGANIZATION.id}/${DEFAULT_ORGANIZATION_TREE.sandboxesOuId}`;
const IMAGE = 'tools-ci-runner-2026-11-12';
const REGION = 'us-east-1';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 120_000;

const session = new UiSession();

describe('Organizations in the Edit Permissions form (packaged .vsix in code-server)', { timeout: SETUP_TIMEOUT_MS + TEST_TIMEOUT_MS }, () => {
  before(
    () =>
      session.start({
        userSettings: { 'amiSharing.profiles': ['tools'] },
        // Already shared with production (222222222222) and the Workloads OU, so the form has an ID and an ARN to name.
        prepareEndpoint: async (control) => {
          const image = await control.image(TOOLS, REGION, IMAGE);
          await control.changeLaunchPermissions({ accountId: TOOLS, region: REGION, imageId: image.imageId, add: [{ UserId: DEFAULT_ACCOUNTS.prod.accountId }, { OrganizationalUnitArn: WORKLOADS_OU }] });
        },
      }),
    { timeout: SETUP_TIMEOUT_MS },
  );
  after(() => session.stop(), { timeout: 30_000 });

  session.test('member accounts are offered by name; picking one fills its ID in; names show beside IDs', TEST_TIMEOUT_MS, async (p) => {
    const imageId = (await session.control.image(TOOLS, REGION, IMAGE)).imageId;
    // tools assumes its role first; on a busy machine the first load takes a while.
    await clickActivityBarItem(p, CONTAINER_TITLE);
    await waitForTreeRows(p, 'profile tools', (rows) => rows.some((row) => row.label === 'tools'), 60_000);
    await showImageGroup(p, 'tools', REGION, 'My AMIs');
    await rightClickTreeRow(p, IMAGE);
    await clickContextMenuItem(p, 'Edit Permissions…');
    const form = await findFormOf(p, imageId);
    // The organization is read after the form's state (paced at about a request a second): wait for the picker.
    const picker = form.locator('#organization-account-picker');
    await picker.waitFor({ timeout: 30_000 });
    const options = await form.locator('#organization-accounts option').evaluateAll((nodes) => nodes.map((n) => [(n as unknown as { value: string }).value, (n as unknown as { label: string }).label]));
    assert.ok(options.some(([value, label]) => value === ALICE && label === `sandbox-alice (${ALICE})`), `options: ${JSON.stringify(options)}`);
    await waitForText(form.locator('ul[aria-labelledby="accounts-heading"] li[data-permission]'), /222222222222 \(production\)/);

    await picker.fill('sandbox-alice');
    await picker.press('Enter');
    assert.equal(await form.locator('#accounts-input').inputValue(), ALICE);
    await form.locator('#accounts-input-add').click();
    await waitForText(form.locator('li[data-permission].adding'), new RegExp(`${ALICE} \\(sandbox-alice\\)\\s*will be added`));
  });

  session.test('the organization and its OUs are offered by name; picking one fills its ARN in; OU names show beside ARNs', TEST_TIMEOUT_MS, async (p) => {
    const imageId = (await session.control.image(TOOLS, REGION, IMAGE)).imageId;
    const form = await findFormOf(p, imageId);
    const picker = form.locator('#organization-unit-picker');
    await picker.waitFor({ timeout: 30_000 });
    const options = await form.locator('#organization-units option').evaluateAll((nodes) => nodes.map((n) => [(n as unknown as { value: string }).value, (n as unknown as { label: string }).label]));
    assert.deepEqual(options[0], [DEFAULT_ORGANIZATION.arn, 'Whole organization: organization of management'], `options: ${JSON.stringify(options)}`);
    assert.ok(options.some(([value, label]) => value === SANDBOXES_OU && label === 'OU Sandboxes'), `options: ${JSON.stringify(options)}`);
    await waitForText(form.locator('ul[aria-labelledby="orgs-heading"] li[data-permission]'), new RegExp(`${WORKLOADS_OU} \\(Workloads\\)`));

    await picker.fill('Sandboxes');
    await picker.press('Enter');
    assert.equal(await form.locator('#orgs-input').inputValue(), SANDBOXES_OU);
    await form.locator('#orgs-input-add').click();
    await waitForText(form.locator('ul[aria-labelledby="orgs-heading"] li[data-permission].adding'), new RegExp(`${SANDBOXES_OU} \\(Sandboxes\\)\\s*will be added`));
  });
});
