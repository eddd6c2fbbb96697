// Issue 4: the Problems panel lists the tokens-per-parameter warnings of the sweep table.
export const title = 'Problems panel lists the ratio warnings of a sweep table';

export default async function ({ wb, shot, assert }) {
  await wb.openFile('sweeps/chinchilla_sweep.csv');
  const rows = await wb.waitUntil('ratio warnings in Problems', async () => {
    const r = await wb.problems();
    return r.some((x) => /Tokens per parameter/.test(x.text)) ? r : undefined;
  }, 90_000);
  const hit = rows.find((x) => /Tokens per parameter/.test(x.text));
  assert.match(hit.text, /Chinchilla/);
  assert.match(await wb.statusBarProblems(), /Warnings?: \d+/);
  await shot('problems-panel');
}
