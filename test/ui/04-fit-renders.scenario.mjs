// Fitting each kind of sample log ends with a drawn chart, not an error: the panel's webview
// sets body[data-rendered="true"] once it has painted, and no Scaling Lens error toast appears.
export const title = 'Fit Scaling Law on each sample log draws a chart without an error';

const LOGS = [
  'sweeps/chinchilla_sweep.csv',
  'runs/synthetic-125m/train_log.jsonl',
  'runs/lightning-slm/metrics.csv',
  'runs/hf-trainer/trainer_state.json',
];

export default async function ({ wb, shot, assert }) {
  const problems = [];
  for (const rel of LOGS) {
    await wb.reset();
    const name = rel.split('/').pop();
    const row = await wb.explorerRow(rel);
    await wb.contextMenu(row, 'Fit Scaling Law', { timeout: 60_000 });
    // Wait for either outcome, then judge.
    const outcome = await wb.waitUntil(`${name}: a drawn chart or an error`, async () => {
      const errors = await wb.notifications('Scaling Lens').then((n) => n.filter((x) => x.severity === 'error'));
      if (errors.length) return { error: errors.map((e) => e.text).join(' / ') };
      // The drawn panel of this file: a webview that has painted and names the file (the side
      // view, also a webview, may be showing another log).
      for (let i = 0; i < await wb.webviewCount(); i++) {
        const body = wb.webviewFrame(i).locator('body[data-rendered="true"]');
        if (await body.count() && (await body.innerText()).includes(name)) return { rendered: true };
      }
      return undefined;
    }, 60_000).catch((e) => ({ error: e.message }));
    await shot(name);
    if (!outcome.rendered) problems.push(`${rel}: ${outcome.error}`);
  }
  assert.deepEqual(problems, [], `fits that did not draw:\n  ${problems.join('\n  ')}`);
}
