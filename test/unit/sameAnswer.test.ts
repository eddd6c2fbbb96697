// One pipeline, one answer: `scaling-lens fit --json` and the extension's worker (the real worker
// thread, out/src/extension/worker.js, fed the options the editor builds from default settings) give
// the same analysis for every fixture and sample, and the same error for files that are not logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import type { FromWorker, ToWorker } from '../../src/extension/workerProtocol';
import type { LogState } from '../../src/protocol';
import type { Problem } from '../../src/core/dataset';
import type { EvalRole } from '../../src/core/evals/read';
import type { ColumnRole } from '../../src/core/logs/types';
import { tmpDir } from './tmpUtil';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(__dirname, '..', '..', 'src', 'cli.js');
const WORKER = join(__dirname, '..', '..', 'src', 'extension', 'worker.js');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The two cases the issue names, written fresh: a `step,flops,loss` run, and a sweep of one model size. */
function syntheticFiles(): string[] {
  const dir = tmpDir('sl-same-');
  const run = ['step,flops,loss'];
  for (let s = 1; s <= 300; s++) run.push(`${s},${s * 6e15},${(2 + 300 / Math.pow(s * 1e6, 0.3)).toFixed(6)}`);
  writeFileSync(join(dir, 'step_flops_loss.csv'), run.join('\n') + '\n');
  const sweep = ['run,params,tokens,loss'];
  [1e9, 2e9, 4e9, 8e9, 16e9, 32e9].forEach((D, i) => sweep.push(`r${i},125000000,${D},${(1.9 + 400 / Math.pow(D, 0.28)).toFixed(6)}`));
  writeFileSync(join(dir, 'one_size_sweep.csv'), sweep.join('\n') + '\n');
  return [join(dir, 'step_flops_loss.csv'), join(dir, 'one_size_sweep.csv')];
}

const OPTIONS: AnalyzeOptions = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20 };

function viaCli(file: string): { json?: Record<string, unknown>; error?: string } {
  const r = spawnSync(process.execPath, [CLI, 'fit', file, '--json', '--bootstrap', '20'], { encoding: 'utf8' });
  if (r.stdout.trim()) return { json: JSON.parse(r.stdout) as Record<string, unknown> };
  return { error: r.stderr.replace(/^scaling-lens fit: /, '').trim() };
}

class WorkerClient {
  private readonly w = new Worker(WORKER);
  private id = 1;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  constructor() {
    this.w.on('message', (m: FromWorker) => {
      if (m.type === 'result' || m.type === 'error') this.waiting.get(m.id)?.(m);
    });
  }
  run(file: string, options = OPTIONS, flag = new SharedArrayBuffer(4), evalRoleOverrides?: Record<string, EvalRole>, roleOverrides: Record<string, ColumnRole> = {}): Promise<Extract<FromWorker, { type: 'result' | 'error' }>> {
    const id = this.id++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (m: FromWorker) => void);
      this.w.postMessage({ type: 'analyze', id, file, options, roleOverrides, evalRoleOverrides, cancelFlag: flag } satisfies ToWorker);
    });
  }
  close(): Promise<number> {
    return this.w.terminate();
  }
}

/** Each file through the CLI and the worker: the same JSON, or the same one-line error. Returns how many were analysed. */
async function sameEverywhere(files: string[], base: string): Promise<number> {
  const worker = new WorkerClient();
  let analysed = 0;
  try {
    for (const file of files) {
      const name = relative(base, file);
      const cli = viaCli(file);
      const w = await worker.run(file);
      if (w.type === 'error') {
        assert.ok(cli.error, `${name}: the worker failed (${w.message}) but the CLI did not`);
        assert.equal(cli.error, w.message.split('\n')[0], name);
        continue;
      }
      assert.ok(cli.json, `${name}: the worker analysed it but the CLI failed: ${cli.error}`);
      const fromWorker = JSON.parse(JSON.stringify(fitToJson(w.state as LogState, { findings: w.findings as Problem[] }))) as Record<string, unknown>;
      assert.deepEqual(cli.json, fromWorker, name);
      analysed++;
    }
  } finally {
    await worker.close();
  }
  return analysed;
}

test('the CLI and the worker give the same analysis for every fixture, sample and the two synthetic cases', async () => {
  const files = [...filesUnder(join(ROOT, 'test', 'fixtures')), ...filesUnder(join(ROOT, 'samples')), ...syntheticFiles()]
    .filter((f) => !/\.md$/.test(f));
  const analysed = await sameEverywhere(files, ROOT);
  assert.ok(analysed >= 10, `only ${analysed} files analysed`);
});

test('the CLI and the worker give the same analysis for every gzipped fixture, uncompressed (the real consoles: fairseq, Megatron, OLMo, Trainer, nanochat, llm.c…)', async () => {
  const dir = tmpDir('sl-same-gz-');
  const files = filesUnder(join(ROOT, 'test', 'fixtures')).filter((f) => f.endsWith('.gz')).map((f) => {
    const out = join(dir, relative(join(ROOT, 'test', 'fixtures'), f).replace(/[\\/]/g, '_').replace(/\.gz$/, ''));
    writeFileSync(out, gunzipSync(readFileSync(f)));
    return out;
  });
  assert.ok(files.length >= 15, `${files.length} gzipped fixtures`);
  const analysed = await sameEverywhere(files, dir);
  assert.ok(analysed >= 12, `only ${analysed} files analysed`);
});

test('a growing log: the worker, reading only the appended lines, gives the CLI\'s answer after each append', async () => {
  const file = join(tmpDir('sl-grow-'), 'metrics.csv');
  const rows = (from: number, to: number) => {
    let out = '';
    for (let s = from; s < to; s++) out += `${s},${s * 524288},${(1.9 + 300 / Math.pow(s * 524288, 0.3)).toFixed(6)}\n`;
    return out;
  };
  writeFileSync(file, 'step,tokens,loss\n' + rows(1, 2000));
  const worker = new WorkerClient();
  try {
    // Appended rows, then a restart, then a line still being written, then that line completed.
    for (const more of ['', rows(2000, 2600), rows(2400, 2700), rows(2700, 2750) + '2750,14417', '92000,2.31\n']) {
      if (more) writeFileSync(file, more, { flag: 'a' });
      const w = await worker.run(file);
      assert.equal(w.type, 'result', w.type === 'error' ? w.message : '');
      if (w.type !== 'result') return;
      const fromWorker = JSON.parse(JSON.stringify(fitToJson(w.state as LogState, { findings: w.findings as Problem[] }))) as Record<string, unknown>;
      assert.deepEqual(viaCli(file).json, fromWorker, `after appending ${more.length} bytes`);
    }
  } finally {
    await worker.close();
  }
});

test('the default axis and law: a step,flops,loss run is fitted against FLOPs; a one-size sweep with the run law', () => {
  const [run, sweep] = syntheticFiles();
  const r = viaCli(run).json!;
  assert.equal(r.xKind, 'flops');
  assert.equal(r.law, 'run');
  const s = viaCli(sweep).json!;
  assert.equal(s.kind, 'sweep');
  assert.equal(s.law, 'run');
  assert.ok((s.messages as string[]).some((m) => /one model size/.test(m)), JSON.stringify(s.messages));
  assert.equal(s.xKind, 'tokens');
});

test('cancelling one analysis in the worker does not fail another', async () => {
  const worker = new WorkerClient();
  try {
    const flag = new SharedArrayBuffer(4);
    const slow = { ...OPTIONS, bootstrap: 5000 };
    const big = join(ROOT, 'test', 'fixtures', 'chinchilla_svg_extracted.csv');
    const first = worker.run(big, slow, flag);
    const second = worker.run(join(ROOT, 'test', 'fixtures', 'lightning_metrics.csv'));
    setTimeout(() => Atomics.store(new Int32Array(flag), 0, 1), 300);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.type, 'error');
    assert.ok(a.type === 'error' && a.cancelled, JSON.stringify(a));
    assert.equal(b.type, 'result', JSON.stringify(b).slice(0, 300));
  } finally {
    await worker.close();
  }
});

test('eval files: the roles set in the editor (scalingLens.evalColumnRoles) reach the eval reader as the CLI\'s --role does', async () => {
  // Columns named so that nothing can be inferred: without the roles this is not an eval table.
  const file = join(tmpDir('sl-evalroles-'), 'results.csv');
  const lines = ['q,s,v'];
  for (let p = 0; p < 12; p++) for (let a = 0; a < 8; a++) lines.push(`p${p},${a},${(p * 7 + a * 3) % 10 < p % 5 + 2 ? 1 : 0}`);
  writeFileSync(file, lines.join('\n') + '\n');
  const roles: Record<string, EvalRole> = { q: 'problem', s: 'attempt', v: 'correct' };
  const r = spawnSync(process.execPath, [CLI, 'fit', file, '--json', '--bootstrap', '20', '--role', 'q=problem', '--role', 's=attempt', '--role', 'v=correct'], { encoding: 'utf8' });
  assert.ok(r.stdout.trim(), r.stderr);
  const cli = JSON.parse(r.stdout) as Record<string, unknown>;
  const worker = new WorkerClient();
  try {
    const w = await worker.run(file, OPTIONS, new SharedArrayBuffer(4), roles);
    assert.equal(w.type, 'result', w.type === 'error' ? w.message : '');
    if (w.type !== 'result') return;
    assert.equal((w.state as LogState).logKind, 'eval');
    const fromWorker = JSON.parse(JSON.stringify(fitToJson(w.state as LogState, { findings: w.findings as Problem[] }))) as Record<string, unknown>;
    assert.deepEqual(cli, fromWorker);
    const plain = await worker.run(file);
    assert.ok(plain.type === 'error' || (plain.state as LogState).logKind !== 'eval', 'without the roles the table is not read as eval results');
  } finally {
    await worker.close();
  }
});

test('log columns: a loss column read as text says why, and the role set in the editor (scalingLens.columnRoles) reads it as the CLI\'s --role does', async () => {
  // Two cells in three are hexadecimal literals: the column named loss is read as text.
  const file = join(tmpDir('sl-logroles-'), 'hexloss.csv');
  const lines = ['step,loss'];
  for (let s = 1; s < 200; s++) lines.push(`${s},${s % 3 === 0 ? (4 * s ** -0.1).toFixed(4) : '0x3'}`);
  writeFileSync(file, lines.join('\n') + '\n');
  const error = String(viaCli(file).json?.error);
  assert.match(error, /no loss series found/);
  assert.match(error, /"loss": name 'loss' says training loss, but 1\d\d of 199 sampled cells hold text, e\.g\. '0x3'\. Set its role to loss with "Scaling Lens: Set Column Role…"/);
  const r = spawnSync(process.execPath, [CLI, 'fit', file, '--json', '--bootstrap', '20', '--role', 'loss=loss'], { encoding: 'utf8' });
  assert.ok(r.stdout.trim(), r.stderr);
  const cli = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(cli.series, 'loss');
  assert.equal(typeof cli.n, 'number');
  const findings = cli.findings as { line: number; message: string }[];
  assert.ok(findings.some((f) => f.line === 2 && /'0x3'/.test(f.message)), 'each text cell is named by its line');
  const worker = new WorkerClient();
  try {
    const w = await worker.run(file, OPTIONS, new SharedArrayBuffer(4), undefined, { loss: 'loss' });
    assert.equal(w.type, 'result', w.type === 'error' ? w.message : '');
    if (w.type !== 'result') return;
    const fromWorker = JSON.parse(JSON.stringify(fitToJson(w.state as LogState, { findings: w.findings as Problem[] }))) as Record<string, unknown>;
    assert.deepEqual(cli, fromWorker);
  } finally {
    await worker.close();
  }
});
