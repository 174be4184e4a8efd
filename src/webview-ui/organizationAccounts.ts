import * as l10n from '@vscode/l10n';
import type { SuggestedAccount } from '../webview/protocol';
import { el } from './dom';

/**
 * The account autocomplete fed by AWS Organizations: an input with a datalist of member accounts (name and
 * ID; the browser filters as you type). Choosing one puts its ID into the accounts box, where the usual
 * validation and the Add button take over. Names come from other accounts' settings: text only.
 */

const PICKER_ID = 'organization-account-picker';
const LIST_ID = 'organization-accounts';

let suggestions: SuggestedAccount[] = [];

export function setAccountSuggestions(accounts: SuggestedAccount[]): void {
  suggestions = accounts.filter((account) => /^[0-9]{12}$/.test(account.id) && typeof account.name === 'string');
}

/** Names of the suggested accounts, to show beside their IDs. */
export function suggestedAccountNames(): Record<string, string> {
  return Object.fromEntries(suggestions.filter((account) => account.name).map((account) => [account.id, account.name]));
}

/** Adds the picker under the accounts box (after each render); nothing when no organization could be read. */
export function attachOrganizationPicker(root: HTMLElement, onPick: (accountId: string) => void): void {
  const accountsBox = root.querySelector('#accounts-input');
  const row = accountsBox?.closest('.add-row');
  if (!row || suggestions.length === 0) return;
  const list = el('datalist', { id: LIST_ID });
  for (const account of suggestions) {
    const option = el('option', { value: account.id });
    option.label = account.name ? `${account.name} (${account.id})` : account.id;
    list.append(option);
  }
  const input = el('input', { id: PICKER_ID, type: 'text', list: LIST_ID, autocomplete: 'off', placeholder: l10n.t('Type a member account name or ID') });
  const pick = () => {
    const chosen = suggestions.find((account) => account.id === input.value.trim() || account.name === input.value.trim());
    if (!chosen) return;
    input.value = '';
    onPick(chosen.id);
  };
  input.addEventListener('change', pick);
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    // Focus moves to the accounts box: without this the Enter would land there as a new line.
    event.preventDefault();
    pick();
  });
  row.after(el('div', { class: 'organization-picker' }, el('label', { for: PICKER_ID }, l10n.t('From your organization')), input, list));
}
