// CLI for contributors: run one extension-host suite inside code-server offline.
//   node out/test/vscode/run-offline.js --tests /abs/out/test/integration/index.js --workspace /some/folder
//     [--extension /abs/extension/folder (default: the repository)] [--timeout MS (default 300000)]
// AWS_* and AMI_SHARING_* variables are passed on to the extension host. Exit code = the suite's result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlags, passthroughEnv, REPO_ROOT } from './cliArgs';
import { runExtensionTestsInCodeServer } from './runExtensionTests';

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), ['tests', 'workspace', 'extension', 'timeout']);
  const tests = flags.get('tests');
  const workspace = flags.get('workspace');
  if (!tests || !workspace) {
    console.error('usage: node out/test/vscode/run-offline.js --tests /abs/suite/index.js --workspace DIR [--extension DIR] [--timeout MS]');
    return 2;
  }
  const extensionDevelopmentPath = path.resolve(flags.get('extension') ?? REPO_ROOT);
  const extensionTestsPath = path.resolve(tests);
  for (const required of [extensionTestsPath, path.join(extensionDevelopmentPath, 'package.json')]) {
    if (!fs.existsSync(required)) {
      console.error(`not found: ${required} (compile first: npx tsc -p tsconfig.test.json)`);
      return 2;
    }
  }
  fs.mkdirSync(workspace, { recursive: true });

  const started = Date.now();
  const { exitCode } = await runExtensionTestsInCodeServer({
    extensionDevelopmentPath,
    extensionTestsPath,
    workspaceFolder: path.resolve(workspace),
    env: passthroughEnv(),
    timeoutMs: Number(flags.get('timeout') ?? 300_000),
  });
  console.log(`[run-offline] exit code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
