// Extension-host entry of the smoke suite: checks the launcher chain without the real extension.
import { runMochaSuite } from '../mochaSuite';

export function run(): Promise<void> {
  return runMochaSuite(__dirname, { timeout: 10_000 });
}
