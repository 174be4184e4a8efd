// Desktop launcher: downloads VS Code with @vscode/test-electron and runs the integration suite in it.
// Needs internet (update.code.visualstudio.com); offline, use run-offline.js (code-server) instead.
//   node out/test/vscode/run-test-electron.js [--tests /abs/suite/index.js] [--workspace DIR]
// AMI_SHARING_VSCODE_VERSION picks the VS Code version (default: stable). mocha 12 needs a VS Code whose
// Electron has Node >= 20.19 (require of ES modules); current stable has Node 22.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { parseFlags, passthroughEnv, REPO_ROOT } from './cliArgs';

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), ['tests', 'workspace']);
  const extensionTestsPath = path.resolve(flags.get('tests') ?? path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'));
  const workspace = path.resolve(flags.get('workspace') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ami-sharing-workspace-')));
  fs.mkdirSync(workspace, { recursive: true });

  const version = process.env.AMI_SHARING_VSCODE_VERSION;
  try {
    await runTests({
      ...(version ? { version } : {}),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      // --disable-extensions keeps other installed extensions out; the one under development still loads.
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
      extensionTestsEnv: passthroughEnv(),
    });
    return 0;
  } catch (err) {
    console.error(`[run-test-electron] ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
