// Config hovers, code actions and diagnostics read configs in a worker of their own (issue 10: a YAML
// alias bomb analysed on the extension host's thread froze the editor). These run the real worker
// entry (out/src/extension/configWorker.js) through the host class the extension uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeConfig } from '../../src/core/config';
import { ConfigWorkerHost } from '../../src/extension/configWorkerHost';

const SCRIPT = join(__dirname, '..', '..', 'src', 'extension', 'configWorker.js');
const NANO = 'n_layer = 12\nn_head = 12\nn_embd = 768\nmax_iters = 100\nbatch_size = 12\n';

/** A big but ordinary YAML file (about 250 KB): its parse takes a few hundred ms. */
function bigYaml(): string {
  let s = 'model:\n  n_layer: 12\n  d_model: 768\n  vocab_size: 50257\ntrain:\n  max_steps: 1000\n  seq_len: 1024\n';
  for (let i = 0; s.length < 250_000; i++) s += `k${i}:\n  a: 1\n  b: [1, 2]\n`;
  return s;
}

test('the worker gives the same analysis as the core in-process (one pipeline)', async () => {
  const host = new ConfigWorkerHost(SCRIPT);
  try {
    const r = await host.analyze(NANO, 'train.py', {});
    assert.deepEqual(r.analysis, analyzeConfig(NANO, 'train.py', {}));
    assert.equal(r.analysis?.params?.total, 124_373_760);
    assert.equal((await host.analyze('not: a config\n', 'x.yaml', {})).analysis, undefined);
  } finally {
    host.dispose();
  }
});

test('the calling thread keeps running while the worker reads a big config', async () => {
  const host = new ConfigWorkerHost(SCRIPT);
  try {
    await host.analyze(NANO, 'train.py', {}); // worker started and warm
    const text = bigYaml();
    let ticks = 0;
    let worstGap = 0;
    let last = performance.now();
    const timer = setInterval(() => { const now = performance.now(); worstGap = Math.max(worstGap, now - last); last = now; ticks++; }, 5);
    const t = performance.now();
    const r = await host.analyze(text, 'big.yaml', {});
    const took = performance.now() - t;
    clearInterval(timer);
    assert.equal(r.timedOut, undefined);
    assert.ok(r.analysis?.params, 'analysed');
    // In-process, this thread would be blocked for the whole analysis; here it ticks throughout.
    assert.ok(ticks >= 3 && worstGap < Math.max(250, took / 2), `${ticks} ticks, worst gap ${worstGap.toFixed(0)} ms in ${took.toFixed(0)} ms`);
  } finally {
    host.dispose();
  }
});

test('a config over its time budget is stopped alone: it answers timedOut and the next request is analysed', async () => {
  const host = new ConfigWorkerHost(SCRIPT, 1); // 1 ms: no real analysis fits
  const queued = host.analyze(bigYaml(), 'big.yaml', {});
  const after = host.analyze(NANO, 'train.py', {});
  const r = await queued;
  assert.equal(r.timedOut, true);
  assert.equal(r.analysis, undefined);
  // The one behind it ran in a fresh worker (and may run out of its 1 ms too, but it is answered).
  const r2 = await after;
  assert.ok(r2.timedOut === true || r2.analysis?.params, JSON.stringify(r2).slice(0, 200));
  host.dispose();
  const roomy = new ConfigWorkerHost(SCRIPT);
  try {
    const slow = roomy.analyze(bigYaml(), 'big.yaml', {});
    const quick = roomy.analyze(NANO, 'train.py', {});
    assert.equal((await quick).analysis?.params?.total, 124_373_760);
    assert.ok((await slow).analysis);
  } finally {
    roomy.dispose();
  }
});
