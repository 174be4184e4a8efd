// Checks the UI helpers (test/ui/support/workbench.ts) against the real workbench, using the smoke extension
// packaged and installed like the real one. Re-run after bumping code-server:
//   node out/test/vscode/smoke/ui-selfcheck.js
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  answerInputBox,
  clickActivityBarItem,
  clickContextMenuItem,
  clickDialogButton,
  contextMenuItems,
  expandTreeRow,
  findWebviewFrame,
  frameHasSelector,
  openWorkbench,
  pickQuickPickItem,
  rightClickTreeRow,
  runCommandFromPalette,
  screenshot,
  treeRows,
  waitForDialog,
  waitForNotification,
} from '../../ui/support/workbench';
import { cleanupOnSignals, type SignalGuard } from '../cleanupOnSignals';
import { REPO_ROOT } from '../cliArgs';
import { installVsix, launchChromium, startCodeServer } from '../codeServer';

const SMOKE_EXTENSION = path.join(REPO_ROOT, 'test', 'vscode', 'smoke', 'extension');
let guard: SignalGuard | undefined;

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-ui-selfcheck-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const step = timer();

  const vsix = path.join(scratch, 'smoke.vsix');
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: SMOKE_EXTENSION, stdio: 'ignore' });
  step('vsce package');
  await installVsix(vsix, path.join(scratch, 'extensions'));
  step('installVsix');
  const server = await startCodeServer({ workspaceFolder: workspace, env: {}, runDir: path.join(scratch, 'run'), extensionsDir: path.join(scratch, 'extensions') });
  const browser = await launchChromium({ playwrightHandlesSignals: false });
  const cleanup = async (): Promise<void> => {
    await browser.close();
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  guard = cleanupOnSignals(cleanup, () => server.stopNow());
  step('code-server + Chromium');
  try {
    const page = await openWorkbench(browser, server.url, workspace, { waitForActivityBarItem: 'Smoke Tree' });
    step('openWorkbench');

    await clickActivityBarItem(page, 'Explorer');
    await clickActivityBarItem(page, 'Explorer'); // second call must not hide the sidebar
    assert.ok(await page.locator('.part.sidebar').isVisible());

    await clickActivityBarItem(page, 'Smoke Tree');
    assert.deepEqual((await expandTreeRow(page, 'Parent A')).map((row) => row.label), ['Child 1', 'Child 2']);
    assert.deepEqual(await expandTreeRow(page, 'Parent B'), []);
    assert.deepEqual(
      (await treeRows(page)).map((row) => [row.label, row.description, row.level, row.expanded]),
      [['Parent A', '2 children', 1, true], ['Child 1', 'leaf', 2, undefined], ['Child 2', 'leaf', 2, undefined], ['Parent B', 'empty', 1, true]],
    );
    assert.equal((await treeRows(page))[1]?.ariaLabel, 'Smoke row Child 1');
    step('tree');

    await rightClickTreeRow(page, 'Child 1');
    assert.deepEqual(await contextMenuItems(page), ['Smoke Row Action']);
    await clickContextMenuItem(page, 'Smoke Row Action');
    await waitForNotification(page, /Row action on Child 1/);
    step('context menu + notification');

    await runCommandFromPalette(page, 'Smoke: Say Hello');
    const hello = await waitForNotification(page, /Hello from the smoke extension/);
    assert.equal(hello.text, 'Hello from the smoke extension');
    step('command palette');

    await runCommandFromPalette(page, 'Smoke: Confirm Something');
    assert.deepEqual(await waitForDialog(page), { message: 'Really do it?', detail: 'Smoke detail', buttons: ['Cancel', 'Do It'] });
    await clickDialogButton(page, 'Do It');
    await waitForNotification(page, /Confirm answer: Do It/);
    step('modal dialog');

    await runCommandFromPalette(page, 'Smoke: Ask Questions');
    await answerInputBox(page, '111122223333');
    await pickQuickPickItem(page, 'eu-west-1');
    await waitForNotification(page, /Asked: 111122223333 in eu-west-1/);
    step('input box + quick pick');

    await runCommandFromPalette(page, 'Smoke: Open Webview');
    const webview = await findWebviewFrame(page, frameHasSelector('#smoke-heading'));
    assert.equal(await webview.locator('#smoke-heading').textContent(), 'Smoke Webview');
    step('webview');

    console.log(`screenshot: ${await screenshot(page, 'ui-selfcheck')}`);
    console.log('UI self-check passed');
  } finally {
    await cleanup();
    guard.dispose();
  }
}

function timer(): (label: string) => void {
  let last = Date.now();
  return (label) => {
    const now = Date.now();
    console.log(`  ${label}: ${now - last} ms`);
    last = now;
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (guard?.interruptedExitCode !== undefined) process.exit(guard.interruptedExitCode); // Ctrl+C, not a failure
    console.error(err);
    process.exit(1);
  },
);
