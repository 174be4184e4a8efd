// Keeps an interrupted test run from leaving code-server (a detached process group) behind.
import { killProcessGroupNow } from './processes';

const SIGNAL_EXIT_CODES: [NodeJS.Signals, number][] = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]];

/**
 * Until dispose(): on SIGINT/SIGTERM/SIGHUP run cleanup (close Chromium, stop code-server) and exit with
 * 128+signal; on any process exit, SIGKILL code-server's process group synchronously in case cleanup never
 * ran. code-server runs in its own process group, so without this a Ctrl+C would leave it running.
 */
export function cleanupOnSignals(cleanup: () => Promise<void>, serverPid: () => number | undefined): { dispose(): void } {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const [signal, exitCode] of SIGNAL_EXIT_CODES) {
    const handler = (): void => {
      process.stderr.write(`\n[launcher] ${signal}: stopping Chromium and code-server...\n`);
      const forceExit = setTimeout(() => process.exit(exitCode), 8_000);
      void cleanup()
        .catch((err: unknown) => process.stderr.write(`[launcher] cleanup failed: ${String(err)}\n`))
        .finally(() => {
          clearTimeout(forceExit);
          process.exit(exitCode);
        });
    };
    handlers.set(signal, handler);
    process.once(signal, handler);
  }
  const onExit = (): void => {
    const pid = serverPid();
    if (pid !== undefined) killProcessGroupNow(pid);
  };
  process.once('exit', onExit);
  return {
    dispose() {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
      process.removeListener('exit', onExit);
    },
  };
}
