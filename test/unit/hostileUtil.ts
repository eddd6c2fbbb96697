/** Helpers shared by the hostile-input tests (not a test file itself). */
import assert from 'node:assert/strict';

/** Milliseconds `f` takes (best of `n` runs, so a busy machine's pauses count less). */
export function ms(f: () => void, n = 3): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/**
 * Linear, not quadratic: 16× the input must cost well under 256× the time (quadratic). The bound
 * is 64× plus 100 ms, generous enough for a busy 2-core machine, far below a quadratic's cost.
 */
export function assertLinear(name: string, run: (size: number) => void, size: number): void {
  run(size); // warm up the JIT
  // A busy machine only ever makes a run slower, so one slow pair of timings is retried (up to three
  // pairs): a quadratic cost fails every time, a pause on a shared machine (a CI failure at load 10:
  // 1.1 ms at 50,000, 187 ms at 800,000 blank lines that time 6 and 22 ms alone) does not.
  let said = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const t1 = ms(() => run(size));
    const t16 = ms(() => run(16 * size), 2);
    if (t16 < 64 * t1 + 100) return;
    said += `${said ? '; ' : ''}${t1.toFixed(1)} ms at ${size}, ${t16.toFixed(1)} ms at ${16 * size}`;
  }
  assert.fail(`${name}: ${said} (quadratic?)`);
}

