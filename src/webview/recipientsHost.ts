import * as vscode from 'vscode';
import { runChange } from '../actions/pipeline';
import { runRecipientCheck, type RecipientCheckHost } from '../actions/recipientCheck';
import type { ImageRef } from '../core/changes';
import { fixRequests, type RecipientCheck } from '../core/recipients';
import type { PipelineHost } from '../actions/host';
import type { RecipientFixKind, RecipientRow, RecipientsView } from './protocol';

/**
 * The host side of the form's Recipients section for one AMI: runs the recipient check (the same one as
 * amiSharing.checkRecipients) and the owner-side fixes. The webview names a fix only by account and kind;
 * what it changes (snapshot IDs, key ARN) comes from the last check here, never from the webview.
 */
export class RecipientsController {
  private checks: RecipientCheck[] = [];
  private view: RecipientsView = { status: 'checking', rows: [] };
  /** Only the newest check may update the rows (an older, slower one is dropped). */
  private generation = 0;

  constructor(
    private readonly services: PipelineHost & RecipientCheckHost,
    private readonly image: ImageRef,
    private readonly accountNames: () => Record<string, string>,
    private readonly post: (view: RecipientsView) => void,
  ) {}

  /** Checks every recipient of the AMI, or only `accountId` (its row is replaced, the others stay). */
  async check(accountId?: string): Promise<void> {
    const generation = ++this.generation;
    this.show({ ...this.view, status: 'checking', ...(accountId ? { busyAccountId: accountId } : {}), message: undefined });
    try {
      const checks = await runRecipientCheck(this.services, { profile: this.image.profile, region: this.image.region, imageId: this.image.imageId, ...(accountId ? { accountIds: [accountId] } : {}) });
      if (generation !== this.generation) return;
      this.checks = accountId ? this.checks.map((c) => (c.accountId === accountId ? (checks.find((n) => n.accountId === accountId) ?? c) : c)) : checks;
      this.show({ status: 'done', rows: this.checks.map((c) => this.rowOf(c)) });
    } catch (error) {
      if (generation !== this.generation) return;
      this.show({ status: 'failed', rows: this.view.rows, message: vscode.l10n.t('The recipient check failed: {0}', (error as Error).message) });
    }
  }

  /** Applies one owner-side fix through the pipeline (its plan, confirmation, log and Undo), then re-checks that recipient. */
  async fix(accountId: string, kind: RecipientFixKind): Promise<void> {
    const fixes = this.checks.find((c) => c.accountId === accountId)?.fixes.filter((f) => f.kind === kind) ?? [];
    if (fixes.length === 0) {
      this.show({ ...this.view, message: vscode.l10n.t('Nothing to fix for account {0}: check the recipients again.', accountId) });
      return;
    }
    const label = kind === 'snapshotPermission' ? vscode.l10n.t('Add snapshot permission') : vscode.l10n.t('Add key statements');
    this.show({ ...this.view, busyAccountId: accountId, message: undefined });
    let outcome: Awaited<ReturnType<typeof runChange>>;
    try {
      outcome = await runChange(this.services, fixes.flatMap((fix) => fixRequests(fix, this.image)), {
        action: label,
        title: kind === 'snapshotPermission'
          ? vscode.l10n.t('Let account {0} copy {1} (createVolumePermission on its snapshots)?', accountId, this.image.imageId)
          : vscode.l10n.t('Let account {0} use the key of {1} (key policy statements)?', accountId, this.image.imageId),
        confirmLabel: label,
        busyLabel: vscode.l10n.t('Fixing…'),
        interactive: true,
        alwaysConfirm: true,
        offerKeyPolicyFix: false,
      });
    } catch (error) {
      this.show({ ...this.view, busyAccountId: undefined, message: (error as Error).message });
      return;
    }
    if (!outcome) {
      this.show({ ...this.view, busyAccountId: undefined, message: vscode.l10n.t('Nothing was changed.') });
      return;
    }
    const failed = outcome.results.find((r) => !r.ok);
    await this.check(accountId);
    if (failed) this.show({ ...this.view, message: failed.error ?? vscode.l10n.t('The fix failed; see the AMI Sharing log.') });
  }

  private rowOf(check: RecipientCheck): RecipientRow {
    const name = this.accountNames()[check.accountId] ?? check.profile;
    return {
      accountId: check.accountId,
      ...(name ? { name } : {}),
      ...(check.profile ? { profile: check.profile } : {}),
      canLaunch: check.canLaunch,
      canCopy: check.canCopy,
      reasons: check.reasons,
      fixes: [...new Set(check.fixes.map((f) => f.kind))],
    };
  }

  private show(view: { [K in keyof RecipientsView]: RecipientsView[K] | undefined }): void {
    this.view = Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as unknown as RecipientsView;
    this.post(this.view);
  }
}
