// The log worker runs one analysis to its end before it reads its next message, so runs requests (the
// Runs view's discovery, the compare panel's curves and fits, a split) sent to it waited for any fit in
// progress: a discovery of one small run folder waited up to 9 s behind a sweep of 150,000 rows. They now
// have a worker of their own. These run the real worker entry through the host class the extension uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { WorkerHost } from '../../src/extension/workerHost';
import { coreCount } from '../../src/core/cores';
import { tmpDir } from './tmpUtil';
import { bigSweep } from '../helpers/sweeps';

const repo = join(__dirname, '..', '..', '..');

/** A folder laid out as the extension is (dist/worker.js: here the compiled worker entry of this build). */
function extensionFolder(): string {
  const ext = tmpDir('sl-workerhost-');
  mkdirSync(join(ext, 'dist'));
  writeFileSync(join(ext, 'dist', 'worker.js'), `require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'extension', 'worker.js'))});\n`);
  return ext;
}

/**
 * Starts the analysis of `file` and resolves once it is under way (its first progress report), with
 * the analysis' own promise, which pushes `name` to `order` when it ends.
 */
async function underWay(host: WorkerHost, file: string, order: string[], name: string): Promise<{ done: ReturnType<WorkerHost['analyze']> }> {
  let started = false;
  const done = host.analyze({ file, options: { ...DEFAULT_ANALYZE_OPTIONS }, roleOverrides: {} }, undefined, () => { started = true; })
    .then((r) => { order.push(name); return r; });
  while (!started) await new Promise((r) => setTimeout(r, 20));
  return { done };
}

test('a runs request is answered while a long analysis runs (its own worker), and the analysis still ends with its result', async () => {
  const ext = extensionFolder();
  const sweep = join(ext, 'big_sweep.csv');
  writeFileSync(sweep, bigSweep(150_000));
  const runs = join(ext, 'runs', 'r1');
  mkdirSync(runs, { recursive: true });
  copyFileSync(join(repo, 'samples', 'runs', 'lightning-slm', 'metrics.csv'), join(runs, 'metrics.csv'));
  const warned: string[] = [];
  const log = { warn: (m: string) => warned.push(m), error: (m: string) => warned.push(m) };
  const host = new WorkerHost(ext, log as never);
  try {
    const order: string[] = [];
    // Asked once the analysis is under way.
    const { done: analysis } = await underWay(host, sweep, order, 'analysis');
    const found = await host.runs({ type: 'runs.discover', root: join(ext, 'runs'), tokensPerStep: 0 });
    order.push('runs');
    const r = await analysis;
    assert.deepEqual(order, ['runs', 'analysis']);
    assert.equal(found.runs.length, 1);
    assert.equal(r.state.fit?.law, 'chinchilla');
    assert.deepEqual(warned, []);
  } finally {
    host.dispose();
  }
});

test('a second analysis runs beside a long one (two workers on two cores): a small log opened during a big fit is not kept waiting', async (t) => {
  if (coreCount() < 2) { t.skip('one core: one analysis worker'); return; }
  const ext = extensionFolder();
  const sweep = join(ext, 'big_sweep.csv');
  writeFileSync(sweep, bigSweep(150_000));
  const small = join(ext, 'metrics.csv');
  copyFileSync(join(repo, 'samples', 'runs', 'lightning-slm', 'metrics.csv'), small);
  const host = new WorkerHost(ext, { warn: () => {}, error: () => {} } as never);
  try {
    const order: string[] = [];
    const { done: big } = await underWay(host, sweep, order, 'sweep');
    const one = await host.analyze({ file: small, options: { ...DEFAULT_ANALYZE_OPTIONS }, roleOverrides: {} });
    order.push('small');
    // The same file again keeps to its worker (its parsed log and last fit are reused there).
    const again = await host.analyze({ file: small, options: { ...DEFAULT_ANALYZE_OPTIONS }, roleOverrides: {} });
    order.push('small again');
    const r = await big;
    assert.deepEqual(order, ['small', 'small again', 'sweep']);
    assert.equal(r.state.fit?.law, 'chinchilla');
    assert.ok(one.state.fit, 'the small log fitted');
    // (Its refit starts from the first one's optimum, which only that worker holds, and lands on the same fit.)
    const { work: w1, ...fit1 } = one.state.fit!;
    const { work: w2, ...fit2 } = again.state.fit!;
    assert.equal(w1?.warmStarted, 0);
    assert.ok(w2 && w2.warmStarted > 0 && w2.evaluations < w1!.evaluations, `warm-started ${w2?.warmStarted}, evaluations ${w1?.evaluations} → ${w2?.evaluations}`);
    assert.deepEqual(fit2, fit1);
  } finally {
    host.dispose();
  }
});
