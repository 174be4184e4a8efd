import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptArgument } from '../../src/commands/arguments';
import { reconcile } from '../../src/commands/policyCommands';
import type { Services } from '../../src/services';
import { ControlClient } from '../support/controlClient';
import { EXTENSION_ID } from './helpers';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
const NEW_ACCOUNT = '555555555555';
const NAME = 'golden-al2023-2026-11-01';

/**
 * Reconcile in an untrusted workspace. The test host runs code-server with workspace trust disabled (every
 * folder trusted), so the command's own trust check is driven through its injectable `isTrusted`; the
 * manifest, the drift and the endpoint are the real ones.
 */
describe('reconcile in an untrusted workspace', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const manifestPath = () => path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'ami-sharing.json');

  afterEach(() => fs.rmSync(manifestPath(), { force: true }));
  after(async () => suite.api.policies.reload());

  it('is refused and changes nothing, while the drift is still shown', async () => {
    fs.writeFileSync(manifestPath(), JSON.stringify({ policies: [{ name: 'untrusted', profile: 'dev', regions: ['us-east-1'], images: { namePattern: NAME }, share: { accounts: [NEW_ACCOUNT] } }] }));
    await suite.api.policies.reload();
    const image = await control.image(DEV, 'us-east-1', NAME);
    assert.equal(suite.api.policies.driftOf('dev', 'us-east-1', image.imageId).length, 1, 'drift is read and shown without trust');

    // The command's handler with the real Policies model; only the trust flag is the test's.
    const services = { policies: suite.api.policies } as unknown as Services;
    for (const argument of [{ policy: 'untrusted' }, { policy: 'untrusted', profile: 'dev', region: 'us-east-1', imageId: image.imageId }, {}]) {
      await assert.rejects(reconcile(services, { kind: 'script', argument: new ScriptArgument('amiSharing.reconcile', argument) }, () => false), /disabled in an untrusted workspace[\s\S]*drift is still shown/);
    }
    await assert.rejects(reconcile(services, { kind: 'palette' }, () => false), /disabled in an untrusted workspace/);
    assert.deepEqual((await control.image(DEV, 'us-east-1', NAME)).launchPermissions, [], 'nothing was changed');
    assert.equal(suite.prompts.asked.length, 0, 'no plan was shown');

    // The drift stays in the Policies view and in the model the AMI tree's marker reads.
    const [policy] = (await suite.api.policyTreeProvider.getChildren()) ?? [];
    const item = await suite.api.policyTreeProvider.getTreeItem(policy!);
    assert.match(String(item.description), /1 AMIs · 1 drifting/);
    assert.equal(suite.api.policies.driftOf('dev', 'us-east-1', image.imageId).length, 1);

    // In the (trusted) test host the registered command reconciles the same policy: the refusal above was the trust check.
    await vscode.commands.executeCommand('amiSharing.reconcile', { policy: 'untrusted' });
    assert.deepEqual((await control.image(DEV, 'us-east-1', NAME)).launchPermissions, [{ UserId: NEW_ACCOUNT }]);
  });

  it('the Reconcile command and its menus are enabled only in trusted workspaces', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string; enablement?: string }>; menus: Record<string, Array<{ command: string; when?: string }>> } };
    assert.equal(manifest.contributes.commands.find((c) => c.command === 'amiSharing.reconcile')?.enablement, 'isWorkspaceTrusted');
    const menus = Object.values(manifest.contributes.menus).flat().filter((m) => m.command === 'amiSharing.reconcile');
    assert.ok(menus.length > 0);
    for (const menu of menus) assert.match(menu.when ?? '', /isWorkspaceTrusted/);
  });
});
