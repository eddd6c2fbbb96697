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
  const t1 = ms(() => run(size));
  const t16 = ms(() => run(16 * size), 2);
  assert.ok(t16 < 64 * t1 + 100, `${name}: ${t1.toFixed(1)} ms at ${size}, ${t16.toFixed(1)} ms at ${16 * size} (quadratic?)`);
}

