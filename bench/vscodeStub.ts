// Just enough of the `vscode` module for activate() to run in plain Node, so the benchmark can time it.
import Module from 'node:module';
import * as path from 'node:path';

class EventEmitter<T> {
  private listeners: Array<(value: T) => void> = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const disposable = { dispose: () => undefined };
const noop = () => undefined;
const Uri = {
  file: (fsPath: string) => ({ fsPath, path: fsPath, toString: () => `file://${fsPath}` }),
  joinPath: (base: { fsPath: string }, ...parts: string[]) => Uri.file(path.join(base.fsPath, ...parts)),
};

export const vscodeStub = {
  EventEmitter,
  Uri,
  RelativePattern: class {
    constructor(readonly base: unknown, readonly pattern: string) {}
  },
  TreeItem: class {
    constructor(readonly label: string, readonly collapsibleState?: number) {}
  },
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ConfigurationTarget: { Global: 1 },
  ProgressLocation: { Notification: 15 },
  ViewColumn: { Active: -1 },
  window: {
    createOutputChannel: () => ({ info: noop, warn: noop, error: noop, debug: noop, trace: noop, show: noop, dispose: noop, append: noop, appendLine: noop }),
    createTreeView: () => ({ dispose: noop, message: undefined }),
    showInformationMessage: async () => undefined,
    showErrorMessage: async () => undefined,
  },
  commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
  // No bundle: English, with {0}-style placeholders filled in as VS Code does.
  l10n: { bundle: undefined, t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)])) },
  workspace: {
    getConfiguration: () => ({ get: () => undefined }),
    onDidChangeConfiguration: () => disposable,
    createFileSystemWatcher: () => ({ onDidChange: () => disposable, onDidCreate: () => disposable, onDidDelete: () => disposable, dispose: noop }),
    onDidSaveTextDocument: () => disposable,
    onDidGrantWorkspaceTrust: () => disposable,
    isTrusted: true,
    workspaceFolders: undefined,
    findFiles: async () => [],
    asRelativePath: (path: unknown) => String(path),
  },
  languages: { createDiagnosticCollection: () => ({ set: noop, clear: noop, delete: noop, dispose: noop }) },
  env: {},
};

/** Makes `require('vscode')` return the stub. */
export function installVscodeStub(): void {
  // Module._load is Node's internal loader: untyped, and the one place a require can be redirected.
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function load(this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vscodeStub;
    return original.call(this, request, ...rest);
  };
}

export function fakeContext(storage: string): unknown {
  const state = new Map<string, unknown>();
  return {
    subscriptions: [] as unknown[],
    extensionUri: Uri.file(path.resolve(__dirname, '..', '..')),
    globalStorageUri: Uri.file(storage),
    globalState: { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value), keys: () => [...state.keys()] },
  };
}
