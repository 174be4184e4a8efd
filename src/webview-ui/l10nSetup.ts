import * as l10n from '@vscode/l10n';
import { l10nContentsOf } from '../webview/protocol';

/**
 * Every webview of the extension translates through @vscode/l10n with the bundle the extension passes in on
 * `<body data-l10n="…">` (vscode.l10n.bundle for the display language). Call it once at the top of the entry
 * file, before anything renders; without a bundle (English) l10n.t returns the English messages.
 */
export function setUpL10n(root: HTMLElement = document.body): void {
  const raw = root.dataset.l10n;
  if (!raw) return;
  try {
    l10n.config({ contents: l10nContentsOf(JSON.parse(raw)) });
  } catch {
    // A bundle that is not JSON leaves the form in English rather than blank.
  }
}
