// Runs every test tier and prints one closing summary line: unit + SDK integration (node:test), the
// extension-host suite inside a real VS Code (code-server), and browser UI tests (Playwright).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAwsConfigFiles } from './endpoint/awsFiles';
import { startTestEndpoint } from './endpoint/server';
import { runExtensionTestsInCodeServer } from './vscode/runExtensionTests';
import { parseMochaSummary } from './vscode/mochaSummary';

const REPO = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(REPO, 'test-results');

interface Tier {
  name: string;
  passed: number;
  failed: number;
  seconds: number;
}

function runNodeTests(name: string, targets: string[], extraEnv: Record<string, string> = {}): Promise<Tier> {
  const tap = path.join(RESULTS, `${name}.tap`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...targets],
      { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...extraEnv } },
    );
    child.on('exit', (code) => {
      const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      const passed = count('pass');
      let failed = count('fail') + count('cancelled');
      if (code !== 0 && failed === 0) failed = 1; // the runner itself failed
      resolve({ name, passed, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

async function runExtensionHostSuite(): Promise<Tier> {
  const started = Date.now();
  const endpoint = await startTestEndpoint();
  const awsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-vscode-aws-'));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-vscode-ws-'));
  const files = writeAwsConfigFiles(awsDir, { default: endpoint.url });
  try {
    const { exitCode, logs } = await runExtensionTestsInCodeServer({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'test', 'integration', 'index.js'),
      workspaceFolder: workspace,
      env: {
        AWS_CONFIG_FILE: files.configFile,
        AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
        AMI_SHARING_TEST_ENDPOINT: endpoint.url,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeoutMs: 8 * 60_000,
    });
    const summary = parseMochaSummary(logs);
    const passed = summary?.passed ?? 0;
    let failed = summary?.failed ?? 0;
    if (exitCode !== 0 && failed === 0) failed = 1;
    return { name: 'vscode-extension-host', passed, failed, seconds: (Date.now() - started) / 1000 };
  } finally {
    await endpoint.close();
    fs.rmSync(awsDir, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** The benchmark as a smoke run (small numbers): one test that fails if throttling reaches the user or an AMI fails. */
function runBenchSmoke(): Promise<Tier> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', path.join(REPO, 'out', 'bench', 'run.js'), '--smoke'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve({ name: 'bench-smoke', passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * Tests must never see the developer's AWS setup: drop every AWS_* variable and point the shared files at
 * paths that do not exist, so anything that forgets to set its own finds no profile instead of ~/.aws.
 */
function isolateFromDeveloperAws(): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  const nowhere = path.join(os.tmpdir(), 'ami-sharing-no-aws-config');
  process.env.AWS_CONFIG_FILE = path.join(nowhere, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(nowhere, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

async function main(): Promise<number> {
  isolateFromDeveloperAws();
  fs.mkdirSync(RESULTS, { recursive: true });
  const only = process.env.AMI_SHARING_TEST_TIERS?.split(',');
  const wanted = (tier: string) => !only || only.includes(tier);
  const tiers: Tier[] = [];
  // The endpoint's own tests check the oracle, not the extension: their own tier, so a red one says which.
  const unitFiles = fs.readdirSync(path.join(REPO, 'out', 'test', 'unit')).filter((file) => file.endsWith('.test.js'));
  const endpointFiles = unitFiles.filter((file) => file.startsWith('endpoint')).map((file) => `out/test/unit/${file}`);
  const extensionFiles = unitFiles.filter((file) => !file.startsWith('endpoint')).map((file) => `out/test/unit/${file}`);
  if (wanted('endpoint')) tiers.push(await runNodeTests('endpoint', endpointFiles));
  if (wanted('node')) tiers.push(await runNodeTests('node', [...extensionFiles, 'out/test/sdk']));
  if (wanted('vscode')) tiers.push(await runExtensionHostSuite());
  if (wanted('ui')) tiers.push(await runNodeTests('ui', ['out/test/ui']));
  if (wanted('bench')) tiers.push(await runBenchSmoke());

  console.log('\nTest tiers:');
  for (const tier of tiers) console.log(`  ${tier.name.padEnd(24)} ${String(tier.passed).padStart(4)} passed ${String(tier.failed).padStart(3)} failed  ${tier.seconds.toFixed(1)} s`);
  const passed = tiers.reduce((sum, t) => sum + t.passed, 0);
  const failed = tiers.reduce((sum, t) => sum + t.failed, 0);
  const emptyTier = tiers.find((t) => t.passed + t.failed === 0);
  if (emptyTier) console.log(`Tier ${emptyTier.name} ran no test: that is a failure.`);
  console.log(`${passed} passed, ${failed + (emptyTier ? 1 : 0)} failed`);
  return failed === 0 && !emptyTier && tiers.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
