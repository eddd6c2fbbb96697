// Log-layer benchmark: generates (once, cached in .bench/) a training-log CSV and JSONL of the
// given size and reads each with this project and its peers, every reader in a child process of its
// own (so its peak RSS is its own), at the same core counts:
//   scaling-lens (parseLogFile, `threads` workers), DuckDB (@duckdb/node-api, `threads`),
//   Polars (nodejs-polars, POLARS_MAX_THREADS), pandas (Debian's python3, one thread), and `wc -l`.
// DuckDB and Polars are installed by this script on first use into .bench/peers (a package.json of
// its own: never the project's dependencies, so `npm ci` and CI do not depend on them); a peer that
// cannot be installed or loaded is reported as missing, not fatal.
//   node bench/logs.mjs [--size-mb 1024] [--repeat 3] [--threads 1,2] [--no-peers] [--baseline OUT_DIR]
// Each reader runs `repeat` times, interleaved with the others (the machine may be shared); the best
// and the median time of each are kept (with the median 1-minute load while it ran), and the highest peak RSS. The last line printed is one JSON object with every
// figure (seconds, MB/s, peak RSS, ratio = the reader's time / ours at the same thread count).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argi = process.argv.indexOf('--size-mb');
const sizeMb = argi > 0 ? Number(process.argv[argi + 1]) : 1024;
const repi = process.argv.indexOf('--repeat');
const repeat = repi > 0 ? Math.max(1, Number(process.argv[repi + 1]) | 0) : 3;
const thi = process.argv.indexOf('--threads');
const threadCounts = (thi > 0 ? process.argv[thi + 1] : '1,2').split(',').map(Number).filter((n) => n >= 1);
const withPeers = !process.argv.includes('--no-peers');
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

function run(cmd, args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: env ? { ...process.env, ...env } : process.env });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) return { ok: false, ms, err: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-1)[0] };
  return { ok: true, ms, out: r.stdout };
}

// ------------------------------------------------------------------------------- the peers
const peersDir = join(dir, 'peers');
const PEER_PACKAGES = ['@duckdb/node-api@1.5.6-r.1', 'nodejs-polars@0.25.2', 'nodejs-polars-linux-x64-gnu@0.25.2'];
/** Installs DuckDB and Polars into .bench/peers once; returns why not when that fails. */
function ensurePeers() {
  const have = (p) => existsSync(join(peersDir, 'node_modules', ...p.split('/')));
  if (have('@duckdb/node-api') && have('nodejs-polars')) return '';
  mkdirSync(peersDir, { recursive: true });
  if (!existsSync(join(peersDir, 'package.json'))) writeFileSync(join(peersDir, 'package.json'), '{ "name": "scaling-lens-bench-peers", "private": true }\n');
  console.log(`installing the peers into ${peersDir}: ${PEER_PACKAGES.join(' ')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...PEER_PACKAGES], { cwd: peersDir, encoding: 'utf8', timeout: 600000 });
  if (r.status !== 0) return `npm install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]}`;
  return '';
}

/** This project's reader from a compiled tree (`out/`, or another build given with --baseline). */
const childOf = (out) => `
const { parseLogFile } = require(${JSON.stringify(join(out, 'src/core/logs/index.js'))});
const t = process.hrtime.bigint();
parseLogFile(process.argv[1], { threads: Number(process.argv[2]) }).then((log) => {
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(JSON.stringify({ ms, rows: log.rows, kept: Object.keys(log.data), problems: log.problems.length, maxRSSkB: process.resourceUsage().maxRSS }));
}, (e) => { console.error(e.message); process.exit(1); });`;
const child = childOf(join(root, 'out'));
// --baseline DIR: also read with the build in DIR (an `out/` compiled from another commit, inside a
// checkout with node_modules), as 'baseline': before/after figures from the same run.
const basei = process.argv.indexOf('--baseline');
const baseline = basei > 0 ? process.argv[basei + 1] : undefined;
if (baseline && !existsSync(join(baseline, 'src/core/logs/index.js'))) { console.error(`bench/logs.mjs: --baseline ${baseline}: no src/core/logs/index.js there`); process.exit(2); }

const mb = (f) => statSync(f).size / (1024 * 1024);
const median = (xs) => { const a = [...xs].sort((x, y) => x - y); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');

const files = { csv: join(dir, `train_log_${sizeMb}mb.csv`), jsonl: join(dir, `train_log_${sizeMb}mb.jsonl`) };
for (const [kind, file] of Object.entries(files)) {
  const t = Date.now();
  const had = existsSync(file);
  await generate(file, kind);
  if (!had) console.log(`generated ${file} (${fmt(mb(file))} MB) in ${fmt((Date.now() - t) / 1000)} s`);
}
const peerProblem = withPeers ? ensurePeers() : 'skipped (--no-peers)';
if (peerProblem) console.log(`DuckDB and Polars: ${peerProblem}`);
const havePandas = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
if (!havePandas) console.log('pandas: not available (/usr/bin/python3 without pandas; apt install python3-pandas)');

/** Every reader of one file at one thread count: name → () => run result. */
function readers(kind, file, threads) {
  const list = [{ name: 'scaling-lens', go: () => run(process.execPath, ['-e', child, file, String(threads)]) }];
  if (baseline) list.push({ name: 'baseline', go: () => run(process.execPath, ['-e', childOf(baseline), file, String(threads)]) });
  if (!peerProblem) {
    const peer = join(root, 'bench/_peer.mjs');
    list.push({ name: 'duckdb', go: () => run(process.execPath, [peer, 'duckdb', kind, file, String(threads), peersDir]) });
    list.push({ name: 'polars', go: () => run(process.execPath, [peer, 'polars', kind, file, String(threads), peersDir], { POLARS_MAX_THREADS: String(threads) }) });
  }
  if (havePandas && threads === 1) list.push({ name: 'pandas', go: () => run('/usr/bin/python3', [join(root, 'bench/_pandas_read.py'), file, kind]) });
  return list;
}

// The first write to each page of fresh memory, as much as the parsed columns take (a double per kept
// cell and a line number per row): a floor under any reader that hands back these columns, whatever its
// parsing costs. (On this project's VM a page's first touch costs ~10 µs; on bare metal well under 1 µs.)
const touchChild = `
const bytes = Number(process.argv[1]);
const t = process.hrtime.bigint();
const a = new Float64Array(Math.ceil(bytes / 8));
for (let k = 0; k < a.length; k += 512) a[k] = 1;
process.stdout.write(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6 }));`;

const results = [];
for (const [kind, file] of Object.entries(files)) {
  const size = mb(file);
  console.log(`\n${kind.toUpperCase()}: ${file} — ${fmt(size)} MB, best of ${repeat}`);
  let wcMs = Infinity, lines = NaN;
  const wcAll = [];
  for (let r = 0; r < repeat; r++) {
    const wc = run('wc', ['-l', file]);
    if (wc.ok) { wcMs = Math.min(wcMs, wc.ms); wcAll.push(wc.ms); lines = Number(wc.out.trim().split(/\s+/)[0]); }
  }
  const wcMed = wcAll.length ? median(wcAll) : NaN;
  console.log(`  wc -l                      ${fmt(wcMs / 1000, 2)} s  ${fmt(size / (wcMs / 1000), 0).padStart(5)} MB/s  (${lines} lines, ${fmt(size * 1024 * 1024 / lines, 0)} bytes/line)`);
  results.push({ file: kind, name: 'wc -l', threads: 1, seconds: wcMs / 1000, mbPerS: size / (wcMs / 1000), peakRssMb: null, rows: lines, medianSeconds: wcMed / 1000 });
  for (const threads of threadCounts) {
    const list = readers(kind, file, threads);
    const best = new Map();
    for (let r = 0; r < repeat; r++) {
      for (const rd of list) {
        if (best.get(rd.name)?.failed) continue;
        const res = rd.go();
        if (!res.ok) { best.set(rd.name, { failed: res.err }); continue; }
        const o = JSON.parse(res.out);
        const b = best.get(rd.name);
        const all = [...(b?.all ?? []), o.ms];
        const loads = [...(b?.loads ?? []), os.loadavg()[0]];
        best.set(rd.name, !b ? { ...o, all, loads } : { ...o, ms: Math.min(b.ms, o.ms), maxRSSkB: Math.max(b.maxRSSkB, o.maxRSSkB), all, loads });
      }
    }
    const ours = best.get('scaling-lens');
    for (const rd of list) {
      const b = best.get(rd.name);
      const label = `${rd.name} (${threads} thread${threads > 1 ? 's' : ''})`.padEnd(26);
      if (!b || b.failed) { console.log(`  ${label} failed: ${b?.failed ?? 'no result'}`); continue; }
      const ratio = ours && !ours.failed ? b.ms / ours.ms : NaN;
      const med = median(b.all);
      const oursMed = ours && !ours.failed ? median(ours.all) : NaN;
      const entry = {
        file: kind, name: rd.name, threads, seconds: b.ms / 1000, mbPerS: size / (b.ms / 1000), peakRssMb: b.maxRSSkB / 1024, rows: b.rows, ratio,
        medianSeconds: med / 1000, medianMbPerS: size / (med / 1000), medianRatio: med / oursMed, runs: b.all.length, load1: median(b.loads),
        ...(rd.name === 'scaling-lens' ? { timesWcL: b.ms / wcMs, medianTimesWcL: med / wcMed } : {}),
      };
      results.push(entry);
      const note = rd.name === 'scaling-lens'
        ? `${fmt(b.ms / wcMs, 1)}× the time of wc -l; ${b.rows} rows kept (${b.kept.join(', ')})`
        : `${fmt(ratio, 2)}× our time (>1 = we are faster); ${b.rows} rows`;
      console.log(`  ${label} ${fmt(b.ms / 1000, 2)} s  ${fmt(entry.mbPerS, 0).padStart(5)} MB/s  (median ${fmt(med / 1000, 2)} s)  peak RSS ${fmt(entry.peakRssMb, 0).padStart(5)} MB  ${note}`);
    }
    if (threads === threadCounts[0] && ours && !ours.failed) {
      const bytes = ours.rows * (ours.kept.length * 8 + 4);
      let touchMs = Infinity;
      for (let r = 0; r < repeat; r++) {
        const t = run(process.execPath, ['-e', touchChild, String(bytes)]);
        if (t.ok) touchMs = Math.min(touchMs, JSON.parse(t.out).ms);
      }
      const outMb = bytes / (1024 * 1024);
      console.log(`  first touch of the columns' memory (${fmt(outMb, 0)} MB, one thread) ${fmt(touchMs / 1000, 2)} s: ${fmt(touchMs / wcMs, 1)}× the time of wc -l before any parsing`);
      results.push({ file: kind, name: 'first touch of the columns', threads: 1, seconds: touchMs / 1000, outputMb: outMb, timesWcL: touchMs / wcMs });
    }
  }
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(JSON.stringify({
  bench: 'logs', date: new Date().toISOString(), machine: { cores: os.availableParallelism?.() ?? os.cpus().length, cpu, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, load1: os.loadavg()[0] },
  sizeMb, repeat, ...(baseline ? { baseline } : {}), peers: peerProblem || 'duckdb @duckdb/node-api 1.5.6-r.1, polars nodejs-polars 0.25.2',
  ratio: 'reader time / scaling-lens time at the same thread count (>1 = scaling-lens faster); ratio from the best times, medianRatio from the medians',
  results,
}));
