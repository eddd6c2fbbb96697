// Log-layer benchmark: generates (once, cached in .bench/) a training-log CSV and JSONL of the
// given size, parses each in a child process (so its peak RSS is its own), and prints MB/s, peak
// RSS, and ratios against `wc -l` and pandas (Debian's /usr/bin/python3) on the same files.
//   node bench/logs.mjs [--size-mb 1024] [--repeat 2]      (npm run bench compiles out/ first)
// Each parser runs `repeat` times, alternating with the reference; the best time of each is shown
// (the machine may be shared), the peak RSS is the highest seen.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argi = process.argv.indexOf('--size-mb');
const sizeMb = argi > 0 ? Number(process.argv[argi + 1]) : 1024;
const repi = process.argv.indexOf('--repeat');
const repeat = repi > 0 ? Math.max(1, Number(process.argv[repi + 1]) | 0) : 2;
if (!(sizeMb > 0)) { console.error('bench/logs.mjs: --size-mb needs a positive number'); process.exit(2); }
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });

if (!existsSync(join(root, 'out/src/core/logs/index.js'))) {
  console.error('bench/logs.mjs: out/ is missing; run `npm run bench` (it compiles first)');
  process.exit(2);
}
// Deterministic pseudo-random numbers: the core's seeded generator.
const { mulberry32: rng } = createRequire(import.meta.url)(join(root, 'out/src/core/fit/rng.js'));

/** Rows like a PyTorch trainer's CSV/JSONL logger writes them (Python float repr, val every 100 steps). */
function* rows() {
  const r = rng(42);
  const tokensPerStep = 524288;
  for (let step = 1; ; step++) {
    const tokens = step * tokensPerStep;
    const loss = 1.8 + 400 / Math.pow(tokens, 0.3) + (r() - 0.5) * 0.05;
    const val = step % 100 === 0 ? loss + 0.02 + (r() - 0.5) * 0.01 : NaN;
    yield {
      step, epoch: step / 50000, tokens, 'train/loss': loss, 'val/loss': val,
      lr: 3e-4 * Math.min(1, step / 2000) * (0.1 + 0.9 * Math.exp(-step / 1e6)),
      grad_norm: 0.2 + r() * 1.5, tokens_per_sec: 150000 + r() * 20000, mfu: 0.35 + r() * 0.1,
      elapsed_s: step * 3.4 + r(), gpu_mem_gb: 61 + r() * 2, loss_scale: 65536,
    };
  }
}
const KEYS = ['step', 'epoch', 'tokens', 'train/loss', 'val/loss', 'lr', 'grad_norm', 'tokens_per_sec', 'mfu', 'elapsed_s', 'gpu_mem_gb', 'loss_scale'];

async function generate(file, kind) {
  if (existsSync(file)) return;
  const target = sizeMb * 1024 * 1024;
  const tmp = file + '.part';
  const out = createWriteStream(tmp);
  let written = 0;
  let buf = kind === 'csv' ? KEYS.join(',') + '\n' : '';
  for (const row of rows()) {
    if (kind === 'csv') buf += KEYS.map((k) => (Number.isNaN(row[k]) ? '' : String(row[k]))).join(',') + '\n';
    else {
      const o = {};
      for (const k of KEYS) if (!Number.isNaN(row[k])) o[k] = row[k];
      buf += JSON.stringify(o) + '\n';
    }
    if (buf.length > 1 << 20) {
      written += buf.length;
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
      if (written >= target) break;
    }
  }
  await new Promise((res) => out.end(buf, res));
  renameSync(tmp, file);
}

function run(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) return { ok: false, ms, err: (r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0] };
  return { ok: true, ms, out: r.stdout };
}

const child = `
const { parseLogFile } = require(${JSON.stringify(join(root, 'out/src/core/logs/index.js'))});
const t = process.hrtime.bigint();
parseLogFile(process.argv[1]).then((log) => {
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(JSON.stringify({ ms, rows: log.rows, kept: Object.keys(log.data), problems: log.problems.length, maxRSSkB: process.resourceUsage().maxRSS }));
}, (e) => { console.error(e.message); process.exit(1); });`;

const mb = (f) => statSync(f).size / (1024 * 1024);
const fmt = (x, d = 1) => x.toFixed(d);

const files = { csv: join(dir, `train_log_${sizeMb}mb.csv`), jsonl: join(dir, `train_log_${sizeMb}mb.jsonl`) };
for (const [kind, file] of Object.entries(files)) {
  const t = Date.now();
  const had = existsSync(file);
  await generate(file, kind);
  if (!had) console.log(`generated ${file} (${fmt(mb(file))} MB) in ${fmt((Date.now() - t) / 1000)} s`);
}
const havePandas = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
for (const [kind, file] of Object.entries(files)) {
  const size = mb(file);
  console.log(`\n${kind.toUpperCase()}: ${file} — ${fmt(size)} MB`);
  const wc = run('wc', ['-l', file]);
  const lines = wc.ok ? Number(wc.out.trim().split(/\s+/)[0]) : NaN;
  console.log(`  wc -l            ${fmt(wc.ms / 1000, 2)} s  ${fmt(size / (wc.ms / 1000))} MB/s  (${lines} lines, ${fmt(size * 1024 * 1024 / lines, 0)} bytes/line)`);
  const best = (a, b) => (!a ? b : { ...b, ms: Math.min(a.ms, b.ms), maxRSSkB: Math.max(a.maxRSSkB, b.maxRSSkB) });
  let o, p, failed = '';
  for (let r = 0; r < repeat && !failed; r++) {
    const ours = run(process.execPath, ['-e', child, file]);
    if (!ours.ok) { failed = `scaling-lens failed: ${ours.err}`; break; }
    o = best(o, JSON.parse(ours.out));
    if (!havePandas) continue;
    const pd = run('/usr/bin/python3', [join(root, 'bench/_pandas_read.py'), file, kind]);
    if (!pd.ok) { failed = `pandas failed: ${pd.err}`; break; }
    p = best(p, JSON.parse(pd.out));
  }
  if (!o) { console.log(`  ${failed}`); continue; }
  console.log(`  scaling-lens     ${fmt(o.ms / 1000, 2)} s  ${fmt(size / (o.ms / 1000))} MB/s  peak RSS ${fmt(o.maxRSSkB / 1024, 0)} MB  (best of ${repeat}; ${o.rows} rows kept; columns kept: ${o.kept.join(', ')})`);
  console.log(`                   ${fmt(o.ms / wc.ms, 1)}× the time of wc -l`);
  if (failed) console.log(`  ${failed}`);
  if (!havePandas) { console.log('  pandas           not available (/usr/bin/python3 without pandas)'); continue; }
  if (!p) continue;
  const what = kind === 'csv' ? 'pandas.read_csv' : 'pandas.read_json(lines=True, chunksize=200000)';
  console.log(`  ${what}: ${fmt(p.ms / 1000, 2)} s  ${fmt(size / (p.ms / 1000))} MB/s  peak RSS ${fmt(p.maxRSSkB / 1024, 0)} MB  (${p.rows} rows)`);
  console.log(`                   scaling-lens is ${fmt(p.ms / o.ms, 2)}× the speed of pandas (>1 = faster), ${fmt(o.maxRSSkB / p.maxRSSkB, 2)}× its peak RSS`);
}
