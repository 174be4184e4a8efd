import * as vscode from 'vscode';
import { runChange } from '../actions/pipeline';
import { readSharing } from '../actions/readSharing';
import { imageKeyOf } from '../core/changes';
import { manifestFromSharing, terraformFromSharing } from '../core/manifest/exportState';
import { reconcilePlan } from '../core/manifest/plan';
import type { Services } from '../services';
import type { ExplorerNode } from '../tree/nodes';
import { ArgumentError, IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';

interface ReconcileScope {
  manifest?: string;
  policy?: string;
  image?: { profile: string; region: string; imageId: string };
}

function scopeOf(call: Invocation): ReconcileScope {
  if (call.kind === 'palette') return {};
  if (call.kind === 'nodes') {
    const images = call.nodes.filter((n) => n.kind === 'image');
    if (images.length !== 1 || call.nodes.length !== 1) throw new ArgumentError(vscode.l10n.t('amiSharing.reconcile: pick one AMI (or a policy in the Policies view).'));
    const node = images[0]!;
    return { image: { profile: node.profile, region: node.region, imageId: node.image.imageId } };
  }
  const a = call.argument.only('manifest', 'policy', 'profile', 'region', 'imageId');
  const imageId = a.optionalText('imageId', IMAGE_ID);
  const scope: ReconcileScope = {};
  const manifest = a.optionalText('manifest');
  const policy = a.optionalText('policy');
  if (manifest !== undefined) scope.manifest = manifest;
  if (policy !== undefined) scope.policy = policy;
  if (imageId !== undefined) scope.image = { profile: a.text('profile', PROFILE_NAME), region: a.text('region', REGION_NAME), imageId };
  return scope;
}

function sameManifest(state: vscode.Uri, wanted: string): boolean {
  return state.toString() === wanted || state.fsPath === wanted || vscode.workspace.asRelativePath(state) === wanted;
}

/**
 * Reconcile everything, one policy, or one AMI: the drift is read again and applied through the one pipeline
 * (fresh read, checks, one confirmation, change log, Undo). Refused in untrusted workspaces; `isTrusted` is
 * injectable because the test hosts run with workspace trust off (always trusted).
 */
export async function reconcile(services: Services, call: Invocation, isTrusted: () => boolean = () => vscode.workspace.isTrusted): Promise<{ changeId?: string; results: unknown[] }> {
  const scope = scopeOf(call);
  if (!isTrusted()) throw new Error(vscode.l10n.t('Reconcile is disabled in an untrusted workspace: trust the workspace to let its manifest change sharing (drift is still shown).'));
  const policies = services.policies;
  await policies.reload();
  const states = policies.states.filter((s) => scope.manifest === undefined || sameManifest(s.uri, scope.manifest));
  if (scope.manifest !== undefined && states.length === 0) throw new ArgumentError(vscode.l10n.t('amiSharing.reconcile: no manifest {0} in the workspace.', scope.manifest));
  const broken = states.filter((s) => s.problemCount || s.error);
  if (broken.length) throw new Error(vscode.l10n.t('{0}: fix the manifest problems first (see Problems); nothing was changed.', broken.map((s) => vscode.workspace.asRelativePath(s.uri)).join(', ')));
  const reports = states.flatMap((s) => s.reports ?? []).filter((r) => scope.policy === undefined || r.policy.name === scope.policy);
  if (scope.policy !== undefined && reports.length === 0) throw new ArgumentError(vscode.l10n.t('amiSharing.reconcile: no policy named "{0}".', scope.policy));
  const plan = reconcilePlan(reports).filter((p) => scope.image === undefined || imageKeyOf(p.drift) === imageKeyOf(scope.image));
  if (plan.length === 0) {
    if (call.kind !== 'script') void vscode.window.showInformationMessage(vscode.l10n.t('No drift: the AMIs are shared as the manifest says.'));
    return { results: [] };
  }
  const outcome = await runChange(services, plan.flatMap((p) => p.requests), {
    action: 'Reconcile',
    title: plan.length === 1 ? vscode.l10n.t('Reconcile 1 AMI with the sharing policy?') : vscode.l10n.t('Reconcile {0} AMIs with the sharing policy?', plan.length),
    confirmLabel: vscode.l10n.t('Reconcile'),
    busyLabel: vscode.l10n.t('Reconciling…'),
    interactive: call.kind !== 'script',
  });
  await policies.reload();
  return outcome ? { changeId: outcome.changeId, results: outcome.results } : { results: [] };
}

/** The AMIs to export: the selected AMI nodes, a script's { profile, region, namePattern? }, or asked. */
async function exportSelection(services: Services, call: Invocation, command: string): Promise<Parameters<typeof readSharing>[2] & { targets: Array<{ profile: string; region: string }> } | undefined> {
  if (call.kind === 'nodes') {
    const images = call.nodes.filter((n): n is Extract<ExplorerNode, { kind: 'image' }> => n.kind === 'image' && n.owned);
    if (images.length === 0) throw new ArgumentError(vscode.l10n.t('{0}: select owned AMIs in the tree.', command));
    const targets = [...new Map(images.map((n) => [`${n.profile}\u0000${n.region}`, { profile: n.profile, region: n.region }])).values()];
    return { targets, imageIds: images.map((n) => n.image.imageId) };
  }
  const gateway = await services.gateway.get();
  if (call.kind === 'script') {
    const a = call.argument.only('profile', 'region', 'namePattern');
    const profile = a.text('profile', PROFILE_NAME);
    const region = a.optionalText('region', REGION_NAME) ?? (await gateway.defaultRegion(profile));
    const namePattern = a.optionalText('namePattern');
    return { targets: [{ profile, region }], ...(namePattern ? { namePattern } : {}) };
  }
  const profiles = (await gateway.sharedConfig()).profiles.map((p) => p.name);
  const profile = await services.prompts.pickOne(profiles.map((p) => ({ label: p, value: p })), { title: vscode.l10n.t('Profile whose AMIs to export') });
  if (!profile) return undefined;
  const region = await services.prompts.input({ title: vscode.l10n.t('Region'), prompt: vscode.l10n.t('Region of the AMIs'), value: await gateway.defaultRegion(profile), validate: (v) => (REGION_NAME.test.test(v.trim()) ? undefined : REGION_NAME.describe) });
  if (!region) return undefined;
  const namePattern = await services.prompts.input({ title: vscode.l10n.t('Name pattern'), prompt: vscode.l10n.t('Only AMIs whose name matches this glob (empty: all)'), value: '' });
  if (namePattern === undefined) return undefined;
  return { targets: [{ profile, region: region.trim() }], ...(namePattern.trim() ? { namePattern: namePattern.trim() } : {}) };
}

async function exportTo(services: Services, call: Invocation, command: string, format: 'manifest' | 'terraform'): Promise<{ text: string } | undefined> {
  const selection = await exportSelection(services, call, command);
  if (!selection) return undefined;
  const gateway = await services.gateway.get();
  const { targets, ...filter } = selection;
  const read = await readSharing(gateway, targets, { ...filter, snapshots: true }, { priority: 'user' });
  if (read.errors.length) throw new Error(vscode.l10n.t('Could not read: {0}. Nothing was exported.', read.errors.map((e) => `${e.imageId ?? `${e.profile} ${e.region}`}: ${e.error}`).join('; ')));
  const text = format === 'terraform' ? terraformFromSharing(read.images) : `${JSON.stringify(manifestFromSharing(read.images), null, 2)}\n`;
  const document = await vscode.workspace.openTextDocument({ content: text, language: format === 'terraform' ? 'plaintext' : 'json' });
  await vscode.window.showTextDocument(document, { preview: false });
  return { text };
}

export const writeManifest = (services: Services, call: Invocation) => exportTo(services, call, 'amiSharing.writeManifest', 'manifest');
export const exportTerraform = (services: Services, call: Invocation) => exportTo(services, call, 'amiSharing.exportTerraform', 'terraform');

export async function refreshPolicies(services: Services, call: Invocation): Promise<void> {
  if (call.kind === 'script') call.argument.only();
  await services.policies.reload();
}
