// Issue 4 (and 9: one summary per sweep table): the Problems panel lists the sweep's tokens-per-parameter finding.
export const title = 'Problems panel lists the ratio finding of a sweep table';

export default async function ({ wb, shot, assert }) {
  await wb.openFile('sweeps/chinchilla_sweep.csv');
  const rows = await wb.waitUntil('ratio warnings in Problems', async () => {
    const r = await wb.problems();
    return r.some((x) => /Tokens per parameter/.test(x.text)) ? r : undefined;
  }, 90_000);
  const hit = rows.find((x) => /Tokens per parameter/.test(x.text));
  assert.match(hit.text, /Chinchilla/);
  assert.equal(rows.filter((x) => /Tokens per parameter/.test(x.text)).length, 1, 'one ratio finding for the whole sweep');
  assert.match(await wb.statusBarProblems(), /Infos?: \d+|Problems/);
  await shot('problems-panel');
}
