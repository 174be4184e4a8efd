// Child-process plumbing for the launchers: code-server runs as its own process group (detached), so it and
// everything it forks (extension host, pty host, file watcher) can be stopped together.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** SIGTERM to the group, SIGKILL after 3 s; the group outlives the leader, so signal it even if the leader is gone. */
export async function killProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const leaderExited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!signalGroup(pid, 'SIGTERM')) return;
  const gone = await Promise.race([leaderExited.then(() => true), delay(3_000).then(() => false)]);
  if (!gone) signalGroup(pid, 'SIGKILL');
  // Children (extension host, pty host) may linger briefly after the leader; finish them off.
  for (let i = 0; i < 30 && groupAlive(pid); i++) await delay(100);
  signalGroup(pid, 'SIGKILL');
}

/** Synchronous last resort for process 'exit' handlers. */
export function killProcessGroupNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (!(pid > 1)) return false; // -1 or 1 would signal every process we may signal, or init's group
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // group already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runToCompletion(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(args[0] ?? command)} timed out after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
