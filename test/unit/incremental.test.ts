import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { LiveLog } from '../../src/core/logs/incremental';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-live-');

/** Everything but the count of parts read on helper threads. */
function comparable(log: ParsedLog): unknown {
  const { parts, ...stats } = log.stats;
  void parts;
  return { ...log, stats, data: Object.fromEntries(Object.entries(log.data).map(([k, v]) => [k, Array.from(v)])), lines: Array.from(log.lines) };
}

async function sameAsWhole(live: ParsedLog, file: string): Promise<void> {
  assert.deepEqual(comparable(live), comparable(await parseLogFile(file, { threads: 1 })));
}

function csvRows(from: number, to: number): string {
  let s = '';
  for (let step = from; step < to; step++) {
    const val = step % 100 === 0 ? (2.2 + 30 / Math.sqrt(step)).toFixed(5) : '';
    s += `${step},${step * 2048},${(2 + 30 / Math.sqrt(step)).toFixed(5)},${val}\n`;
  }
  return s;
}

test('incremental read of a growing CSV: only the appended lines are parsed, the result is the whole read', async () => {
  const file = path.join(tmp, 'metrics.csv');
  fs.writeFileSync(file, 'step,tokens,train/loss,val/loss\n' + csvRows(1, 3000));
  const live = new LiveLog(file);
  let r = await live.read();
  assert.equal(r.mode, 'full');
  await sameAsWhole(r.log, file);
  const first = r.log;
  const firstSteps = Array.from(first.data.step);

  // Appended: more rows, a duplicate step (merged into the last row), a bad row, a restart.
  const more = csvRows(3000, 3400) + '3399,6961152,,2.5\nnot,a,row\n' + csvRows(3200, 3500);
  fs.appendFileSync(file, more);
  r = await live.read();
  assert.equal(r.mode, 'appended');
  assert.equal(r.bytesParsed, Buffer.byteLength(more));
  await sameAsWhole(r.log, file);
  // The earlier result is untouched by the merge and the restart that followed it.
  assert.deepEqual(Array.from(first.data.step), firstSteps);

  // Nothing new.
  assert.equal((await live.read()).mode, 'unchanged');

  // A line still being written: the whole read's answer (the cut line reported), then completed.
  fs.appendFileSync(file, csvRows(3500, 3600) + '3600,737');
  r = await live.read();
  await sameAsWhole(r.log, file);
  assert.ok(r.log.problems.some((p) => /cut short/.test(p.message)));
  fs.appendFileSync(file, '2800,2.1,\n');
  r = await live.read();
  assert.equal(r.mode, 'appended');
  await sameAsWhole(r.log, file);
});

test('incremental read of a growing JSONL, with a key that appears late', async () => {
  const file = path.join(tmp, 'log.jsonl');
  const line = (s: number, extra = '') => `{"step": ${s}, "loss": ${(3 - s / 1e4).toFixed(5)}${extra}}\n`;
  let text = '';
  for (let s = 1; s <= 1500; s++) text += line(s);
  fs.writeFileSync(file, text);
  const live = new LiveLog(file);
  assert.equal((await live.read()).mode, 'full');
  let more = '';
  for (let s = 1501; s <= 1700; s++) more += line(s, s % 50 === 0 ? `, "eval_loss": ${(3.1 - s / 1e4).toFixed(5)}` : '');
  more += '{"step": 1701, "loss": NaN}\n';
  fs.appendFileSync(file, more);
  const r = await live.read();
  assert.equal(r.mode, 'appended');
  assert.ok('eval_loss' in r.log.data);
  await sameAsWhole(r.log, file);
});

test('incremental read: a truncated, rewritten or replaced file is read whole again', async () => {
  const file = path.join(tmp, 'rewrite.csv');
  fs.writeFileSync(file, 'step,tokens,train/loss,val/loss\n' + csvRows(1, 2500));
  const live = new LiveLog(file);
  assert.equal((await live.read()).mode, 'full');

  // Truncated (a new run writing over the old log).
  fs.writeFileSync(file, 'step,tokens,train/loss,val/loss\n' + csvRows(1, 1800));
  let r = await live.read();
  assert.equal(r.mode, 'full');
  await sameAsWhole(r.log, file);

  // Rewritten in place, longer: an earlier line changed, then more appended.
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[1] = '1,2048,9.99999,';
  fs.writeFileSync(file, lines.join('\n') + csvRows(1800, 2000));
  r = await live.read();
  assert.equal(r.mode, 'full');
  await sameAsWhole(r.log, file);
  assert.equal(r.log.data['train/loss'][0], 9.99999);

  // Replaced by another file (a new inode) that merely starts the same.
  const other = path.join(tmp, 'rewrite.csv.new');
  fs.writeFileSync(other, fs.readFileSync(file, 'utf8') + csvRows(2000, 2100));
  fs.renameSync(other, file);
  r = await live.read();
  assert.equal(r.mode, 'full');
  await sameAsWhole(r.log, file);
});

test('incremental read while the last line is still being written: only that line is read again, the result is the whole read', async () => {
  const frozen = (log: ParsedLog) => JSON.stringify(comparable(log));
  const cases: { name: string; head: string; steps: string[] }[] = [
    {
      name: 'partial.csv',
      head: 'step,tokens,train/loss,val/loss\n' + csvRows(1, 3000),
      // Cut mid-number (a row of all fields), cut short (dropped), a duplicate step, a restart, a
      // non-ASCII byte, then completed lines.
      steps: ['3000,614', '4000,6144000,2.5', '0,3.1\n3001,2048', ',2.9,\n3001,0,2.8', '\n2999,1,2.7,é', ',\n', csvRows(3002, 3010) + '3010'],
    },
    {
      name: 'partial.jsonl',
      head: Array.from({ length: 1500 }, (_, i) => `{"step": ${i + 1}, "loss": ${(3 - i / 1e4).toFixed(5)}}\n`).join(''),
      steps: ['{"step": 1501, "lo', 'ss": 2.8}', ', "eval_loss": 2.9}', '\n{"step": 1502, "new_key": 4, "loss": 2.7}', '\n{"step": 1400, "loss": 2.6}\n{"step": 1401, "loss": "é', '"}\n'],
    },
    {
      // Composer (LLM Foundry) blocks: a block is one row, its metric lines come after its head, so the
      // block still open at the end of a read is the last row (as a whole read has it).
      name: 'composer.log',
      head: Array.from({ length: 1500 }, (_, i) => `[batch=${i + 1}/2000]:\n\t Train time/token: ${i * 4096}\n\t Train loss/train/total: ${(3 - i / 1e3).toFixed(4)}\n`).join(''),
      steps: ['[batch=1501/2000]:\n\t Train time/token: 6144000\n', '\t Train loss/train/to', 'tal: 1.4\n\t Train lr-DecoupledAdamW/group0: 0.0006\n', '[batch=1502/2000]:\n', '\t Train loss/train/total: 1.39\n[batch=1503/2000]:\n\t Train loss/train/total: 1.38\n'],
    },
    {
      name: 'partial.log',
      head: Array.from({ length: 1500 }, (_, i) => `step ${i + 1}: loss ${(3 - i / 1e4).toFixed(4)}\n`).join(''),
      steps: ['step 1501: loss 2.7', '9\nstep 1502: lo', 'ss 2.78\n'],
    },
  ];
  for (const c of cases) {
    const file = path.join(tmp, c.name);
    fs.writeFileSync(file, c.head);
    const live = new LiveLog(file);
    assert.equal((await live.read()).mode, 'full');
    const seen: { log: ParsedLog; was: string }[] = [];
    let size = Buffer.byteLength(c.head);
    let end = size;
    for (const piece of c.steps) {
      fs.appendFileSync(file, piece);
      size += Buffer.byteLength(piece);
      const r = await live.read();
      assert.equal(r.mode, 'appended', `${c.name} + ${JSON.stringify(piece)}`);
      // Only the bytes after the last complete line read before: never the whole file.
      assert.equal(r.bytesParsed, size - end, `${c.name} + ${JSON.stringify(piece)}: bytes parsed`);
      await sameAsWhole(r.log, file);
      const text = fs.readFileSync(file);
      end = text.lastIndexOf(10) + 1 || end;
      seen.push({ log: r.log, was: frozen(r.log) });
    }
    // Every answer handed out earlier is unchanged by the reads after it (forks share the columns).
    for (const s of seen) assert.equal(frozen(s.log), s.was, `${c.name}: an earlier answer changed`);
  }
});

test('incremental read: a first read while the last line is being written keeps the reader at the line end (the next read appends)', async () => {
  for (const [name, head, cut, more] of [
    ['first-cut.csv', 'step,tokens,train/loss,val/loss\n' + csvRows(1, 3000), '3000,614', '4000,2.5,\n3001,2048,2.4,\n3002,1'],
    ['first-cut.jsonl', Array.from({ length: 1500 }, (_, i) => `{"step": ${i + 1}, "loss": ${(3 - i / 1e4).toFixed(5)}}\n`).join(''), '{"step": 1501, "lo', 'ss": 2.8}\n{"step": 1502, "loss": 2.7}\n{"st'],
  ] as const) {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, head + cut);
    const live = new LiveLog(file);
    let r = await live.read();
    assert.equal(r.mode, 'full');
    await sameAsWhole(r.log, file);
    fs.appendFileSync(file, more);
    r = await live.read();
    assert.equal(r.mode, 'appended', name);
    assert.equal(r.bytesParsed, Buffer.byteLength(cut + more), `${name}: only the bytes after the last line end read before`);
    await sameAsWhole(r.log, file);
  }
});
