// Helpers shared by the extension-host tests. Tests address the extension through its manifest
// (contributed commands, views) and the public vscode API, never through its internals.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'scaling-lens.scaling-lens';

export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; type?: string }[]>;
    menus?: Record<string, { command: string; when?: string }[]>;
  };
}

/** The extension's API once it is active and its first workspace scan is done (the suites' setup). */
export async function scannedApi<T extends { whenScanned(): Promise<void> }>(): Promise<T> {
  const api = (await getExtension().activate()) as T;
  await api.whenScanned();
  return api;
}

export function manifest(): Manifest {
  return getExtension().packageJSON as Manifest;
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then throws `what`). */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The workspace file at `rel` (the e2e workspace is a copy of samples/). */
export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

/** Every open webview tab whose view type contains `viewType` (VS Code prefixes it). */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(
    (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType),
  );
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
