import * as l10n from '@vscode/l10n';
import type { ExtensionToWebview, RecipientFixKind, RecipientRow, RecipientsView, WebviewToExtension } from '../webview/protocol';
import { button, el, icon } from './dom';

/**
 * The form's Recipients section: one row per recipient from the same check as amiSharing.checkRecipients
 * (the extension runs it when the form opens and after every change), with the owner-side fixes. Names and
 * reasons come from other accounts' data and the settings: text only, through `el` (textContent).
 */

let view: RecipientsView | undefined;

/** Takes the section's own messages; true when the message was one. */
export function receiveRecipients(message: ExtensionToWebview): boolean {
  if (message.type !== 'recipients') return false;
  view = message.recipients;
  return true;
}

const verdictText = (verdict: RecipientRow['canLaunch']) => (verdict === 'yes' ? l10n.t('yes') : verdict === 'no' ? l10n.t('no') : l10n.t('unknown'));
const verdictIcon = (verdict: RecipientRow['canLaunch']) => (verdict === 'yes' ? 'check' : verdict === 'no' ? 'error' : 'question');

function fixLabel(kind: RecipientFixKind): string {
  return kind === 'snapshotPermission' ? l10n.t('Add snapshot permission') : l10n.t('Add key statements');
}

function verdictCell(field: 'canLaunch' | 'canCopy', verdict: RecipientRow['canLaunch']): HTMLElement {
  return el('td', { 'data-field': field, class: `verdict ${verdict}` }, icon(verdictIcon(verdict)), el('span', { class: 'value' }, verdictText(verdict)));
}

function row(recipient: RecipientRow, send: (message: WebviewToExtension) => void, disabled: boolean): HTMLElement {
  const busy = view?.busyAccountId === recipient.accountId;
  return el(
    'tr',
    { 'data-recipient': recipient.accountId },
    el(
      'td',
      {},
      el('div', { 'data-field': 'name' }, recipient.name ?? l10n.t('(no name)')),
      el('div', { class: 'muted', 'data-field': 'accountId' }, recipient.accountId),
      recipient.profile ? el('div', { class: 'muted' }, l10n.t('checked from profile {0}', recipient.profile)) : undefined,
    ),
    verdictCell('canLaunch', recipient.canLaunch),
    verdictCell('canCopy', recipient.canCopy),
    el(
      'td',
      { 'data-field': 'reasons' },
      recipient.reasons.length
        ? el('ul', { class: 'reasons' }, ...recipient.reasons.map((reason) => el('li', {}, reason)))
        : el('span', { class: 'muted' }, l10n.t('No problems found.')),
    ),
    el(
      'td',
      {},
      el(
        'div',
        { class: 'fixes' },
        ...recipient.fixes.map((kind) =>
          button(fixLabel(kind), () => send({ type: 'fixRecipient', accountId: recipient.accountId, fix: kind }), {
            secondary: true,
            icon: kind === 'snapshotPermission' ? 'copy' : 'key',
            id: `fix-${kind}-${recipient.accountId}`,
            disabled: disabled || busy,
          }),
        ),
        busy ? el('span', { class: 'busy', role: 'status' }, icon('loading codicon-modifier-spin'), ` ${l10n.t('Checking…')}`) : undefined,
      ),
    ),
  );
}

/** The section; `single` is false for bulk forms, which point to the per-AMI form instead. */
export function recipientsSection(single: boolean, send: (message: WebviewToExtension) => void, formBusy: boolean): HTMLElement {
  const heading = el('h2', { id: 'recipients-heading' }, l10n.t('Recipients'));
  if (!single)
    return el(
      'section',
      { 'aria-labelledby': 'recipients-heading', id: 'recipients' },
      heading,
      el('p', { class: 'muted' }, l10n.t('Open the form of one AMI to check whether its recipients can launch and copy it.')),
    );
  const checking = view === undefined || view.status === 'checking';
  const disabled = formBusy || checking;
  const rows = view?.rows ?? [];
  const table = rows.length
    ? el(
        'table',
        { class: 'recipients', 'aria-labelledby': 'recipients-heading' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...[l10n.t('Recipient'), l10n.t('Can launch'), l10n.t('Can copy'), l10n.t('Reasons'), l10n.t('Fix')].map((title) =>
              el('th', { scope: 'col' }, title),
            ),
          ),
        ),
        el('tbody', {}, ...rows.map((recipient) => row(recipient, send, disabled))),
      )
    : checking
      ? undefined
      : el('p', { class: 'muted', id: 'recipients-none' }, l10n.t('Not shared with any account that could be checked.'));
  return el(
    'section',
    { 'aria-labelledby': 'recipients-heading', id: 'recipients', 'aria-busy': checking ? 'true' : 'false' },
    heading,
    el(
      'p',
      { class: 'muted' },
      l10n.t(
        'Whether each recipient can really launch and copy this AMI: the owner’s side here, and the recipient’s own side from a profile here that belongs to its account.',
      ),
    ),
    table,
    checking && !view?.busyAccountId
      ? el('p', { class: 'busy', role: 'status', id: 'recipients-checking' }, icon('loading codicon-modifier-spin'), ` ${l10n.t('Checking recipients…')}`)
      : undefined,
    view?.message ? el('p', { class: 'error', role: 'alert', id: 'recipients-message' }, icon('error'), ` ${view.message}`) : undefined,
    el(
      'div',
      { class: 'buttons' },
      button(l10n.t('Check recipients'), () => send({ type: 'checkRecipients' }), { secondary: true, icon: 'pass', id: 'check-recipients', disabled }),
    ),
  );
}
