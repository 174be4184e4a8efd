import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import type { PolicyElement } from '../../src/policies/policyTree';
import { ControlClient } from '../support/controlClient';
import { childByLabel } from './helpers';
import { eventually } from '../support/poll';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';
const NEW_ACCOUNT = '555555555555';

async function policyRows(api: AmiSharingApi, parent?: PolicyElement): Promise<Array<{ element: PolicyElement; label: string; description: string; contextValue: string }>> {
  const elements = (await api.policyTreeProvider.getChildren(parent)) ?? [];
  return Promise.all(
    elements.map(async (element) => {
      const item = await api.policyTreeProvider.getTreeItem(element);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return { element, label, description: typeof item.description === 'string' ? item.description : '', contextValue: item.contextValue ?? '' };
    }),
  );
}

/** The Policies view, drift markers in the AMI tree, reconcile through the pipeline, manifest problems in the Problems panel. */
describe('sharing policies in the editor', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const folder = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const manifestPath = () => path.join(folder(), 'ami-sharing.json');
  const write = (policies: object[]) => fs.writeFileSync(manifestPath(), JSON.stringify({ policies }, null, 2));
  const policy = { name: 'golden', profile: 'dev', regions: ['us-east-1'], images: { namePattern: 'golden-al2023-2026-11-0[13]' }, share: { accounts: [NEW_ACCOUNT] } };

  afterEach(() => {
    fs.rmSync(manifestPath(), { force: true });
  });
  after(async () => suite.api.policies.reload());

  it('lists each policy, its AMIs per Region and the drift per AMI; drifting AMIs are marked in the AMI tree', async () => {
    write([policy]);
    await suite.api.policies.reload();
    const [golden] = await policyRows(suite.api);
    assert.equal(golden!.label, 'golden');
    assert.equal(golden!.contextValue, 'policy');
    assert.match(golden!.description, /dev · 2 AMIs · 2 drifting/);
    const [region] = await policyRows(suite.api, golden!.element);
    assert.equal(region!.label, 'us-east-1');
    const amis = await policyRows(suite.api, region!.element);
    assert.deepEqual(amis.map((a) => a.label).sort(), ['golden-al2023-2026-11-01', 'golden-al2023-2026-11-03']);
    assert.ok(amis.every((a) => a.contextValue === 'policyImage.drift' && /drift: 1 missing/.test(a.description)));
    const entries = await policyRows(suite.api, amis[0]!.element);
    assert.deepEqual(entries.map((e) => e.label), [`+ ${NEW_ACCOUNT} (missing)`]);

    const dev = await childByLabel(suite.api, undefined, 'dev');
    const us = await childByLabel(suite.api, dev.node, 'us-east-1');
    const mine = await childByLabel(suite.api, us.node, 'My AMIs');
    await eventually(async () => assert.match((await childByLabel(suite.api, mine.node, 'golden-al2023-2026-11-01')).description, /drifts from policy "golden"/));
    assert.doesNotMatch((await childByLabel(suite.api, mine.node, 'golden-al2023-2026-11-02')).description, /drifts/);
  });

  it('reconcile of one AMI from a script goes through the pipeline; the drift is gone afterwards', async () => {
    write([policy]);
    const n01 = await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01');
    const result = (await vscode.commands.executeCommand('amiSharing.reconcile', { policy: 'golden', profile: 'dev', region: 'us-east-1', imageId: n01.imageId })) as { changeId: string; results: Array<{ imageId: string; ok: boolean }> };
    assert.deepEqual(result.results.map((r) => [r.imageId, r.ok]), [[n01.imageId, true]]);
    assert.ok(result.changeId, 'a change of the change log');
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-01')).launchPermissions, [{ UserId: NEW_ACCOUNT }]);
    assert.ok(!(await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).launchPermissions.some((p) => p.UserId === NEW_ACCOUNT), 'only the one AMI');
    assert.deepEqual(suite.api.policies.driftOf('dev', 'us-east-1', n01.imageId), []);
    assert.equal(suite.api.policies.driftOf('dev', 'us-east-1', (await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).imageId).length, 1);
  });

  it('reconcile of a policy from its row shows one plan naming every AMI and entry; declining changes nothing', async () => {
    write([{ ...policy, exclusive: true }]);
    await suite.api.policies.reload();
    const [golden] = await policyRows(suite.api);
    suite.prompts.push({ confirm: false });
    // The row's element is the script argument { manifest, policy }: a declined plan rejects, as for scripts.
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.reconcile', golden!.element)), /Cancelled: nothing was changed/);
    assert.equal(suite.prompts.asked.length, 1);
    assert.match(suite.prompts.asked[0]!, new RegExp(`\\+ ${NEW_ACCOUNT}[\\s\\S]*− 222222222222`));
    assert.ok(!(await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).launchPermissions.some((p) => p.UserId === NEW_ACCOUNT), 'declined: nothing changed');

    suite.prompts.push({ confirm: true });
    await vscode.commands.executeCommand('amiSharing.reconcile', golden!.element);
    assert.deepEqual((await control.image(DEV, 'us-east-1', 'golden-al2023-2026-11-03')).launchPermissions, [{ UserId: NEW_ACCOUNT }]);
  });

  it('a bad manifest is in the Problems panel with its JSON path, and reconcile refuses it', async () => {
    write([{ ...policy, share: { accounts: ['1234'] } }]);
    await suite.api.policies.reload();
    const diagnostics = await eventually(() => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(manifestPath()));
      assert.ok(found.length > 0);
      return found;
    });
    assert.match(diagnostics[0]!.message, /policies\[0\]\.share\.accounts\[0\]: "1234" is not an AWS account ID/);
    const line = fs.readFileSync(manifestPath(), 'utf8').split('\n')[diagnostics[0]!.range.start.line]!;
    assert.match(line, /"1234"/);
    const [row] = await policyRows(suite.api);
    assert.match(row!.label, /ami-sharing\.json: 1 problem/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.reconcile', {})), /fix the manifest problems first/);
  });

  it('write manifest from current sharing and export to Terraform open new editors', async () => {
    const written = (await vscode.commands.executeCommand('amiSharing.writeManifest', { profile: 'dev', region: 'us-east-1', namePattern: 'golden-al2023-2026-11-03' })) as { text: string };
    const manifest = JSON.parse(written.text) as { policies: Array<{ share: { accounts: string[] }; exclusive: boolean }> };
    assert.deepEqual(manifest.policies[0]!.share.accounts.sort(), ['222222222222', '444444444444']);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), written.text);
    const terraform = (await vscode.commands.executeCommand('amiSharing.exportTerraform', { profile: 'dev', namePattern: 'golden-al2023-2026-11-03' })) as { text: string };
    assert.match(terraform.text, /resource "aws_ami_launch_permission"[\s\S]*account_id = "444444444444"/);
    assert.match(terraform.text, /resource "aws_snapshot_create_volume_permission"/);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), terraform.text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
