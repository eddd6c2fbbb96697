// Live refit benchmark (issue 16 item 1): a training log that grows while it is open.
//  A. A big log (default 1 GB, generated once into .bench/, cached): read whole once through the
//     worker's incremental reader (src/core/logs/incremental.ts), then `--appends` times: append
//     `--append-mb` MB of new rows and read again (only the new bytes are parsed). Printed: the whole
//     read, the median appended read, and a whole re-read of the grown file for the ratio. The file
//     is cut back to its original size at the end. Then one append that ends inside a line (a logger
//     flushing part of a row): only the new bytes are read, the cut line alone by a fork of the reader.
//  B. A run with a cosine LR schedule that grows by 2% of its steps at a time: each grown log is
//     analysed cold and warm-started from the previous fit (the worker does this for a log that only
//     grew), median times and objective evaluations of both, and the largest difference in the
//     prediction between them. Then one pass through the worker's own request handler checks that it
//     warm-starts by itself.
// Prints `uptime`'s load with each figure; the last line is one JSON object with every figure.
//   node bench/live.mjs [--size-mb 1024] [--append-mb 1] [--appends 5] [--refits 5]
import { createRequire } from 'node:module';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, truncateSync, appendFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'out/src/core/logs/incremental.js'))) {
  console.error('bench/live.mjs: out/ is missing; run `npm run bench` (it compiles first)');
  process.exit(2);
}
const { LiveLog } = require(join(root, 'out/src/core/logs/incremental.js'));
const { parseLogFile } = require(join(root, 'out/src/core/logs/index.js'));
const { analyze } = require(join(root, 'out/src/core/pipeline.js'));
const { DEFAULT_ANALYZE_OPTIONS } = require(join(root, 'out/src/core/options.js'));
const { handleAnalyze } = require(join(root, 'out/src/extension/worker.js'));

const arg = (name, d) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const sizeMb = arg('--size-mb', 1024), appendMb = arg('--append-mb', 1);
const appends = Math.max(1, arg('--appends', 5) | 0), refits = Math.max(1, arg('--refits', 5) | 0);
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });
const now = () => performance.now();
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const load = () => os.loadavg()[0];
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const results = [];

// ------------------------------------------------------------------ A. appending to a big log
const HEADER = 'step,tokens,train/loss,val/loss,lr,grad_norm\n';
/** Rows `from`..: a long run's per-step log (tokens, loss with noise, val loss every 100 steps, LR, grad norm). */
function rowsText(from, bytes) {
  let seed = from >>> 0 || 1;
  const r = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  let s = '', step = from;
  while (s.length < bytes) {
    let chunk = '';
    for (let k = 0; k < 1000; k++, step++) {
      const tokens = step * 524288;
      const loss = 1.8 + 400 / Math.pow(tokens, 0.3) + (r() - 0.5) * 0.05;
      chunk += `${step},${tokens},${loss},${step % 100 === 0 ? loss + 0.02 : ''},${3e-4 * Math.min(1, step / 2000) * (0.1 + 0.9 * Math.exp(-step / 1e6))},${0.2 + r()}\n`;
    }
    s += chunk;
  }
  return { text: s, next: step };
}
const big = join(dir, `live_${sizeMb}mb.csv`);
if (!existsSync(big)) {
  const t = now();
  const tmp = big + '.part';
  const out = createWriteStream(tmp);
  out.write(HEADER);
  let written = 0, step = 1;
  while (written < sizeMb * 1024 * 1024) {
    const { text, next } = rowsText(step, 1 << 20);
    step = next;
    written += text.length;
    if (!out.write(text)) await new Promise((res) => out.once('drain', res));
  }
  await new Promise((res) => out.end(res));
  renameSync(tmp, big);
  console.log(`generated ${big} (${fmt(statSync(big).size / 2 ** 20)} MB) in ${fmt((now() - t) / 1000)} s`);
}
const size0 = statSync(big).size;
/** The step after the file's last row (from its tail). */
async function nextStep(file) {
  const fs = await import('node:fs/promises');
  const fh = await fs.open(file, 'r');
  const st = await fh.stat();
  const buf = Buffer.alloc(Math.min(4096, st.size));
  await fh.read(buf, 0, buf.length, st.size - buf.length);
  await fh.close();
  const lines = buf.toString('latin1').trimEnd().split('\n');
  return Number(lines[lines.length - 1].split(',')[0]) + 1;
}
try {
  console.log(`A. ${big}: ${fmt(size0 / 2 ** 20)} MB; append ${appendMb} MB × ${appends}`);
  const live = new LiveLog(big);
  let t = now(), l0 = load();
  const first = await live.read({ threads: 1 });
  const fullMs = now() - t;
  console.log(`  whole read (1 thread)            ${fmt(fullMs / 1000, 2)} s  ${fmt(size0 / 2 ** 20 / (fullMs / 1000), 0)} MB/s  ${first.log.rows} rows  (load ${fmt(l0, 2)})`);
  results.push({ name: 'whole read, 1 thread', seconds: fullMs / 1000, mbPerS: size0 / 2 ** 20 / (fullMs / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: 1, load1: l0 });
  const times = [], loads = [];
  let step = await nextStep(big), parsed = 0, mode = '';
  for (let k = 0; k < appends; k++) {
    const { text, next } = rowsText(step, appendMb * 2 ** 20);
    step = next;
    appendFileSync(big, text);
    loads.push(load());
    t = now();
    const r = await live.read({ threads: 1 });
    times.push(now() - t);
    parsed = r.bytesParsed; mode = r.mode;
  }
  const appendMs = median(times);
  console.log(`  read after appending ${appendMb} MB       ${fmt(appendMs, 1)} ms median of ${appends} (${times.map((x) => fmt(x, 0)).join(', ')} ms; mode ${mode}, ${fmt(parsed / 2 ** 20, 2)} MB parsed; load ${fmt(median(loads), 2)})  goal < 100 ms`);
  const grownMb = statSync(big).size / 2 ** 20;
  l0 = load(); t = now();
  await parseLogFile(big, { threads: 1 });
  const rereadMs = now() - t;
  console.log(`  whole re-read of the grown file  ${fmt(rereadMs / 1000, 2)} s: the appended read takes ${fmt(appendMs / rereadMs * 100, 2)}% of it (load ${fmt(l0, 2)})`);
  results.push({ name: `read after appending ${appendMb} MB`, seconds: appendMs / 1000, mbPerS: parsed / 2 ** 20 / (appendMs / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: appendMs / rereadMs, load1: median(loads), goalMs: 100 });
  results.push({ name: 'whole re-read of the grown file, 1 thread', seconds: rereadMs / 1000, mbPerS: grownMb / (rereadMs / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: 1, load1: l0 });
  // A logger that flushes part of a line: the read takes in the complete lines and reads the cut
  // one alone (the whole read's answer), never the whole file again.
  {
    const { text, next } = rowsText(step, appendMb * 2 ** 20);
    step = next;
    const cut = text.lastIndexOf('\n', text.length - 2) + 12;
    appendFileSync(big, text.slice(0, cut));
    const lp = load();
    t = now();
    const r = await live.read({ threads: 1 });
    const partMs = now() - t;
    appendFileSync(big, text.slice(cut));
    console.log(`  read after appending ${appendMb} MB ending inside a line  ${fmt(partMs, 1)} ms (mode ${r.mode}, ${fmt(r.bytesParsed / 2 ** 20, 2)} MB parsed; load ${fmt(lp, 2)})  goal < 100 ms`);
    results.push({ name: `read after appending ${appendMb} MB ending inside a line`, seconds: partMs / 1000, mbPerS: r.bytesParsed / 2 ** 20 / (partMs / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024, ratio: partMs / rereadMs, load1: lp, goalMs: 100, mode: r.mode });
  }
  // The refit of the big log after the append: cold, and from the previous optimum.
  const opts = DEFAULT_ANALYZE_OPTIONS;
  const log = (await live.read({ threads: 1 })).log;
  const prev = analyze(first.log, opts, {}).state.fit;
  l0 = load(); t = now();
  const cold = analyze(log, opts, {}).state.fit;
  const coldMs = now() - t;
  t = now();
  const warm = analyze(log, opts, { warm: prev }).state.fit;
  const warmMs = now() - t;
  console.log(`  refit of the grown log (${log.rows} rows): cold ${fmt(coldMs, 0)} ms (${cold.work?.evaluations} evaluations), from the previous optimum ${fmt(warmMs, 0)} ms (${warm.work?.evaluations}); prediction ${cold.prediction?.loss} vs ${warm.prediction?.loss} (load ${fmt(l0, 2)})`);
  results.push({ name: `refit of a ${sizeMb} MB log, cold`, seconds: coldMs / 1000, evaluations: cold.work?.evaluations, ratio: 1, load1: l0 });
  results.push({ name: `refit of a ${sizeMb} MB log, from the previous optimum`, seconds: warmMs / 1000, evaluations: warm.work?.evaluations, ratio: warmMs / coldMs, load1: l0 });
} finally {
  truncateSync(big, size0);
}

// ------------------------------------------------------------------ B. a scheduled run that grows
const T = 200000;
function runText(from, to) {
  let s = '';
  let seed = 7 + from;
  const r = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  for (let k = from; k < to; k++) {
    const lr = 3e-4 * (k < 2000 ? k / 2000 : 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * (k - 2000)) / (T - 2000))));
    const loss = 1.8 + 400 / Math.pow(k * 524288, 0.3) - 0.1 * (1 - lr / 3e-4) + (r() - 0.5) * 0.05;
    s += `${k},${k * 524288},${loss.toFixed(5)},${lr.toExponential(4)}\n`;
  }
  return s;
}
const run = join(dir, 'live_run.csv');
let upto = Math.round(0.4 * T);
writeFileSync(run, 'step,tokens,train/loss,lr\n' + runText(1, upto));
console.log(`\nB. ${run}: a ${T}-step cosine-schedule run, from ${upto} steps, growing by ${T / 50} steps ${refits} times`);
const liveRun = new LiveLog(run);
const opts = DEFAULT_ANALYZE_OPTIONS;
let prevFit = analyze((await liveRun.read()).log, opts, {}).state.fit;
const cms = [], wms = [], cev = [], wev = [], ldB = [];
let worst = 0, law = '';
for (let k = 0; k < refits; k++) {
  appendFileSync(run, runText(upto, upto + T / 50));
  upto += T / 50;
  const log = (await liveRun.read()).log;
  ldB.push(load());
  let t = now();
  const cold = analyze(log, opts, {}).state.fit;
  cms.push(now() - t);
  t = now();
  const warm = analyze(log, opts, { warm: prevFit }).state.fit;
  wms.push(now() - t);
  cev.push(cold.work.evaluations); wev.push(warm.work.evaluations);
  worst = Math.max(worst, Math.abs(warm.prediction.loss - cold.prediction.loss) / cold.prediction.loss);
  law = cold.runLaw;
  prevFit = warm;
}
console.log(`  refit cold                       ${fmt(median(cms), 0)} ms median (${cms.map((x) => fmt(x, 0)).join(', ')}), ${median(cev)} objective evaluations (law ${law}; load ${fmt(median(ldB), 2)})`);
console.log(`  refit from the previous optimum  ${fmt(median(wms), 0)} ms median (${wms.map((x) => fmt(x, 0)).join(', ')}), ${median(wev)} evaluations: ${fmt(median(wms) / median(cms), 2)}× the time, ${fmt(median(wev) / median(cev), 2)}× the evaluations`);
console.log(`  largest difference in the predicted loss, warm vs cold: ${(worst * 100).toExponential(2)}%`);
results.push({ name: 'scheduled run refit, cold', seconds: median(cms) / 1000, evaluations: median(cev), ratio: 1, load1: median(ldB) });
results.push({ name: 'scheduled run refit, from the previous optimum', seconds: median(wms) / 1000, evaluations: median(wev), ratio: median(wms) / median(cms), load1: median(ldB), maxRelDiffPrediction: worst });

// The worker's own path: a second request after an append warm-starts by itself.
const replies = [];
const ask = (id) => handleAnalyze({ type: 'analyze', id, file: run, options: opts, roleOverrides: {}, cancelFlag: new SharedArrayBuffer(4) }, (m) => replies.push(m));
await ask(1);
appendFileSync(run, runText(upto, upto + T / 50));
await ask(2);
const last = replies.filter((m) => m.type === 'result').pop();
console.log(`  worker path: the refit after an append started ${last?.state.fit?.work?.warmStarted ?? 0} law(s) from the previous optimum`);

console.log(JSON.stringify({
  bench: 'live', date: new Date().toISOString(),
  machine: { cores: os.availableParallelism?.() ?? os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load1: load() },
  sizeMb, appendMb, appends, refits,
  ratio: 'appended read: its time / a whole re-read; warm refit: its time / the cold refit',
  results,
}));
