import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { MaxWaitDebounce } from '../../src/core/debounce';

/** Mocked setTimeout and our own clock, advanced together in 100 ms steps. */
function clock(t: TestContext): { now: () => number; advance: (ms: number) => void } {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let ms = 0;
  return {
    now: () => ms,
    advance: (by: number) => {
      for (let k = 0; k < by; k += 100) { ms += 100; t.mock.timers.tick(100); }
    },
  };
}

test('live refit debounce: a file changing every second is still refitted at the maximum wait', (t) => {
  const c = clock(t);
  const fired: number[] = [];
  const d = new MaxWaitDebounce(() => fired.push(c.now()), () => ({ delayMs: 1500, maxWaitMs: 10000 }), c.now);
  // A run appending every second for 25 s: a plain trailing debounce would never fire.
  for (let s = 0; s < 25; s++) {
    d.poke();
    c.advance(1000);
  }
  assert.deepEqual(fired, [10000, 20000]);
  // The appends stop: one more refit after the quiet period.
  c.advance(1500);
  assert.deepEqual(fired, [10000, 20000, 25500]);
  assert.equal(d.pending, false);
});

test('live refit debounce: quiet changes fire after the delay; no maximum when it is 0; cancel drops a pending refit', (t) => {
  const c = clock(t);
  let n = 0;
  const d = new MaxWaitDebounce(() => n++, () => ({ delayMs: 500, maxWaitMs: 0 }), c.now);
  for (let s = 0; s < 20; s++) { d.poke(); c.advance(300); }
  assert.equal(n, 0);
  c.advance(200);
  assert.equal(n, 1);
  d.poke();
  d.cancel();
  c.advance(5000);
  assert.equal(n, 1);
});
