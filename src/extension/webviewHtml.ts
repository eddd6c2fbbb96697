import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/**
 * The one HTML builder for every webview (panel and side view): strict CSP with a fresh crypto
 * nonce, scripts and styles only from the extension's own dist/ and media/, no remote resources,
 * and no data in the markup — everything arrives later by postMessage.
 */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Exactly what the pages load: the webview bundles and the stylesheet's folder.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function buildHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'panel' | 'sideview' | 'compare', title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${entry}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${esc(title)}</title>
</head>
<body class="sl-${entry}">
<div id="app" role="main" aria-live="polite"><p class="sl-muted">Loading…</p></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
