// One UI test file's world: the local EC2/STS/KMS test endpoint, code-server with the packaged extension
// (ami-sharing.vsix) installed, headless Chromium showing the workbench: cleanup that survives Ctrl+C,
// per-test timeouts, a screenshot and code-server's log tail on failure. Every UI test file uses it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeAwsConfigFiles, type AwsConfigFiles } from '../../endpoint/awsFiles';
import { startTestEndpoint, type TestEndpoint } from '../../endpoint/server';
import { ControlClient } from '../../support/controlClient';
import { cleanupOnSignals, type SignalGuard } from '../../vscode/cleanupOnSignals';
import { installVsix, launchChromium, startCodeServer, type RunningCodeServer } from '../../vscode/codeServer';
import { openWorkbench, screenshot } from './workbench';

/** Compiled to out/test/ui/support/, four folders below the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const VSIX = path.join(REPO_ROOT, 'ami-sharing.vsix');
export const CONTAINER_TITLE = 'AMI Sharing';

export interface UiSessionOptions {
  /** Merged into code-server's user settings.json. */
  userSettings?: Record<string, unknown>;
  /** After the endpoint started, before VS Code starts: register AMIs, change permissions, inject faults. */
  prepareEndpoint?: (control: ControlClient, endpoint: TestEndpoint) => Promise<void>;
  /** With the (empty) workspace folder before VS Code opens it: files the test starts from. */
  prepareWorkspace?: (folder: string) => void;
  /**
   * The AWS config and credentials files VS Code is pointed at (files in `dir`, which exists; they may be left
   * missing). Default: the default fixture's profiles, every one at the test endpoint.
   */
  awsFiles?: (dir: string, endpoint: TestEndpoint) => AwsConfigFiles;
  /** On the new page before it loads the workbench (dialog and console listeners, init scripts). */
  preparePage?: (page: Page) => Promise<void> | void;
}

export class UiSession {
  private scratch: string | undefined;
  private server: RunningCodeServer | undefined;
  private browser: Browser | undefined;
  private guard: SignalGuard | undefined;
  private page: Page | undefined;
  endpoint: TestEndpoint | undefined;
  control!: ControlClient;

  /** The workbench page; throws if before() failed, so each test names the real cause. */
  workbench(): Page {
    if (!this.page) throw new Error('the workbench did not open (see the before() failure)');
    return this.page;
  }

  async start(options: UiSessionOptions = {}): Promise<void> {
    if (!fs.existsSync(VSIX)) {
      throw new Error(`${VSIX} is missing: the UI tests run the packaged extension. Build it first with \`npm run package\` in ${REPO_ROOT}.`);
    }
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-ui-'));
    // Registered first, so a Ctrl+C during start-up also stops what has started.
    this.guard = cleanupOnSignals(() => this.cleanup(), () => this.stopNow());
    ignoreBrokenPipes();
    const workspace = path.join(this.scratch, 'workspace');
    const extensionsDir = path.join(this.scratch, 'extensions');
    fs.mkdirSync(workspace);
    options.prepareWorkspace?.(workspace);

    this.endpoint = await startTestEndpoint();
    this.control = new ControlClient(this.endpoint.url);
    await options.prepareEndpoint?.(this.control, this.endpoint);
    const awsDir = path.join(this.scratch, 'aws');
    fs.mkdirSync(awsDir);
    const aws = options.awsFiles ? options.awsFiles(awsDir, this.endpoint) : writeAwsConfigFiles(awsDir, { default: this.endpoint.url });
    await installVsix(VSIX, extensionsDir);
    this.server = await startCodeServer({
      workspaceFolder: workspace,
      runDir: path.join(this.scratch, 'run'),
      extensionsDir,
      env: {
        AWS_CONFIG_FILE: aws.configFile,
        AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      userSettings: { 'amiSharing.profiles': ['dev', 'prod'], ...options.userSettings },
    });
    this.browser = await launchChromium({ playwrightHandlesSignals: false });
    this.page = await openWorkbench(this.browser, this.server.url, workspace, {
      waitForActivityBarItem: CONTAINER_TITLE,
      ...(options.preparePage ? { preparePage: options.preparePage } : {}),
    });
  }

  /** For after(): stops everything and drops the signal handlers. */
  async stop(): Promise<void> {
    try {
      await this.cleanup();
    } finally {
      this.guard?.dispose();
    }
  }

  /** Stops everything started so far; each step runs even if an earlier one fails. Safe to call twice. */
  private async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown> | undefined): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await attempt(() => this.browser?.close());
    this.browser = undefined;
    this.page = undefined;
    await attempt(() => this.server?.stop());
    await attempt(() => this.endpoint?.close());
    if (this.scratch) fs.rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
    if (failures.length) throw new AggregateError(failures, 'UI test cleanup failed');
  }

  /** For the process 'exit' handler: synchronous, so only kills and removes. */
  private stopNow(): void {
    this.server?.stopNow();
    if (this.scratch) fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  /** code-server's log, last lines: what the extension host said when a test failed. */
  logTail(lines = 30): string {
    try {
      if (!this.server) return '';
      return fs.readFileSync(this.server.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * A test with a hard timeout; on failure it saves test-results/failed-NAME.png and adds the screenshot's
   * path and code-server's log tail to the error, so a red run explains itself.
   */
  test(name: string, timeoutMs: number, body: (page: Page, t: TestContext) => Promise<void>): void {
    test(name, { timeout: timeoutMs }, async (t) => {
      const p = this.workbench();
      try {
        await body(p, t);
      } catch (error) {
        const shot = await screenshot(p, `failed-${name.slice(0, 40)}`).catch(() => '(no screenshot)');
        if (error instanceof Error) error.message += `\n  screenshot: ${shot}\n  code-server log tail:\n${this.logTail(15).replace(/^/gm, '    ')}`;
        throw error;
      }
    });
  }
}

let pipesGuarded = false;

/**
 * On Ctrl+C the `node --test` parent exits at once; this file's stdout/stderr pipes then break, and the
 * next report line would crash this process with EPIPE before the cleanup has stopped code-server. Lost
 * output is all we lose by ignoring it.
 */
function ignoreBrokenPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
