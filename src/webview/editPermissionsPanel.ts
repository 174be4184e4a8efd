import * as vscode from 'vscode';
import { alignSnapshotPermissions, makeImagesPrivate, resetImages, type ActionResults } from '../actions/operations';
import { runChange } from '../actions/pipeline';
import { loadAws } from '../awsLoader';
import { runPool } from '../core/bulk';
import { unitTree } from '../core/organizations';
import type { ImageRef } from '../core/changes';
import { summarizeChange, type PermissionChange } from '../core/permissionPlan';
import type { ImageSummary } from '../core/types';
import type { Services } from '../services';
import { isValidSuggestedUnit, parseWebviewMessage, type ExtensionToWebview, type FormImage, type FormState, type SuggestedUnit } from './protocol';
import { createWebviewPanel, webviewPageHtml } from './webviewPage';
import { RecipientsController } from './recipientsHost';

const VIEW_TYPE = 'amiSharing.editPermissions';

/** One panel per AMI (or per selection in bulk mode); opening it again reveals the existing one. */
export class EditPermissionsPanel {
  private static readonly open = new Map<string, EditPermissionsPanel>();

  static show(services: Services, images: ImageRef[]): EditPermissionsPanel {
    const key = images.map((i) => `${i.profile}/${i.region}/${i.imageId}`).sort().join('|');
    const existing = EditPermissionsPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new EditPermissionsPanel(services, images, key);
    EditPermissionsPanel.open.set(key, panel);
    return panel;
  }

  readonly panel: vscode.WebviewPanel;
  private state: FormState | undefined;
  /** The Recipients section (single-AMI forms only). */
  private readonly recipients: RecipientsController | undefined;

  private constructor(private readonly services: Services, readonly images: ImageRef[], private readonly key: string) {
    const title = images.length === 1 ? vscode.l10n.t('AMI permissions: {0}', images[0]!.name || images[0]!.imageId) : vscode.l10n.t('AMI permissions: {0} AMIs', images.length);
    const { panel, root } = createWebviewPanel(services, VIEW_TYPE, title);
    this.panel = panel;
    this.panel.webview.html = webviewPageHtml(panel.webview, root, { page: 'editPermissions', title: vscode.l10n.t('Edit AMI permissions'), loadingText: vscode.l10n.t('Loading launch permissions…') });
    this.panel.onDidDispose(() => EditPermissionsPanel.open.delete(this.key));
    this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    if (images.length === 1) {
      this.recipients = new RecipientsController(services, images[0]!, () => services.settings().accountNames, (recipients) => this.post({ type: 'recipients', recipients }));
    }
  }

  private post(message: ExtensionToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if ('rejected' in parsed) {
      this.services.log.warn(`Rejected a message from the permissions form: ${parsed.rejected}`);
      return;
    }
    const { message } = parsed;
    try {
      switch (message.type) {
        case 'ready':
        case 'reload':
          await this.load();
          return;
        case 'checkRecipients':
          await this.recipients?.check();
          return;
        case 'fixRecipient':
          await this.recipients?.fix(message.accountId, message.fix);
          await this.load(undefined, false);
          return;
        case 'close':
          this.panel.dispose();
          return;
        case 'save':
          await this.save({ add: message.add, remove: message.remove }, message.includeSnapshots);
          return;
        case 'alignSnapshots':
          await this.runCommand(vscode.l10n.t('Aligning snapshot permissions…'), () => alignSnapshotPermissions(this.services, this.images, { interactive: true }));
          return;
        case 'reset':
          await this.runCommand(vscode.l10n.t('Resetting…'), () => resetImages(this.services, this.images, { interactive: true }));
          return;
        case 'makePrivate':
          await this.runCommand(vscode.l10n.t('Making private…'), () => makeImagesPrivate(this.services, this.images, { interactive: true }));
          return;
      }
    } catch (error) {
      this.post({ type: 'error', message: (error as Error).message });
    }
  }

  /** Reads the AMI fresh and shows it; the Recipients section is checked again unless told otherwise. */
  async load(notice?: string, checkRecipients = true): Promise<FormState> {
    const [aws, gateway] = await Promise.all([loadAws(), this.services.gateway.get()]);
    const settings = this.services.settings();
    const images = await runPool(this.images, 8, async (ref): Promise<FormImage> => {
      const target = { profile: ref.profile, region: ref.region };
      const accountId = await gateway.accountId(ref.profile).catch(() => '');
      let summary: ImageSummary | undefined;
      try {
        summary = await aws.describeImage(gateway, target, ref.imageId);
        const [permissions, encryption] = await Promise.all([
          aws.getLaunchPermissions(gateway, target, ref.imageId),
          aws.inspectImageEncryption(gateway, target, summary.snapshotIds).catch(() => undefined),
        ]);
        const snapshots = encryption?.snapshots ?? summary.snapshotIds.map((snapshotId) => ({ snapshotId, encrypted: summary!.anyEncrypted }));
        const volumes = await Promise.all(summary.snapshotIds.map((id) => aws.getVolumePermissions(gateway, target, id))).catch(() => undefined);
        return {
          ...base(ref, accountId, summary),
          permissions,
          snapshots,
          ...(volumes ? { snapshotPermissionsMatch: aws.snapshotPermissionsMatch(permissions, volumes) } : {}),
        };
      } catch (error) {
        return { ...base(ref, accountId, summary), permissions: [], snapshots: [], error: (error as Error).message };
      }
    });
    const regions = [...new Set(this.images.map((i) => `${i.profile}\u0000${i.region}`))];
    const blockPublicAccess: Record<string, string> = {};
    await Promise.all(
      regions.map(async (key) => {
        const [profile, region] = key.split('\u0000') as [string, string];
        const state = await aws.getBlockPublicAccessState(gateway, { profile, region }).catch(() => undefined);
        if (state) blockPublicAccess[region] = state;
      }),
    );
    if (images.length === 1 && images[0]!.name) this.panel.title = vscode.l10n.t('AMI permissions: {0}', images[0]!.name);
    this.state = { images, accountNames: settings.accountNames, blockPublicAccess, confirmDestructive: settings.confirmDestructiveActions };
    this.post({ type: 'state', state: this.state, ...(notice ? { notice } : {}) });
    void this.suggestOrganizationAccounts();
    if (checkRecipients) void this.recipients?.check();
    return this.state;
  }

  /**
   * Member accounts and OUs of the organizations these AMIs' profiles can read, for the form's autocompletes
   * (and their names beside IDs and ARNs). Sent after the state, so a slow (paced) Organizations read never holds it up.
   */
  private async suggestOrganizationAccounts(): Promise<void> {
    const profiles = [...new Set(this.images.map((image) => image.profile))];
    const directories = await Promise.all(profiles.map((profile) => this.services.organizations.directory(profile)));
    const names = this.services.settings().accountNames;
    const accounts = new Map<string, string>();
    const units = new Map<string, SuggestedUnit>();
    for (const directory of directories) {
      if (!directory) continue;
      for (const account of directory.accounts) accounts.set(account.id, names[account.id] ?? account.name);
      // Tree order (the organization first, OUs under their parents), so the list reads like the palette picker.
      for (const entry of unitTree(directory)) {
        const unit: SuggestedUnit = { kind: entry.kind, arn: entry.arn, name: names[entry.arn] ?? entry.name };
        // Names and ARNs come from Organizations: only entries EC2 takes are offered.
        if (isValidSuggestedUnit(unit) && !units.has(unit.arn)) units.set(unit.arn, unit);
      }
    }
    // Closed while Organizations was read: nothing to post to.
    if ((accounts.size === 0 && units.size === 0) || EditPermissionsPanel.open.get(this.key) !== this) return;
    this.post({ type: 'accountSuggestions', accounts: [...accounts].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)), units: [...units.values()] });
  }

  /**
   * Applies only the user's diff, through the pipeline (checks, one confirmation for removals, several AMIs
   * or anything public, change log, Undo); others' concurrent additions stay. Then the form shows the fresh state.
   */
  async save(change: PermissionChange, includeSnapshots = false): Promise<ActionResults | undefined> {
    this.post({ type: 'busy', label: vscode.l10n.t('Saving {0}…', summarizeChange(change)) });
    const outcome = await runChange(
      this.services,
      this.images.map((image) => ({ kind: 'launchPermissions', image, add: change.add, remove: change.remove, snapshots: includeSnapshots })),
      {
        action: 'Save',
        title: this.images.length === 1 ? vscode.l10n.t('Save the permissions of {0}?', this.images[0]!.imageId) : vscode.l10n.t('Save the permissions of {0} AMIs?', this.images.length),
        confirmLabel: change.add.some((p) => p.Group === 'all') ? vscode.l10n.t('Make public') : vscode.l10n.t('Save'),
        busyLabel: vscode.l10n.t('Saving…'),
        interactive: true,
        copyWithCustomerKey: async (image, add) => (await import('../actions/copyWithCustomerKey')).copyWithCustomerKey(this.services, image, add),
      },
    );
    if (!outcome) {
      this.post({ type: 'results', results: [], message: vscode.l10n.t('Nothing was saved.') });
      await this.load();
      return undefined;
    }
    const all = outcome.results.map((r) => ({ imageId: r.imageId, ok: r.ok, summary: r.ok ? 'saved' : 'failed', ...(r.error ? { error: r.error } : {}) }));
    this.post({ type: 'results', results: all, message: all.every((r) => r.ok) ? vscode.l10n.t('Saved: {0}', summarizeChange(change)) : vscode.l10n.t('Some changes failed; see below.') });
    await this.load();
    return { changeId: outcome.changeId, results: outcome.results };
  }

  private async runCommand(label: string, run: () => Promise<ActionResults | undefined>): Promise<void> {
    this.post({ type: 'busy', label });
    const results = await run();
    if (results) {
      this.post({
        type: 'results',
        results: results.results.map((r) => ({ imageId: r.imageId, ok: r.ok, summary: r.ok ? 'done' : 'failed', ...(r.error ? { error: r.error } : {}) })),
        message: results.results.every((r) => r.ok) ? vscode.l10n.t('Done.') : vscode.l10n.t('Some AMIs failed; see below.'),
      });
    }
    await this.load();
  }
}

function base(ref: ImageRef, accountId: string, summary: ImageSummary | undefined): Omit<FormImage, 'permissions' | 'snapshots'> {
  return {
    profile: ref.profile,
    region: ref.region,
    accountId,
    imageId: ref.imageId,
    name: summary?.name ?? ref.name ?? ref.imageId,
    state: summary?.state ?? 'unknown',
    encrypted: summary?.anyEncrypted ?? false,
    isPublic: summary?.isPublic ?? false,
  };
}
