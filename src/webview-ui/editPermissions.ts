import * as l10n from '@vscode/l10n';
import { describeProblems, parseTargets } from '../core/accountInput';
import { permissionKey } from '../core/launchPermissions';
import { describePermission, effectiveChange, summarizeChange, type PermissionChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import type { ExtensionToWebview, FormImage, FormResult, FormState, WebviewToExtension } from '../webview/protocol';
import { button, el, icon } from './dom';
import { attachOrganizationPicker, setAccountSuggestions, suggestedAccountNames } from './organizationAccounts';
import { setUpL10n } from './l10nSetup';
import { receiveRecipients, recipientsSection } from './recipientsSection';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToExtension): void };

setUpL10n();
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

interface Pending {
  add: LaunchPermission[];
  removeKeys: Set<string>;
  /** undefined = leave public access as it is. */
  makePublic: boolean | undefined;
  includeSnapshots: boolean;
  accountText: string;
  orgText: string;
}

let state: FormState | undefined;
let pending: Pending = emptyPending();
let busy: string | undefined;
let results: { message: string; results: FormResult[] } | undefined;
let notice: string | undefined;
let errorMessage: string | undefined;

function emptyPending(): Pending {
  return { add: [], removeKeys: new Set(), makePublic: undefined, includeSnapshots: false, accountText: '', orgText: '' };
}

function send(message: WebviewToExtension): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (receiveRecipients(message)) return render();
  switch (message.type) {
    case 'state':
      state = message.state;
      notice = message.notice;
      busy = undefined;
      pruneApplied();
      break;
    case 'busy':
      busy = message.label;
      results = undefined;
      errorMessage = undefined;
      break;
    case 'results':
      results = { message: message.message, results: message.results };
      if (message.results.every((r) => r.ok)) pending = emptyPending();
      busy = undefined;
      break;
    case 'error':
      errorMessage = message.message;
      busy = undefined;
      break;
    case 'accountSuggestions':
      setAccountSuggestions(message.accounts, message.units);
      break;
  }
  if (state) state.accountNames = { ...suggestedAccountNames(), ...state.accountNames };
  render();
});

/** A member account chosen in the organization picker goes into the accounts box, to be checked and added as typed. */
function addSuggestedAccount(accountId: string): void {
  pending.accountText = [pending.accountText.trim(), accountId].filter(Boolean).join(', ');
  render();
  document.getElementById('accounts-input')?.focus();
}

/** An organization or OU chosen in the OU picker goes into the organizations box, to be checked and added as typed. */
function addSuggestedUnit(arn: string): void {
  pending.orgText = [pending.orgText.trim(), arn].filter(Boolean).join(', ');
  render();
  document.getElementById('orgs-input')?.focus();
}

/** After a reload, drop pending entries that are already in effect everywhere. */
function pruneApplied(): void {
  if (!state) return;
  const everywhere = (key: string) => state!.images.every((image) => image.permissions.some((p) => permissionKey(p) === key));
  const nowhere = (key: string) => state!.images.every((image) => !image.permissions.some((p) => permissionKey(p) === key));
  pending.add = pending.add.filter((p) => !everywhere(permissionKey(p)));
  pending.removeKeys = new Set([...pending.removeKeys].filter((key) => !nowhere(key)));
}

function requestedChange(): PermissionChange {
  const remove = currentUnion()
    .filter(({ permission }) => pending.removeKeys.has(permissionKey(permission)))
    .map(({ permission }) => permission);
  const add = [...pending.add];
  if (pending.makePublic === true) add.push({ Group: 'all' });
  if (pending.makePublic === false) remove.push({ Group: 'all' });
  return { add, remove };
}

function currentUnion(): Array<{ permission: LaunchPermission; count: number }> {
  const byKey = new Map<string, { permission: LaunchPermission; count: number }>();
  for (const image of state?.images ?? []) {
    for (const permission of image.permissions) {
      if (permission.Group) continue;
      const entry = byKey.get(permissionKey(permission)) ?? { permission, count: 0 };
      entry.count += 1;
      byKey.set(permissionKey(permission), entry);
    }
  }
  return [...byKey.values()];
}

function ownAccounts(): string[] {
  return [...new Set((state?.images ?? []).map((image) => image.accountId).filter(Boolean))];
}

function validate(text: string, kind: 'accounts' | 'orgs'): { permissions: LaunchPermission[]; problem?: string } {
  const parsed = parseTargets(text);
  const problems = [...parsed.problems];
  for (const own of ownAccounts()) {
    if (parsed.accountIds.includes(own)) {
      parsed.accountIds = parsed.accountIds.filter((id) => id !== own);
      problems.push({ entry: own, reason: l10n.t('is your own account (the owner always keeps access)') });
    }
  }
  if (kind === 'accounts' && (parsed.organizationArns.length || parsed.organizationalUnitArns.length)) {
    problems.push({ entry: [...parsed.organizationArns, ...parsed.organizationalUnitArns][0]!, reason: l10n.t('is an ARN: add it under Organizations and OUs') });
  }
  if (kind === 'orgs' && parsed.accountIds.length) {
    problems.push({ entry: parsed.accountIds[0]!, reason: l10n.t('is an account ID: add it under Shared accounts') });
  }
  const permissions = [
    ...parsed.accountIds.map((UserId) => ({ UserId })),
    ...parsed.organizationArns.map((OrganizationArn) => ({ OrganizationArn })),
    ...parsed.organizationalUnitArns.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
  const queued = new Set(pending.add.map(permissionKey));
  for (const permission of permissions) {
    if (queued.has(permissionKey(permission))) problems.push({ entry: Object.values(permission)[0] as string, reason: l10n.t('is already in the list to add') });
  }
  return problems.length ? { permissions, problem: describeProblems(problems) } : { permissions };
}

function render(): void {
  const focusedId = document.activeElement?.id;
  const selection = document.activeElement instanceof HTMLTextAreaElement ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : undefined;
  app.replaceChildren(...(state ? formContents(state) : [el('p', { class: 'loading' }, errorMessage ?? l10n.t('Loading launch permissions…'))]));
  attachOrganizationPicker(app, addSuggestedAccount, addSuggestedUnit);
  if (focusedId) {
    const again = document.getElementById(focusedId);
    if (again) {
      again.focus();
      if (again instanceof HTMLTextAreaElement && selection) again.setSelectionRange(selection[0]!, selection[1]!);
    }
  }
}

function formContents(s: FormState): Node[] {
  const single = s.images.length === 1;
  return [
    el('h1', {}, single ? l10n.t('Edit AMI permissions') : l10n.t('Edit permissions of {0} AMIs', s.images.length)),
    single ? summarySection(s.images[0]!) : bulkSummarySection(s.images),
    encryptionSection(s.images),
    availabilitySection(s),
    permissionSection(l10n.t('Shared accounts'), 'accounts', s),
    permissionSection(l10n.t('Shared organizations and OUs'), 'orgs', s),
    recipientsSection(single, send, Boolean(busy)),
    actionsSection(s),
    notesSection(),
  ];
}

function summarySection(image: FormImage): HTMLElement {
  const rows: Array<[string, string]> = [
    [l10n.t('Name'), image.name],
    [l10n.t('AMI ID'), image.imageId],
    [l10n.t('Region'), image.region],
    [l10n.t('Profile'), image.accountId ? l10n.t('{0} (account {1})', image.profile, image.accountId) : image.profile],
    [l10n.t('State'), image.state],
    [
      l10n.t('Encryption'),
      image.snapshots.some((sn) => sn.keyManager === 'AWS') ? l10n.t('AWS managed key (aws/ebs)') : image.encrypted ? l10n.t('Customer managed key') : l10n.t('Not encrypted'),
    ],
  ];
  return el(
    'section',
    { 'aria-labelledby': 'summary-heading', class: 'summary' },
    el('h2', { id: 'summary-heading' }, 'AMI'),
    el('dl', {}, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { 'data-field': term }, value)])),
    image.error ? el('p', { class: 'error', role: 'alert' }, icon('error'), ` ${image.error}`) : undefined,
  );
}

function bulkSummarySection(images: FormImage[]): HTMLElement {
  const change = requestedChange();
  const table = el(
    'table',
    { class: 'bulk' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'AMI'), el('th', { scope: 'col' }, l10n.t('Profile / Region')), el('th', { scope: 'col' }, l10n.t('Current sharing')), el('th', { scope: 'col' }, l10n.t('Plan')))),
    el(
      'tbody',
      {},
      ...images.map((image) => {
        const plan = effectiveChange(image.permissions, change);
        const current = image.permissions.length ? image.permissions.map((p) => describePermission(p, state?.accountNames)).join(', ') : 'private';
        return el(
          'tr',
          { 'data-image-id': image.imageId },
          el('td', {}, el('div', {}, image.name), el('div', { class: 'muted' }, image.imageId)),
          el('td', {}, `${image.profile} / ${image.region}`),
          el('td', {}, image.error ? `error: ${image.error}` : current),
          el('td', { class: 'plan' }, summarizeChange(plan)),
        );
      }),
    ),
  );
  return el('section', { 'aria-labelledby': 'bulk-heading' }, el('h2', { id: 'bulk-heading' }, l10n.t('Selected AMIs')), table);
}

function encryptionSection(images: FormImage[]): HTMLElement {
  const rows = images.flatMap((image) =>
    image.snapshots.map((snapshot) => {
      const key = snapshot.keyAlias ?? snapshot.kmsKeyId ?? '';
      const status = !snapshot.encrypted
        ? l10n.t('not encrypted')
        : snapshot.keyManager === 'AWS'
          ? l10n.t('AWS managed key {0}: cannot be shared', key)
          : snapshot.keyManager === 'CUSTOMER'
            ? l10n.t('customer managed key {0}: recipients must be allowed in its key policy', key)
            : key
              ? l10n.t('encrypted with {0} (key could not be described)', key)
              : l10n.t('encrypted with an unknown key (key could not be described)');
      return el('li', { class: snapshot.keyManager === 'AWS' ? 'error' : undefined, 'data-snapshot': snapshot.snapshotId }, icon(snapshot.encrypted ? 'lock' : 'unlock'), ` ${images.length > 1 ? `${image.imageId} ` : ''}${snapshot.snapshotId}: ${status}`);
    }),
  );
  const awsManaged = images.filter((image) => image.snapshots.some((sn) => sn.keyManager === 'AWS'));
  const mismatched = images.filter((image) => image.snapshotPermissionsMatch === false);
  return el(
    'section',
    { 'aria-labelledby': 'encryption-heading' },
    el('h2', { id: 'encryption-heading' }, l10n.t('Snapshots and encryption')),
    awsManaged.length
      ? el('p', { class: 'warning', role: 'alert', id: 'encryption-warning' }, icon('warning'), ` ${
          awsManaged.length === 1
            ? l10n.t('{0} is encrypted with the AWS managed key (aws/ebs) and cannot be shared. Use "Share AMI…" on it to copy it with a customer managed key and share the copy.', awsManaged[0]!.imageId)
            : l10n.t('{0} are encrypted with the AWS managed key (aws/ebs) and cannot be shared. Use "Share AMI…" on each to copy it with a customer managed key and share the copy.', awsManaged.map((i) => i.imageId).join(', '))
        }`)
      : undefined,
    rows.length ? el('ul', { class: 'snapshots' }, ...rows) : el('p', { class: 'muted' }, l10n.t('No EBS snapshots.')),
    mismatched.length
      ? el('p', { class: 'muted', id: 'snapshot-mismatch' }, icon('info'), ` ${l10n.t('Snapshot permissions do not match the launch permissions: recipients can launch but not copy the AMI.')} `, button(l10n.t('Bring snapshot permissions in line'), () => send({ type: 'alignSnapshots' }), { secondary: true, id: 'align-snapshots', disabled: Boolean(busy) }))
      : images.some((i) => i.snapshotPermissionsMatch === true)
        ? el('p', { class: 'muted' }, l10n.t('Snapshot permissions match the launch permissions (recipients can copy the AMI).'))
        : undefined,
  );
}

function availabilitySection(s: FormState): HTMLElement {
  const currentlyPublic = s.images.some((image) => image.permissions.some((p) => p.Group === 'all'));
  const wantPublic = pending.makePublic ?? currentlyPublic;
  const radio = (value: 'private' | 'public', label: string) => {
    const input = el('input', { type: 'radio', name: 'availability', id: `availability-${value}`, value, checked: (value === 'public') === wantPublic });
    input.addEventListener('change', () => {
      const target = value === 'public';
      pending.makePublic = target === currentlyPublic ? undefined : target;
      render();
    });
    return el('div', { class: 'radio' }, input, el('label', { for: `availability-${value}` }, label));
  };
  const regions = [...new Set(s.images.map((image) => image.region))];
  const bpa = regions.map((region) => {
    const value = s.blockPublicAccess[region];
    const state =
      value === 'block-new-sharing'
        ? l10n.t('block public access is ON (new public sharing is blocked)')
        : value === 'unblocked'
          ? l10n.t('block public access is off')
          : l10n.t('block public access state unknown');
    return `${region}: ${state}`;
  });
  return el(
    'section',
    { 'aria-labelledby': 'availability-heading' },
    el('h2', { id: 'availability-heading' }, l10n.t('AMI availability')),
    el('fieldset', {}, el('legend', { class: 'visually-hidden' }, l10n.t('AMI availability')), radio('private', l10n.t('Private')), radio('public', l10n.t('Public (all AWS accounts)'))),
    ...bpa.map((line) => el('p', { class: 'muted' }, icon('shield'), ` ${line}`)),
  );
}

function permissionSection(title: string, kind: 'accounts' | 'orgs', s: FormState): HTMLElement {
  const isKind = (p: LaunchPermission) => (kind === 'accounts' ? Boolean(p.UserId) : Boolean(p.OrganizationArn || p.OrganizationalUnitArn));
  const current = currentUnion().filter(({ permission }) => isKind(permission));
  const adding = pending.add.filter(isKind);
  const headingId = `${kind}-heading`;
  const list = el('ul', { class: 'permissions', 'aria-labelledby': headingId });
  for (const { permission, count } of current) {
    const key = permissionKey(permission);
    const removing = pending.removeKeys.has(key);
    const label = describePermission(permission, s.accountNames);
    list.append(
      el(
        'li',
        { class: removing ? 'removing' : undefined, 'data-permission': key },
        el('span', { class: 'value' }, label),
        s.images.length > 1 ? el('span', { class: 'muted' }, ` ${l10n.t('on {0} of {1}', count, s.images.length)}`) : undefined,
        removing ? el('span', { class: 'badge' }, l10n.t('will be removed')) : undefined,
        button(
          removing ? l10n.t('Keep') : '',
          () => {
            if (removing) pending.removeKeys.delete(key);
            else pending.removeKeys.add(key);
            render();
          },
          { icon: removing ? 'discard' : 'trash', secondary: true, ariaLabel: removing ? l10n.t('Keep {0}', label) : l10n.t('Remove {0}', label) },
        ),
      ),
    );
  }
  for (const permission of adding) {
    const label = describePermission(permission, s.accountNames);
    list.append(
      el(
        'li',
        { class: 'adding', 'data-permission': permissionKey(permission) },
        el('span', { class: 'value' }, label),
        el('span', { class: 'badge' }, l10n.t('will be added')),
        button('', () => {
          pending.add = pending.add.filter((p) => permissionKey(p) !== permissionKey(permission));
          render();
        }, { icon: 'close', secondary: true, ariaLabel: l10n.t('Do not add {0}', label) }),
      ),
    );
  }
  if (!list.childElementCount) list.append(el('li', { class: 'muted' }, kind === 'accounts' ? l10n.t('Not shared with any account.') : l10n.t('Not shared with any organization or OU.')));

  const textId = `${kind}-input`;
  const text = kind === 'accounts' ? pending.accountText : pending.orgText;
  const check = text.trim() ? validate(text, kind) : undefined;
  const textarea = el('textarea', {
    id: textId,
    rows: '2',
    placeholder: kind === 'accounts' ? l10n.t('111122223333, 4444-5555-6666 — paste one or many') : 'arn:aws:organizations::111122223333:organization/o-exampleorgid',
    'aria-describedby': `${textId}-help ${textId}-problem`,
    'aria-invalid': check?.problem ? 'true' : 'false',
  });
  textarea.value = text;
  textarea.addEventListener('input', () => {
    if (kind === 'accounts') pending.accountText = textarea.value;
    else pending.orgText = textarea.value;
    const problem = textarea.value.trim() ? validate(textarea.value, kind).problem : undefined;
    const problemEl = document.getElementById(`${textId}-problem`)!;
    problemEl.textContent = problem ?? '';
    textarea.setAttribute('aria-invalid', problem ? 'true' : 'false');
    (document.getElementById(`${textId}-add`) as HTMLButtonElement).disabled = Boolean(problem) || !textarea.value.trim();
  });
  const add = () => {
    const result = validate(textarea.value, kind);
    if (result.problem || result.permissions.length === 0) return;
    pending.add.push(...result.permissions);
    if (kind === 'accounts') pending.accountText = '';
    else pending.orgText = '';
    render();
  };
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) add();
  });
  return el(
    'section',
    { 'aria-labelledby': headingId },
    el('h2', { id: headingId }, title),
    list,
    el('label', { for: textId }, kind === 'accounts' ? l10n.t('Add AWS account IDs') : l10n.t('Add organization or OU ARNs')),
    el('div', { class: 'add-row' }, textarea, button(l10n.t('Add'), add, { icon: 'add', id: `${textId}-add`, disabled: Boolean(check?.problem) || !text.trim() })),
    el('p', { id: `${textId}-help`, class: 'muted' }, kind === 'accounts' ? l10n.t('Separate IDs with commas, spaces or new lines. Ctrl+Enter adds.') : l10n.t('Key policies for encrypted AMIs use the aws:PrincipalOrgID / aws:PrincipalOrgPaths conditions for these.')),
    el('p', { id: `${textId}-problem`, class: 'error', role: 'alert' }, check?.problem ?? ''),
  );
}

function actionsSection(s: FormState): HTMLElement {
  const change = requestedChange();
  const summary = summarizeChange(change);
  const nothing = change.add.length === 0 && change.remove.length === 0;
  return el(
    'section',
    { 'aria-labelledby': 'changes-heading', class: 'actions' },
    el('h2', { id: 'changes-heading' }, l10n.t('Changes')),
    el('p', { id: 'pending-summary', 'aria-live': 'polite' }, nothing ? l10n.t('No pending changes.') : l10n.t('Pending: {0}', summary)),
    snapshotCheckbox(),
    el(
      'div',
      { class: 'buttons' },
      button(l10n.t('Save changes'), () => send({ type: 'save', add: change.add, remove: change.remove, includeSnapshots: pending.includeSnapshots }), { icon: 'save', disabled: nothing || Boolean(busy), id: 'save' }),
      button(l10n.t('Cancel'), () => send({ type: 'close' }), { secondary: true, id: 'cancel' }),
      el('span', { class: 'spacer' }),
      button(l10n.t('Make private'), () => send({ type: 'makePrivate' }), { secondary: true, icon: 'lock', disabled: Boolean(busy) || !s.images.some((i) => i.permissions.some((p) => p.Group === 'all')), id: 'make-private' }),
      button(l10n.t('Reset launch permissions'), () => send({ type: 'reset' }), { secondary: true, icon: 'clear-all', disabled: Boolean(busy), id: 'reset' }),
      button('', () => send({ type: 'reload' }), { secondary: true, icon: 'refresh', ariaLabel: l10n.t('Reload current permissions'), disabled: Boolean(busy), id: 'reload' }),
    ),
    busy ? el('p', { class: 'busy', role: 'status' }, icon('loading codicon-modifier-spin'), ` ${busy}`) : undefined,
    notice ? el('p', { class: 'notice', role: 'status' }, icon('info'), ` ${notice}`) : undefined,
    errorMessage ? el('p', { class: 'error', role: 'alert' }, icon('error'), ` ${errorMessage}`) : undefined,
    results
      ? el(
          'div',
          { class: 'results', role: 'status' },
          el('p', { id: 'result-message' }, results.message),
          el('ul', {}, ...results.results.map((r) => el('li', { class: r.ok ? 'ok' : 'failed' }, icon(r.ok ? 'check' : 'error'), ` ${r.imageId}: ${r.ok ? r.summary : r.error ?? 'failed'}`))),
        )
      : undefined,
  );
}

function snapshotCheckbox(): HTMLElement {
  const input = el('input', { type: 'checkbox', id: 'include-snapshots', checked: pending.includeSnapshots });
  input.addEventListener('change', () => {
    pending.includeSnapshots = input.checked;
  });
  return el('div', { class: 'radio' }, input, el('label', { for: 'include-snapshots' }, l10n.t('Also add / remove these accounts on the snapshots (createVolumePermission), so recipients can copy the AMI')));
}

function notesSection(): HTMLElement {
  return el(
    'section',
    { 'aria-labelledby': 'notes-heading', class: 'notes' },
    el('h2', { id: 'notes-heading' }, l10n.t('About sharing AMIs')),
    el(
      'ul',
      {},
      el('li', {}, l10n.t('Tags are not shared: recipients see the AMI without its tags.')),
      el('li', {}, l10n.t('Recipients can launch instances from the AMI; they cannot modify, deregister or re-share it.')),
      el('li', {}, l10n.t('You are not billed for instances that other accounts launch from your AMI.')),
      el('li', {}, l10n.t('AMIs are regional: sharing applies to this Region only.')),
    ),
  );
}

render();
send({ type: 'ready' });
