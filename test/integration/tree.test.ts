import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import { ControlClient } from '../support/controlClient';
import { activateExtension, childByLabel, children } from './helpers';
import { eventually } from '../support/poll';

/** A tooltip's text as the reader sees it: escapes and the zero-width joiners that break links removed. */
function shownText(tooltip: vscode.MarkdownString): string {
  return tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1').replace(/\u200D/g, '');
}

describe('the AMI tree in a real VS Code', () => {
  let api: AmiSharingApi;
  const control = ControlClient.fromEnvironment();

  before(async () => {
    api = await activateExtension();
    await control.reset();
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod', 'expired'], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'dev', regions: ['us-east-1', 'eu-west-1'] });
    await vscode.commands.executeCommand('amiSharing.selectRegions', { profile: 'prod', regions: ['us-east-1'] });
    await vscode.commands.executeCommand('amiSharing.refresh');
  });

  it('lists the profiles allowed by amiSharing.profiles, with account IDs', async () => {
    const profiles = await children(api);
    assert.deepEqual(profiles.map((p) => p.label), ['dev', 'expired', 'prod']);
    await eventually(async () => {
      const rendered = await children(api);
      assert.equal(rendered.find((p) => p.label === 'dev')?.description, '111111111111');
      assert.equal(rendered.find((p) => p.label === 'prod')?.description, '222222222222');
    });
  });

  it('profiles → Regions → My AMIs / Shared with me → AMIs → launch permissions', async () => {
    const dev = await childByLabel(api, undefined, 'dev');
    assert.deepEqual((await children(api, dev.node)).map((r) => r.label), ['us-east-1', 'eu-west-1']);
    const region = await childByLabel(api, dev.node, 'us-east-1');
    assert.deepEqual((await children(api, region.node)).map((g) => g.label), ['My AMIs', 'Shared with me']);
    const mine = await childByLabel(api, region.node, 'My AMIs');
    const images = await children(api, mine.node);
    assert.deepEqual(images.map((i) => i.label), [7, 6, 5, 4, 3, 2, 1].map((n) => `golden-al2023-2026-11-0${n}`));
    const shared = await eventually(async () => {
      const item = await childByLabel(api, mine.node, 'golden-al2023-2026-11-03');
      assert.match(item.description, /^ami-[0-9a-f]{17} · shared with 2$/);
      return item;
    });
    const publicImage = await eventually(async () => {
      const item = await childByLabel(api, mine.node, 'golden-al2023-2026-11-02');
      assert.match(item.description, / · public$/);
      return item;
    });
    assert.equal((publicImage.item.iconPath as vscode.ThemeIcon).id, 'globe');
    assert.equal((shared.item.iconPath as vscode.ThemeIcon).id, 'organization');
    assert.equal(((await childByLabel(api, mine.node, 'golden-al2023-2026-11-06')).item.iconPath as vscode.ThemeIcon).id, 'clock');
    assert.equal(((await childByLabel(api, mine.node, 'golden-al2023-2026-11-07')).item.iconPath as vscode.ThemeIcon).id, 'error');

    const permissions = await children(api, shared.node);
    assert.deepEqual(permissions.map((p) => p.label), ['222222222222', '444444444444']);
    const orgImage = await childByLabel(api, mine.node, 'golden-al2023-2026-11-04');
    assert.deepEqual((await children(api, orgImage.node)).map((p) => p.description), ['organization', 'organizational unit']);
    assert.deepEqual((await children(api, publicImage.node)).map((p) => p.label), ['Public (all AWS accounts)']);
    assert.deepEqual((await children(api, (await childByLabel(api, mine.node, 'golden-al2023-2026-11-01')).node)).map((p) => p.label), ['Not shared']);
  });

  it('uses friendly names from amiSharing.accountNames', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('accountNames', { '222222222222': 'prod' }, vscode.ConfigurationTarget.Global);
    try {
      const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
      const shared = await childByLabel(api, mine.node, 'golden-al2023-2026-11-03');
      const permissions = await children(api, shared.node);
      assert.deepEqual(permissions.map((p) => [p.label, p.description]), [['prod', '222222222222'], ['444444444444', '']]);
    } finally {
      await vscode.workspace.getConfiguration('amiSharing').update('accountNames', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows Shared with me read-only, with the owner account', async () => {
    const region = await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1');
    const sharedWithMe = await childByLabel(api, region.node, 'Shared with me');
    const images = await children(api, sharedWithMe.node);
    assert.deepEqual(images.map((i) => i.label), ['prod-base-al2023-2026-10-01']);
    assert.match(images[0]!.description, /owner 222222222222/);
    assert.match(String(images[0]!.item.contextValue), /^image\.sharedWithMe\./);
    assert.equal(images[0]!.item.collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('a profile with bad credentials shows one error child with a retry; the others keep working', async () => {
    const expired = await childByLabel(api, undefined, 'expired');
    const items = await children(api, expired.node);
    assert.equal(items.length, 1);
    assert.match(items[0]!.label, /credentials of profile "expired"/);
    assert.equal(items[0]!.item.command?.command, 'amiSharing.refresh');
    const prodRegion = await childByLabel(api, (await childByLabel(api, undefined, 'prod')).node, 'us-east-1');
    const prodImages = await children(api, (await childByLabel(api, prodRegion.node, 'My AMIs')).node);
    assert.equal(prodImages.length, 2);
  });

  it('editing the AWS config file refreshes the tree (a new profile appears)', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod', 'expired', 'late'], vscode.ConfigurationTarget.Global);
    const configFile = process.env.AWS_CONFIG_FILE!;
    const original = fs.readFileSync(configFile, 'utf8');
    const endpointUrl = /endpoint_url = (\S+)/.exec(original)![1];
    try {
      assert.deepEqual((await children(api)).map((p) => p.label), ['dev', 'expired', 'prod']);
      fs.appendFileSync(configFile, `\n[profile late]\nregion = us-east-1\nendpoint_url = ${endpointUrl}\nsource_profile = dev\nrole_arn = arn:aws:iam::333333333333:role/Admin\n`);
      await eventually(async () => assert.deepEqual((await children(api)).map((p) => p.label), ['dev', 'expired', 'late', 'prod']), { timeoutMs: 20_000 });
    } finally {
      fs.writeFileSync(configFile, original);
      await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod', 'expired'], vscode.ConfigurationTarget.Global);
    }
  });

  it('hovering a shared AMI tells whether recipients can also copy it (snapshot permissions)', async () => {
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const shared = await eventually(async () => {
      const item = await childByLabel(api, mine.node, 'golden-al2023-2026-11-03');
      assert.match(item.description, /shared with 2/);
      return item;
    });
    const resolved = await api.treeProvider.resolveTreeItem!(shared.item, shared.node, new vscode.CancellationTokenSource().token);
    const text = shownText((resolved ?? shared.item).tooltip as vscode.MarkdownString);
    assert.match(text, /Snapshot permissions do not match the launch permissions: recipients can launch but not copy/);
  });

  it('a server fault shows an error child with a retry; retrying after the fault clears loads the AMIs', async () => {
    await control.fault({ action: 'DescribeImages', accountId: '222222222222', kind: 'http500-html', times: 'Infinity' });
    try {
      await vscode.commands.executeCommand('amiSharing.refresh');
      const region = await childByLabel(api, (await childByLabel(api, undefined, 'prod')).node, 'us-east-1');
      const mine = await childByLabel(api, region.node, 'My AMIs');
      const items = await children(api, mine.node);
      assert.equal(items.length, 1);
      assert.match(items[0]!.label, /server error \(HTTP 500\)/);
      assert.equal(items[0]!.item.command?.command, 'amiSharing.refresh');
      const dev = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
      assert.equal((await children(api, dev.node)).length, 7, 'another profile keeps working');
      await control.fault({ clear: true });
      await vscode.commands.executeCommand(items[0]!.item.command!.command, ...(items[0]!.item.command!.arguments ?? []));
      assert.equal((await children(api, mine.node)).length, 2);
    } finally {
      await control.fault({ clear: true });
    }
  });

  it('a Region with more AMIs than a first page lists them all, page after page', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `paged-${String(i).padStart(2, '0')}`);
    for (const name of names) await control.registerImage({ accountId: '222222222222', region: 'us-east-1', name });
    try {
      await vscode.commands.executeCommand('amiSharing.refresh');
      const region = await childByLabel(api, (await childByLabel(api, undefined, 'prod')).node, 'us-east-1');
      const mine = await childByLabel(api, region.node, 'My AMIs');
      const expected = (await control.images('222222222222', 'us-east-1')).map((image) => image.name).sort();
      assert.ok(expected.length > 60);
      // Pages after the first stream in; VS Code asks again on each change, as this does.
      await eventually(async () => {
        const listed = (await children(api, mine.node)).filter((child) => child.node.kind === 'image').map((child) => child.label);
        assert.deepEqual([...listed].sort(), expected);
      });
    } finally {
      await control.reset();
      await vscode.commands.executeCommand('amiSharing.refresh');
    }
  });

  it('tooltips carry the AMI details as escaped Markdown', async () => {
    const mine = await childByLabel(api, (await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1')).node, 'My AMIs');
    const image = await childByLabel(api, mine.node, 'golden-al2023-2026-11-05');
    const tooltip = image.item.tooltip as vscode.MarkdownString;
    assert.equal(tooltip.isTrusted, false);
    assert.equal(tooltip.supportHtml, false);
    const text = shownText(tooltip);
    assert.match(text, /Architecture\*\*: arm64/);
    assert.match(text, /EBS snapshots encrypted\*\*: yes/);
    assert.match(text, /Tags are visible only to the owner account/);
    assert.match(text, /Name\*\*: golden-al2023-2026-11-05/);
  });

  it('a hostile AMI name and description from another account stay text in the tooltip: no link, no HTML, no command link', async () => {
    const name = 'evil https://evil.example/x www.evil.example [a](command:x) <img src=x>';
    const description = 'see https://evil.example/y, www.evil.example/z or mail bob@evil.com';
    const response = await fetch(`${control.baseUrl}/__control/images`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: '222222222222', region: 'us-east-1', name, description, launchPermissions: [{ UserId: '111111111111' }] }),
    });
    assert.ok(response.ok, `POST /__control/images: HTTP ${response.status}`);
    try {
      await vscode.commands.executeCommand('amiSharing.refresh');
      const region = await childByLabel(api, (await childByLabel(api, undefined, 'dev')).node, 'us-east-1');
      const hostile = await childByLabel(api, (await childByLabel(api, region.node, 'Shared with me')).node, name);
      const tooltip = hostile.item.tooltip as vscode.MarkdownString;
      assert.equal(tooltip.isTrusted, false);
      assert.equal(tooltip.supportHtml, false);
      const unescaped = tooltip.value.replace(/\\(.)/g, '$1');
      assert.doesNotMatch(unescaped, /[a-z]+:\/\/|www\.(?!\u200D)|\w@\w|command:(?!\u200D)/i, unescaped);
      assert.doesNotMatch(tooltip.value, /(^|[^\\])[<>[\]()]/, 'every bracket and angle bracket is escaped');
      const readable = shownText(tooltip);
      assert.ok(readable.includes(`**Name**: ${name}`), readable);
      assert.ok(readable.includes(`**Description**: ${description}`), readable);
    } finally {
      await control.reset();
      await vscode.commands.executeCommand('amiSharing.refresh');
    }
  });
});
