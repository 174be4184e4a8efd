// Extension-host entry point (the layout @vscode/test-electron and the offline launcher expect).
import { runMochaSuite } from '../vscode/mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname, { timeout: 60_000 });
}
