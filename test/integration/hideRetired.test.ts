import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ControlClient } from '../support/controlClient';
import { childByLabel, children, eventually } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';

describe('the view filter that hides disabled and deprecated AMIs', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const run = (command: string, ...args: unknown[]) => Promise.resolve(vscode.commands.executeCommand(command, ...args));
  const myAmis = async () => childByLabel(suite.api, (await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
  const labels = async () => (await children(suite.api, (await myAmis()).node)).map((c) => c.label);
  after(async () => run('amiSharing.toggleHideRetired', { hide: false }));

  it('toggleHideRetired hides a disabled and a deprecated AMI, keeps the setting, and shows them again', async () => {
    const deprecated = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03');
    await control.imageLifecycle({ accountId: DEV, region: 'us-east-1', imageId: deprecated.imageId, deprecationTime: new Date(Date.now() - 86_400_000).toISOString() });
    const disabled = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01');
    suite.prompts.push({ confirm: true });
    await run('amiSharing.disableImage', { profile: 'dev', region: 'us-east-1', imageIds: [disabled.imageId] });
    await run('amiSharing.refresh');
    await eventually(async () => assert.ok((await labels()).includes('golden-al2023-2026-11-01')));

    // Owner tooltips carry the last launched time and EC2's delay.
    await control.imageLifecycle({ accountId: DEV, region: 'us-east-1', imageId: deprecated.imageId, lastLaunchedTime: new Date(Date.now() - 5 * 3_600_000).toISOString() });
    await run('amiSharing.refresh');
    const row = await eventually(async () => {
      const found = (await children(suite.api, (await myAmis()).node)).find((c) => c.label === 'golden-al2023-2026-11-03');
      assert.ok(found);
      const item = await suite.api.treeProvider.getTreeItem(found.node);
      const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip);
      assert.match(tooltip, /Last launched/);
      assert.match(tooltip, /5 hours ago .*delay of up to 24 h/);
      return found;
    });
    assert.ok(row);

    assert.equal(await run('amiSharing.toggleHideRetired'), true);
    assert.equal(vscode.workspace.getConfiguration('amiSharing').get('hideRetiredImages'), true);
    await eventually(async () => {
      const shown = await labels();
      assert.ok(!shown.includes('golden-al2023-2026-11-01') && !shown.includes('golden-al2023-2026-11-03'), shown.join(', '));
      assert.ok(shown.includes('golden-al2023-2026-11-02'));
    });

    assert.equal(await run('amiSharing.toggleHideRetired'), false);
    await eventually(async () => assert.ok((await labels()).includes('golden-al2023-2026-11-03')));
    await assert.rejects(run('amiSharing.toggleHideRetired', { hide: 'yes' }), /"hide" must be true or false/);
  });
});
