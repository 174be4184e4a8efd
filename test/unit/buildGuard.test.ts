import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');

function build(entry: string): { status: number | null; output: string } {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ami-build-guard-'));
  try {
    const result = spawnSync(process.execPath, ['esbuild.mjs', '--extension-entry', entry, '--outdir', outDir], { cwd: REPO, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

test('the build fails when a static import brings the AWS SDK into dist/extension.js', () => {
  const probe = path.join(REPO, 'src', '__sdkGuardProbe.ts');
  // One static import of an AWS module from the extension side: what the guard exists to catch.
  fs.writeFileSync(probe, "export * from './extension';\nexport { listImages } from './aws/images';\n");
  try {
    const { status, output } = build('src/__sdkGuardProbe.ts');
    assert.equal(status, 1, output);
    assert.match(output, /The AWS SDK reached dist\/extension\.js/);
    assert.match(output, /src\/__sdkGuardProbe\.ts/);
  } finally {
    fs.rmSync(probe, { force: true });
  }
});

test('the real extension entry builds without the SDK', () => {
  const { status, output } = build('src/extension.ts');
  assert.equal(status, 0, output);
});
