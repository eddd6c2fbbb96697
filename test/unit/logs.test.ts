import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  detectFormat, inferRoles, looksLikeLog, parseLogFile, parseLogText, toRunCurves, toSweep, type ParsedLog,
} from '../../src/core/logs';
import { runInspect } from '../../src/cli/inspect';
import { textLineHasMetrics } from '../../src/core/logs/detect';
import { Cancelled, isCancelled } from '../../src/core/cancel';
import { tmpDir } from './tmpUtil';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const fixture = (name: string): string => path.join(FIX, name);
const tmp = tmpDir('sl-logs-');
function tmpFile(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}
const role = (log: ParsedLog, name: string): string | undefined => log.columns.find((c) => c.name === name)?.role;
const msgs = (log: ParsedLog): string => log.problems.map((p) => p.message).join('\n');

/** Independent reading of a simple CSV (no quotes) for expectations. */
function plainCsv(file: string): { head: string[]; rows: string[][] } {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  return { head: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

// ------------------------------------------------------------------------------ real fixtures

test('Lightning metrics.csv: sparse rows give separate series, NaN where absent, same-step rows merged', async () => {
  const file = fixture('lightning_metrics.csv');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'csv');
  assert.equal(log.kind, 'run');
  assert.equal(role(log, 'step'), 'step');
  assert.equal(role(log, 'epoch'), 'epoch');
  assert.equal(role(log, 'train_loss_step'), 'loss');
  assert.equal(role(log, 'val_loss'), 'eval_loss');
  assert.equal(role(log, 'val_perplexity'), 'other');

  const { head, rows } = plainCsv(file);
  const si = head.indexOf('step'), vi = head.indexOf('val_loss'), ti = head.indexOf('train_loss_step');
  const distinctSteps = new Set(rows.map((r) => r[si])).size;
  assert.equal(log.stats.rowsRead, rows.length);
  assert.equal(log.rows, distinctSteps, 'one kept row per step');
  assert.equal(log.stats.merged, rows.length - distinctSteps);

  const val = rows.filter((r) => r[vi] !== '');
  const curves = toRunCurves(log);
  const vc = curves.find((c) => c.series === 'val_loss');
  const tc = curves.find((c) => c.series === 'train_loss_step');
  assert.ok(vc && tc);
  assert.deepEqual(Array.from(vc.loss), val.map((r) => Number(r[vi])));
  assert.deepEqual(Array.from(vc.step), val.map((r) => Number(r[si])));
  assert.equal(tc.loss.length, rows.filter((r) => r[ti] !== '').length);
  // In the aligned data the val series is NaN on training rows.
  const d = log.data['val_loss'];
  assert.equal(Array.from(d).filter((x) => !Number.isNaN(x)).length, val.length);
  assert.ok(Number.isNaN(d[0]));
  // Source lines point at the row holding the value.
  const text = fs.readFileSync(file, 'utf8').split('\n');
  assert.ok(text[vc.lines[0] - 1].includes(val[0][vi]));
  assert.equal(log.problems.length, 0, msgs(log));
});

test('Chinchilla sweep table: Model Size → N, Training FLOP → C, D = C/(6N)', async () => {
  const file = fixture('chinchilla_svg_extracted.csv');
  const log = await parseLogFile(file);
  assert.equal(log.kind, 'sweep');
  assert.equal(role(log, 'Model Size'), 'params');
  assert.equal(role(log, 'Training FLOP'), 'flops');
  assert.equal(role(log, 'loss'), 'loss');
  const { head, rows } = plainCsv(file);
  const sw = toSweep(log);
  assert.ok(sw);
  assert.equal(sw.N.length, rows.length);
  const ni = head.indexOf('Model Size'), ci = head.indexOf('Training FLOP'), li = head.indexOf('loss');
  for (const k of [0, 100, rows.length - 1]) {
    const N = Number(rows[k][ni]), C = Number(rows[k][ci]);
    assert.equal(sw.N[k], N);
    assert.equal(sw.C[k], C);
    assert.equal(sw.D[k], C / (6 * N));
    assert.equal(sw.loss[k], Number(rows[k][li]));
    assert.equal(sw.lines[k], k + 2);
  }
});

test('isoFLOP table: tokens, params, budget, loss; experiment is the run label', async () => {
  const file = fixture('isoflops_open_athena.csv');
  const log = await parseLogFile(file);
  assert.equal(log.kind, 'sweep');
  assert.equal(role(log, 'tokens'), 'tokens');
  assert.equal(role(log, 'params'), 'params');
  assert.equal(role(log, 'budget'), 'flops');
  assert.equal(role(log, 'experiment'), 'run');
  const { head, rows } = plainCsv(file);
  const sw = toSweep(log);
  assert.ok(sw && sw.runIds);
  assert.equal(sw.N.length, rows.length);
  assert.equal(sw.D[3], Number(rows[3][head.indexOf('tokens')]));
  assert.equal(sw.C[3], Number(rows[3][head.indexOf('budget')]));
  assert.equal(sw.runIds[3], rows[3][head.indexOf('experiment')]);
});

test('HF trainer_state.json: loss, several eval series, learning rate, lines of entries', async () => {
  const file = fixture('hf_trainer_state.json');
  const log = await parseLogFile(file);
  assert.equal(log.format, 'trainer_state');
  assert.equal(log.kind, 'run');
  assert.equal(role(log, 'learning_rate'), 'lr');
  assert.equal(role(log, 'loss'), 'loss');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { log_history: Record<string, number>[] };
  const hist = doc.log_history;
  const curves = toRunCurves(log);
  for (let g = 0; g < 6; g++) {
    const name = `eval_g${g}_loss`;
    assert.equal(role(log, name), 'eval_loss');
    const c = curves.find((x) => x.series === name);
    const want = hist.filter((e) => name in e);
    assert.ok(c);
    assert.deepEqual(Array.from(c.loss), want.map((e) => e[name]));
    assert.deepEqual(Array.from(c.step), want.map((e) => e.step));
  }
  const lc = curves.find((x) => x.series === 'loss');
  assert.ok(lc);
  assert.deepEqual(Array.from(lc.loss), hist.filter((e) => 'loss' in e).map((e) => e.loss));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.match(lines[lc.lines[0] - 1], /\{/);
  assert.ok(lines.slice(lc.lines[0] - 1, lc.lines[0] + 8).join('\n').includes(String(lc.loss[0])));
});

// ------------------------------------------------------------------------------ other formats

test('JSONL: keys with "/", nested objects, Python NaN/Infinity literals, bad and truncated lines', () => {
  const text = [
    '{"step": 1, "train/loss": 4.5, "tokens": 1000}',
    '{"step": 2, "train/loss": 4.1, "tokens": 2000, "eval": {"loss": 4.3}}',
    'not json at all',
    '{"step": 3, "train/loss": NaN, "tokens": 3000}',
    '{"step": 4, "train/loss": Infinity, "tokens": 4000}',
    '{"step": 5, "train/loss": 3.9, "tokens": 5000}',
    '{"step": 6, "train/lo',
  ].join('\n');
  const log = parseLogText(text, 'metrics.jsonl');
  assert.equal(log.format, 'jsonl');
  assert.equal(role(log, 'train/loss'), 'loss');
  assert.equal(role(log, 'eval/loss'), 'eval_loss');
  assert.equal(role(log, 'tokens'), 'tokens');
  assert.deepEqual(Array.from(log.data['step']), [1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(log.data['eval/loss']).map((x) => (Number.isNaN(x) ? null : x)), [null, 4.3, null, null, null]);
  const [loss] = toRunCurves(log).filter((c) => c.series === 'train/loss');
  assert.deepEqual(Array.from(loss.loss), [4.5, 4.1, 3.9]);
  assert.deepEqual(Array.from(loss.tokens ?? []), [1000, 2000, 5000]);
  assert.deepEqual(Array.from(loss.lines), [1, 2, 6]);
  assert.equal(log.stats.dropped, 2);
  const m = msgs(log);
  assert.match(m, /metrics\.jsonl:3: not a JSON object/);
  assert.match(m, /metrics\.jsonl:4: train\/loss is NaN/);
  assert.match(m, /metrics\.jsonl:5: train\/loss is Infinity/);
  assert.match(m, /metrics\.jsonl:7: last line is not complete JSON/);
});

test('nanoGPT-family stdout: three line styles recognised by pattern', () => {
  const a = parseLogText([
    'Initializing a new model from scratch',
    'step 0: train loss 10.9876, val loss 10.9912',
    'iter 1: loss 10.9500, time 1234.56ms, mfu -100.00%',
    'iter 10: loss 9.8100, time 345.12ms, mfu 12.34%',
    'step 250: train loss 5.4321, val loss 5.5000',
    'saving checkpoint to out',
  ].join('\n'), 'train.log');
  assert.equal(a.format, 'text');
  const curves = toRunCurves(a);
  const val = curves.find((c) => c.series === 'val_loss');
  const train = curves.find((c) => c.series === 'train_loss');
  const loss = curves.find((c) => c.series === 'loss');
  assert.ok(val && train && loss);
  assert.deepEqual(Array.from(val.step), [0, 250]);
  assert.deepEqual(Array.from(val.loss), [10.9912, 5.5]);
  assert.deepEqual(Array.from(train.loss), [10.9876, 5.4321]);
  assert.deepEqual(Array.from(loss.loss), [10.95, 9.81]);
  assert.deepEqual(Array.from(loss.lines), [3, 4]);

  const b = parseLogText([
    'step:0/5000 val_loss:10.8258 train_time:0ms step_avg:nanms',
    'step:1/5000 train_loss:10.8258 train_time:23456ms step_avg:nanms',
    'step:2/5000 train_loss:10.1234 train_time:23500ms step_avg:44.00ms',
    'step:125/5000 val_loss:4.3012 train_time:6000ms step_avg:48.00ms',
  ].join('\n'), 'modded.txt');
  assert.equal(b.format, 'text');
  assert.equal(role(b, 'val_loss'), 'eval_loss');
  assert.equal(role(b, 'train_loss'), 'loss');
  const bv = toRunCurves(b).find((c) => c.series === 'val_loss');
  assert.deepEqual(Array.from(bv?.step ?? []), [0, 125]);
  assert.deepEqual(Array.from(bv?.loss ?? []), [10.8258, 4.3012]);
});

test('W&B CSV export: quoted headers, Step, __MIN/__MAX ignored, Name is the run', () => {
  const text = [
    '"Name","Step","train/loss","train/loss__MIN","train/loss__MAX","eval/loss"',
    '"run-a","100","3.5","3.4","3.6",""',
    '"run-a","200","3.2","3.1","3.3","3.4"',
    '"run-b","100","3.6","3.5","3.7",""',
    '"run-b","200","3.3","3.2","3.4","3.45"',
  ].join('\n');
  const log = parseLogText(text, 'wandb_export.csv');
  assert.equal(log.format, 'csv');
  assert.equal(role(log, 'Step'), 'step');
  assert.equal(role(log, 'train/loss'), 'loss');
  assert.equal(role(log, 'train/loss__MIN'), 'ignore');
  assert.equal(role(log, 'train/loss__MAX'), 'ignore');
  assert.equal(role(log, 'Name'), 'run');
  assert.equal(role(log, 'eval/loss'), 'eval_loss');
  assert.equal(log.data['train/loss__MIN'], undefined);
  // A new run starting at step 100 is not a restart of the previous one.
  assert.equal(log.stats.superseded, 0);
  assert.equal(log.rows, 4);
  const curves = toRunCurves(log);
  const b = curves.find((c) => c.series === 'train/loss (run-b)');
  assert.deepEqual(Array.from(b?.loss ?? []), [3.6, 3.3]);
  assert.deepEqual(Array.from(b?.lines ?? []), [4, 5]);
});

// ------------------------------------------------------------------------------ messy input

test('restart: step goes backwards → segments, latest value per step, superseded counted', () => {
  const text = 'step,loss\n1,5\n2,4\n3,3.5\n4,3.4\n3,3.45\n4,3.35\n5,3.3\n';
  const log = parseLogText(text, 'restart.csv');
  assert.deepEqual(Array.from(log.data['step']), [1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(log.data['loss']), [5, 4, 3.45, 3.35, 3.3]);
  assert.deepEqual(Array.from(log.lines), [2, 3, 6, 7, 8]);
  assert.equal(log.stats.superseded, 2);
  assert.equal(log.stats.segments, 2);
  assert.match(msgs(log), /restart\.csv:6: restart: step goes back from 4 to 3; 2 earlier rows/);
});

test('duplicate step with a different value: the later one wins and is reported', () => {
  const log = parseLogText('step,loss\n1,5\n2,4\n2,3.9\n3,3.5\n', 'dup.csv');
  assert.deepEqual(Array.from(log.data['loss']), [5, 3.9, 3.5]);
  assert.equal(log.stats.superseded, 1);
  assert.match(msgs(log), /dup\.csv:4: step 2 logged again; the later value wins \(loss 4 → 3\.9\)/);
});

test('NaN, inf, empty and text cells: missing values, reported with file and line', () => {
  const log = parseLogText('step,loss,lr\n1,5.0,1e-4\n2,nan,1e-4\n3,inf,1e-4\n4,,1e-4\n5,abc,1e-4\n6,-Infinity,1e-4\n7,3.0,1e-4\n', 'cells.csv');
  assert.equal(log.rows, 7);
  const loss = Array.from(log.data['loss']);
  assert.deepEqual(loss.map((x) => (Number.isNaN(x) ? null : x)), [5, null, null, null, null, null, 3]);
  const m = msgs(log);
  assert.match(m, /cells\.csv:3: loss is NaN/);
  assert.match(m, /cells\.csv:4: loss is inf/);
  assert.match(m, /cells\.csv:6: loss holds 'abc', not a number/);
  assert.match(m, /cells\.csv:7: loss is -Infinity/);
  assert.doesNotMatch(m, /cells\.csv:5:/, 'an empty cell is just missing');
});

test('wrong field counts and a truncated last line: dropped, counted, partial result kept', () => {
  const log = parseLogText('step,loss,lr\n1,5.0,1e-4\n2,4.0\n3,3.5,1e-4,9\n4,3.2,1e-4\n5,3.', 'fields.csv');
  assert.deepEqual(Array.from(log.data['step']), [1, 4]);
  assert.equal(log.stats.rowsRead, 5);
  assert.equal(log.stats.dropped, 3);
  const m = msgs(log);
  assert.match(m, /fields\.csv:3: 2 fields where the header has 3/);
  assert.match(m, /fields\.csv:4: 4 fields where the header has 3/);
  assert.match(m, /fields\.csv:6: last line is cut short \(2 of 3 fields\)/);
});

test('an unclosed quote does not swallow the rest of a big file', async () => {
  let text = 'step,loss,note\n1,2,ok\n2,3,"unclosed\n';
  for (let i = 3; i <= 400000; i++) text += `${i},1.5,ok\n`;
  const log = await parseLogFile(tmpFile('quote.csv', text));
  assert.match(msgs(log), /quote\.csv:3: a quoted field is never closed; line dropped/);
  assert.ok(log.rows > 390000, `rows ${log.rows}`);
  assert.equal(log.data['step'][log.rows - 1], 400000);
});

test('UTF-8 BOM and CRLF line ends', async () => {
  const file = tmpFile('bom.csv', '\ufeffstep,train_loss\r\n1,5.5\r\n2,4.5\r\n');
  const log = await parseLogFile(file);
  assert.equal(log.columns[0].name, 'step');
  assert.equal(role(log, 'step'), 'step');
  assert.deepEqual(Array.from(log.data['train_loss']), [5.5, 4.5]);
  assert.deepEqual(Array.from(log.lines), [2, 3]);
  assert.equal(log.problems.length, 0, msgs(log));
  const t = parseLogText('\ufeffstep,train_loss\r\n1,5.5\r\n', 'bom.csv');
  assert.deepEqual(Array.from(t.data['train_loss']), [5.5]);
});

test('non-UTF-8 bytes: reported with their line, the rest still read', async () => {
  const file = tmpFile('latin1.csv', Buffer.concat([
    Buffer.from('step,loss,note\n1,5.0,ok\n2,4.0,caf'), Buffer.from([0xe9]), Buffer.from('\n3,3.0,ok\n'),
  ]));
  const log = await parseLogFile(file);
  assert.deepEqual(Array.from(log.data['loss']), [5, 4, 3]);
  assert.match(msgs(log), /latin1\.csv:3: bytes that are not valid UTF-8/);
});

test('empty file, blank file and binary file', async () => {
  const empty = await parseLogFile(tmpFile('empty.csv', ''));
  assert.equal(empty.rows, 0);
  assert.match(msgs(empty), /empty\.csv: the file is empty/);
  const blank = await parseLogFile(tmpFile('blank.csv', '\n\n  \n'));
  assert.equal(blank.rows, 0);
  assert.equal(blank.problems[0].severity, 'error');
  const bin = tmpFile('model.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]));
  await assert.rejects(parseLogFile(bin), /model\.csv: binary file \(NUL byte at offset 4\)/);
  assert.throws(() => parseLogText('a,b\n\0\0', 'x.csv'), /binary file/);
  await assert.rejects(parseLogFile(path.join(tmp, 'missing.csv')), /missing\.csv: cannot read \(no such file\)/);
  const header = parseLogText('step,loss\n', 'h.csv');
  assert.equal(header.rows, 0);
  assert.match(msgs(header), /a header but no data rows/);
});

test('streaming over many chunks equals parsing the whole text; progress and abort', async () => {
  let text = 'step,"train/loss",val_loss\n';
  for (let i = 1; i <= 150000; i++) text += `${i},${(5 / Math.log(i + 2)).toFixed(6)},${i % 500 === 0 ? (5.1 / Math.log(i + 2)).toFixed(6) : ''}\n`;
  const file = tmpFile('big.csv', text);
  assert.ok(text.length > 2 << 20);
  const seen: number[] = [];
  const a = await parseLogFile(file, { onProgress: (b) => seen.push(b) });
  const b = parseLogText(text, file);
  assert.equal(a.rows, 150000);
  assert.deepEqual(a.data['train/loss'], b.data['train/loss']);
  assert.deepEqual(a.data['val_loss'], b.data['val_loss']);
  assert.deepEqual(a.lines, b.lines);
  assert.equal(a.data['train/loss'][149999], Number((5 / Math.log(150002)).toFixed(6)));
  assert.ok(seen.length >= 2 && seen[seen.length - 1] === fs.statSync(file).size);
  const ac = new AbortController();
  const p = parseLogFile(file, { signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(p, (e: Error) => e instanceof Cancelled && isCancelled(e));
  // The result is plain data: it survives structured clone (to and from a worker).
  const c = structuredClone(a);
  assert.deepEqual(c.data['val_loss'], a.data['val_loss']);
});

test('fixture files: a resumed JSONL run and nanoGPT stdout, read from disk', async () => {
  // Synthetic, written for these tests (see SOURCES.md); the stdout follows nanoGPT's train.py prints.
  const j = await parseLogFile(fixture('logs-resumed-run.jsonl'));
  assert.equal(j.format, 'jsonl');
  assert.deepEqual(Array.from(j.data['step']), [100, 200, 300, 400, 500, 600]);
  assert.deepEqual(Array.from(j.data['train/loss']).map((x) => (Number.isNaN(x) ? null : x)), [4.1, 3.8, 3.63, 3.5, null, 3.41]);
  assert.deepEqual(Array.from(j.data['eval/loss']).map((x) => (Number.isNaN(x) ? null : x)), [null, 3.9, null, 3.58, null, null]);
  assert.deepEqual(Array.from(j.lines), [1, 2, 6, 7, 9, 10]);
  assert.equal(j.stats.superseded, 2);
  assert.equal(j.stats.segments, 2);
  assert.equal(j.stats.dropped, 1);
  const m = msgs(j);
  assert.match(m, /logs-resumed-run\.jsonl:6: restart: step goes back from 400 to 300/);
  assert.match(m, /logs-resumed-run\.jsonl:9: train\/loss is NaN/);
  assert.match(m, /logs-resumed-run\.jsonl:11: last line is not complete JSON/);

  const t = await parseLogFile(fixture('logs-nanogpt-stdout.txt'));
  assert.equal(t.format, 'text');
  const curves = toRunCurves(t);
  assert.deepEqual(Array.from(curves.find((c) => c.series === 'val_loss')?.loss ?? []), [4.2823, 2.0648, 1.7244]);
  assert.deepEqual(Array.from(curves.find((c) => c.series === 'loss')?.step ?? []), [0, 10, 20, 250, 260]);
  assert.deepEqual(Array.from(curves.find((c) => c.series === 'val_loss')?.lines ?? []), [3, 7, 10]);
});

// ------------------------------------------------------------------------------ roles, detection

test('inferRoles: names, content, single roles, overrides', () => {
  const cols = inferRoles(
    ['global_step', '_step', 'num_params', 'total_flos', 'tokens_per_sec', 'lr-AdamW', 'loss_scale', 'run_name', 'eval/loss', 'mystery'],
    { global_step: [0, 10, 20], num_params: [1.2e8, 1.2e8], run_name: ['a', 'b'], mystery: ['x', 'y'] },
  );
  const r = Object.fromEntries(cols.map((c) => [c.name, c.role]));
  assert.deepEqual(r, {
    global_step: 'step', _step: 'other', num_params: 'params', total_flos: 'flops', tokens_per_sec: 'other',
    'lr-AdamW': 'lr', loss_scale: 'other', run_name: 'run', 'eval/loss': 'eval_loss', mystery: 'other',
  });
  for (const c of cols) {
    assert.ok(c.confidence > 0 && c.confidence <= 1);
    assert.ok(c.reason.length > 0);
  }
  assert.equal(cols.find((c) => c.name === 'mystery')?.numeric, false);
  // A loss-named column holding text is not a loss.
  assert.equal(inferRoles(['loss'], { loss: ['high', 'low'] })[0].role, 'other');
  // Stable-Baselines3's progress.csv (a real one read `time/fps` as the wall time): its time/ namespace
  // holds a rate and counters beside the wall time.
  const sb3 = Object.fromEntries(inferRoles(['train/loss', 'time/fps', 'time/total_timesteps', 'time/iterations', 'time/time_elapsed'], {}).map((c) => [c.name, c.role]));
  assert.deepEqual(sb3, { 'train/loss': 'loss', 'time/fps': 'other', 'time/total_timesteps': 'other', 'time/iterations': 'step', 'time/time_elapsed': 'time' });
  // An unnamed increasing integer first column is probably the step.
  const guess = inferRoles(['it', 'ce'], { it: [1, 2, 3, 4], ce: [3, 2.5, 2.2, 2] });
  assert.equal(guess[0].role, 'step');
  assert.ok(guess[0].confidence < 0.7);
  const o = inferRoles(['x', 'step'], { x: [1, 2] }, { x: 'step', step: 'ignore' });
  assert.deepEqual(o.map((c) => [c.role, c.confidence]), [['step', 1], ['ignore', 1]]);
});

test('role overrides reach the parse: a column the name would miss becomes the loss', () => {
  const log = parseLogText('iteration,ce\n1,3.0\n2,2.5\n', 'o.csv', { roleOverrides: { ce: 'loss' } });
  assert.equal(role(log, 'ce'), 'loss');
  assert.deepEqual(Array.from(toRunCurves(log)[0].loss), [3, 2.5]);
});

test('tokens from step × tokensPerStep when there is no tokens column', () => {
  const log = parseLogText('step,loss\n10,3\n20,2.5\n', 't.csv');
  const [c] = toRunCurves(log, { tokensPerStep: 4096 });
  assert.deepEqual(Array.from(c.tokens ?? []), [40960, 81920]);
  assert.equal(toSweep(log), undefined);
});

test('detectFormat uses content, not the name alone; looksLikeLog', () => {
  assert.equal(detectFormat('metrics.csv', '{"step": 1, "loss": 2}\n{"step": 2, "loss": 1.9}\n'), 'jsonl');
  assert.equal(detectFormat('log.jsonl', 'step,loss\n1,2\n'), 'csv');
  assert.equal(detectFormat('trainer_state.json', '{\n  "epoch": 1.0,\n  "log_history": [\n'), 'trainer_state');
  assert.equal(detectFormat('out.txt', 'step 100: train loss 3.21, val loss 3.30\n'), 'text');
  assert.equal(detectFormat('notes.txt', 'hello world\nnothing here\n'), undefined);
  assert.equal(detectFormat('a.csv', 'PK\u0003\u0004\0\0'), undefined);
  assert.equal(looksLikeLog('metrics.csv', 'epoch,step,train_loss_step\n0,49,7.6\n'), true);
  assert.equal(looksLikeLog('people.csv', 'name,age\nann,3\n'), false);
  assert.equal(looksLikeLog('package.json', '{\n "name": "x"\n}'), false);
  assert.equal(looksLikeLog('readme.md', 'step 1: loss 2'), false);
});

// ------------------------------------------------------------------------------ CLI

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runInspect(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

test('CLI inspect --json prints one object of the documented shape', async () => {
  const r = await capture([fixture('chinchilla_svg_extracted.csv'), '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(j), ['format', 'kind', 'rows', 'columns', 'problems']);
  assert.equal(j.format, 'csv');
  assert.equal(j.kind, 'sweep');
  assert.equal(j.rows, 245);
  assert.deepEqual((j.columns as { name: string }[]).find((c) => c.name === 'Model Size'), { name: 'Model Size', role: 'params', confidence: 0.9 });
  const bad = tmpFile('cli-bad.csv', 'step,loss\n1,2\n2');
  const rb = await capture([bad, '--json']);
  assert.deepEqual((JSON.parse(rb.out) as { problems: unknown[] }).problems, [{ line: 3, message: 'cli-bad.csv:3: last line is cut short (1 of 2 fields); dropped' }]);
});

test('CLI inspect: human output, and an unreadable file exits 1 with one stderr line', async () => {
  const r = await capture([fixture('lightning_metrics.csv')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /format: csv/);
  assert.match(r.out, /val_loss\s+eval_loss/);
  const m = await capture([path.join(tmp, 'nope.csv')]);
  assert.equal(m.code, 1);
  assert.equal(m.out, '');
  assert.equal(m.err.trim().split('\n').length, 1);
  assert.match(m.err, /^scaling-lens: .*nope\.csv: cannot read \(no such file\)\n$/);
  const bin = await capture([tmpFile('b.bin', Buffer.from([1, 0, 2]))]);
  assert.equal(bin.code, 1);
  assert.doesNotMatch(bin.err, /at .*\.js/);
});

test('torchtitan step lines (coloured, behind `[rank0]:[titan] <time> - root - INFO - `) are read; their tflops is a throughput, not the compute', () => {
  // The line as torchtitan's train.py logs it (colours included), behind its logging format and torchrun's rank tag.
  const esc = '\u001b';
  const line = (s: number, pre: string) => `${pre}${esc}[31mstep: ${String(s).padStart(2)}  ${esc}[32mloss: ${(2 + 9 * s ** -0.3).toFixed(4).padStart(7)}  ${esc}[33mmemory:  2.47GiB(3.12%)  ${esc}[34mtps: 3,502  ${esc}[36mtflops: ${(1.9 + (s % 3) / 10).toFixed(2)}  ${esc}[35mmfu: 0.19%${esc}[39m`;
  for (const pre of ['[rank0]:[titan] 2025-10-30 14:32:58,897 - root - INFO - ', '[titan] 2026-01-16 02:42:48,277 - root - INFO - ', '[rank0]:2025-04-01 00:25:47,084 - root - INFO - ']) {
    const text = `${pre}Starting job: Llama 3 debug training\n` + Array.from({ length: 30 }, (_, i) => line(i + 1, pre)).join('\n') + '\n';
    const log = parseLogText(text, 'train.log');
    assert.equal(log.format, 'text', pre);
    assert.deepEqual(Array.from(log.data['step']).slice(0, 3), [1, 2, 3], pre);
    assert.equal(log.data['loss'][29], Number((2 + 9 * 30 ** -0.3).toFixed(4)), pre);
    const tflops = log.columns.find((c) => c.name === 'tflops');
    assert.equal(tflops?.role, 'other', pre);
    assert.match(tflops?.reason ?? '', /throughput/);
  }
  // In a sweep table (no step column) a bare TFLOPs column is still the compute.
  const sweep = parseLogText('params,TFLOPs,loss\n1e8,6e8,3.1\n2e8,2.4e9,2.9\n4e8,9.6e9,2.7\n', 'sweep.csv');
  assert.equal(sweep.columns.find((c) => c.name === 'TFLOPs')?.role, 'flops');
});

test('fairseq JSON logs: num_updates is the step, not `update` (the epoch\'s progress, 1.21), and numbers written as strings are read', () => {
  // The record fairseq's JSON progress bar writes (values as strings, `update` = epoch − 1 + fraction done).
  const row = (i: number) => JSON.stringify({ epoch: 1, update: (i / 100).toFixed(3), loss: (2 + 8 * (100 * i) ** -0.3).toFixed(3), nll_loss: '2.9', ppl: '7.5', wps: '12345.6', ups: '3.21', wpb: '4096', bsz: '32', num_updates: String(100 * i), lr: '0.0005', gnorm: '1.234', train_wall: '12', wall: String(10 * i) });
  const log = parseLogText(Array.from({ length: 50 }, (_, i) => row(i + 1)).join('\n') + '\n', 'train.jsonl');
  assert.equal(log.columns.find((c) => c.name === 'num_updates')?.role, 'step');
  assert.equal(log.columns.find((c) => c.name === 'update')?.role, 'other');
  assert.deepEqual(Array.from(log.data['step'] ?? log.data['num_updates']).slice(0, 3), [100, 200, 300]);
});

test('Hugging Face Trainer console output: each printed dict is a row at the training bar\'s count; the bar\'s total is the planned end; eval bars do not move the step', async () => {
  const loss = (s: number) => (2 + 20 * s ** -0.4).toFixed(4);
  const bar = (n: number, T = 1000) => ` ${Math.floor((100 * n) / T)}%|█         | ${n}/${T} [00:${String(n % 60).padStart(2, '0')}<01:30, 10.9it/s]`;
  // Three layouts seen in real captured output: the dict right after the bar's refresh on the same
  // line (`…10.9it/s]{'loss': …}`); after tqdm.write's clearing `\r   \r`; on a line of its own after
  // a line of bar refreshes. Newer transformers print the values quoted.
  const layouts: Array<[string, (n: number, dict: string) => string]> = [
    ['same line', (n, d) => `${bar(n - 1)}\r${bar(n)}${d}\n`],
    ['after a clear', (n, d) => `${bar(n - 1)}\r${bar(n)}\r${' '.repeat(60)}\r${d}\n`],
    ['own line', (n, d) => `${bar(n - 1)}\r${bar(n)}\n${d}\n`],
  ];
  for (const [name, at] of layouts) {
    let text = "You're using a BertTokenizerFast tokenizer.\n  0%|          | 0/1000 [00:00<?, ?it/s]\n";
    for (let k = 1; k <= 30; k++) {
      const n = 20 * k;
      const q = k % 2 ? (v: string) => v : (v: string) => `'${v}'`;
      text += at(n, `{'loss': ${q(loss(n))}, 'grad_norm': ${q('1.23')}, 'learning_rate': ${q((5e-5 * (1 - n / 1000)).toExponential(3))}, 'epoch': ${q((n / 500).toFixed(2))}}`);
      // An evaluation every 200 steps, with a bar of its own (50 batches).
      if (n % 200 === 0) text += `\n${' '.repeat(4)}\r  0%|          | 0/50 [00:00<?, ?it/s]\r100%|██████████| 50/50 [00:03<00:00, 15.2it/s]{'eval_loss': ${(Number(loss(n)) + 0.1).toFixed(4)}, 'eval_runtime': 3.3, 'epoch': ${(n / 500).toFixed(2)}}\n`;
    }
    text += `${bar(1000)}{'train_runtime': 91.2, 'train_samples_per_second': 87.7, 'train_loss': 2.9, 'epoch': 2.0}\n`;
    assert.equal(detectFormat('train.log', text), 'text', name);
    const log = parseLogText(text, 'train.log');
    assert.deepEqual(Array.from(log.data.step).slice(0, 3), [20, 40, 60], name);
    assert.equal(log.rows, 30, name);
    assert.equal(log.data.loss[29], Number(loss(600)), name);
    const lr = log.columns.find((c) => c.role === 'lr');
    assert.equal(lr?.name, 'learning_rate');
    // The evaluation at step 200 is on the row of step 200, not at "step 50".
    const ev = log.columns.find((c) => c.role === 'eval_loss')!;
    const i200 = Array.from(log.data.step).indexOf(200);
    assert.equal(log.data[ev.name][i200], Number((Number(loss(200)) + 0.1).toFixed(4)), name);
    assert.equal(log.run?.plannedSteps?.steps, 1000);
    assert.match(log.run?.plannedSteps?.source ?? '', /the Trainer's progress bar \("N\/1000"/);
    // epoch 1.2 at step 600 of a planned 1,000: 2 passes.
    assert.equal(log.run?.epochsLogged?.count, 2, name);
    assert.ok(log.problems.some((p) => /end-of-training summary/.test(p.message)), name);
  }
  // Without progress bars (disable_tqdm, or stdout captured alone) and nothing that gives the steps
  // per epoch (no banner, no final bar, no closing summary): read as a Trainer console, refused with
  // what it is and where the steps are.
  const bare = Array.from({ length: 30 }, (_, k) => `{'loss': ${loss(k + 1)}, 'learning_rate': 4.9e-05, 'epoch': ${((k + 1) / 100).toFixed(2)}}`).join('\n') + '\n';
  assert.equal(detectFormat('train.log', bare), 'text');
  assert.throws(() => parseLogText(bare, 'train.log'), /train\.log: this looks like Hugging Face Trainer console output without progress bars, whose loss lines .* carry no step, and neither the Trainer's banner .* nor a final progress bar's total gives the steps per epoch; fit the run's trainer_state\.json instead/);
  await assert.rejects(parseLogFile(tmpFile('hf-console.log', bare)), /Hugging Face Trainer console output/);
  // A CSV named so, with the same text in a cell, is still a CSV; a config dict printed in a nanoGPT
  // log (no progress bar) does not make its step lines a Trainer log.
  assert.equal(detectFormat('t.csv', "step,note\n1,\"{'loss': 2}\"\n2,x\n"), 'csv');
  const nano = "Overriding: batch_size = 8\n{'learning_rate': 0.0006, 'epoch': 1}\n" + Array.from({ length: 20 }, (_, i) => `step ${i + 1}/20: loss ${loss(i + 1)}`).join('\n') + '\n';
  const nl = parseLogText(nano, 'train.log');
  assert.equal(nl.rows, 20);
  assert.deepEqual(nl.problems.filter((p) => p.severity !== 'info'), []);
});

test('Composer (LLM Foundry) console blocks are read: one row per `[batch=N/T]:` block, time/token the tokens, the Composer LR, T the planned end', async () => {
  // The layout of a real Composer 0.31 run's stdout: logging lines, the printed config, a C++ warning
  // in brackets, then blocks whose metric lines are tab-indented (some hold no number: W&B images).
  const block = (b: number, T: number, pre = '') => [
    `${pre}[batch=${b}/${T}]:`,
    `${pre}\t Train time/batch: ${b - 1}`,
    `${pre}\t Train time/sample: ${2 * (b - 1)}`,
    `${pre}\t Train time/token: ${2048 * (b - 1)}`,
    `${pre}\t Train time/token_in_epoch: ${2048 * (b - 1)}`,
    `${pre}\t Train memory/peak_reserved_mem: 4.0538`,
    `${pre}\t Train loss/train/total: ${(2.5 + 8 / Math.sqrt(b)).toFixed(4)}`,
    `${pre}\t Train metrics/train/LanguageCrossEntropy: ${(2.5 + 8 / Math.sqrt(b)).toFixed(4)}`,
    `${pre}\t Train time/train: ${(b / 1000).toFixed(4)}`,
    `${pre}\t Train lr-DecoupledAdamW/group0: ${(6e-4 * Math.min(1, b / 20)).toFixed(4)}`,
    `${pre}\t Train expert_selection/ffn_layer: <wandb.sdk.data_types.image.Image object at 0x711e4ce7f800>`,
    ...(b % 50 === 0 ? [`${pre}\t Eval metrics/eval/LanguageCrossEntropy: ${(2.6 + 8 / Math.sqrt(b)).toFixed(4)}`] : []),
  ];
  const preamble = [
    '[2025-08-06 10:02:48,297][composer.trainer.trainer][INFO] - Run name: 1754470968-umber-owl',
    '******************************', 'Config:', 'composer_version: 0.31.0', 'num_gpus_per_node: 1', '******************************',
    '[W806 10:02:48.299357116 CPUAllocator.cpp:245] Memory block of unknown size was allocated before the profiling started',
  ];
  for (const pre of ['', '0: ']) {
    const lines = [...preamble, ...Array.from({ length: 200 }, (_, i) => block(i + 1, 400, pre)).flat()];
    const log = parseLogText(lines.join('\n') + '\n', 'train.log');
    assert.equal(log.format, 'text', pre);
    assert.equal(log.rows, 200, pre);
    const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
    assert.equal(role('loss/train/total'), 'loss');
    assert.equal(role('time/token'), 'tokens');
    assert.equal(role('time/batch'), 'other');
    assert.equal(role('time/token_in_epoch'), 'other');
    assert.equal(role('time/train'), 'time');
    assert.equal(role('lr-DecoupledAdamW/group0'), 'lr');
    assert.equal(role('metrics/eval/LanguageCrossEntropy'), 'eval_loss');
    assert.deepEqual(Array.from(log.data.step).slice(0, 3), [1, 2, 3]);
    assert.equal(log.data['time/token'][199], 2048 * 199);
    assert.equal(log.data['loss/train/total'][199], Number((2.5 + 8 / Math.sqrt(200)).toFixed(4)));
    // Each row's line is its block's head line.
    assert.equal(log.lines[0], preamble.length + 1);
    assert.equal(log.run?.plannedSteps?.steps, 400);
    assert.match(log.run?.plannedSteps?.source ?? '', /"batch N\/400"/);
  }
  // A hostile block: a head then 5,000 metric lines is one row of at most 1,000 metrics.
  const many = ['[batch=1/2]:', ...Array.from({ length: 5000 }, (_, i) => `\t Train m${i}/loss: ${i}`), '[batch=2/2]:', '\t Train m0/loss: 1'];
  const h = parseLogText(many.join('\n') + '\n', 'train.log');
  assert.equal(h.rows, 2);
  assert.ok(h.columns.length <= 1001, `${h.columns.length} columns`);
});

test('DeepSpeed pipeline-engine lines (`steps: N loss: …`, newer `step: N / T loss: …`) are step lines; the total is the planned end', () => {
  // As deepspeed/runtime/pipe/engine.py prints them (Megatron-DeepSpeed adds `lm loss`, `moe loss`).
  const old = Array.from({ length: 30 }, (_, i) => `steps: ${i + 1} loss: ${(2 + 8 / Math.sqrt(i + 1)).toFixed(4)} lm loss: ${(1.96 + 8 / Math.sqrt(i + 1)).toFixed(4)} moe loss: 0.0405 iter time (s): 0.936 samples/sec: 136.706`);
  const a = parseLogText('[2023-05-01 10:00:00,000] [INFO] [engine.py:100:__init__] DeepSpeed info\n' + old.join('\n') + '\n', 'train.log');
  assert.equal(a.format, 'text');
  assert.deepEqual(Array.from(a.data.step).slice(0, 3), [1, 2, 3]);
  assert.equal(a.data.loss[29], Number((2 + 8 / Math.sqrt(30)).toFixed(4)));
  assert.ok(!a.columns.some((c) => c.name === 'steps' || c.name === 's'), a.columns.map((c) => c.name).join(','));
  // The experts' load-balancing term is not a loss series (so never the one fitted).
  assert.equal(a.columns.find((c) => c.name === 'moe_loss')?.role, 'other');
  assert.equal(inferRoles(['step', 'aux_loss', 'router_z_loss', 'loss'], { step: [1, 2], aux_loss: [0.01, 0.01], router_z_loss: [0.001, 0.001], loss: [2.5, 2.4] }).map((r) => r.role).join(','), 'step,other,other,loss');
  const newer = Array.from({ length: 30 }, (_, i) => `step: ${String(i + 1).padStart(5)} / ${String(1000).padStart(5)} loss: ${(2 + 8 / Math.sqrt(i + 1)).toFixed(4)} iter time (s): 0.900 samples/sec: 140.100 eta: 0:15:00 `);
  const b = parseLogText(newer.join('\n') + '\n', 'train.log');
  assert.equal(b.rows, 30);
  assert.equal(b.run?.plannedSteps?.steps, 1000);
  // "Total steps" in a sentence is not a step line.
  assert.equal(parseLogText('Total steps 1000 planned\n' + newer.join('\n') + '\n', 'train.log').rows, 30);
});

test('hand-written loop prints: a step counter anywhere in a line that names a loss is its step (epoch, brackets, tables, timestamps)', () => {
  const loss = (s: number) => (2 + 8 / Math.sqrt(s)).toFixed(4);
  const formats: Array<[string, (s: number) => string, string[]]> = [
    ['comma', (s) => `Epoch 1, Step ${s}: loss=${loss(s)}`, ['Epoch']],
    ['iter after epoch', (s) => `epoch 0 iter ${s}: loss ${loss(s)}`, ['epoch']],
    ['brackets with totals', (s) => `[Epoch 1/10][Step ${s}/1000] loss: ${loss(s)}`, []],
    ['fairseq-like table', (s) => `| epoch   1 | step ${String(s).padStart(5)} | loss ${loss(s)} |`, ['epoch']],
    ['timestamp and level', (s) => `2024-01-01 10:00:00 INFO Step ${s}/1000 - loss: ${loss(s)}`, []],
  ];
  for (const [name, line, extra] of formats) {
    const text = Array.from({ length: 40 }, (_, i) => line(i + 1)).join('\n') + '\n';
    // Detected as a text log (the comma one was read as a CSV of "Epoch 1" and " Step 1: loss=…" columns).
    assert.equal(detectFormat('train.log', text), 'text', name);
    const log = parseLogText(text, 'train.log');
    assert.deepEqual(Array.from(log.data.step).slice(0, 3), [1, 2, 3], name);
    const lossCol = log.columns.find((c) => c.role === 'loss')!.name;
    assert.equal(log.data[lossCol][39], Number(loss(40)), name);
    for (const e of extra) assert.equal(log.columns.find((c) => c.name === e)?.role, 'epoch', `${name}: ${e}`);
    if (/\/1000/.test(line(1))) assert.equal(log.run?.plannedSteps?.steps, 1000, name);
  }
  // A counter in a line that names no loss is not a metric line; nor is a word that only contains one.
  assert.equal(textLineHasMetrics('Saving checkpoint at step 100'), false);
  assert.equal(textLineHasMetrics('restep 100 loss 2.0'), false);
  assert.equal(textLineHasMetrics('steps_per_epoch 100 loss 2.0'), false);
});

test("rates named with a `/s` segment are rates, not compute or tokens (MaxText's `TFLOP/s/device`, `Tokens/s/device`)", () => {
  // MaxText's train.py prints, per step: `completed step: N, seconds: …, TFLOP/s/device: …, Tokens/s/device: …, total_weights: …, loss: …`.
  const text = Array.from({ length: 6 }, (_, i) => `completed step: ${(i + 1) * 10}, seconds: 1.234, TFLOP/s/device: 150.2, Tokens/s/device: 5000.1, total_weights: 65536, loss: ${(3 - i / 10).toFixed(3)}`).join('\n') + '\n';
  const log = parseLogText(text, 'maxtext.log');
  const role = (n: string) => log.columns.find((c) => c.name === n)?.role;
  assert.equal(role('TFLOP/s/device'), 'other');
  assert.equal(role('Tokens/s/device'), 'other');
  assert.equal(role('loss'), 'loss');
  assert.deepEqual(Array.from(log.data.step).slice(0, 2), [10, 20]);
  // A running total under a rate's folder is still a count (OLMo's `throughput/total_tokens`).
  assert.equal(parseLogText('step,throughput/total_tokens,loss\n1,1000,3\n2,2000,2.9\n', 'm.csv').columns.find((c) => c.name === 'throughput/total_tokens')?.role, 'tokens');
});
