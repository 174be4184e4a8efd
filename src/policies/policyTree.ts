import * as vscode from 'vscode';
import { hasDrift, type ImageDrift } from '../core/manifest/plan';
import { describePermission } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import type { PolicyModel } from './policyModel';

/**
 * Elements of the Policies view are the very argument objects a script passes to amiSharing.reconcile
 * (`{ manifest, policy }`, `{ manifest, policy, profile, region, imageId }`), so a menu click and a script call
 * take the same path. Other rows carry `row` and are never command arguments.
 */
export type PolicyElement =
  | { manifest: string; policy: string }
  | { manifest: string; policy: string; profile: string; region: string; imageId: string }
  | { row: 'region'; manifest: string; policy: string; region: string }
  | { row: 'entry'; text: string; key: string }
  | { row: 'message'; text: string; key: string; manifest?: string };

function counts(drift: ImageDrift): string {
  const parts = [...(drift.missing.length ? [`${drift.missing.length} missing`] : []), ...(drift.extra.length ? [`${drift.extra.length} extra`] : []), ...(drift.snapshots.length ? [`${drift.snapshots.length} snapshot${drift.snapshots.length === 1 ? '' : 's'} out of line`] : [])];
  return parts.join(', ');
}

export class PolicyTreeProvider implements vscode.TreeDataProvider<PolicyElement> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: PolicyModel, private readonly accountNames: () => Record<string, string>) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  private reportsOf(manifest: string) {
    return this.model.states.find((s) => s.uri.toString() === manifest)?.reports ?? [];
  }

  private driftOf(element: { manifest: string; policy: string; profile: string; region: string; imageId: string }): ImageDrift | undefined {
    return this.reportsOf(element.manifest).find((r) => r.policy.name === element.policy)?.regions.find((g) => g.region === element.region)?.images.find((i) => i.imageId === element.imageId);
  }

  getTreeItem(element: PolicyElement): vscode.TreeItem {
    if ('row' in element) {
      if (element.row === 'region') {
        const region = this.reportsOf(element.manifest).find((r) => r.policy.name === element.policy)?.regions.find((g) => g.region === element.region);
        const item = new vscode.TreeItem(element.region, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `region:${element.manifest}:${element.policy}:${element.region}`;
        item.description = region?.error ? vscode.l10n.t('could not be read: {0}', region.error) : vscode.l10n.t('{0} AMIs, {1} drifting', region?.images.length ?? 0, region?.images.filter(hasDrift).length ?? 0);
        item.contextValue = 'policyRegion';
        item.iconPath = new vscode.ThemeIcon('globe');
        return item;
      }
      const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
      item.id = element.key;
      item.contextValue = element.row === 'message' ? 'policyMessage' : 'policyEntry';
      if (element.row === 'message') item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    if ('imageId' in element) {
      const drift = this.driftOf(element);
      const drifting = drift !== undefined && hasDrift(drift);
      // The AMI name comes from another account's API: a label is plain text, never Markdown or HTML.
      const item = new vscode.TreeItem(drift?.name ?? element.imageId, drifting ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `image:${element.manifest}:${element.policy}:${element.profile}:${element.region}:${element.imageId}`;
      const status = drift?.error ? vscode.l10n.t('could not be read: {0}', drift.error) : drifting ? vscode.l10n.t('drift: {0}', counts(drift!)) : vscode.l10n.t('in line');
      item.description = `${element.imageId} · ${status}`;
      item.contextValue = drifting ? 'policyImage.drift' : 'policyImage';
      item.iconPath = new vscode.ThemeIcon(drifting ? 'warning' : 'pass');
      return item;
    }
    const report = this.reportsOf(element.manifest).find((r) => r.policy.name === element.policy);
    const images = report?.regions.flatMap((g) => g.images) ?? [];
    const item = new vscode.TreeItem(element.policy, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `policy:${element.manifest}:${element.policy}`;
    item.description = vscode.l10n.t('{0} · {1} AMIs · {2} drifting', report?.policy.profile ?? '', images.length, images.filter(hasDrift).length);
    item.tooltip = vscode.Uri.parse(element.manifest).fsPath;
    item.contextValue = 'policy';
    item.iconPath = new vscode.ThemeIcon('law');
    return item;
  }

  async getChildren(element?: PolicyElement): Promise<PolicyElement[]> {
    await this.model.ready();
    if (!element) {
      return this.model.states.flatMap((state): PolicyElement[] => {
        const manifest = state.uri.toString();
        const file = vscode.workspace.asRelativePath(state.uri);
        if (state.problemCount) return [{ row: 'message', text: state.problemCount === 1
                ? vscode.l10n.t('{0}: 1 problem (see Problems); nothing is read or reconciled', file)
                : vscode.l10n.t('{0}: {1} problems (see Problems); nothing is read or reconciled', file, state.problemCount), key: `problems:${manifest}`, manifest }];
        if (state.error) return [{ row: 'message', text: `${file}: ${state.error}`, key: `error:${manifest}`, manifest }];
        return (state.reports ?? []).map((r) => ({ manifest, policy: r.policy.name }));
      });
    }
    if ('row' in element) {
      if (element.row !== 'region') return [];
      const report = this.reportsOf(element.manifest).find((r) => r.policy.name === element.policy);
      const region = report?.regions.find((g) => g.region === element.region);
      return (region?.images ?? []).map((i) => ({ manifest: element.manifest, policy: element.policy, profile: i.profile, region: i.region, imageId: i.imageId }));
    }
    if ('imageId' in element) {
      const drift = this.driftOf(element);
      if (!drift) return [];
      const names = this.accountNames();
      const line = (sign: string, p: LaunchPermission, why: string, where = '') => ({ row: 'entry' as const, text: `${sign} ${where}${describePermission(p, names)} (${why})`, key: `entry:${element.manifest}:${element.policy}:${element.imageId}:${sign}${where}${JSON.stringify(p)}` });
      return [
        ...drift.missing.map((p) => line('+', p, vscode.l10n.t('missing'))),
        ...drift.extra.map((p) => line('−', p, p.Group === 'all' ? vscode.l10n.t('extra: the policy does not make it public') : vscode.l10n.t('extra: not in the policy'))),
        ...drift.snapshots.flatMap((s) => {
          const where = `${vscode.l10n.t('snapshot {0}', s.snapshotId)}: `;
          return [...s.missing.map((p) => line('+', p, vscode.l10n.t('missing copy permission'), where)), ...s.extra.map((p) => line('−', p, vscode.l10n.t('extra copy permission'), where))];
        }),
      ];
    }
    const report = this.reportsOf(element.manifest).find((r) => r.policy.name === element.policy);
    return (report?.regions ?? []).map((g) => ({ row: 'region' as const, manifest: element.manifest, policy: element.policy, region: g.region }));
  }
}
