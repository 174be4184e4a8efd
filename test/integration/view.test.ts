import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import { ScriptedPrompts } from '../../src/ui/scriptedPrompts';
import { ControlClient } from '../support/controlClient';
import { activateExtension, childByLabel, children } from './helpers';
import { eventually } from '../support/poll';

const DEV = '111111111111';

describe('view commands: filter, ARN, console link, menus by state', () => {
  let api: AmiSharingApi;
  const control = ControlClient.fromEnvironment();
  const run = (command: string, ...args: unknown[]) => Promise.resolve(vscode.commands.executeCommand(command, ...args));
  const myAmis = async () => childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');

  before(async () => {
    api = await activateExtension();
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod'], vscode.ConfigurationTarget.Global);
    await control.reset();
    await run('amiSharing.refresh');
    api.setPrompts(new ScriptedPrompts());
  });
  after(async () => run('amiSharing.clearFilter'));

  it('the filter matches name, AMI ID and tags, and clearing it shows every AMI again', async () => {
    const all = (await children(api, (await myAmis()).node)).map((c) => c.label);
    assert.ok(all.length > 3);
    await run('amiSharing.filterImages', { text: 'Shared=true' });
    await eventually(async () => assert.deepEqual((await children(api, (await myAmis()).node)).map((c) => c.label), ['golden-al2023-2026-11-03']));
    const id = (await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01')).imageId;
    await run('amiSharing.filterImages', { text: id.toUpperCase() });
    await eventually(async () => assert.deepEqual((await children(api, (await myAmis()).node)).map((c) => c.label), ['golden-al2023-2026-11-01']));
    await run('amiSharing.clearFilter');
    await eventually(async () => assert.deepEqual((await children(api, (await myAmis()).node)).map((c) => c.label), all));
  });

  it('Copy AMI ARN and Open in EC2 Console use the AMI\'s Region and partition', async () => {
    const arn = await run('amiSharing.copyImageArn', { region: 'us-east-1', imageId: 'ami-0123456789abcdef0' });
    assert.equal(arn, 'arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0');
    assert.equal(await vscode.env.clipboard.readText(), arn);
    await assert.rejects(run('amiSharing.copyImageArn'), /choose an AMI in the AMI Sharing view/);
  });

  it('AMI tree items carry their state, sharing and encryption for the menus', async () => {
    const rows = await children(api, (await myAmis()).node);
    const contextOf = async (label: string) => {
      const row = rows.find((r) => r.label === label)!;
      return eventually(async () => {
        const item = await api.treeProvider.getTreeItem(row.node);
        assert.doesNotMatch(String(item.contextValue), /loading/);
        return String(item.contextValue);
      });
    };
    assert.equal(await contextOf('golden-al2023-2026-11-01'), 'image.owned.available.private');
    assert.equal(await contextOf('golden-al2023-2026-11-02'), 'image.owned.available.public');
    assert.equal(await contextOf('golden-al2023-2026-11-03'), 'image.owned.available.shared.encrypted');
  });
});
