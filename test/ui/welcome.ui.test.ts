// Browser UI tests of the AMI view's welcome states in the packaged extension (ami-sharing.vsix) in
// code-server: no AWS config at all, profiles that the amiSharing.profiles setting hides, and every profile
// failing to load. Each state needs its own AWS files or settings from the start, so each has its own session.
//
//   npm run package && npx tsc -p tsconfig.test.json && node --test out/test/ui/welcome.ui.test.js
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { DEFAULT_ACCOUNTS } from '../endpoint/fixture/defaultFixture';
import { CONTAINER_TITLE, UiSession } from './support/session';
import { clickActivityBarItem, clickWelcomeButton, screenshot, waitForText, waitForTreeRows, waitForWelcomeView } from './support/workbench';

const VIEW = 'AMIs';
const SETUP_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 60_000;

describe('welcome: no AWS config files at all', { timeout: SETUP_TIMEOUT_MS + 3 * TEST_TIMEOUT_MS }, () => {
  const session = new UiSession();
  let configFile = '';
  before(
    () =>
      session.start({
        awsFiles: (dir) => {
          configFile = path.join(dir, 'config');
          return { configFile, credentialsFile: path.join(dir, 'credentials') }; // neither is written
        },
      }),
    { timeout: SETUP_TIMEOUT_MS },
  );
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the view explains where profiles come from and offers the config file and the walkthrough', TEST_TIMEOUT_MS, async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    // Before activation this welcome shows too (no context key yet); wait for the extension to have read the files.
    await waitForWelcomeView(p, VIEW, /^No AWS profiles found\.$/);
    await p.locator('.part.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'hidden', timeout: 30_000 });
    const welcome = await waitForWelcomeView(p, VIEW, /^No AWS profiles found\.$/);
    assert.deepEqual(welcome.buttons, ['Open AWS config file', 'Run aws configure sso', 'Get started']);
    assert.ok(welcome.paragraphs.some((t) => /AWS_CONFIG_FILE \/ AWS_SHARED_CREDENTIALS_FILE/.test(t)), `where profiles come from: ${JSON.stringify(welcome.paragraphs)}`);
    await screenshot(p, 'welcome-no-config');
  });

  session.test('Run aws configure sso opens a terminal for the AWS CLI wizard', TEST_TIMEOUT_MS, async (p) => {
    await clickWelcomeButton(p, VIEW, 'Run aws configure sso');
    await p.locator('.part.panel', { hasText: 'aws configure sso' }).first().waitFor();
  });

  session.test('Open AWS config file creates the missing file and opens it in an editor', TEST_TIMEOUT_MS, async (p) => {
    assert.equal(fs.existsSync(configFile), false, 'fixture: no config file yet');
    await clickWelcomeButton(p, VIEW, 'Open AWS config file');
    await p.locator('.tab.active', { hasText: /^\s*config\b/ }).waitFor();
    await p.locator('.editor-instance .view-lines', { hasText: '# AWS shared config' }).first().waitFor();
    assert.match(fs.readFileSync(configFile, 'utf8'), /^# AWS shared config/);
  });
});

describe('welcome: amiSharing.profiles hides every profile', { timeout: SETUP_TIMEOUT_MS + TEST_TIMEOUT_MS }, () => {
  const session = new UiSession();
  before(() => session.start({ userSettings: { 'amiSharing.profiles': ['no-such-profile'] } }), { timeout: SETUP_TIMEOUT_MS });
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the view says the setting hides them and opens that setting', TEST_TIMEOUT_MS, async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    const welcome = await waitForWelcomeView(p, VIEW, /the amiSharing\.profiles setting hides all of them/);
    assert.deepEqual(welcome.buttons, ['Edit the amiSharing.profiles setting']);
    await clickWelcomeButton(p, VIEW, 'Edit the amiSharing.profiles setting');
    // The Settings editor opens searching for that one setting.
    await p.locator('.settings-editor').waitFor();
    await waitForText(p.locator('.settings-editor .settings-header .view-lines'), /amiSharing\.profiles/);
  });
});

describe('welcome: every profile fails to load', { timeout: SETUP_TIMEOUT_MS + TEST_TIMEOUT_MS }, () => {
  const session = new UiSession();
  before(
    () =>
      session.start({
        // Both shown profiles (dev, prod) are refused by STS, as with expired keys.
        prepareEndpoint: async (control) => {
          await control.fault({ action: 'GetCallerIdentity', kind: 'expired-token', times: 'Infinity' });
        },
      }),
    { timeout: SETUP_TIMEOUT_MS },
  );
  after(() => session.stop(), { timeout: 30_000 });

  session.test('the view says no profile could be loaded; Retry loads them once AWS answers', TEST_TIMEOUT_MS, async (p) => {
    await clickActivityBarItem(p, CONTAINER_TITLE);
    const welcome = await waitForWelcomeView(p, VIEW, /^No profile could be loaded/, 40_000);
    assert.deepEqual(welcome.buttons, ['Retry', 'Open AWS config file']);
    assert.ok(welcome.paragraphs.some((t) => /reason for each profile is in the log/.test(t)), `points to the log: ${JSON.stringify(welcome.paragraphs)}`);
    await screenshot(p, 'welcome-all-failed');

    await session.control.fault({ clear: true });
    await clickWelcomeButton(p, VIEW, 'Retry');
    const { dev, prod } = DEFAULT_ACCOUNTS;
    await waitForTreeRows(p, `profiles dev and prod with their accounts`, (rows) => rows.some((r) => r.label === 'dev' && r.description === dev.accountId) && rows.some((r) => r.label === 'prod' && r.description === prod.accountId), 40_000);
  });
});
