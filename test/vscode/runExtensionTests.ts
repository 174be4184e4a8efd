// Runs an extension-host test suite (a module exporting run(): Promise<void>) inside code-server's real
// Node extension host, driven by headless Chromium. Same contract as @vscode/test-electron's runTests.
import * as path from 'node:path';
import * as util from 'node:util';
import type { Browser } from 'playwright-core';
import { parseMochaSummary } from './mochaSummary';
import { cleanupOnSignals } from './cleanupOnSignals';
import { launchChromium, startCodeServer, workbenchUrl, type RunningCodeServer } from './codeServer';

export interface ExtensionTestRunOptions {
  /** Folder with the extension's package.json. */
  extensionDevelopmentPath: string;
  /** Compiled suite entry (e.g. out/test/integration/index.js) exporting run(). */
  extensionTestsPath: string;
  workspaceFolder: string;
  /** Extra environment for the extension host (AWS_CONFIG_FILE, AWS_ENDPOINT_URL_EC2, ...). */
  env: Record<string, string>;
  /** Hard limit for the whole run, start-up included. */
  timeoutMs: number;
  /** Receives every line: the extension host's console (mocha's report), the workbench's own console lines
   *  (they share one channel) and "[launcher] ..." lines. Default: print to stdout, suite lines prefixed
   *  with "[vscode]", the workbench's start-up chatter left out. */
  onLog?: (line: string) => void;
}

export interface ExtensionTestRunResult {
  /** 0 = run() resolved, 1 = run() rejected or the page crashed, 124 = timed out, 2 = launcher failure,
   *  130/143/129 = interrupted by SIGINT/SIGTERM/SIGHUP. */
  exitCode: number;
  /** Every line onLog saw, in order (mocha's report and the AMI_SHARING_MOCHA_SUMMARY line are in here). */
  logs: string[];
}

export const EXIT_TIMED_OUT = 124;
const EXIT_LAUNCHER_FAILED = 2;

export async function runExtensionTestsInCodeServer(opts: ExtensionTestRunOptions): Promise<ExtensionTestRunResult> {
  const logs: string[] = [];
  const emit = (text: string): void => {
    for (const line of text.split(/\r?\n/)) {
      logs.push(line);
      (opts.onLog ?? printLine)(line);
    }
  };
  const run = { settled: false };
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async (): Promise<void> => {
    run.settled = true; // from here on, code-server and page going away is expected, not a failure to report
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  // If the timeout or a signal wins while start-up is still under way, whatever starts late is closed at once.
  const keepServer = (started: RunningCodeServer): void => {
    server = started;
    if (run.settled) void started.stop();
  };
  const keepBrowser = (launched: Browser): void => {
    browser = launched;
    if (run.settled) void launched.close();
  };
  const guard = cleanupOnSignals(cleanup, () => server?.stopNow());
  let hardTimer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<number>((resolve) => {
      hardTimer = setTimeout(() => {
        emit(`[launcher] timed out after ${opts.timeoutMs} ms: the suite never reported its end (codeAutomationExit was not called).`);
        resolve(EXIT_TIMED_OUT);
      }, opts.timeoutMs);
    });
    const exitCode = await Promise.race([timedOut, runSuite(opts, run, emit, keepServer, keepBrowser)]);
    run.settled = true;
    if (guard.interruptedExitCode !== undefined) return { exitCode: guard.interruptedExitCode, logs };
    // Test failures explain themselves; a suite that never finished needs code-server's side of the story.
    if (exitCode !== 0 && !parseMochaSummary(logs) && server) {
      emit(`[launcher] code-server log tail (${server.logFile}):\n${server.logTail(30)}`);
    }
    return { exitCode, logs };
  } catch (err) {
    run.settled = true;
    // An interrupted start-up fails with "browser has been closed" and the like: not worth a stack trace.
    if (guard.interruptedExitCode !== undefined) return { exitCode: guard.interruptedExitCode, logs };
    emit(`[launcher] ${(err as Error).stack ?? String(err)}`);
    return { exitCode: EXIT_LAUNCHER_FAILED, logs };
  } finally {
    clearTimeout(hardTimer);
    await cleanup();
    guard.dispose();
  }
}

async function runSuite(
  opts: ExtensionTestRunOptions,
  run: { settled: boolean },
  emit: (line: string) => void,
  setServer: (server: RunningCodeServer) => void,
  setBrowser: (browser: Browser) => void,
): Promise<number> {
  const server = await startCodeServer({
    workspaceFolder: opts.workspaceFolder,
    env: opts.env,
    timeoutMs: Math.min(opts.timeoutMs, 60_000),
  });
  setServer(server);
  const browser = await launchChromium({ playwrightHandlesSignals: false });
  setBrowser(browser);
  const page = await browser.newPage();

  let reportExit!: (code: number) => void;
  const suiteEnded = new Promise<number>((resolve) => (reportExit = resolve));
  // Both hooks must exist before the workbench loads: it looks them up once.
  await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(typeof code === 'number' ? code : 1));
  // The workbench hands over console.log's argument list (format string first), from the extension host and
  // from the workbench itself alike; there is no marker telling them apart.
  await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
    const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
    emit(level === 'info' ? text : `${level}: ${text}`);
  });
  page.on('crash', () => {
    if (run.settled) return;
    emit('[launcher] the workbench page crashed');
    reportExit(1);
  });
  void server.exited.then((why) => {
    if (run.settled) return; // expected: cleanup stopped it
    emit(`[launcher] ${why} before the suite ended`);
    reportExit(1);
  });

  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remoteUri(opts.extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(opts.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  await page.goto(workbenchUrl(server.url, opts.workspaceFolder, payload), { waitUntil: 'domcontentloaded' });
  return suiteEnded;
}

/** code-server only starts the tests for vscode-remote://remote/... URIs; file:// URIs are silently ignored. */
export function remoteUri(absolutePath: string): string {
  const resolved = path.resolve(absolutePath);
  return `vscode-remote://remote${resolved.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Workbench start-up chatter that arrives on the same channel as the suite's output; kept in logs, not printed. */
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(renderer-/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
];

export function isWorkbenchChatter(line: string): boolean {
  return WORKBENCH_CHATTER.some((pattern) => pattern.test(line));
}

function printLine(line: string): void {
  if (line.startsWith('[launcher]')) process.stdout.write(`${line}\n`);
  else if (!isWorkbenchChatter(line)) process.stdout.write(`  [vscode] ${line}\n`);
}
