// README's first command ends here: a local EC2 sandbox with example AMIs in two profiles and two Regions,
// and a VS Code pointed at it (desktop `code` when present, otherwise code-server in the browser).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAwsConfigFiles } from '../endpoint/awsFiles';
import { startTestEndpoint } from '../endpoint/server';
import { codeServerBinary, installVsix, startCodeServer, workbenchUrl } from '../vscode/codeServer';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SANDBOX = path.join(REPO, '.sandbox');
const VSIX = path.join(REPO, 'ami-sharing.vsix');

function hasDesktopCode(): boolean {
  if (process.env.AMI_SHARING_SANDBOX_BROWSER) return false;
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

function ensureCodeServer(): void {
  try {
    codeServerBinary();
  } catch {
    console.log('Installing code-server (first run only)…');
    execFileSync('bash', [path.join(REPO, 'test', 'setup', 'install-test-tools.sh')], { stdio: 'inherit' });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing; run "npm run package" first.`);
  fs.mkdirSync(SANDBOX, { recursive: true });
  const endpoint = await startTestEndpoint({ port: Number(process.env.AMI_SHARING_SANDBOX_PORT ?? 0), latencyMs: 30 });
  const files = writeAwsConfigFiles(path.join(SANDBOX, 'aws'), { default: endpoint.url });
  const workspace = path.join(SANDBOX, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const env = { AWS_CONFIG_FILE: files.configFile, AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' };
  console.log(`EC2 test endpoint (sandbox) on ${endpoint.url}; AWS config in ${path.dirname(files.configFile)}`);

  let stop: () => Promise<void> = async () => undefined;
  if (hasDesktopCode()) {
    // A separate user-data folder gives a fresh VS Code instance that inherits this environment.
    const child = spawn('code', ['--new-window', `--user-data-dir=${path.join(SANDBOX, 'desktop-user-data')}`, `--extensions-dir=${path.join(SANDBOX, 'desktop-extensions')}`, `--install-extension=${VSIX}`, workspace], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    await new Promise((resolve) => child.on('exit', resolve));
    spawn('code', ['--new-window', `--user-data-dir=${path.join(SANDBOX, 'desktop-user-data')}`, `--extensions-dir=${path.join(SANDBOX, 'desktop-extensions')}`, workspace], { env: { ...process.env, ...env }, stdio: 'inherit' });
    console.log('Opened VS Code with AMI Sharing pointed at the sandbox. Click the "AMI Sharing" icon in the activity bar.');
  } else {
    ensureCodeServer();
    const extensionsDir = path.join(SANDBOX, 'code-server-extensions');
    await installVsix(VSIX, extensionsDir, env);
    const server = await startCodeServer({
      workspaceFolder: workspace,
      env,
      runDir: path.join(SANDBOX, 'code-server'),
      extensionsDir,
      userSettings: { 'amiSharing.profiles': ['dev', 'prod', 'tools'] },
    });
    stop = () => server.stop();
    console.log(`\nOpen ${workbenchUrl(server.url, workspace)} in your browser and click the "AMI Sharing" icon in the activity bar.`);
  }
  console.log('Press Ctrl+C to stop the sandbox.');
  const shutdown = async () => {
    await stop();
    await endpoint.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
