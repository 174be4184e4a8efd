// Keeps an interrupted test run from leaving code-server (a detached process group) behind.

const SIGNAL_EXIT_CODES: [NodeJS.Signals, number][] = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]];

/**
 * Until dispose(): on SIGINT/SIGTERM/SIGHUP run cleanup (close Chromium, stop code-server) and exit with
 * 128+signal; on any process exit, run stopNow (RunningCodeServer.stopNow) in case cleanup never ran.
 * code-server runs in its own process group, so without this a Ctrl+C would leave it running.
 * Launch Chromium with playwrightHandlesSignals: false, or playwright exits first on SIGINT.
 */
export interface SignalGuard {
  /** 128+signal once a signal arrived (the run's result then is "interrupted", whatever else failed). */
  readonly interruptedExitCode: number | undefined;
  dispose(): void;
}

export function cleanupOnSignals(cleanup: () => Promise<void>, stopNow: () => void): SignalGuard {
  let interruptedExitCode: number | undefined;
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const [signal, exitCode] of SIGNAL_EXIT_CODES) {
    const handler = (): void => {
      interruptedExitCode = exitCode;
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
  const onExit = (): void => stopNow();
  process.once('exit', onExit);
  return {
    get interruptedExitCode() {
      return interruptedExitCode;
    },
    dispose() {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
      process.removeListener('exit', onExit);
    },
  };
}
