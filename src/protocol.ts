/**
 * The one message protocol between the extension host and the webviews (panel and side view).
 * One discriminated union per direction, tagged by `type`, with a type guard on receipt.
 * Shared by src/extension and webview/ — no `vscode` import, no DOM types.
 */
export type ToWebview = { type: 'placeholder' };
export type FromWebview = { type: 'ready' };

export function isFromWebview(m: unknown): m is FromWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
