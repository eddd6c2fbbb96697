// Gzipped logs (src/core/logs/gzip.ts): a `.gz` log reads as the same log uncompressed (the real
// fixtures, which the repository keeps gzipped), damaged data keeps what came before it, a gzip bomb
// stops at the expansion budget, and the editor's detection judges a .gz by its text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile } from '../../src/core/logs';
import type { ParsedLog } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { fitToJson } from '../../src/core/summary';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { isLogCandidateName, isTrainingLogFile } from '../../src/core/detectLogs';
import { discoverRuns } from '../../src/core/runs';
import { gzipHead } from '../../src/core/logs/gzip';
import { inflatedEdges } from '../../src/core/logs/tail';
import { readTailFacts } from '../../src/core/logs';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-gz-');

/** A fixture's folder copied into a fresh folder twice: the .gz as it is, and uncompressed. */
function pair(rel: string): { gz: string; plain: string } {
  const src = path.join(FIXTURES, rel);
  const a = fs.mkdtempSync(path.join(tmp, 'gz-'));
  const b = fs.mkdtempSync(path.join(tmp, 'plain-'));
  // A fixture in a folder of its own (a work dir) keeps its other files beside it (config.py).
  if (rel.includes('/')) {
    for (const f of fs.readdirSync(path.dirname(src))) {
      if (f.endsWith('.gz')) continue;
      fs.copyFileSync(path.join(path.dirname(src), f), path.join(a, f));
      fs.copyFileSync(path.join(path.dirname(src), f), path.join(b, f));
    }
  }
  const gz = path.join(a, path.basename(rel));
  fs.copyFileSync(src, gz);
  const plain = path.join(b, path.basename(rel, '.gz'));
  fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(src)));
  return { gz, plain };
}

/** What a parse says, with the file's own name taken out of its messages. */
function gist(log: ParsedLog, file: string): unknown {
  const name = path.basename(file);
  return {
    format: log.format, kind: log.kind, rows: log.rows, run: log.run,
    columns: log.columns.map((c) => [c.name, c.role]),
    data: log.columns.map((c) => Array.from(log.data[c.name] ?? []).slice(0, 50).concat(Array.from(log.data[c.name] ?? []).slice(-50))),
    problems: log.problems.map((p) => ({ ...p, message: p.message.split(name).join('<file>') })),
  };
}

for (const rel of [
  'llamafactory-luojiu-trainer_log.jsonl.gz',
  'trainer-state-codebert-cls-10ep.json.gz',
  'hf-console-open-r1-sft.txt.gz',
  'mmengine-mmdet-faster-rcnn-triangle-50e/scalars.json.gz',
]) {
  test(`a gzipped real log reads as the same log uncompressed: ${rel}`, async () => {
    const { gz, plain } = pair(rel);
    const a = await parseLogFile(gz);
    const b = await parseLogFile(plain);
    assert.ok(a.rows > 100, `${a.rows} rows`);
    assert.deepEqual(gist(a, gz), gist(b, plain));
    assert.equal(a.stats.bytes, fs.statSync(plain).size, 'the bytes read are the text\'s');
    // Its first and last 64 KB of text, kept for the tail facts (no second inflate), as a plain file's are read.
    assert.deepEqual(await readTailFacts(gz, a), await readTailFacts(plain, b));
    assert.ok(inflatedEdges.get(a));
  });
}

test('a gzipped MMEngine work dir gets the same fit as uncompressed: the schedule from config.py, the passes from its epoch column', async () => {
  const { gz, plain } = pair('mmengine-mmdet-faster-rcnn-triangle-50e/scalars.json.gz');
  const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
  const json = async (file: string) => JSON.parse(JSON.stringify(fitToJson((await analyzeFile(file, opts)).state)).split(path.dirname(file)).join('<dir>').split(path.basename(file)).join('<file>')) as {
    schedule: { source: string }; trust: { reasons: string[] };
  };
  const a = await json(gz);
  assert.match(a.schedule.source, /config\.py: param_scheduler/);
  assert.ok(a.trust.reasons.some((r) => /50 passes over its data/.test(r)), 'the epoch column read from the inflated tail');
  assert.deepEqual(a, await json(plain));
});

for (const [rel, plan, model] of [
  ['olmo-1b-reproduction.log.gz', /<file>: max_duration=7630, t_warmup=500, lr_scheduler=cosine_with_warmup/, /N = 1,176,764,416 parameters, counted from the ModelConfig/],
  ['modded-nanogpt-speedrun-soap.txt.gz', /<file>: num_iterations=6000, warmup_iters=250, warmdown_iters=1800/, undefined],
] as const) {
  test(`a gzipped text log's printed plan is read from its text, as uncompressed: ${rel}`, async () => {
    // Before, the head of a .gz was its compressed bytes: "no LR schedule known", no model size.
    const { gz, plain } = pair(rel);
    const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
    const json = async (file: string) => JSON.parse(JSON.stringify(fitToJson((await analyzeFile(file, opts)).state)).split(path.basename(file)).join('<file>').split(path.dirname(file)).join('<dir>')) as {
      schedule?: { source: string }; configNote?: string; params: Record<string, number>;
    };
    const a = await json(gz);
    assert.match(a.schedule?.source ?? '', plan);
    if (model) assert.match(a.configNote ?? '', model);
    assert.deepEqual(a, await json(plain));
  });
}

test('damaged gzip data keeps the text before the damage, with a warning; none of it readable is an error', async () => {
  const text = 'step,loss\n' + Array.from({ length: 20000 }, (_, i) => `${i + 1},${(3 + 10 / (i + 1)).toFixed(6)}`).join('\n') + '\n';
  const whole = zlib.gzipSync(text);
  const cut = path.join(tmp, 'cut.csv.gz');
  fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const log = await parseLogFile(cut);
  assert.ok(log.rows > 1000 && log.rows < 20000, `${log.rows} rows kept`);
  const w = log.problems.find((p) => /damaged or cut off/.test(p.message));
  assert.ok(w, JSON.stringify(log.problems));
  assert.match(w.message, /^cut\.csv\.gz: /);
  const junk = path.join(tmp, 'junk.log.gz');
  fs.writeFileSync(junk, Buffer.from('this is not gzip at all\nstep 1 loss 2\n'));
  await assert.rejects(parseLogFile(junk), /junk\.log\.gz: not a readable gzip file/);
});

test('a gzip bomb stops at the expansion budget: the text up to it is read and the log says so', async () => {
  // 3 MB of rows, then 40 MB of one repeated row, in under 1 MB: read with a 1 MB budget.
  const rows = 'step,loss\n' + Array.from({ length: 300_000 }, (_, i) => `${i + 1},${(2 + 1 / (i + 1)).toFixed(5)}`).join('\n') + '\n';
  const row = Buffer.from('1,2.5\n');
  const body = Buffer.alloc(40 * 1024 * 1024);
  for (let i = 0; i + row.length <= body.length; i += row.length) row.copy(body, i);
  const file = path.join(tmp, 'bomb.csv.gz');
  fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([Buffer.from(rows), body]), { level: 9 }));
  assert.ok(fs.statSync(file).size < 1024 * 1024);
  const log = await parseLogFile(file, { maxInflatedBytes: 1024 * 1024 });
  // The complete lines in the first 1 MB, and no more (the line the budget cuts is no row).
  const kept = rows.slice(0, rows.lastIndexOf('\n', 1024 * 1024) + 1);
  assert.equal(log.stats.bytes, kept.length);
  assert.equal(log.rows, kept.split('\n').length - 2);
  assert.equal(log.data.step[log.rows - 1], log.rows);
  assert.ok(log.problems.some((p) => /inflates to more than its 1\.0 MB budget \(from 0\.\d MB compressed\): the lines up to there are read, the rest left out/.test(p.message)), JSON.stringify(log.problems));
});

test('binary data inside a .gz is refused by name, and a cancelled read stops', async () => {
  const bin = path.join(tmp, 'model.log.gz');
  fs.writeFileSync(bin, zlib.gzipSync(Buffer.from([1, 2, 0, 3, 0, 0, 7])));
  await assert.rejects(parseLogFile(bin), /model\.log\.gz: binary data inside the gzip file/);
  const big = path.join(tmp, 'big.jsonl.gz');
  fs.writeFileSync(big, zlib.gzipSync(Array.from({ length: 200000 }, (_, i) => `{"step": ${i}, "loss": ${1 + 1 / (i + 1)}}`).join('\n')));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(parseLogFile(big, { signal: ac.signal }), /cancelled/);
});

test('detection: a .gz is a candidate by its inner name and a log by its text', async () => {
  assert.ok(isLogCandidateName('run/train.jsonl.gz'));
  assert.ok(isLogCandidateName('run/train.LOG.GZ'));
  assert.ok(!isLogCandidateName('data/shard-0001.tar.gz'));
  assert.ok(!isLogCandidateName('weights.bin.gz'));
  const { gz } = pair('hf-console-open-r1-sft.txt.gz');
  assert.equal(await isTrainingLogFile(gz), true);
  const notes = path.join(tmp, 'notes.txt.gz');
  fs.writeFileSync(notes, zlib.gzipSync('Shopping list\n- eggs\n- milk\n'));
  assert.equal(await isTrainingLogFile(notes), false);
  const head = await gzipHead(gz, 100);
  assert.equal(head?.length, 100);
  assert.equal(await gzipHead(path.join(tmp, 'junk.log.gz'), 100), undefined);
});

test('the Runs view lists a run folder whose log is gzipped', async () => {
  const root = fs.mkdtempSync(path.join(tmp, 'runs-'));
  const dir = path.join(root, 'run-a');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(FIXTURES, 'llamafactory-luojiu-trainer_log.jsonl.gz'), path.join(dir, 'trainer_log.jsonl.gz'));
  const found = await discoverRuns(root);
  assert.equal(found.runs.length, 1, JSON.stringify(found.problems));
  assert.equal(path.basename(found.runs[0].log), 'trainer_log.jsonl.gz');
  assert.ok(found.runs[0].points > 1000);
});
