import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { runUndo, undoRequests } from '../../src/actions/undo';
import { runChange, type ChangeOptions } from '../../src/actions/pipeline';
import { getKeyPolicy, putKeyPolicy } from '../../src/aws/encryption';
import { getLaunchPermissions } from '../../src/aws/images';
import { getVolumePermissions } from '../../src/aws/snapshotPermissions';
import type { ChangeRequest } from '../../src/core/changes';
import { samePermissions } from '../../src/core/launchPermissions';
import { DEFAULT_KMS_KEYS } from '../endpoint/fixture/defaultFixture';
import { pipelineSuite, testHost, type TestHost } from '../support/pipelineHost';
import { until } from '../support/poll';

const DEV = { profile: 'dev', region: 'us-east-1' };
const PARTNER = { UserId: '444444444444' };
const BACKUP = { UserId: '777777777777' };
/** Not yet shared with any fixture AMI. */
const OTHER = { UserId: '555555555555' };

const SCRIPT: ChangeOptions = { action: 'Test', title: 'Apply this change?', confirmLabel: 'Apply', busyLabel: 'Applying…', interactive: false };
const INTERACTIVE: ChangeOptions = { ...SCRIPT, interactive: true };

function launch(imageId: string, add: object[], remove: object[] | 'all', snapshots = false): ChangeRequest {
  return { kind: 'launchPermissions', image: { ...DEV, imageId }, add: add as never, remove: remove as never, snapshots };
}

/** Runs `hook` right after the first intent line is on disk: between "record intent" and "apply". */
function afterIntent(host: TestHost, hook: () => void | Promise<void>): void {
  const append = host.changeLog.append.bind(host.changeLog);
  let fired = false;
  host.changeLog.append = async (entry) => {
    await append(entry);
    if (entry.kind === 'intent' && !fired) {
      fired = true;
      await hook();
    }
  };
}

/** Runs `hook` while the first confirmation is open (the user reads the plan), then answers. */
function whileConfirming(host: TestHost, hook: () => void | Promise<void>): void {
  const confirm = host.prompts.confirm.bind(host.prompts);
  let fired = false;
  host.prompts.confirm = async (message: string, detail: string) => {
    if (!fired) {
      fired = true;
      await hook();
    }
    return confirm(message, detail);
  };
}

describe('the one change pipeline against the endpoint', () => {
  const suite = pipelineSuite();
  const modifies = () => suite.sandbox.endpoint.requests.filter((r) => r.action === 'ModifyImageAttribute').length;

  test('a copy whose share makes it public always asks, even with confirmations off, and is logged', async () => {
    suite.host.confirmDestructiveActions = false;
    suite.host.prompts.push({ confirm: false });
    const copy: ChangeRequest = { kind: 'copyImage', image: { ...DEV, imageId: suite.images.n02!.imageId }, targetRegion: 'us-west-2', name: 'golden-copy', thenShare: [{ Group: 'all' }] };
    await assert.rejects(runChange(suite.host, [copy], SCRIPT), /Cancelled/);
    assert.match(suite.host.prompts.asked[0]!, /public access.*\n[\s\S]*will be made public/);
    assert.equal(suite.sandbox.endpoint.requests.filter((r) => r.action === 'CopyImage').length, 0, 'declined: nothing copied');
  });

  test('undo of "make private" re-adds public access only after asking', async () => {
    suite.host.confirmDestructiveActions = false;
    const priv = await runChange(suite.host, [launch(suite.images.n02!.imageId, [], [{ Group: 'all' }])], SCRIPT);
    assert.equal(priv!.results[0]!.ok, true, priv!.results[0]!.error);
    assert.deepEqual(suite.host.prompts.asked, [], 'removal with confirmations off: no question');
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(runUndo(suite.host, undoRequests(priv!.steps.map((s) => ({ address: s.step.address, applied: s.applied }))), false), /Cancelled/);
    assert.match(suite.host.prompts.asked[0]!, /Undo this change\?\n.*\+ public access/);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', suite.images.n02!.imageId)!.launchPermissions, [], 'still private');
  });

  test('a check that cannot run blocks the change until the script says proceedWithoutChecks; never for public', async () => {
    // n03 is encrypted: the key checks need DescribeSnapshots, which now fails with an HTML 500.
    suite.sandbox.endpoint.faults.inject({ action: 'DescribeSnapshots', kind: 'http500-html', times: Infinity });
    const blocked = await runChange(suite.host, [launch(suite.images.n03!.imageId, [OTHER], [])], SCRIPT);
    assert.equal(blocked!.results[0]!.ok, false);
    assert.match(blocked!.results[0]!.error!, /snapshot encryption \(DescribeSnapshots\).*could not run.*proceedWithoutChecks/);
    assert.equal(modifies(), 0);
    const forced = await runChange(suite.host, [launch(suite.images.n03!.imageId, [OTHER], [])], { ...SCRIPT, proceedWithoutChecks: true });
    assert.equal(forced!.results[0]!.ok, true, forced!.results[0]!.error);
    assert.match(forced!.results[0]!.warnings!.join(' '), /went on without this check/);

    suite.sandbox.endpoint.faults.inject({ action: 'GetImageBlockPublicAccessState', kind: 'http500-html', times: Infinity });
    const publicShare = await runChange(suite.host, [launch(suite.images.n01!.imageId, [{ Group: 'all' }], [])], { ...SCRIPT, proceedWithoutChecks: true });
    assert.equal(publicShare!.results[0]!.ok, false);
    assert.match(publicShare!.results[0]!.error!, /block public access.*never goes ahead without its checks/);
    assert.equal(modifies(), 1, 'only the forced private share was sent');
  });

  test('interactive: a check that cannot run asks to go on without it', async () => {
    suite.sandbox.endpoint.faults.inject({ action: 'DescribeSnapshots', kind: 'http500-html', times: Infinity });
    suite.host.prompts.push({ choose: () => undefined });
    assert.equal(await runChange(suite.host, [launch(suite.images.n03!.imageId, [OTHER], [])], INTERACTIVE), undefined);
    assert.match(suite.host.prompts.asked[0]!, /^choose: A check could not run\n.*DescribeSnapshots/);
    assert.equal(modifies(), 0);
  });

  test('reset removes exactly what the confirmation listed: an entry added meanwhile survives', async () => {
    const imageId = suite.images.n04!.imageId;
    const listed = await getLaunchPermissions(suite.sandbox.gateway(), DEV, imageId);
    suite.host.prompts.push({ confirm: true });
    whileConfirming(suite.host, async () => {
      const response = await fetch(`${suite.sandbox.endpoint.url}/__control/launch-permissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: '111111111111', region: 'us-east-1', imageId, add: [BACKUP] }),
      });
      assert.equal(response.status, 200);
    });
    const reset = await runChange(suite.host, [launch(imageId, [], 'all')], SCRIPT);
    assert.equal(reset!.results[0]!.ok, true, reset!.results[0]!.error);
    for (const entry of listed) assert.ok(suite.host.prompts.asked[0]!.includes(Object.values(entry)[0]!), `plan lists ${JSON.stringify(entry)}`);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', imageId)!.launchPermissions, [BACKUP]);
  });

  test('undo of a share with snapshots also removes the snapshot permission', async () => {
    suite.host.confirmDestructiveActions = false;
    const image = suite.images.n01!;
    const shared = await runChange(suite.host, [launch(image.imageId, [PARTNER], [], true)], SCRIPT);
    assert.equal(shared!.results[0]!.ok, true, shared!.results[0]!.error);
    for (const id of image.snapshotIds) assert.deepEqual(await getVolumePermissions(suite.sandbox.gateway(), DEV, id), [PARTNER]);
    const undone = await runUndo(suite.host, undoRequests(shared!.steps.map((s) => ({ address: s.step.address, applied: s.applied }))), false);
    assert.equal(undone!.results[0]!.ok, true, undone!.results[0]!.error);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', image.imageId)!.launchPermissions, []);
    for (const id of image.snapshotIds) assert.deepEqual(await getVolumePermissions(suite.sandbox.gateway(), DEV, id), []);
  });

  test('applied but not read back: recorded from the request, unverified, and Undo still reverts it', async () => {
    suite.host.confirmDestructiveActions = false;
    const imageId = suite.images.n01!.imageId;
    afterIntent(suite.host, () => suite.sandbox.endpoint.faults.inject({ action: 'DescribeImageAttribute', kind: 'http500-html', times: Infinity }));
    const outcome = await runChange(suite.host, [launch(imageId, [PARTNER], [])], SCRIPT);
    const result = outcome!.results[0]!;
    assert.equal(result.unverified, true);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', imageId)!.launchPermissions, [PARTNER], 'the change did land');
    const logged = (await suite.host.changeLog.history()).results.find((r) => r.imageId === imageId)!;
    assert.equal(logged.verified, false);
    assert.deepEqual(logged.applied, { add: [PARTNER], remove: [] });
    suite.sandbox.endpoint.reset();
    await runChange(suite.host, [launch(imageId, [PARTNER], [])], { ...SCRIPT });
    const undone = await runUndo(suite.host, undoRequests([{ address: outcome!.steps[0]!.step.address, applied: logged.applied }]), false);
    assert.equal(undone!.results[0]!.ok, true, undone!.results[0]!.error);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', imageId)!.launchPermissions, []);
  });

  test('partial failure (launch permissions changed, snapshots failed) is reported and Undo reverts what was applied', async () => {
    suite.host.confirmDestructiveActions = false;
    const image = suite.images.n01!;
    suite.sandbox.endpoint.faults.inject({ action: 'ModifySnapshotAttribute', kind: 'expired-token', times: Infinity });
    const outcome = await runChange(suite.host, [launch(image.imageId, [PARTNER], [], true)], SCRIPT);
    const result = outcome!.results[0]!;
    assert.equal(result.ok, false);
    assert.match(result.error!, /Launch permissions of .* were changed, but its snapshot permissions were not/);
    assert.ok(suite.host.notifications[0]!.actions.includes('Undo'), 'Undo offered for the applied part');
    suite.sandbox.endpoint.reset();
    await runChange(suite.host, [launch(image.imageId, [PARTNER], [])], SCRIPT);
    const undone = await runUndo(suite.host, undoRequests(outcome!.steps.map((s) => ({ address: s.step.address, applied: s.applied }))), false);
    assert.equal(undone!.results[0]!.ok, true, undone!.results[0]!.error);
    assert.deepEqual(suite.sandbox.endpoint.state.image('us-east-1', image.imageId)!.launchPermissions, []);
  });

  test('the intent line is on disk before the call is sent', async () => {
    suite.host.confirmDestructiveActions = false;
    const seen: number[] = [];
    afterIntent(suite.host, () => {
      seen.push(modifies());
      const text = fs.readFileSync(suite.host.changeLog.file, 'utf8');
      assert.match(text, /"kind":"intent"/);
    });
    await runChange(suite.host, [launch(suite.images.n01!.imageId, [PARTNER], [])], SCRIPT);
    assert.deepEqual(seen, [0]);
    assert.equal(modifies(), 1);
  });

  test('confirmations off, a script\'s bulk share applies each AMI as soon as its own state is read (intent still first)', async () => {
    suite.host.confirmDestructiveActions = false;
    const gateway = await suite.host.gateway.get();
    const send = gateway.send.bind(gateway);
    const ids = ['n01', 'n02', 'n03'].map((k) => suite.images[k]!.imageId);
    const last = ids[2]!;
    let writesBeforeLastRead = -1;
    const intentFirst: boolean[] = [];
    // The last AMI's read is held until another AMI has been written (or 3 s): plan-then-apply would wait it out.
    gateway.send = (async (target: never, command: { constructor: { name: string }; input: { ImageId?: string } }, options: never) => {
      if (command.constructor.name === 'DescribeImageAttributeCommand' && command.input.ImageId === last && writesBeforeLastRead < 0) {
        // Not meeting it is the finding (asserted below), so the timeout is no failure here.
        await until('another AMI written', () => modifies() > 0, { timeoutMs: 3000, intervalMs: 10 }).catch(() => undefined);
        writesBeforeLastRead = modifies();
      }
      if (command.constructor.name === 'ModifyImageAttributeCommand') {
        const onDisk = fs.readFileSync(suite.host.changeLog.file, 'utf8');
        intentFirst.push(new RegExp(`"kind":"intent"[^\\n]*"imageId":"${command.input.ImageId}"`).test(onDisk));
      }
      return send(target, command as never, options);
    }) as typeof gateway.send;
    // Reads of launch permissions make their command when the limiter lets them go: route them through the send above.
    gateway.sendWhenAllowed = ((target: never, Command: new (input: unknown) => never, input: unknown, options: never) => gateway.send(target, new Command(input), options)) as typeof gateway.sendWhenAllowed;
    const outcome = await runChange(suite.host, ids.map((id) => launch(id, [OTHER], [])), SCRIPT);
    assert.ok(writesBeforeLastRead > 0, 'another AMI was shared before the last one was even read');
    assert.deepEqual(intentFirst, [true, true, true], 'each AMI\'s intent is on disk before its call');
    assert.deepEqual(outcome!.results.map((r) => r.ok), [true, true, true]);
    assert.equal(modifies(), 3);
    assert.equal(suite.host.prompts.asked.length, 0);
  });

  test('confirmations off, an AMI whose only finding is a warning (its key does not grant the recipient) is applied early too, the warning in its result', async () => {
    suite.host.confirmDestructiveActions = false;
    const gateway = await suite.host.gateway.get();
    const send = gateway.send.bind(gateway);
    // n03's snapshots use the dev key, whose policy does not name OTHER: a key-policy warning, no blocker.
    const encrypted = suite.images.n03!.imageId;
    const last = suite.images.n01!.imageId;
    const written: string[] = [];
    let writtenBeforeLastRead: string[] | undefined;
    gateway.send = (async (target: never, command: { constructor: { name: string }; input: { ImageId?: string } }, options: never) => {
      if (command.constructor.name === 'DescribeImageAttributeCommand' && command.input.ImageId === last && !writtenBeforeLastRead) {
        // Not meeting it is the finding (asserted below), so the timeout is no failure here.
        await until('the encrypted AMI written', () => written.includes(encrypted), { timeoutMs: 3000, intervalMs: 10 }).catch(() => undefined);
        writtenBeforeLastRead = [...written];
      }
      if (command.constructor.name === 'ModifyImageAttributeCommand') written.push(command.input.ImageId!);
      return send(target, command as never, options);
    }) as typeof gateway.send;
    gateway.sendWhenAllowed = ((target: never, Command: new (input: unknown) => never, input: unknown, options: never) => gateway.send(target, new Command(input), options)) as typeof gateway.sendWhenAllowed;
    const outcome = await runChange(suite.host, [encrypted, last].map((id) => launch(id, [OTHER], [])), SCRIPT);
    assert.deepEqual(writtenBeforeLastRead, [encrypted], 'the AMI with only a warning was shared before the other one was even read');
    const result = outcome!.results.find((r) => r.imageId === encrypted)!;
    assert.equal(result.ok, true);
    assert.match((result.warnings ?? []).join('\n'), /key/i, 'the key-policy warning is in its result');
    assert.equal(outcome!.results.find((r) => r.imageId === last)!.ok, true);
    assert.equal(suite.host.prompts.asked.length, 0);
  });

  test('the first AMIs\' launch permissions are read alongside DescribeImages, not after its answer', async () => {
    const gateway = await suite.host.gateway.get();
    const send = gateway.send.bind(gateway);
    const ids = ['n01', 'n02'].map((k) => suite.images[k]!.imageId);
    const readWhileDescribing: string[] = [];
    let describing = false;
    gateway.send = (async (target: never, command: { constructor: { name: string }; input: { ImageId?: string } }, options: never) => {
      if (command.constructor.name === 'DescribeImagesCommand') {
        describing = true;
        // Held until both reads went out (or 3 s): a read that waits for this answer never comes.
        await until('both launch-permission reads sent', () => readWhileDescribing.length === 2, { timeoutMs: 3000, intervalMs: 10 }).catch(() => undefined);
        const answer = await send(target, command as never, options);
        describing = false;
        return answer;
      }
      if (command.constructor.name === 'DescribeImageAttributeCommand' && describing) readWhileDescribing.push(command.input.ImageId!);
      return send(target, command as never, options);
    }) as typeof gateway.send;
    gateway.sendWhenAllowed = ((target: never, Command: new (input: unknown) => never, input: unknown, options: never) => gateway.send(target, new Command(input), options)) as typeof gateway.sendWhenAllowed;
    suite.host.prompts.push({ confirm: true });
    const outcome = await runChange(suite.host, ids.map((id) => launch(id, [OTHER], [])), SCRIPT);
    assert.deepEqual(readWhileDescribing.sort(), [...ids].sort());
    assert.deepEqual(outcome!.results.map((r) => r.ok), [true, true]);
    assert.ok(outcome!.results.every((r) => r.after.some((p) => 'UserId' in p && p.UserId === OTHER.UserId)), 'planned on the early reads and applied');
  });

  test('confirmations on, a bulk share reads every AMI before anything is written', async () => {
    const reads: string[] = [];
    const gateway = await suite.host.gateway.get();
    const send = gateway.send.bind(gateway);
    gateway.send = (async (target: never, command: { constructor: { name: string }; input: { ImageId?: string } }, options: never) => {
      if (command.constructor.name === 'DescribeImageAttributeCommand') reads.push(`${modifies()}`);
      return send(target, command as never, options);
    }) as typeof gateway.send;
    // Reads of launch permissions make their command when the limiter lets them go: route them through the send above.
    gateway.sendWhenAllowed = ((target: never, Command: new (input: unknown) => never, input: unknown, options: never) => gateway.send(target, new Command(input), options)) as typeof gateway.sendWhenAllowed;
    suite.host.prompts.push({ confirm: true });
    await runChange(suite.host, ['n01', 'n02', 'n03'].map((k) => launch(suite.images[k]!.imageId, [OTHER], [])), SCRIPT);
    assert.deepEqual(reads.slice(0, 3), ['0', '0', '0'], 'the three plan reads came before any write');
    assert.equal(suite.host.prompts.asked.length, 1);
    assert.equal(modifies(), 3);
  });

  test('a key-policy grant re-reads the policy right before writing: a statement added meanwhile is kept', async () => {
    const keyArn = DEFAULT_KMS_KEYS.devGoldenUs;
    const gateway = suite.sandbox.gateway();
    const colleague = { Sid: 'ColleagueBackup', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777777777777:root' }, Action: 'kms:Decrypt', Resource: '*' };
    const request: ChangeRequest = { kind: 'keyPolicy', profile: 'dev', keyArn, grant: [PARTNER], revoke: [], forImages: [suite.images.n03!.imageId] };
    // Script: the policy moved after the plan was shown → refused, nothing written.
    suite.host.prompts.push({ confirm: true });
    whileConfirming(suite.host, async () => {
      const { policy } = await getKeyPolicy(gateway, 'dev', keyArn);
      await putKeyPolicy(gateway, 'dev', keyArn, { ...policy, Statement: [...policy.Statement, colleague] });
    });
    const refused = await runChange(suite.host, [request], SCRIPT);
    assert.equal(refused!.steps[0]!.ok, false);
    assert.match(refused!.steps[0]!.error!, /changed since the plan was shown/);
    const afterRefusal = (await getKeyPolicy(gateway, 'dev', keyArn)).text;
    assert.ok(afterRefusal.includes('ColleagueBackup') && !afterRefusal.includes('444444444444'));

    // Interactive: the new diff is shown and confirmed, then merged into the current policy.
    const interactive = testHost(gateway);
    interactive.prompts.push({ confirm: true });
    whileConfirming(interactive, async () => {
      const { policy } = await getKeyPolicy(gateway, 'dev', keyArn);
      await putKeyPolicy(gateway, 'dev', keyArn, { ...policy, Statement: [...policy.Statement, { ...colleague, Sid: 'ColleagueSecond' }] });
    });
    interactive.prompts.push({ confirm: true });
    const merged = await runChange(interactive, [request], INTERACTIVE);
    assert.equal(merged!.steps[0]!.ok, true, merged!.steps[0]!.error);
    assert.match(interactive.prompts.asked[1]!, /changed since it was shown/);
    const final = (await getKeyPolicy(gateway, 'dev', keyArn)).text;
    assert.deepEqual(merged!.steps[0]!.applied, { add: [PARTNER], remove: [] });
    assert.ok(final.includes('ColleagueBackup') && final.includes('ColleagueSecond') && final.includes('444444444444'));
    // Undo takes out exactly our statement for the partner, and nothing of the colleague's.
    interactive.prompts.push({ confirm: true });
    await runUndo(interactive, undoRequests(merged!.steps.map((s) => ({ address: s.step.address, applied: s.applied }))), true);
    const undone = (await getKeyPolicy(gateway, 'dev', keyArn)).text;
    assert.ok(undone.includes('ColleagueBackup') && undone.includes('ColleagueSecond') && !undone.includes('444444444444'));
    interactive.dispose();
  });

  test('a bulk change of several AMIs shows one plan naming each AMI, snapshot and entry', async () => {
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(runChange(suite.host, [launch(suite.images.n01!.imageId, [PARTNER], [], true), launch(suite.images.n04!.imageId, [PARTNER], [], false)], SCRIPT), /Cancelled/);
    const plan = suite.host.prompts.asked[0]!;
    assert.match(plan, new RegExp(`${suite.images.n01!.imageId} \\(dev 111111111111, us-east-1\\) launch permissions: \\+ 444444444444`));
    assert.match(plan, new RegExp(`snapshot ${suite.images.n01!.snapshotIds[0]} of ${suite.images.n01!.imageId} \\(copy permission\\): \\+ 444444444444`));
    assert.match(plan, new RegExp(suite.images.n04!.imageId));
    assert.equal(modifies(), 0);
  });

  test('public with snapshots: the one question names the snapshots made public', async () => {
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(runChange(suite.host, [launch(suite.images.n01!.imageId, [{ Group: 'all' }], [], true)], SCRIPT), /Cancelled/);
    assert.match(suite.host.prompts.asked[0]!, new RegExp(`Snapshots made public \\(anyone can copy their data\\): ${suite.images.n01!.snapshotIds[0]}`));
  });

  test('undo of a reset restores the same entries (exact inverse)', async () => {
    suite.host.confirmDestructiveActions = false;
    const imageId = suite.images.n04!.imageId;
    const before = await getLaunchPermissions(suite.sandbox.gateway(), DEV, imageId);
    const reset = await runChange(suite.host, [launch(imageId, [], 'all')], SCRIPT);
    await runUndo(suite.host, undoRequests(reset!.steps.map((s) => ({ address: s.step.address, applied: s.applied }))), false);
    assert.ok(samePermissions(await getLaunchPermissions(suite.sandbox.gateway(), DEV, imageId), before));
  });

  test('bringing snapshot permissions in line is a planned change: removing a separate grant and making a snapshot public both ask', async () => {
    const image = suite.images.n02!; // public, unencrypted
    const snapshotId = image.snapshotIds[0]!;
    const gateway = suite.sandbox.gateway();
    await (await import('../../src/aws/snapshotPermissions')).modifyVolumePermissions(gateway, DEV, snapshotId, { add: [BACKUP], remove: [] });
    suite.host.confirmDestructiveActions = false;
    suite.host.prompts.push({ confirm: false });
    await assert.rejects(runChange(suite.host, [{ kind: 'snapshotPermissions', image: { ...DEV, imageId: image.imageId }, mode: 'align' }], SCRIPT), /Cancelled/);
    const plan = suite.host.prompts.asked[0]!;
    assert.match(plan, new RegExp(`snapshot ${snapshotId} of ${image.imageId} \\(copy permission\\): \\+ public access \\(all AWS accounts\\); − 777777777777`));
    assert.match(plan, /Snapshots made public/);
    assert.deepEqual(await getVolumePermissions(gateway, DEV, snapshotId), [BACKUP], 'declined: nothing changed');
    suite.host.prompts.push({ confirm: true });
    const aligned = await runChange(suite.host, [{ kind: 'snapshotPermissions', image: { ...DEV, imageId: image.imageId }, mode: 'align' }], SCRIPT);
    assert.equal(aligned!.results[0]!.ok, true, aligned!.results[0]!.error);
    assert.deepEqual(await getVolumePermissions(gateway, DEV, snapshotId), [{ Group: 'all' }]);
    const logged = (await suite.host.changeLog.history()).results.filter((r) => r.resource === 'snapshotPermissions');
    assert.equal(logged.length, 1, 'recorded in the change log');
    await runUndo(suite.host, undoRequests(aligned!.steps.map((step) => ({ address: step.step.address, applied: step.applied }))), false);
    assert.deepEqual(await getVolumePermissions(gateway, DEV, snapshotId), [BACKUP], 'undo restores the separate grant');
  });
});
