import * as l10n from '@vscode/l10n';

/**
 * A change's action is recorded in English (the change log keeps it as a stable name); this is how it reads
 * in the display language. A name not listed here (a newer action) is shown as recorded.
 */
export function displayAction(action: string): string {
  const copyShare = /^(.*): share the copy$/.exec(action);
  if (copyShare) return l10n.t('{0}: share the copy', displayAction(copyShare[1]!));
  switch (action) {
    case 'Align snapshot permissions':
      return l10n.t('Align snapshot permissions');
    case 'Cancel deprecation':
      return l10n.t('Cancel deprecation');
    case 'Copy to My AMIs':
      return l10n.t('Copy to My AMIs');
    case 'Copy to Regions':
      return l10n.t('Copy to Regions');
    case 'Copy with a customer managed key':
      return l10n.t('Copy with a customer managed key');
    case 'Deprecate':
      return l10n.t('Deprecate');
    case 'Deregister':
      return l10n.t('Deregister');
    case 'Disable':
      return l10n.t('Disable');
    case 'Enable':
      return l10n.t('Enable');
    case 'Key policy':
      return l10n.t('Key policy');
    case 'Make private':
      return l10n.t('Make private');
    case 'Promote':
      return l10n.t('Promote');
    case 'Protect':
      return l10n.t('Protect');
    case 'Reconcile':
      return l10n.t('Reconcile');
    case 'Reset':
      return l10n.t('Reset');
    case 'Save':
      return l10n.t('Save');
    case 'Share':
      return l10n.t('Share');
    case 'Stop receiving':
      return l10n.t('Stop receiving');
    case 'Undo':
      return l10n.t('Undo');
    case 'Unprotect':
      return l10n.t('Unprotect');
    case 'Unshare':
      return l10n.t('Unshare');
    default:
      return action;
  }
}
