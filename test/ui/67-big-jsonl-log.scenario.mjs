// Forty-second session, like a user whose trainer writes a JSON line per step: a 60 MB JSON-lines log
// (600,000 lines, a validation line every 100 steps) fits from the explorer, in the extension's worker,
// where the WebAssembly loop reads the lines of a known shape (csvrows.wat `lines`) past the first
// 1 MB; the panel says how many points it used and the last step it saw.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const title = 'a 60 MB JSON-lines log (a line per step, validation every 100) fits from the explorer, every line read';

export default async function ({ wb, shot, assert, workspace }) {
  // (A folder name early in the list: the explorer draws only the rows in view.)
  const dir = join(workspace, 'runs', 'a-big-jsonl');
  mkdirSync(dir, { recursive: true });
  const lines = [];
  const n = 600_000;
  for (let step = 1; step <= n; step++) {
    const loss = 1.8 + 400 / Math.pow(step * 65536, 0.3);
    const rec = { step, tokens: step * 65536, 'train/loss': loss, lr: 3e-4 * Math.min(1, step / 2000), grad_norm: 0.2 + (step % 97) / 97 };
    if (step % 100 === 0) rec['val/loss'] = loss + 0.02;
    lines.push(JSON.stringify(rec));
  }
  writeFileSync(join(dir, 'train_log.jsonl'), lines.join('\n') + '\n');
  try {
    await wb.runCommand('View: Close All Editors');
    const frame = await wb.fitFromExplorer('runs/a-big-jsonl/train_log.jsonl', { timeout: 150_000 });
    const body = frame.locator('body');
    await wb.waitUntil('the fit of the log', async () => /Points used/.test(await body.innerText().catch(() => '')), 120_000);
    await shot('big-jsonl-fitted');
    // Every line was read: a row each.
    assert.match(await frame.locator('#sl-meta').innerText(), /single run · 600[,.\u202f\u00a0]?000 rows/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
