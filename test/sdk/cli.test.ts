import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { getLaunchPermissions } from '../../src/aws/images';
import { getVolumePermissions } from '../../src/aws/snapshotPermissions';
import type { ImageSummary } from '../../src/core/types';
import { startSandbox, type Sandbox } from '../support/awsSandbox';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const DEV = { profile: 'dev', region: 'us-east-1' };
const NEW_ACCOUNT = '555555555555';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the ami-sharing CLI as a child process against the endpoint', () => {
  let sandbox: Sandbox;
  let images: Record<string, ImageSummary>;
  let dir: string;
  const modifies = () => sandbox.endpoint.requests.filter((r) => /^Modify/.test(r.action)).length;

  function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, '--change-log', path.join(dir, 'changes.jsonl'), ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdin.end();
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  function writeManifest(policies: object[], file = 'ami-sharing.json'): string {
    const target = path.join(dir, file);
    fs.writeFileSync(target, JSON.stringify({ policies }, null, 2));
    return target;
  }

  const policy = (extra: object = {}) => ({ name: 'golden', profile: 'dev', regions: ['us-east-1'], images: { namePattern: 'golden-al2023-2026-11-01' }, share: { accounts: [NEW_ACCOUNT] }, ...extra });

  before(async () => {
    // The CLI under test is the built bundle, as `npm run build` makes it.
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    sandbox = await startSandbox();
    dir = fs.mkdtempSync(path.join(sandbox.dir, 'cli-'));
  });
  beforeEach(async () => {
    images = await sandbox.resetAndListDevImages();
    fs.rmSync(path.join(dir, 'changes.jsonl'), { force: true });
  });
  after(async () => sandbox.close());

  test('--help for the program and each verb; the bundle holds no vscode module', async () => {
    for (const verb of ['plan', 'apply', 'audit', 'export']) {
      const help = await run([verb, '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`Usage: ami-sharing ${verb}`));
    }
    assert.match((await run(['apply', '--help'])).stdout, /--allow-public[\s\S]*/);
    assert.match((await run(['--help'])).stdout, /plan[\s\S]*apply[\s\S]*audit[\s\S]*export/);
    assert.equal((await run(['frobnicate'])).code, 1);
    assert.doesNotMatch(fs.readFileSync(CLI, 'utf8'), /require\("vscode"\)/);
  });

  test('plan: exit 2 with drift, JSON in EC2 shapes on stdout only, nothing changed; exit 0 once applied', async () => {
    writeManifest([policy({ images: { namePattern: 'golden-al2023-2026-11-0[13]' }, snapshots: true })]);
    const plan = await run(['plan', '--json']);
    assert.equal(plan.code, 2, plan.stderr);
    const json = JSON.parse(plan.stdout) as { changes: Array<Record<string, unknown>> };
    const byId = Object.fromEntries(json.changes.map((c) => [c.imageId, c]));
    assert.deepEqual(byId[images.n01!.imageId], { policy: 'golden', profile: 'dev', region: 'us-east-1', imageId: images.n01!.imageId, add: [{ UserId: NEW_ACCOUNT }], remove: [], snapshots: { add: [{ UserId: NEW_ACCOUNT }], remove: [] } });
    assert.deepEqual(byId[images.n03!.imageId]!.add, [{ UserId: NEW_ACCOUNT }]);
    assert.equal(json.changes.length, 2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: an escape sequence on stderr is what this looks for.
    assert.doesNotMatch(plan.stderr, /\r|\u001b|Reading/, 'no progress on a stderr that is not a terminal');
    assert.equal(modifies(), 0);

    const text = await run(['plan']);
    assert.equal(text.code, 2);
    assert.match(text.stdout, /\+ 555555555555 \(missing\)/);
    assert.match(text.stdout, /2 AMIs drift/);

    const apply = await run(['apply', '--yes']);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, new RegExp(`^ok +${images.n01!.imageId} .*\\+1 account; 1 snapshot aligned$`, 'm'));
    assert.match(apply.stdout, /Applied 2 of 2 AMIs\./);
    assert.deepEqual(await getLaunchPermissions(sandbox.gateway(), DEV, images.n01!.imageId), [{ UserId: NEW_ACCOUNT }]);
    assert.deepEqual(await getVolumePermissions(sandbox.gateway(), DEV, images.n01!.snapshotIds[0]!), [{ UserId: NEW_ACCOUNT }]);
    const log = fs.readFileSync(path.join(dir, 'changes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; action: string });
    assert.ok(log.some((e) => e.kind === 'intent' && e.action === 'Reconcile') && log.some((e) => e.kind === 'result'), 'intent and result in the change log');

    const again = await run(['plan']);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /No drift/);
  });

  test('apply refuses without a terminal and without --yes, changing nothing', async () => {
    writeManifest([policy()]);
    const apply = await run(['apply']);
    assert.equal(apply.code, 1);
    assert.match(apply.stderr, /pass --yes/);
    assert.equal(modifies(), 0);
  });

  test('exclusive removes unlisted accounts; public is made private unless written true; making public needs --allow-public', async () => {
    writeManifest([policy({ images: { namePattern: 'golden-al2023-2026-11-0[23]' }, share: { accounts: ['222222222222'] }, exclusive: true })]);
    const plan = JSON.parse((await run(['plan', '--json'])).stdout) as { changes: Array<{ imageId: string; remove: object[] }> };
    assert.deepEqual(plan.changes.find((c) => c.imageId === images.n03!.imageId)!.remove, [{ UserId: '444444444444' }]);
    assert.deepEqual(plan.changes.find((c) => c.imageId === images.n02!.imageId)!.remove, [{ Group: 'all' }]);

    writeManifest([policy({ public: true })]);
    const refused = await run(['apply', '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /public; pass --allow-public/);
    assert.equal(modifies(), 0);
    const allowed = await run(['apply', '--yes', '--allow-public']);
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.match(allowed.stderr, /public/, 'the plan naming public access was shown');
    assert.ok((await getLaunchPermissions(sandbox.gateway(), DEV, images.n01!.imageId)).some((p) => p.Group === 'all'));
  });

  test('a partial failure: one line per AMI with the reason, a summary, exit 1; the rest applied', async () => {
    // n05's snapshot uses the AWS managed key (cannot be shared); n01 can.
    writeManifest([policy({ images: { namePattern: 'golden-al2023-2026-11-0[15]' } })]);
    const apply = await run(['apply', '--yes']);
    assert.equal(apply.code, 1, apply.stdout);
    assert.match(apply.stdout, new RegExp(`^ok +${images.n01!.imageId} `, 'm'));
    assert.match(apply.stdout, new RegExp(`^failed +${images.n05!.imageId} .*: .*(aws/ebs|AWS managed key)`, 'm'));
    assert.match(apply.stdout, /Applied 1 of 2 AMIs; 1 failed\./);
    assert.deepEqual(await getLaunchPermissions(sandbox.gateway(), DEV, images.n01!.imageId), [{ UserId: NEW_ACCOUNT }]);
    assert.deepEqual(await getLaunchPermissions(sandbox.gateway(), DEV, images.n05!.imageId), []);
  });

  test('throttling is absorbed by the same pacing and retries', async () => {
    writeManifest([policy()]);
    sandbox.endpoint.faults.inject({ kind: 'throttle', action: 'DescribeImages', times: 2 });
    sandbox.endpoint.faults.inject({ kind: 'throttle', action: 'ModifyImageAttribute', times: 2 });
    const apply = await run(['apply', '--yes']);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.ok(sandbox.endpoint.requests.filter((r) => r.status === 503).length >= 4, 'the throttles happened');
    assert.deepEqual(await getLaunchPermissions(sandbox.gateway(), DEV, images.n01!.imageId), [{ UserId: NEW_ACCOUNT }]);
  });

  test('a bad manifest: each problem with file:line:column and JSON path, exit 1, no AWS call at all', async () => {
    const ec2Calls = () => sandbox.endpoint.requests.filter((r) => r.service === 'ec2').length;
    const baseline = ec2Calls();
    const file = writeManifest([policy({ share: { accounts: ['1234'] }, regions: ['us-east-1', 'us-middle-1'], profile: 'nobody', exlusive: true })], 'bad.ami-sharing.json');
    for (const verb of ['plan', 'apply']) {
      const result = await run([verb, '--manifest', file, ...(verb === 'apply' ? ['--yes'] : [])]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /bad\.ami-sharing\.json:\d+:\d+: policies\[0\]\.exlusive: Unknown field "exlusive"/);
      assert.match(result.stderr, /policies\[0\]\.share\.accounts\[0\]: "1234" is not an AWS account ID/);
    }
    const semantic = writeManifest([policy({ profile: 'nobody', regions: ['us-middle-1'] })], 'semantic.ami-sharing.json');
    const result = await run(['plan', '--manifest', semantic]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /policies\[0\]\.profile: Unknown profile "nobody"/);
    assert.match(result.stderr, /policies\[0\]\.regions\[0\]: "us-middle-1" is not a Region/);
    assert.equal(ec2Calls(), baseline, 'no EC2 call for a bad manifest');
    assert.equal((await run(['plan', '--manifest', path.join(dir, 'missing.json')])).code, 1);
  });

  test('audit --public --json, and audit of every shared AMI', async () => {
    const audit = await run(['audit', '--public', '--profiles', 'dev', '--regions', 'us-east-1,eu-west-1', '--json']);
    assert.equal(audit.code, 0, audit.stderr);
    const json = JSON.parse(audit.stdout) as { images: Array<{ imageId: string; public: boolean }> };
    assert.deepEqual(json.images.map((i) => i.imageId), [images.n02!.imageId]);
    const shared = await run(['audit', '--profiles', 'dev']);
    assert.equal(shared.code, 0);
    assert.match(shared.stdout, new RegExp(`${images.n03!.imageId}\\t.*222222222222`));
    assert.match(shared.stdout, /3 shared AMIs in 1 profile\/Region pair\./);
    assert.equal((await run(['audit', '--profiles', 'nobody'])).code, 1);
  });

  test('export --terraform and --manifest; the exported manifest plans no drift', async () => {
    const terraform = await run(['export', '--terraform', '--profile', 'dev', '--region', 'us-east-1', '--name-pattern', 'golden-al2023-2026-11-03']);
    assert.equal(terraform.code, 0, terraform.stderr);
    assert.match(terraform.stdout, /provider "aws" \{\n {2}alias {3}= "dev_us_east_1"\n {2}profile = "dev"\n {2}region {2}= "us-east-1"\n\}/);
    assert.match(terraform.stdout, new RegExp(`resource "aws_ami_launch_permission" "[\\w]+" \\{\\n  provider   = aws.dev_us_east_1\\n  image_id   = "${images.n03!.imageId}"\\n  account_id = "444444444444"\\n\\}`));
    assert.match(terraform.stdout, /resource "aws_snapshot_create_volume_permission" "\w+" \{\n {2}provider {4}= aws.dev_us_east_1\n {2}snapshot_id = "snap-\w+"\n {2}account_id {2}= "222222222222"\n\}/);
    assert.doesNotMatch(terraform.stdout, /golden-al2023-2026-11-01"/);

    const exported = await run(['export', '--manifest', '--profile', 'dev']);
    assert.equal(exported.code, 0, exported.stderr);
    fs.writeFileSync(path.join(dir, 'exported.ami-sharing.json'), exported.stdout);
    const plan = await run(['plan', '--manifest', 'exported.ami-sharing.json']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.equal((await run(['export'])).code, 1, 'one of --terraform / --manifest is needed');
  });
});
