import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('scalingLens.fit', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      const panel = vscode.window.createWebviewPanel('scalingLens.panel', 'Scaling Lens', vscode.ViewColumn.Beside, {
        enableScripts: false,
      });
      panel.webview.html = `<!DOCTYPE html><html><body><p id="file"></p></body></html>`;
      void target;
    }),
  );
}

export function deactivate(): void {}
