import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import { ScriptedPrompts } from '../../src/ui/scriptedPrompts';
import { ControlClient } from '../support/controlClient';
import { activateExtension, childByLabel } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
const PROD = '222222222222';

interface CheckResult {
  results: Array<{ accountId: string; profile?: string; canLaunch: string; canCopy: string; reasons: string[] }>;
}

describe('amiSharing.checkRecipients with argument objects', () => {
  let api: AmiSharingApi;
  let prompts: ScriptedPrompts;
  const control = ControlClient.fromEnvironment();
  const imageId = async (name: string) => (await control.image(DEV, 'us-east-1', name)).imageId;

  before(async () => {
    api = await activateExtension();
  });

  beforeEach(async () => {
    await control.reset();
    prompts = new ScriptedPrompts();
    api.setPrompts(prompts);
  });

  afterEach(() => {
    assert.equal(prompts.remaining, 0);
    assert.deepEqual(prompts.asked, [], 'a check asks nothing');
  });

  it('returns one plain result per recipient: the one with a profile can launch and copy, the outside one cannot', async () => {
    const result = (await vscode.commands.executeCommand('amiSharing.checkRecipients', { profile: 'dev', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-03') })) as CheckResult;
    const prod = result.results.find((r) => r.accountId === PROD);
    assert.deepEqual({ ...prod, reasons: undefined }, { accountId: PROD, profile: 'prod', canLaunch: 'yes', canCopy: 'yes', reasons: undefined });
    const outside = result.results.find((r) => r.accountId === '444444444444');
    assert.equal(outside?.canLaunch, 'no');
    assert.equal(outside?.profile, undefined);
    assert.ok(outside?.reasons.some((r) => /does not allow account 444444444444/.test(r)));
    assert.ok(!('fixes' in (outside ?? {})), 'the result has exactly the documented fields');
  });

  it('accountIds narrows the recipients; an AMI not shared with them is no, with the reason', async () => {
    const result = (await vscode.commands.executeCommand('amiSharing.checkRecipients', { profile: 'dev', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-01'), accountIds: [PROD] })) as CheckResult;
    assert.equal(result.results.length, 1);
    assert.equal(result.results[0]!.canLaunch, 'no');
    assert.ok(result.results[0]!.reasons.some((r) => /launch permissions do not include account 222222222222/.test(r)));
  });

  it('refuses bad arguments naming them, before any call', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.checkRecipients', { profile: 'dev', region: 'us-east-1', imageId: 'ami-1' })),
      /imageId|AMI ID/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.checkRecipients', { profile: 'dev', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-01'), accountIds: ['12345'] })),
      /accountIds/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.checkRecipients', { profile: 'dev', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-01'), extra: 1 })),
      /extra/,
    );
  });
});

describe('receiving: amiSharing.copySharedImage and amiSharing.stopReceiving with argument objects', () => {
  let api: AmiSharingApi;
  let prompts: ScriptedPrompts;
  const control = ControlClient.fromEnvironment();
  const imageId = async (name: string) => (await control.image(DEV, 'us-east-1', name)).imageId;
  const PROD_KEY = 'arn:aws:kms:us-east-1:222222222222:key/05a02808-270d-4c71-898b-b05e5274b923';

  before(async () => {
    api = await activateExtension();
  });

  beforeEach(async () => {
    await control.reset();
    prompts = new ScriptedPrompts();
    api.setPrompts(prompts);
  });

  afterEach(() => {
    assert.equal(prompts.remaining, 0, `unused answers; asked: ${prompts.asked.join(' | ')}`);
  });

  it('copySharedImage copies a shared AMI into the account, re-encrypted with its key, and returns the copy', async () => {
    const result = (await vscode.commands.executeCommand('amiSharing.copySharedImage', { profile: 'prod', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-03'), name: 'golden-received', kmsKeyId: PROD_KEY })) as { imageId: string; region: string };
    assert.equal(result.region, 'us-east-1');
    assert.match(result.imageId, /^ami-[0-9a-f]{17}$/);
    const copy = (await control.images(PROD, 'us-east-1')).find((i) => i.imageId === result.imageId);
    assert.equal(copy?.name, 'golden-received');
    assert.equal(copy?.state, 'available');
  });

  it('copySharedImage explains what the owner must grant, and an encrypted source without kmsKeyId is refused', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.copySharedImage', { profile: 'prod', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-04'), kmsKeyId: PROD_KEY })),
      /must grant account 222222222222 createVolumePermission/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('amiSharing.copySharedImage', { profile: 'prod', region: 'us-east-1', imageId: await imageId('golden-al2023-2026-11-03') })),
      /is encrypted: give kmsKeyId/,
    );
  });

  it('stopReceiving removes the account from a direct share and says why an organization share cannot be cancelled', async () => {
    const direct = await imageId('golden-al2023-2026-11-03');
    prompts.push({ confirm: true });
    const result = (await vscode.commands.executeCommand('amiSharing.stopReceiving', { profile: 'prod', region: 'us-east-1', imageIds: [direct] })) as { results: Array<{ ok: boolean; error?: string }> };
    assert.equal(result.results[0]!.ok, true, result.results[0]!.error);
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).launchPermissions, [{ UserId: '444444444444' }]);
    const org = (await vscode.commands.executeCommand('amiSharing.stopReceiving', { profile: 'prod', region: 'us-east-1', imageIds: [await imageId('golden-al2023-2026-11-04')] })) as { results: Array<{ ok: boolean; error?: string }> };
    assert.equal(org.results[0]!.ok, false);
    assert.match(org.results[0]!.error ?? '', /not shared with this account directly/);
  });
});

describe('after a share, the new recipients are checked (amiSharing.checkRecipientsAfterShare)', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const shownText = (tooltip: vscode.MarkdownString) => tooltip.value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1').replace(/\u200D/g, '');

  beforeEach(async () => {
    await vscode.commands.executeCommand('amiSharing.refresh');
  });

  afterEach(async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('checkRecipientsAfterShare', undefined, vscode.ConfigurationTarget.Global);
  });

  async function tooltipOf(name: string, region = 'us-east-1'): Promise<string> {
    const mine = await childByLabel(suite.api, (await childByLabel(suite.api, (await childByLabel(suite.api, undefined, 'dev')).node, region)).node, 'My AMIs');
    const image = await childByLabel(suite.api, mine.node, name);
    const resolved = await suite.api.treeProvider.resolveTreeItem!(image.item, image.node, new vscode.CancellationTokenSource().token);
    return shownText((resolved ?? image.item).tooltip as vscode.MarkdownString);
  }

  it('the AMI tooltip summarises who can launch, on its own after the share', async () => {
    const id = (await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01')).imageId;
    await vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: [PROD] });
    await suite.api.recipientChecksSettled();
    assert.match(await tooltipOf('golden-al2023-2026-11-01'), /Recipients\*\*: 1 of 1 recipient can launch/);
    const dryRuns = (await control.requests()).filter((r) => r.action === 'RunInstances' && r.accountId === PROD);
    assert.ok(dryRuns.length > 0, 'the check dry-ran the launch from the recipient profile');
  });

  it('any change through the pipeline that adds a recipient is checked too (Undo of an unshare)', async () => {
    const id = (await control.image(DEV, 'eu-west-1', 'golden-al2023-eu-2026-11-02')).imageId;
    suite.prompts.push({ confirm: true });
    const unshared = (await vscode.commands.executeCommand('amiSharing.unshareImage', { profile: 'dev', region: 'eu-west-1', imageIds: [id], accountIds: [PROD] })) as { changeId: string };
    await suite.api.recipientChecksSettled();
    assert.doesNotMatch(await tooltipOf('golden-al2023-eu-2026-11-02', 'eu-west-1'), /Recipients\*\*/, 'removing a recipient starts no check');
    await vscode.commands.executeCommand('amiSharing.undoChange', { id: unshared.changeId });
    await suite.api.recipientChecksSettled();
    assert.match(await tooltipOf('golden-al2023-eu-2026-11-02', 'eu-west-1'), /Recipients\*\*: 1 of 1 recipient can launch/);
  });

  it('turned off, no check runs after a share', async () => {
    await vscode.workspace.getConfiguration('amiSharing').update('checkRecipientsAfterShare', false, vscode.ConfigurationTarget.Global);
    const dryRuns = async () => (await control.requests()).filter((r) => r.action === 'RunInstances').length;
    const before = await dryRuns();
    const id = (await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-02')).imageId;
    await vscode.commands.executeCommand('amiSharing.shareImage', { profile: 'dev', region: 'us-east-1', imageIds: [id], accountIds: [PROD] });
    await suite.api.recipientChecksSettled();
    assert.equal(await dryRuns(), before, 'no dry run');
    assert.doesNotMatch(await tooltipOf('golden-al2023-2026-11-02'), /Recipients\*\*/);
  });
});
