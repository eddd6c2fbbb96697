// A prefix fit (--fit-until, the bench's 30% and 50%) knows what the file said up to its cut, not
// after: the passes an epoch column reaches by the end, a planned end, an LR cut. It had read them from
// the whole file: a real Lightning run fitted on its first 30% said "epochs 0 to 9" where the file
// then said "0 to 2", and a Transformer-XL console's 287 epochs stood where 144 had been logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, withTailFacts } from '../../src/core/logs';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { readLinesUntil } from '../../src/core/logs/prefix';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-prefix-');

interface Json { runLaw: string; messages: string[]; trust: { reasons: string[] }; schedule?: { total: number } }
const opts = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };
const fit = async (file: string, extra: object = {}) => fitToJson((await analyzeFile(file, { ...opts, ...extra })).state) as unknown as Json;
const passesSaid = (j: Json) => [...j.messages, ...j.trust.reasons].find((m) => /passes over its data \(/.test(m));

/** The line a prefix fit cuts its file at (the line before the fitted series' first row past the cut). */
async function cutLineOf(file: string, fitUntil: number): Promise<number> {
  const log = await withTailFacts(file, await parseLogFile(file));
  const line = analyze(log, { ...opts, fitUntil }, { probeCut: true }).cutLine;
  assert.ok(line !== undefined && line > 1);
  return line;
}

test('real Lightning metrics.csv fitted on its first 30%: the passes are those its epoch column shows by the cut, as in the file cut there', async () => {
  const file = path.join(FIXTURES, 'lightning-slm-10ep', 'metrics.csv');
  const text = fs.readFileSync(file, 'utf8').split('\n');
  const head = text[0].split(',');
  const [ep, st] = [head.indexOf('epoch'), head.indexOf('step')];
  const whole = await fit(file);
  const lastEpoch = Math.max(...text.slice(1).filter((l) => l).map((l) => Number(l.split(',')[ep])));
  assert.match(passesSaid(whole) ?? '', new RegExp(`epochs 0 to ${lastEpoch}\\b`));
  const prefix = await fit(file, { fitUntil: 0.3 });
  const cut = Number(/fitted up to step (\d+)/.exec(prefix.messages.join('\n'))![1]);
  // The highest epoch on a row at or before the cut, read from the CSV here.
  let atCut = 0;
  for (const l of text.slice(1)) {
    const c = l.split(',');
    if (c[st] !== '' && Number(c[st]) <= cut && c[ep] !== '') atCut = Math.max(atCut, Number(c[ep]));
  }
  assert.ok(atCut < lastEpoch, `${atCut} of ${lastEpoch}`);
  assert.match(passesSaid(prefix) ?? '', new RegExp(`the run makes ${atCut + 1} passes over its data \\(the log's "epoch" column counts epochs 0 to ${atCut}\\)`));
  // The same as the file cut where the prefix fit cut it, fitted whole.
  const line = await cutLineOf(file, 0.3);
  const dir = fs.mkdtempSync(path.join(tmp, 'slm-'));
  fs.writeFileSync(path.join(dir, 'metrics.csv'), text.slice(0, line).join('\n') + '\n');
  assert.equal(passesSaid(await fit(path.join(dir, 'metrics.csv'))), passesSaid(prefix));
});

test('real Transformer-XL console (287 epochs) fitted on half its run: the epoch counter as logged by then, not by the end', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'txl-'));
  const { file, text } = gunzipFixture(dir, 'fwm-txl-wt2-log.txt');
  const whole = await fit(file);
  const half = await fit(file, { fitUntil: 0.5 });
  const line = await cutLineOf(file, 0.5);
  const cutDir = fs.mkdtempSync(path.join(tmp, 'txl-cut-'));
  const cutFile = path.join(cutDir, 'fwm-txl-wt2-log.txt');
  fs.writeFileSync(cutFile, text.split('\n').slice(0, line).join('\n') + '\n');
  const cutWhole = await fit(cutFile);
  const n = (j: Json) => Number(/the run makes ([\d.,]+) passes/.exec(passesSaid(j) ?? '')?.[1]);
  assert.ok(n(half) < n(whole), `${n(half)} passes at the cut, ${n(whole)} by the end`);
  assert.equal(n(half), n(cutWhole));
  assert.equal(passesSaid(half), passesSaid(cutWhole));
});

test('a prefix fit of a JSONL log re-planned after its cut (total_steps 200, then 400: a second pass) does not take the later plan', async () => {
  // LLaMA-Factory-style rows, 200 steps a pass: one pass planned at first, two after step 100.
  const rows: string[] = [];
  for (let s = 5; s <= 300; s += 5) rows.push(JSON.stringify({ current_steps: s, total_steps: s <= 100 ? 200 : 400, loss: Number((2 + 3 / Math.sqrt(s)).toFixed(4)), epoch: s / 200 }));
  const dir = fs.mkdtempSync(path.join(tmp, 'replan-'));
  const file = path.join(dir, 'trainer_log.jsonl');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  assert.match(passesSaid(await fit(file)) ?? '', /the run makes 2 passes over its data/);
  // Cut at step 90: the file then planned 200 steps, one pass.
  const early = await fit(file, { fitUntil: 90 });
  assert.ok(early.messages.some((m) => /fitted up to step 90\b/.test(m)), early.messages.join('\n'));
  assert.equal(passesSaid(early), undefined, [...early.messages, ...early.trust.reasons].join('\n'));
});

test('readLinesUntil: the first N lines of a plain or gzipped file, each with its line end; all of a shorter file', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'lines-'));
  const text = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'x'.repeat(i % 300)}`).join('\n') + '\n';
  const plain = path.join(dir, 'a.log');
  fs.writeFileSync(plain, text);
  const gz = path.join(dir, 'a.log.gz');
  fs.writeFileSync(gz, (await import('node:zlib')).gzipSync(text));
  for (const f of [plain, gz]) {
    for (const n of [1, 2, 1234, 4999]) {
      const got = (await readLinesUntil(f, n)).toString('utf8');
      assert.equal(got, text.split('\n').slice(0, n).join('\n') + '\n', `${path.basename(f)} ${n}`);
    }
    assert.equal((await readLinesUntil(f, 10000)).toString('utf8'), text);
  }
});
