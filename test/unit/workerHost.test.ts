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
import { tmpDir } from './tmpUtil';
import { bigSweep } from '../helpers/sweeps';

const repo = join(__dirname, '..', '..', '..');

test('a runs request is answered while a long analysis runs (its own worker), and the analysis still ends with its result', async () => {
  const ext = tmpDir('sl-workerhost-');
  // The extension's layout: dist/worker.js (here the compiled worker entry of this build).
  mkdirSync(join(ext, 'dist'));
  writeFileSync(join(ext, 'dist', 'worker.js'), `require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'extension', 'worker.js'))});\n`);
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
    let started = false;
    const analysis = host.analyze({ file: sweep, options: { ...DEFAULT_ANALYZE_OPTIONS }, roleOverrides: {} }, undefined, () => { started = true; })
      .then((r) => { order.push('analysis'); return r; });
    // Asked once the analysis is under way (its first progress report).
    while (!started) await new Promise((r) => setTimeout(r, 20));
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
