import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

describe('activation and contributions', () => {
  // How fast activate() runs is measured by the benchmark (npm run bench), not asserted on a loaded machine.
  it('activates without loading the AWS SDK', async () => {
    const api = await activateExtension();
    assert.ok(api.treeProvider, 'tree provider exposed');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const loaded = Object.keys(require.cache).filter((file) => file.endsWith(path.join('dist', 'aws.js')));
    assert.deepEqual(loaded, [], 'the AWS layer (dist/aws.js) is not loaded by activation');
  });

  it('registers exactly the commands declared in package.json', async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code adds amiSharing.images.* and amiSharing.policies.* commands for the views themselves.
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('amiSharing.') && !id.startsWith('amiSharing.images.') && !id.startsWith('amiSharing.policies.')).sort();
    assert.deepEqual(registered, declared);
  });

  it('declares the views (AMIs, Policies) in their own activity-bar container', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributes = extension.packageJSON.contributes as { viewsContainers: { activitybar: Array<{ id: string; title: string }> }; views: Record<string, Array<{ id: string }>> };
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => c.title), ['AMI Sharing']);
    assert.deepEqual(contributes.views.amiSharing!.map((v) => v.id), ['amiSharing.images', 'amiSharing.policies']);
  });

  it('keeps endpoint- and target-related settings out of workspace control', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const properties = extension.packageJSON.contributes.configuration.properties as Record<string, { scope?: string }>;
    for (const name of ['amiSharing.profiles', 'amiSharing.accountNames']) {
      assert.equal(properties[name]?.scope, 'application', name);
    }
  });
});
