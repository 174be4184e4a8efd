import * as vscode from 'vscode';
import { runChange } from '../actions/pipeline';
import { readMatrix } from '../actions/readMatrix';
import { imageKeyOf } from '../core/changes';
import { matrixCsv } from '../core/matrix/csv';
import { matrixDrift } from '../core/matrix/drift';
import { membershipOf } from '../core/matrix/membership';
import { buildMatrix, pendingFrom, type Matrix, type MatrixMembership } from '../core/matrix/model';
import { matrixRequests } from '../core/matrix/requests';
import { filterMatrix, type MatrixFilter } from '../core/matrix/view';
import { filterProfiles } from '../core/profiles';
import type { AwsTarget, LaunchPermission } from '../core/types';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { createWebviewPanel, webviewPageHtml } from './webviewPage';
import { parseMatrixMessage, type ExtensionToMatrix, type MatrixState, type MatrixToggle } from './matrixProtocol';

const VIEW_TYPE = 'amiSharing.sharingMatrix';
const ACCOUNT_ID = /^[0-9]{12}$/;

/** Which AMIs the matrix shows: every configured profile's selected Regions, or one policy's AMIs. */
export interface MatrixScope {
  policy?: { manifest: string; name: string };
}

/**
 * The sharing matrix in the editor area: one panel for everything and one per policy. The webview only
 * shows the state and sends toggles; the host rebuilds the plan from its own model and applies it through
 * the one pipeline, then reads everything back.
 */
export class SharingMatrixPanel {
  private static readonly open = new Map<string, SharingMatrixPanel>();

  static show(services: Services, scope: MatrixScope): SharingMatrixPanel {
    const key = scope.policy ? `policy:${scope.policy.manifest}:${scope.policy.name}` : 'all';
    const existing = SharingMatrixPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new SharingMatrixPanel(services, scope, key);
    SharingMatrixPanel.open.set(key, panel);
    return panel;
  }

  readonly panel: vscode.WebviewPanel;
  private matrix: Matrix | undefined;
  /** Settles with the first load: resolves once the first state was sent, rejects when it failed (the command waits for it). */
  readonly loaded: Promise<void>;
  private resolveLoaded!: () => void;
  private rejectLoaded!: (error: Error) => void;

  private constructor(private readonly services: Services, private readonly scope: MatrixScope, private readonly key: string) {
    this.loaded = new Promise((resolve, reject) => {
      this.resolveLoaded = resolve;
      this.rejectLoaded = reject;
    });
    this.loaded.catch(() => undefined); // the command awaits it; no one else has to
    const title = scope.policy ? vscode.l10n.t('Sharing matrix: {0}', scope.policy.name) : vscode.l10n.t('Sharing matrix');
    const { panel, root } = createWebviewPanel(services, VIEW_TYPE, title);
    this.panel = panel;
    this.panel.webview.html = webviewPageHtml(panel.webview, root, { page: 'sharingMatrix', title: vscode.l10n.t('Sharing matrix') });
    this.panel.onDidDispose(() => {
      SharingMatrixPanel.open.delete(this.key);
      this.rejectLoaded(new Error(vscode.l10n.t('The sharing matrix was closed before it loaded.')));
    });
    this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  get imageCount(): number {
    return this.matrix?.images.size ?? 0;
  }

  /** Organizations and OUs whose member accounts are known, so their coverage cells are yes or no rather than maybe. */
  get knownEntryCount(): number {
    return this.matrix?.knownEntries.size ?? 0;
  }

  private post(message: ExtensionToMatrix): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseMatrixMessage(raw);
    if ('rejected' in parsed) {
      this.services.log.warn(`Rejected a message from the sharing matrix: ${parsed.rejected}`);
      return;
    }
    const { message } = parsed;
    try {
      switch (message.type) {
        case 'ready':
        case 'reload':
          await this.load();
          return;
        case 'apply':
          await this.apply(message.requestId, message.toggles, message.snapshots);
          return;
        case 'exportCsv':
          await this.exportCsv(message.requestId, message.filter);
          return;
      }
    } catch (error) {
      this.post({ type: 'error', message: (error as Error).message });
      if (message.type === 'ready' || message.type === 'reload') this.rejectLoaded(error as Error);
    }
  }

  private async targets(): Promise<{ targets: AwsTarget[]; imageIds?: Set<string> }> {
    const gateway = await this.services.gateway.get();
    const policy = this.scope.policy;
    if (policy) {
      await this.services.policies.ready();
      const report = this.services.policies.states.filter((s) => s.uri.toString() === policy.manifest).flatMap((s) => s.reports ?? []).find((r) => r.policy.name === policy.name);
      if (!report) throw new Error(vscode.l10n.t('No policy named "{0}" in the workspace\'s manifests.', policy.name));
      return {
        targets: report.policy.regions.map((region) => ({ profile: report.policy.profile, region })),
        imageIds: new Set(report.regions.flatMap((g) => g.images.map((i) => i.imageId))),
      };
    }
    const profiles = filterProfiles((await gateway.sharedConfig()).profiles, readSettings().profiles);
    const targets = await Promise.all(
      profiles.map(async (p) => {
        const remembered = this.services.regionStore.get(p.name);
        const regions = remembered && remembered.length > 0 ? remembered : [await gateway.defaultRegion(p.name)];
        return regions.map((region) => ({ profile: p.name, region }));
      }),
    );
    return { targets: targets.flat() };
  }

  /** Reads everything again and sends it; the drift comes from the Policies model (read-only, also untrusted). */
  async load(): Promise<MatrixState> {
    this.post({ type: 'loading', label: vscode.l10n.t('Reading launch and snapshot permissions…') });
    const gateway = await this.services.gateway.get();
    const { targets, imageIds } = await this.targets();
    const [read, membership] = await Promise.all([readMatrix(gateway, targets, imageIds ? { imageIds } : {}, { priority: 'user' }), this.membership(targets), this.services.policies.ready()]);
    const drift = matrixDrift(this.services.policies.states.flatMap((s) => s.reports ?? []));
    const images = read.images.map((image) => {
      const d = drift.get(imageKeyOf(image));
      return d ? { ...image, drift: d } : image;
    });
    const settings = readSettings();
    const own = new Set(await Promise.all([...new Set(targets.map((t) => t.profile))].map((profile) => gateway.accountId(profile).catch(() => ''))));
    const recipients: LaunchPermission[] = Object.keys(settings.accountNames).filter((id) => ACCOUNT_ID.test(id) && !own.has(id)).map((UserId) => ({ UserId }));
    const state: MatrixState = {
      images,
      recipients,
      // With the names Organizations gave (accounts, OUs, organizations); the setting wins.
      accountNames: this.services.settings().accountNames,
      membership,
      errors: read.errors.map((e) => `${e.profile} ${e.region}: ${e.error}`),
      ...(this.scope.policy ? { policy: this.scope.policy.name } : {}),
    };
    this.matrix = buildMatrix(state);
    this.post({ type: 'state', state });
    this.resolveLoaded();
    return state;
  }

  /**
   * Who is in which organization and OU, from every profile here that can read Organizations (the AMIs'
   * owners first among them): an organization ARN is global, so any reader of it answers for every AMI.
   */
  private async membership(targets: readonly AwsTarget[]): Promise<MatrixMembership> {
    const gateway = await this.services.gateway.get();
    const configured = filterProfiles((await gateway.sharedConfig()).profiles, readSettings().profiles).map((p) => p.name);
    const profiles = [...new Set([...targets.map((t) => t.profile), ...configured])];
    return membershipOf(await Promise.all(profiles.map((profile) => this.services.organizations.directory(profile))));
  }

  /**
   * The webview's toggles, kept only for AMIs and recipients this matrix holds, become one change through
   * the pipeline (fresh read, checks, one confirmation, change log, Undo); then everything is read back.
   */
  async apply(requestId: number, toggles: readonly MatrixToggle[], snapshots: boolean): Promise<void> {
    const matrix = this.matrix;
    if (!matrix) throw new Error(vscode.l10n.t('The matrix has not loaded yet.'));
    const requests = matrixRequests(matrix, pendingFrom(matrix, toggles), snapshots);
    if (requests.length === 0) {
      this.post({ type: 'applied', requestId, outcome: 'failed', message: vscode.l10n.t('Nothing to apply: the AMIs or recipients are no longer in the matrix.'), results: [] });
      return;
    }
    const count = requests.length;
    let outcome: Awaited<ReturnType<typeof runChange>>;
    try {
      outcome = await runChange(this.services, requests, {
        action: 'Sharing matrix',
        title: count === 1 ? vscode.l10n.t('Apply the sharing matrix changes to 1 AMI?') : vscode.l10n.t('Apply the sharing matrix changes to {0} AMIs?', count),
        confirmLabel: requests.some((r) => r.kind === 'launchPermissions' && r.add.some((p) => p.Group === 'all')) ? vscode.l10n.t('Make public') : vscode.l10n.t('Apply'),
        busyLabel: vscode.l10n.t('Applying…'),
        interactive: true,
        copyWithCustomerKey: async (image, add) => (await import('../actions/copyWithCustomerKey')).copyWithCustomerKey(this.services, image, add),
      });
    } catch (error) {
      this.post({ type: 'applied', requestId, outcome: 'failed', message: (error as Error).message, results: [] });
      await this.load();
      return;
    }
    if (!outcome) {
      this.post({ type: 'applied', requestId, outcome: 'cancelled', message: vscode.l10n.t('Cancelled: nothing was changed.'), results: [] });
      return;
    }
    const results = outcome.results.map((r) => ({ imageId: r.imageId, ok: r.ok, ...(r.error ? { error: r.error } : {}) }));
    const failed = results.filter((r) => !r.ok).length;
    // The read-back first, so the answer finds the cells already updated.
    await this.load();
    this.post({
      type: 'applied',
      requestId,
      outcome: failed ? 'failed' : 'applied',
      message: failed ? vscode.l10n.t('{0} of {1} AMIs failed; see below.', failed, results.length) : results.length === 1 ? vscode.l10n.t('Applied to 1 AMI.') : vscode.l10n.t('Applied to {0} AMIs.', results.length),
      results,
    });
  }

  /** The matrix as CSV in a new untitled editor (the filter the webview shows). */
  async exportCsv(requestId: number, filter: MatrixFilter): Promise<string> {
    const matrix = this.matrix;
    if (!matrix) throw new Error(vscode.l10n.t('The matrix has not loaded yet.'));
    const shown = filterMatrix(matrix, filter);
    const text = matrixCsv(matrix, shown);
    const document = await vscode.workspace.openTextDocument({ content: text, language: 'csv' });
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    this.post({ type: 'exported', requestId, ok: true, message: shown.imageCount === 1 ? vscode.l10n.t('Exported 1 AMI as CSV.') : vscode.l10n.t('Exported {0} AMIs as CSV.', shown.imageCount) });
    return text;
  }
}
