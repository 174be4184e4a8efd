import { l10nContentsOf } from './protocol';

/** Text for an HTML attribute or element of a webview page the host writes (the page's own strings). */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `data-l10n="…"` for a webview's `<body>`: the extension's bundle (vscode.l10n.bundle), validated and escaped,
 * which the page's l10nSetup hands to @vscode/l10n before the first render. Every webview uses this one.
 */
export function l10nBodyAttribute(bundle: unknown): string {
  return `data-l10n="${escapeAttribute(JSON.stringify(l10nContentsOf(bundle)))}"`;
}
