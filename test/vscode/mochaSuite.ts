// The body of an extension-host suite's run(): loads every *.test.js under a folder into mocha and runs it.
// Runs inside the VS Code extension host (CommonJS, Node 20).
import * as fs from 'node:fs';
import * as path from 'node:path';
// mocha 12 ships ESM (index.js re-exports lib/mocha.cjs, which itself require()s ESM files), so this needs a
// Node with require(esm) enabled by default: >= 20.19 / 22.12 (code-server here runs Node 20.20). The compiled
// require('mocha') returns the module namespace, whose `default` is the Mocha class; esModuleInterop's
// __importDefault picks exactly that.
import Mocha from 'mocha';
import { formatMochaSummary, type MochaSummary } from './mochaSummary';

export interface MochaSuiteOptions {
  /** Per-test timeout in ms. Default 20 s: the extension talks to a fake EC2 endpoint over HTTP. */
  timeout?: number;
  /** Only run tests whose full title matches. Default: $AMI_SHARING_TEST_GREP if set. */
  grep?: string;
}

export async function runMochaSuite(testsRoot: string, opts: MochaSuiteOptions = {}): Promise<void> {
  const grep = opts.grep ?? process.env.AMI_SHARING_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: opts.timeout ?? 20_000 });
  if (grep) mocha.grep(grep);
  const files = findTestFiles(testsRoot);
  for (const file of files) mocha.addFile(file);

  const summary = await new Promise<MochaSummary>((resolve, reject) => {
    const counts: MochaSummary = { passed: 0, failed: 0, pending: 0 };
    try {
      const runner = mocha.run(() => resolve(counts));
      runner.on('pass', () => counts.passed++);
      runner.on('fail', () => counts.failed++); // hook failures count too: they stop tests from running
      runner.on('pending', () => counts.pending++);
    } catch (err) {
      reject(err); // e.g. a test file that throws while loading
    }
  });

  console.log(formatMochaSummary(summary)); // the one line orchestrators parse
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
  if (summary.passed + summary.pending === 0) {
    throw new Error(`no tests ran (${files.length} *.test.js file(s) under ${testsRoot}${grep ? `, grep ${grep}` : ''})`);
  }
}

/** Every *.test.js below root, sorted so the order is the same on every machine. */
export function findTestFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
    }
  };
  visit(root);
  return found.sort();
}
