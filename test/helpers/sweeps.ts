/**
 * A big generated sweep table for the tests that need a long analysis (UI scenario 46, the extension-host
 * test of detection during a fit, workerHost.test.ts): `rows` runs on a grid of 40 model sizes × 60 token
 * counts, their loss a Chinchilla-shaped law with ±1% seeded noise. Fitting 150,000 rows takes the log
 * worker many seconds (its fits and bootstrap).
 */
export function bigSweep(rows: number, seed = 7): string {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const lines = ['params,tokens,loss'];
  for (let i = 0; i < rows; i++) {
    const n = 1e7 * Math.pow(10, (3 * Math.floor(rnd() * 40)) / 40);
    const d = 1e9 * Math.pow(10, (3 * Math.floor(rnd() * 60)) / 60) * (1 + 1e-4 * rnd());
    lines.push(`${n.toPrecision(6)},${d.toPrecision(8)},${((1.8 + 480 / n ** 0.34 + 2000 / d ** 0.37) * (1 + 0.02 * (rnd() - 0.5))).toFixed(5)}`);
  }
  return lines.join('\n') + '\n';
}
