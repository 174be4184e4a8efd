import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import { ScriptedPrompts } from '../../src/ui/scriptedPrompts';
import { ControlClient } from '../support/controlClient';
import { activateExtension, childByLabel, children } from './helpers';
import { eventually } from '../support/poll';

const DEV = '111111111111';
interface Results {
  results: Array<{ imageId: string; ok: boolean; before: object[]; after: object[]; error?: string }>;
}

describe('commands with argument objects change the endpoint and return before/after', () => {
  let api: AmiSharingApi;
  let prompts: ScriptedPrompts;
  const control = ControlClient.fromEnvironment();
  const imageId = async (name: string) => (await control.image(DEV, 'us-east-1', name)).imageId;
  const permissionsOf = async (name: string) => (await control.image(DEV, 'us-east-1', name)).launchPermissions;

  before(async () => {
    api = await activateExtension();
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod', 'expired'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'dev', regions: ['us-east-1', 'eu-west-1'] });
  });

  beforeEach(async () => {
    await control.reset();
    await vscode.commands.executeCommand('amiSharing.refresh');
    prompts = new ScriptedPrompts();
    api.setPrompts(prompts);
  });

  afterEach(() => {
    assert.equal(prompts.remaining, 0, `unused scripted answers; asked: ${prompts.asked.join(' | ')}`);
  });

  it('shareImage shares with accounts (hyphenated IDs normalised) and the tree shows the new count', async () => {
    const id = await imageId('golden-al2023-2026-11-01');
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage', {
      profile: 'dev',
      region: 'us-east-1',
      imageIds: [id],
      accountIds: ['444444444444', '5555-6666-7777'],
    })) as Results;
    assert.equal(result.results.length, 1);
    assert.equal(result.results[0]!.ok, true, result.results[0]!.error);
    assert.deepEqual(result.results[0]!.before, []);
    assert.deepEqual(result.results[0]!.after, [{ UserId: '444444444444' }, { UserId: '555566667777' }]);
    assert.deepEqual(await permissionsOf('golden-al2023-2026-11-01'), [{ UserId: '444444444444' }, { UserId: '555566667777' }]);
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    await eventually(async () => assert.match((await childByLabel(api, mine.node, 'golden-al2023-2026-11-01')).description, /shared with 2$/));
    assert.equal(prompts.asked.length, 0, 'no prompts for a share');
  });

  it('shareImage refuses bad entries before any call, naming each', async () => {
    const id = await imageId('golden-al2023-2026-11-01');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: ['12345', DEV, '444444444444', '444444444444'] })),
      (error: Error) => {
        assert.match(error.message, /"12345" has 5 digits/);
        assert.match(error.message, /"111111111111" is your own account/);
        assert.match(error.message, /"444444444444" is listed more than once/);
        return true;
      },
    );
    assert.deepEqual(await permissionsOf('golden-al2023-2026-11-01'), []);
  });

  it('shareImage with organization and OU ARNs on several AMIs at once', async () => {
    const ids = [await imageId('golden-al2023-2026-11-01'), await imageId('golden-al2023-2026-11-03')];
    const org = 'arn:aws:organizations::111111111111:organization/o-abc123def4';
    const ou = 'arn:aws:organizations::111111111111:ou/o-abc123def4/ou-ab12-cdef3456';
    prompts.push({ confirm: true });
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: ids, organizationArns: [org], organizationalUnitArns: [ou] })) as Results;
    assert.deepEqual(result.results.map((r) => r.ok), [true, true]);
    for (const name of ['golden-al2023-2026-11-01', 'golden-al2023-2026-11-03']) {
      const permissions = await permissionsOf(name);
      assert.ok(permissions.some((p) => p.OrganizationArn === org) && permissions.some((p) => p.OrganizationalUnitArn === ou), name);
    }
    assert.match(prompts.asked[0]!, /Share 2 AMIs with 1 organization, 1 OU\?/);
    assert.match(prompts.asked[0]!, new RegExp(`${ids[0]} \\(dev 111111111111, us-east-1\\) launch permissions: \\+ ${org}`));
  });

  it('a share touching several AMIs shows the plan first; declining sends nothing', async () => {
    const ids = [await imageId('golden-al2023-2026-11-01'), await imageId('golden-al2023-2026-11-03')];
    prompts.push({ confirm: false });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: ids, accountIds: ['555555555555'] })), /Cancelled: nothing was changed/);
    assert.equal((await control.requests()).filter((r) => r.action === 'ModifyImageAttribute').length, 0);
  });

  it('unshareImage of more than one entry asks for confirmation listing them, then removes them', async () => {
    const id = await imageId('golden-al2023-2026-11-03');
    prompts.push({ confirm: true });
    const result = (await vscode.commands.executeCommand('amiSharing.unshareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: ['222222222222', '444444444444'] })) as Results;
    assert.equal(result.results[0]!.ok, true);
    assert.deepEqual(result.results[0]!.before, [{ UserId: '222222222222' }, { UserId: '444444444444' }]);
    assert.deepEqual(result.results[0]!.after, []);
    assert.match(prompts.asked[0]!, /Remove 2 launch permissions/);
  });

  it('declining the confirmation changes nothing', async () => {
    const id = await imageId('golden-al2023-2026-11-03');
    prompts.push({ confirm: false });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.resetImagePermissions', { profile: 'dev', region: 'us-east-1', imageIds: [id] })), /Cancelled/);
    assert.equal((await permissionsOf('golden-al2023-2026-11-03')).length, 2);
  });

  it('resetImagePermissions removes accounts, orgs and OUs; makeImagePrivate removes only public access', async () => {
    const orgImage = await imageId('golden-al2023-2026-11-04');
    prompts.push({ confirm: true });
    const reset = (await vscode.commands.executeCommand('amiSharing.resetImagePermissions', { profile: 'dev', region: 'us-east-1', imageIds: [orgImage] })) as Results;
    assert.equal(reset.results[0]!.before.length, 2);
    assert.deepEqual(reset.results[0]!.after, []);
    assert.deepEqual(await permissionsOf('golden-al2023-2026-11-04'), []);

    const publicImage = await imageId('golden-al2023-2026-11-02');
    await control.changeLaunchPermissions({ accountId: DEV, region: 'us-east-1', imageId: publicImage, add: [{ UserId: '444444444444' }] });
    prompts.push({ confirm: true });
    const priv = (await vscode.commands.executeCommand('amiSharing.makeImagePrivate', { profile: 'dev', region: 'us-east-1', imageIds: [publicImage] })) as Results;
    assert.deepEqual(priv.results[0]!.after, [{ UserId: '444444444444' }]);
    const image = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-02');
    assert.equal(image.isPublic, false);
  });

  it('confirmDestructiveActions=false skips the confirmation for scripts', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('confirmDestructiveActions', false, vscode.ConfigurationTarget.Global);
    try {
      const id = await imageId('golden-al2023-2026-11-03');
      const reset = (await vscode.commands.executeCommand('amiSharing.resetImagePermissions', { profile: 'dev', region: 'us-east-1', imageIds: [id] })) as Results;
      assert.deepEqual(reset.results[0]!.after, []);
    } finally {
      await vscode.workspace.getConfiguration('amiSharing').update('confirmDestructiveActions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a multi-AMI share reports each AMI: available ones succeed, a pending one is refused before calling EC2', async () => {
    const ids = [await imageId('golden-al2023-2026-11-01'), await imageId('golden-al2023-2026-11-06')];
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: ids, accountIds: ['444444444444'] })) as Results;
    assert.deepEqual(result.results.map((r) => r.ok), [true, false]);
    assert.match(result.results[1]!.error!, /is pending: only available AMIs can be shared/);
    const modifies = (await control.requests()).filter((r) => r.action === 'ModifyImageAttribute');
    assert.equal(modifies.length, 1, 'only the available AMI was sent to EC2');
  });

  it('from tree nodes: unshare on a permission item removes just that one, after showing the plan', async () => {
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const image = await childByLabel(api, mine.node, 'golden-al2023-2026-11-03');
    const [prodPermission] = await children(api, image.node);
    prompts.push({ confirm: true });
    const result = (await vscode.commands.executeCommand('amiSharing.unshareImage', prodPermission!.node)) as Results;
    assert.deepEqual(result.results[0]!.after, [{ UserId: '444444444444' }]);
    assert.match(prompts.asked[0]!, /Remove 1 launch permission\?/);
  });

  it('from the palette: asks profile → Region → AMIs → accounts', async () => {
    const id = await imageId('golden-al2023-2026-11-01');
    prompts.push(
      { pickOne: (items) => items.find((i) => i.label === 'dev')!.value },
      { pickOne: (items) => items.find((i) => i.description === 'us-east-1')!.value },
      { pickMany: (items) => items.filter((i) => String(i.description).startsWith(id)).map((i) => i.value) },
      { input: '444444444444\n555555555555' },
    );
    const result = (await vscode.commands.executeCommand('amiSharing.shareImage')) as Results;
    assert.deepEqual(result.results[0]!.after, [{ UserId: '444444444444' }, { UserId: '555555555555' }]);
  });

  it('editPermissions opens one form per AMI and reveals it again', async () => {
    const id = await imageId('golden-al2023-2026-11-03');
    const opened = await vscode.commands.executeCommand('amiSharing.editPermissions', { profile: 'dev', region: 'us-east-1', imageId: id });
    assert.deepEqual(opened, { imageIds: [id] });
    await vscode.commands.executeCommand('amiSharing.editPermissions', { profile: 'dev', region: 'us-east-1', imageId: id });
    await eventually(() => {
      const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label.startsWith('AMI permissions:'));
      assert.deepEqual(tabs.map((tab) => tab.label), ['AMI permissions: ' + 'golden-al2023-2026-11-03'], vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', '));
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('double-clicking an AMI opens its form; a single click does not', async () => {
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const node = await childByLabel(api, mine.node, 'golden-al2023-2026-11-04');
    const click = node.item.command!;
    assert.equal(click.command, 'amiSharing.imageClicked');
    const formTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('AMI permissions:'));
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(formTabs().length, 0, 'one click only selects');
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    await vscode.commands.executeCommand(click.command, ...(click.arguments ?? []));
    await eventually(() => assert.equal(formTabs().length, 1));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('copyImageId copies the AMI ID of a node', async () => {
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const image = await childByLabel(api, mine.node, 'golden-al2023-2026-11-01');
    await vscode.commands.executeCommand('amiSharing.copyImageId', image.node);
    assert.equal(await vscode.env.clipboard.readText(), await imageId('golden-al2023-2026-11-01'));
  });

  it('every change lands in the change log, and undo from the log restores exactly the previous permissions', async () => {
    const id = await imageId('golden-al2023-2026-11-03');
    const before = await permissionsOf('golden-al2023-2026-11-03');
    prompts.push({ confirm: true });
    await vscode.commands.executeCommand('amiSharing.unshareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: ['222222222222', '444444444444'] });
    assert.deepEqual(await permissionsOf('golden-al2023-2026-11-03'), []);
    const log = (await vscode.commands.executeCommand('amiSharing.showChangeLog')) as string;
    assert.match(log, new RegExp(`OK +Unshare ${id} \\(dev 111111111111, us-east-1\\)`));
    assert.match(log, /before: 222222222222, 444444444444/);
    assert.match(log, /request: \S+/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Someone else shares it with another account meanwhile: undo must keep that.
    await control.changeLaunchPermissions({ accountId: DEV, region: 'us-east-1', imageId: id, add: [{ UserId: '777777777777' }] });
    prompts.push({ pickOne: (items) => items.find((i) => i.label === `Unshare ${id}`)!.value });
    const undone = (await vscode.commands.executeCommand('amiSharing.undoChange')) as Results;
    assert.equal(undone.results[0]!.ok, true, undone.results[0]!.error);
    const after = await permissionsOf('golden-al2023-2026-11-03');
    assert.deepEqual(after.map((p) => p.UserId).sort(), [...before.map((p) => p.UserId!), '777777777777'].sort());
  });

  it('selectRegions remembers the choice and the tree follows it', async () => {
    await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'dev', regions: ['eu-west-1'] });
    try {
      const dev = await childByLabel(api, undefined, 'dev');
      assert.deepEqual((await children(api, dev.node)).map((r) => r.label), ['eu-west-1']);
    } finally {
      await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'dev', regions: ['us-east-1', 'eu-west-1'] });
    }
  });
});
