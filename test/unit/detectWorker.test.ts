// The log index's detection runs in a small worker of its own (dist/detectWorker.js), not in the log
// worker: that one runs an analysis to its end before the next request, so a log created while a long
// fit ran got its "Fit Scaling Law" menu only when the fit ended (a UI scenario waited 60 s for it).
// These run the real worker entry (out/src/extension/detectWorker.js) through the host the extension uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectLogFiles } from '../../src/core/detectLogs';
import { DETECT_BATCH, DetectWorkerHost } from '../../src/extension/detectWorkerHost';
import { tmpDir } from './tmpUtil';

const SCRIPT = path.join(__dirname, '..', '..', 'src', 'extension', 'detectWorker.js');
const dir = tmpDir('sl-detectworker-');
const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');

test('the worker gives the in-process answer (one definition of "is a log"), in order, across batches', async () => {
  // Real logs and tables from the fixtures, and plain tables and text that are no logs, interleaved
  // past two batches.
  const real = fs.readdirSync(fixtures).filter((f) => /\.(csv|jsonl|log|txt|json)(\.gz)?$/.test(f)).slice(0, 60).map((f) => path.join(fixtures, f));
  const others: string[] = [];
  for (let i = 0; i < 120; i++) {
    const p = path.join(dir, i % 2 ? `people${i}.csv` : `notes${i}.txt`);
    fs.writeFileSync(p, i % 2 ? 'name,city\nada,london\nalan,wilmslow\n' : 'shopping list\n- milk\n');
    others.push(p);
  }
  const files = real.flatMap((f, i) => [f, others[2 * i], others[2 * i + 1]]);
  assert.ok(files.length > 2 * DETECT_BATCH, `${files.length} files`);
  const inProcess = await detectLogFiles(files);
  assert.ok(inProcess.length >= 20 && inProcess.length < real.length + 1, `${inProcess.length} logs`);
  const host = new DetectWorkerHost(SCRIPT);
  try {
    assert.deepEqual(await host.detect(files), inProcess);
    assert.deepEqual(await host.detect([]), []);
  } finally {
    host.dispose();
  }
});

test('a batch over its time budget is judged again file by file; a file over it alone is not taken for a log, and said so', async () => {
  const log = path.join(dir, 'metrics.csv');
  fs.writeFileSync(log, 'step,train/loss,lr\n1,3.2,1e-4\n2,3.1,2e-4\n3,3.0,3e-4\n');
  const warned: string[] = [];
  const slow = new DetectWorkerHost(SCRIPT, 1, (m) => warned.push(m)); // 1 ms: no worker starts that fast
  try {
    assert.deepEqual(await slow.detect([log, path.join(dir, 'people1.csv')]), []);
    // Each file was asked alone after the batch ran out, and each is named.
    assert.equal(warned.length, 2);
    assert.match(warned[0], /metrics\.csv: not judged as a log \(its detection took over 0\.001 s\)/);
  } finally {
    slow.dispose();
  }
  const host = new DetectWorkerHost(SCRIPT);
  try {
    assert.deepEqual(await host.detect([log, path.join(dir, 'people1.csv')]), [log]);
  } finally {
    host.dispose();
  }
  // Disposed: nothing is judged, nothing hangs.
  assert.deepEqual(await host.detect([log]), []);
});
