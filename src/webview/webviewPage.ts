import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { escapeAttribute, l10nBodyAttribute } from './webviewL10n';

/**
 * An editor-area webview panel of this extension: scripts on, no forms, no command links, resources only from
 * dist/webview. Every panel is made here so none can loosen these by accident.
 */
export function createWebviewPanel(services: Services, viewType: string, title: string): { panel: vscode.WebviewPanel; root: vscode.Uri } {
  const root = vscode.Uri.joinPath(services.context.extensionUri, 'dist', 'webview');
  const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: true,
    enableForms: false,
    enableCommandUris: false,
    localResourceRoots: [root],
  });
  panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'ami-sharing.svg');
  return { panel, root };
}

export interface WebviewPageOptions {
  /** The page's bundle in dist/webview: `<page>.js` and `<page>.css`. */
  page: string;
  /** The document title (the host's own, localised text). */
  title: string;
  /** Shown until the page's script renders (the host's own, localised text). */
  loadingText?: string;
}

/**
 * The HTML of a webview page: strict CSP (nothing but this extension's resources, one script by nonce), the
 * extension's l10n bundle on <body>, and an empty <main> the page's script renders into.
 */
export function webviewPageHtml(webview: vscode.Webview, root: vscode.Uri, options: WebviewPageOptions): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const resource = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const loading = options.loadingText ? `<p class="loading">${escapeAttribute(options.loadingText)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resource('codicon.css')}">
<link rel="stylesheet" href="${resource(`${options.page}.css`)}">
<title>${escapeAttribute(options.title)}</title>
</head>
<body ${l10nBodyAttribute(vscode.l10n.bundle)}>
<main id="app" aria-live="polite">${loading}</main>
<script nonce="${nonce}" src="${resource(`${options.page}.js`)}"></script>
</body>
</html>`;
}
