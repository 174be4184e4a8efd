import * as l10n from '@vscode/l10n';
import { isValidSuggestedUnit, type SuggestedAccount, type SuggestedUnit } from '../webview/protocol';
import { el } from './dom';

/**
 * The autocompletes fed by AWS Organizations: an input with a datalist of member accounts (name and ID) under
 * the accounts box, and one of the organization and its OUs (name and ARN) under the organizations box; the
 * browser filters as you type. Choosing one puts its ID or ARN into the box above, where the usual validation
 * and the Add button take over. Names come from other accounts' settings: text only.
 */

const ACCOUNT_PICKER = { input: 'organization-account-picker', list: 'organization-accounts', box: '#accounts-input' };
const UNIT_PICKER = { input: 'organization-unit-picker', list: 'organization-units', box: '#orgs-input' };

let suggestions: SuggestedAccount[] = [];
let unitSuggestions: SuggestedUnit[] = [];

export function setAccountSuggestions(accounts: SuggestedAccount[], units: SuggestedUnit[] = []): void {
  suggestions = accounts.filter((account) => /^[0-9]{12}$/.test(account.id) && typeof account.name === 'string');
  unitSuggestions = units.filter(isValidSuggestedUnit);
}

/** Names of the suggested accounts, OUs and organizations, to show beside their IDs and ARNs. */
export function suggestedAccountNames(): Record<string, string> {
  return Object.fromEntries([...suggestions.filter((account) => account.name).map((account) => [account.id, account.name]), ...unitSuggestions.filter((unit) => unit.name).map((unit) => [unit.arn, unit.name])]);
}

interface Option {
  value: string;
  name: string;
  label: string;
}

/** One input with its datalist after the row of `box`; `onPick` gets the value of the option typed or chosen. */
function attachPicker(root: HTMLElement, ids: typeof ACCOUNT_PICKER, options: Option[], label: string, placeholder: string, onPick: (value: string) => void): void {
  const row = root.querySelector(ids.box)?.closest('.add-row');
  if (!row || options.length === 0) return;
  const list = el('datalist', { id: ids.list });
  for (const option of options) {
    const item = el('option', { value: option.value });
    item.label = option.label;
    list.append(item);
  }
  const input = el('input', { id: ids.input, type: 'text', list: ids.list, autocomplete: 'off', placeholder });
  const pick = () => {
    const typed = input.value.trim();
    const chosen = options.find((option) => option.value === typed || option.name === typed);
    if (!chosen) return;
    input.value = '';
    onPick(chosen.value);
  };
  input.addEventListener('change', pick);
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    // Focus moves to the box above: without this the Enter would land there as a new line.
    event.preventDefault();
    pick();
  });
  row.after(el('div', { class: 'organization-picker' }, el('label', { for: ids.input }, label), input, list));
}

/** Adds the pickers under the accounts and organizations boxes (after each render); nothing when no organization could be read. */
export function attachOrganizationPicker(root: HTMLElement, onPickAccount: (accountId: string) => void, onPickUnit: (arn: string) => void = () => undefined): void {
  attachPicker(
    root,
    ACCOUNT_PICKER,
    suggestions.map((account) => ({ value: account.id, name: account.name, label: account.name ? `${account.name} (${account.id})` : account.id })),
    l10n.t('From your organization'),
    l10n.t('Type a member account name or ID'),
    onPickAccount,
  );
  attachPicker(
    root,
    UNIT_PICKER,
    unitSuggestions.map((unit) => ({
      value: unit.arn,
      name: unit.name,
      label: unit.kind === 'organization' ? l10n.t('Whole organization: {0}', unit.name) : l10n.t('OU {0}', unit.name),
    })),
    l10n.t('OUs of your organization'),
    l10n.t('Type an OU name or ARN'),
    onPickUnit,
  );
}
