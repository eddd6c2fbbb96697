import * as vscode from 'vscode';

export type ProgressStep = { message?: string; increment?: number };

/** Work the user started shows a cancellable notification only once it has run this long. */
export const NOTIFY_AFTER_MS = 1000;

/**
 * Runs `task` with its progress in the status bar, and (`notify`: work the user started) as a
 * cancellable notification once it has run `delayMs`: VS Code keeps a progress notification up for
 * at least 800 ms, so a fit done in 100 ms flashed one that outlived the chart it announced. The
 * notification starts with the progress reported so far; its Cancel fires `task`'s token.
 */
export async function withLateNotification<T>(
  title: string,
  task: (progress: vscode.Progress<ProgressStep>, token: vscode.CancellationToken) => Promise<T>,
  { notify = true, delayMs = NOTIFY_AFTER_MS }: { notify?: boolean; delayMs?: number } = {},
): Promise<T> {
  const cancel = new vscode.CancellationTokenSource();
  const sinks: vscode.Progress<ProgressStep>[] = [];
  let message: string | undefined, total = 0;
  const progress: vscode.Progress<ProgressStep> = {
    report: (v) => {
      if (v.message !== undefined) message = v.message;
      total += v.increment ?? 0;
      for (const s of sinks) s.report(v);
    },
  };
  const done = task(progress, cancel.token);
  const timer = notify ? setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (n, token) => {
      token.onCancellationRequested(() => cancel.cancel());
      n.report({ message, increment: total });
      sinks.push(n);
      return done.then(() => undefined, () => undefined);
    });
  }, delayMs) : undefined;
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, (w) => {
      if (message !== undefined) w.report({ message });
      sinks.push(w);
      return done;
    });
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}
