// Proves the suite really runs inside VS Code 1.100's extension host with the development extension loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('smoke: real VS Code extension host', () => {
  it('runs inside VS Code 1.100', () => {
    assert.ok(vscode.version.startsWith('1.100'), `vscode.version is ${vscode.version}`);
  });

  it('sees installed extensions', () => {
    assert.ok(vscode.extensions.all.length > 0);
  });

  it('loaded and activates the development extension', async () => {
    const smoke = vscode.extensions.getExtension('ami-sharing-tests.smoke');
    assert.ok(smoke, 'ami-sharing-tests.smoke is not loaded');
    assert.equal(await vscode.commands.executeCommand('smoke.hello'), 'hello');
    assert.equal(smoke.isActive, true);
  });

  // Lets the launcher's failure path be checked on demand: AMI_SHARING_SMOKE_FAIL=1 must give exit code 1.
  if (process.env.AMI_SHARING_SMOKE_FAIL) {
    it('fails on purpose (AMI_SHARING_SMOKE_FAIL is set)', () => {
      assert.equal(1 + 1, 3);
    });
  }
});
