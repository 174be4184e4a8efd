import * as vscode from 'vscode';
import { readDrift } from '../actions/policyState';
import { imageKeyOf } from '../core/changes';
import { loadManifestParser } from '../manifestLoader';
import { hasDrift, type ImageDrift, type PolicyReport } from '../core/manifest/plan';
import { isManifestFileName } from '../core/manifest/types';
import type { LazyGateway } from '../awsLoader';

export const MANIFEST_GLOB = '**/{ami-sharing.json,*.ami-sharing.json}';

export interface ManifestState {
  uri: vscode.Uri;
  reports?: PolicyReport[];
  /** Problems stop the manifest from being read against AWS; they are in the Problems panel. */
  problemCount: number;
  error?: string;
}

/**
 * The workspace's manifests, validated into the Problems panel, and their drift read from AWS (read-only).
 * Drift is shown in untrusted workspaces too; only reconcile needs trust.
 */
export class PolicyModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('ami-sharing');
  private manifests: ManifestState[] = [];
  private loading: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.diagnostics];

  constructor(private readonly gateway: LazyGateway) {
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
    const reload = () => void this.reload();
    this.disposables.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((document) => (isManifestFileName(document.uri.fsPath) ? reload() : undefined)));
  }

  get states(): readonly ManifestState[] {
    return this.manifests;
  }

  /** Loads on first use; `reload` reads everything again. */
  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  reload(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  /** The drift of one AMI under every policy that covers it, for the main tree's marker. */
  driftOf(profile: string, region: string, imageId: string): ImageDrift[] {
    const key = imageKeyOf({ profile, region, imageId });
    return this.manifests.flatMap((m) => m.reports ?? []).flatMap((r) => r.regions.flatMap((g) => g.images)).filter((d) => hasDrift(d) && imageKeyOf(d) === key);
  }

  private async load(): Promise<void> {
    const uris = (await vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**')).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const gateway = await this.gateway.get();
    const profiles = (await gateway.sharedConfig().catch(() => undefined))?.profiles.map((p) => p.name);
    this.diagnostics.clear();
    this.manifests = await Promise.all(
      uris.map(async (uri): Promise<ManifestState> => {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const parsed = loadManifestParser().parseManifest(text, profiles ? { profiles } : {});
        if (!parsed.ok) {
          const document = await vscode.workspace.openTextDocument(uri);
          this.diagnostics.set(
            uri,
            parsed.problems.map((p) => {
              const range = new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + Math.max(p.length, 1)));
              const diagnostic = new vscode.Diagnostic(range, `${p.path ? `${p.path}: ` : ''}${p.message}`, vscode.DiagnosticSeverity.Error);
              diagnostic.source = 'AMI Sharing';
              return diagnostic;
            }),
          );
          return { uri, problemCount: parsed.problems.length };
        }
        try {
          return { uri, problemCount: 0, reports: await readDrift(gateway, parsed.manifest, { priority: 'background' }) };
        } catch (error) {
          return { uri, problemCount: 0, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
