import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ControlClient } from '../support/controlClient';
import { childByLabel, children } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';

/** Every entry point goes through the one pipeline: these assert exactly which questions were asked. */
describe('entry points into the change pipeline', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const image = async (name: string) => control.image(DEV, 'us-east-1', name);
  const run = (command: string, ...args: unknown[]) => Promise.resolve(vscode.commands.executeCommand(command, ...args));

  afterEach(async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('confirmDestructiveActions', undefined, vscode.ConfigurationTarget.Global);
  });

  it('arguments of the wrong shape are refused naming the argument, with no prompt and nothing sent', async () => {
    const id = (await image('golden-al2023-2026-11-01')).imageId;
    await assert.rejects(run('amiSharing.shareImage', id), /amiSharing.shareImage: the argument must be an argument object.*got a string/);
    await assert.rejects(run('amiSharing.shareImage', { kind: 'image', id: 'profile/dev/region/us-east-1/owned/x' }), /looks like a tree node but is not one of the tree's items/);
    await assert.rejects(run('amiSharing.undoChange', { id: 42 }), /argument "id" must be a non-empty string; got 42 \(number\)/);
    await assert.rejects(
      run('amiSharing.copyImageToRegions', { profile: 'dev', region: 'us-east-1', imageId: id, targetRegions: ['eu-west-1'], shareWithSameAccounts: 'true' }),
      /argument "shareWithSameAccounts" must be true or false; got "true" \(string\)/,
    );
    await assert.rejects(run('amiSharing.selectRegions', { profile: 'dev', regions: ['not a region'] }), /argument "regions" must be an array of Region names.*"not a region"/);
    await assert.rejects(run('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: ['444444444444'], includeSnapshot: true }), /unknown argument field "includeSnapshot"/);
    assert.deepEqual(suite.prompts.asked, []);
    assert.equal((await control.requests()).filter((r) => r.action === 'ModifyImageAttribute' || r.action === 'CopyImage').length, 0);
  });

  it('copy to Regions of a public AMI that shares the copies asks first (public), even with confirmations off', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('confirmDestructiveActions', false, vscode.ConfigurationTarget.Global);
    const source = await image('golden-al2023-2026-11-02');
    suite.prompts.push({ confirm: false });
    await assert.rejects(run('amiSharing.copyImageToRegions', { profile: 'dev', region: 'us-east-1', imageId: source.imageId, targetRegions: ['eu-west-1'], shareWithSameAccounts: true }), /Cancelled/);
    assert.equal(suite.prompts.asked.length, 1);
    assert.match(suite.prompts.asked[0]!, /^confirm: Copy .* to eu-west-1\?\n.*copy to eu-west-1 .*then share the copy: \+ public access/);
    assert.equal((await control.requests()).filter((r) => r.action === 'CopyImage').length, 0);
  });

  it('undo of "make private" from the change log asks before making the AMI public again', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('confirmDestructiveActions', false, vscode.ConfigurationTarget.Global);
    const source = await image('golden-al2023-2026-11-02');
    const made = (await run('amiSharing.makeImagePrivate', { profile: 'dev', region: 'us-east-1', imageIds: [source.imageId] })) as { changeId: string; results: Array<{ ok: boolean }> };
    assert.equal(made.results[0]!.ok, true);
    assert.deepEqual(suite.prompts.asked, [], 'confirmations off: make private asks nothing');
    suite.prompts.push({ confirm: false });
    await assert.rejects(run('amiSharing.undoChange', { id: made.changeId }), /Cancelled/);
    assert.match(suite.prompts.asked[0]!, /^confirm: Undo this change\?\n.*\+ public access/);
    assert.deepEqual((await image('golden-al2023-2026-11-02')).launchPermissions, []);
    suite.prompts.push({ confirm: true });
    await run('amiSharing.undoChange', { id: made.changeId });
    assert.deepEqual((await image('golden-al2023-2026-11-02')).launchPermissions, [{ Group: 'all' }]);
  });

  it('a share whose checks cannot run is refused for a script unless proceedWithoutChecks, and never when public', async () => {
    const target = await image('golden-al2023-2026-11-03');
    await control.fault({ action: 'DescribeSnapshots', kind: 'http500-html', times: 1000 });
    const refused = (await run('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [target.imageId], accountIds: ['555555555555'] })) as { results: Array<{ ok: boolean; error?: string }> };
    assert.equal(refused.results[0]!.ok, false);
    assert.match(refused.results[0]!.error!, /could not run/);
    const forced = (await run('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [target.imageId], accountIds: ['555555555555'], proceedWithoutChecks: true })) as { results: Array<{ ok: boolean; error?: string }> };
    assert.equal(forced.results[0]!.ok, true, forced.results[0]!.error);
    assert.deepEqual(suite.prompts.asked, []);
  });

  it('undo of a share with snapshots from the change log removes the snapshot permissions too', async () => {
    const target = await image('golden-al2023-2026-11-01');
    const shared = (await run('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [target.imageId], accountIds: ['444444444444'], includeSnapshots: true })) as { changeId: string };
    const snapshotsOf = async () => control.snapshots(DEV, 'us-east-1');
    assert.ok((await snapshotsOf()).some((s) => s.createVolumePermissions.some((p) => p.UserId === '444444444444')), 'shared with snapshots');
    suite.prompts.push({ confirm: true });
    await run('amiSharing.undoChange', { id: shared.changeId });
    assert.match(suite.prompts.asked[0]!, /− 444444444444[\s\S]*snapshot snap-\S+ of .*− 444444444444/);
    assert.deepEqual((await image('golden-al2023-2026-11-01')).launchPermissions, []);
    for (const snapshot of await snapshotsOf()) assert.ok(!snapshot.createVolumePermissions.some((p) => p.UserId === '444444444444'), snapshot.snapshotId);
  });

  it('the tree still shows the result: a node with the new count after a share from a tree node', async () => {
    const mine = await childByLabel(suite.api, (await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const node = await childByLabel(suite.api, mine.node, 'golden-al2023-2026-11-01');
    suite.prompts.push({ input: '444444444444' });
    const result = (await run('amiSharing.shareImage', node.node)) as { results: Array<{ ok: boolean }> };
    assert.equal(result.results[0]!.ok, true);
    assert.deepEqual(suite.prompts.asked.map((a) => a.split(':')[0]), ['input'], 'one AMI, nothing removed, not public: no confirmation');
  });

  it('removing a recipient from a key policy names the other AMIs that still use the key with it, and keeps it by default', async () => {
    const region = await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, 'us-east-1');
    const mine = async () => childByLabel(suite.api, region.node, 'My AMIs');
    // -04 uses the same customer managed key as -03, which is already shared with 444444444444.
    let node = await childByLabel(suite.api, (await mine()).node, 'golden-al2023-2026-11-04');
    suite.prompts.push({ input: '444444444444' }, { choose: (actions) => actions.find((a) => a.startsWith('Add key policy statements')) }, { confirm: true });
    await run('amiSharing.shareImage', node.node);
    const keyPolicy = async () => (await control.keys(DEV, 'us-east-1')).find((k) => k.aliases.includes('alias/golden-images'))!.policy;
    assert.match(await keyPolicy(), /444444444444/);
    node = await childByLabel(suite.api, (await mine()).node, 'golden-al2023-2026-11-04');
    const partner = (await children(suite.api, node.node)).find((c) => c.label === '444444444444')!;
    suite.prompts.push({ confirm: true }, { choose: () => undefined });
    await run('amiSharing.unshareImage', partner.node);
    const offer = suite.prompts.asked.at(-1)!;
    const other = (await image('golden-al2023-2026-11-03')).imageId;
    assert.match(offer, new RegExp(`^choose: The key policy of arn:aws:kms:\\S+ still lets 444444444444 use the key\\n[\\s\\S]*444444444444 still uses this key for: AMI ${other}`));
    assert.match(offer, /\[Remove all of them \(breaks the others\)\]$/, 'the only removal offered says what it breaks; dismissing keeps the grant');
    assert.match(await keyPolicy(), /444444444444/, 'kept: -03 still needs it');
  });
});
