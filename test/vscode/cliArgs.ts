// Tiny "--name value" parser shared by the launcher CLIs (no dependency for two flags).
import * as path from 'node:path';

export function parseFlags(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i] ?? '';
    const value = argv[i + 1];
    if (!name.startsWith('--') || !known.includes(name.slice(2)) || value === undefined) {
      throw new Error(`unexpected argument ${JSON.stringify(name)}; known flags: ${known.map((k) => `--${k} VALUE`).join(' ')}`);
    }
    flags.set(name.slice(2), value);
    i++;
  }
  return flags;
}

/** Compiled files live in out/test/vscode/, so the repository root is three folders up. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The AWS_* (and AMI_SHARING_*) variables of this process, to hand on to the extension host. */
export function passthroughEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && (key.startsWith('AWS_') || key.startsWith('AMI_SHARING_'))) env[key] = value;
  }
  return env;
}
