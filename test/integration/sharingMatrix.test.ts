import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ControlClient } from '../support/controlClient';
import { scriptedSuite } from './scriptedSuite';

const DEV = '111111111111';

/** amiSharing.openSharingMatrix: every configured profile's selected Regions, or one policy's AMIs. */
describe('sharing matrix command', () => {
  const suite = scriptedSuite();
  const control = ControlClient.fromEnvironment();
  const manifestPath = () => path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'ami-sharing.json');

  afterEach(() => fs.rmSync(manifestPath(), { force: true }));
  // Closed once at the end: a webview opened right after closing another took 30 s to start in code-server.
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await suite.api.policies.reload();
  });

  it('opens on the owned AMIs of the configured profiles', async () => {
    const result = (await vscode.commands.executeCommand('amiSharing.openSharingMatrix')) as { images: number };
    const devImages = await control.images(DEV, 'us-east-1');
    assert.ok(result.images >= devImages.length, `${result.images} AMIs shown; dev alone owns ${devImages.length} in us-east-1`);
  });

  it('opened from a policy shows only the AMIs that policy covers', async () => {
    fs.writeFileSync(manifestPath(), JSON.stringify({ policies: [{ name: 'two', profile: 'dev', regions: ['us-east-1'], images: { namePattern: 'golden-al2023-2026-11-0[12]' }, share: { accounts: ['555555555555'] } }] }));
    await suite.api.policies.reload();
    const manifest = vscode.Uri.file(manifestPath()).toString();
    const result = (await vscode.commands.executeCommand('amiSharing.openSharingMatrix', { manifest, policy: 'two' })) as { images: number; policy: string };
    assert.deepEqual(result, { images: 2, organizationEntriesKnown: 0, policy: 'two' }, 'neither dev nor prod may read Organizations');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.openSharingMatrix', { manifest, policy: 'none such' })), /No policy named "none such"/);
  });

  it('knows who is in the organization and its OUs when a profile here can read it (tools, a delegated administrator)', async () => {
    fs.writeFileSync(manifestPath(), JSON.stringify({ policies: [{ name: 'runners', profile: 'tools', regions: ['us-east-1'], images: { namePattern: 'tools-ci-runner-2026-11-12' }, share: { accounts: ['555555555555'] } }] }));
    await suite.api.policies.reload();
    const manifest = vscode.Uri.file(manifestPath()).toString();
    const result = (await vscode.commands.executeCommand('amiSharing.openSharingMatrix', { manifest, policy: 'runners' })) as { images: number; organizationEntriesKnown: number };
    // The organization and its three OUs (Workloads, Sandboxes under it, Security), with every account's path.
    assert.deepEqual(result, { images: 1, organizationEntriesKnown: 4, policy: 'runners' });
  });

  it('refuses arguments it does not know', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.openSharingMatrix', { policies: 'x' })), /unknown argument field "policies"/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('amiSharing.openSharingMatrix', { manifest: 'file:///x' })), /"manifest" needs "policy"/);
  });
});
