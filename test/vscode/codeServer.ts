// Starts a real VS Code (code-server 4.100.3 = VS Code 1.100.3) offline, for extension-host tests and UI tests.
// Facts behind the flags: /work/shared/notes/real-vscode-offline.md.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { eventually, failNow } from '../support/poll';
import { killProcessGroup, killProcessGroupNow, runToCompletion } from './processes';

export const CODE_SERVER_VERSION = '4.100.3';

export interface CodeServerOptions {
  /** Folder opened by the workbench URLs; also the process's working directory. */
  workspaceFolder: string;
  /** Extra environment for code-server and thus for the extension host (AWS_CONFIG_FILE, AWS_ENDPOINT_URL_EC2, ...). */
  env: Record<string, string>;
  /** Where config, user data, extensions and the log go. Default: a fresh temp folder, removed by stop(). */
  runDir?: string;
  /** Default: RUN/extensions. Point it at a folder where installVsix() put the packaged extension for UI tests. */
  extensionsDir?: string;
  /** Merged over the quiet defaults written to the user settings.json. */
  userSettings?: Record<string, unknown>;
  /** How long to wait for /healthz. Default 30 s. */
  timeoutMs?: number;
}

export interface RunningCodeServer {
  /** Base URL, e.g. http://127.0.0.1:PORT/ (no query). */
  url: string;
  port: number;
  /** Leader of code-server's process group. */
  pid: number;
  runDir: string;
  /** code-server's stdout and stderr; read it when something goes wrong. */
  logFile: string;
  /** Kills code-server's whole process group (server, extension hosts, pty host). Safe to call twice. */
  stop(): Promise<void>;
  /** Synchronous SIGKILL of the group (and removal of a temp runDir), for process 'exit' handlers. */
  stopNow(): void;
  /** Last lines of the log, for error messages. */
  logTail(lines?: number): string;
  /** Settles with a reason if code-server's main process ends (crash, or after stop()). */
  exited: Promise<string>;
}

const QUIET_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.ignoreRecommendations': true,
  // Avoid the "trust this folder?" prompt and the welcome walkthrough stealing focus from UI tests.
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
};

export function toolsCacheDir(): string {
  const xdgCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.AMI_SHARING_TOOLS_DIR || path.join(xdgCache, 'ami-sharing-test-tools');
}

export function codeServerBinary(): string {
  // A machine that already has code-server 4.100.3 names it; nothing is installed then.
  if (process.env.AMI_SHARING_CODE_SERVER) return process.env.AMI_SHARING_CODE_SERVER;
  const binary = path.join(toolsCacheDir(), `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  if (!fs.existsSync(binary)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed (looked for ${binary}). ` +
        'Run test/setup/install-test-tools.sh first (it installs code-server, Chromium and ripgrep).',
    );
  }
  return binary;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const binary = codeServerBinary();
  const ownsRunDir = opts.runDir === undefined;
  const runDir = opts.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-code-server-'));
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(runDir, 'extensions');
  const configFile = path.join(runDir, 'config.yaml');
  const logFile = path.join(runDir, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, opts.userSettings);

  const port = await findFreePort();
  // Without --config code-server writes a config with a password into the home folder.
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    binary,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const logFd = fs.openSync(logFile, 'a');
  // detached = own process group, so stop() can kill the extension host and pty host with it.
  const child = spawn(process.execPath, args, {
    cwd: opts.workspaceFolder,
    env: codeServerEnv(opts.env, port),
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);

  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`code-server exited (code ${code}, signal ${signal})`));
    child.once('error', (err) => resolve(`code-server failed to spawn: ${err.message}`));
  });
  const logTail = (lines = 40): string => tailOfFile(logFile, lines);
  const { stop, stopNow } = makeStoppers(child, ownsRunDir ? runDir : undefined);
  const url = `http://127.0.0.1:${port}/`;

  try {
    await waitForHealthz(url, opts.timeoutMs ?? 30_000, exited);
  } catch (err) {
    const message = `${(err as Error).message}\n--- ${logFile} (tail) ---\n${logTail()}`;
    await stop();
    throw new Error(message);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server answered /healthz but has no pid'); // cannot happen; keeps pid a number
  return { url, port, pid, runDir, logFile, stop, stopNow, logTail, exited };
}

/** Installs a packaged extension offline (about 0.6 s) into extensionsDir, for UI tests against the installed .vsix. */
export async function installVsix(vsixPath: string, extensionsDir: string, env: Record<string, string> = {}): Promise<void> {
  const binary = codeServerBinary();
  // A throwaway config and user-data folder keep the install from writing into the home folder.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-install-vsix-'));
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [
    binary,
    '--config', configFile,
    '--user-data-dir', path.join(scratch, 'user-data'),
    '--extensions-dir', extensionsDir,
    '--install-extension', path.resolve(vsixPath),
    '--force',
  ];
  try {
    const { code, output } = await runToCompletion(process.execPath, args, codeServerEnv(env, undefined), 60_000);
    if (code !== 0) {
      throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${code}):\n${output}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchChromiumOptions {
  /**
   * Default true: playwright closes Chromium on SIGINT/SIGTERM/SIGHUP and then calls process.exit itself.
   * Pass false when the caller handles signals (cleanupOnSignals), or playwright exits before it is done.
   */
  playwrightHandlesSignals?: boolean;
}

/** Debian's Chromium driven by playwright-core (which downloads no browser). AMI_SHARING_CHROMIUM overrides the path. */
export async function launchChromium(opts: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = process.env.AMI_SHARING_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}. Run test/setup/install-test-tools.sh (apt-get install chromium).`);
  }
  const handleSignals = opts.playwrightHandlesSignals ?? true;
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
  });
}

/** The workbench URL that opens `folder`; add `payload` entries for extension-development runs. */
export function workbenchUrl(baseUrl: string, folder: string, payload?: [string, string][]): string {
  let url = `${baseUrl}?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

function codeServerEnv(extra: Record<string, string>, port: number | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of an outer VS Code (when tests run from its terminal) would point code-server at that instance.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  Object.assign(env, extra);
  env.EXTENSIONS_GALLERY = '{}'; // no marketplace lookups offline
  // code-server lets $PORT override --bind-addr, so it must match or be absent.
  if (port === undefined) delete env.PORT;
  else env.PORT = String(port);
  return env;
}

function writeUserSettings(userDataDir: string, userSettings: Record<string, unknown> | undefined): void {
  const settings = { ...QUIET_USER_SETTINGS, ...userSettings };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

async function waitForHealthz(baseUrl: string, timeoutMs: number, exited: Promise<string>): Promise<void> {
  let earlyExit: string | undefined;
  void exited.then((why) => (earlyExit = why));
  await eventually(
    async () => {
      if (earlyExit) failNow(new Error(earlyExit));
      // Not listening yet throws too: that is "not yet".
      const response = await fetch(new URL('healthz', baseUrl), { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      if (response?.status !== 200) throw new Error(`code-server did not answer ${baseUrl}healthz with 200 within ${timeoutMs} ms`);
    },
    { timeoutMs, intervalMs: 100 },
  );
}

function makeStoppers(child: ChildProcess, runDirToRemove: string | undefined): Pick<RunningCodeServer, 'stop' | 'stopNow'> {
  const removeRunDir = (): void => {
    if (runDirToRemove) fs.rmSync(runDirToRemove, { recursive: true, force: true });
  };
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        await killProcessGroup(child);
        removeRunDir();
      })()),
    stopNow: () => {
      if (child.pid !== undefined) killProcessGroupNow(child.pid);
      removeRunDir();
    },
  };
}

function tailOfFile(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
