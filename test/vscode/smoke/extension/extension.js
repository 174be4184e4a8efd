// Throwaway extension for checking the launchers and UI helpers: a tree with a context-menu action,
// commands that show a notification, a modal dialog, an input box and a quick pick, and a webview. Plain JS so it needs no build step.
'use strict';
const vscode = require('vscode');

const TREE = {
  'Parent A': { description: '2 children', children: ['Child 1', 'Child 2'] },
  'Parent B': { description: 'empty', children: [] },
};

class SmokeTree {
  getChildren(element) {
    if (!element) return Object.keys(TREE);
    return (TREE[element] && TREE[element].children) || [];
  }
  getTreeItem(label) {
    const parent = TREE[label];
    const item = new vscode.TreeItem(
      label,
      parent ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.description = parent ? parent.description : 'leaf';
    item.contextValue = parent ? 'parent' : 'leaf';
    item.tooltip = `Smoke row ${label}`;
    return item;
  }
}

function activate(context) {
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('smokeTree', new SmokeTree()),
    vscode.commands.registerCommand('smoke.hello', () => {
      void vscode.window.showInformationMessage('Hello from the smoke extension');
      return 'hello';
    }),
    vscode.commands.registerCommand('smoke.confirm', async () => {
      const answer = await vscode.window.showWarningMessage('Really do it?', { modal: true, detail: 'Smoke detail' }, 'Do It');
      void vscode.window.showInformationMessage(`Confirm answer: ${answer ?? 'cancelled'}`);
    }),
    vscode.commands.registerCommand('smoke.ask', async () => {
      const account = await vscode.window.showInputBox({ prompt: 'Account ID', placeHolder: '123456789012' });
      const region = await vscode.window.showQuickPick(['us-east-1', 'eu-west-1'], { placeHolder: 'Pick a Region' });
      void vscode.window.showInformationMessage(`Asked: ${account ?? 'none'} in ${region ?? 'none'}`);
    }),
    vscode.commands.registerCommand('smoke.rowAction', (label) => {
      void vscode.window.showInformationMessage(`Row action on ${label}`);
    }),
    vscode.commands.registerCommand('smoke.openWebview', () => {
      const panel = vscode.window.createWebviewPanel('smokeWebview', 'Smoke Webview', vscode.ViewColumn.One, {
        enableScripts: true,
      });
      panel.webview.html =
        '<!DOCTYPE html><html><body><h1 id="smoke-heading">Smoke Webview</h1><button id="smoke-button">Press</button></body></html>';
    }),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
