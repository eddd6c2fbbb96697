import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogFile, type ParsedLog } from '../../src/core/logs';
import { mulberry32 } from '../../src/core/fit/rng';
import { cutAtLines } from '../../src/core/logs/parallel';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-parallel-');
function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

/** Everything but the count of parts joined, which is the only thing allowed to differ. */
function comparable(log: ParsedLog): unknown {
  const { parts, ...stats } = log.stats;
  void parts;
  return { ...log, stats, data: Object.fromEntries(Object.entries(log.data).map(([k, v]) => [k, Array.from(v)])), lines: Array.from(log.lines) };
}

async function bothWays(file: string, threads = 3): Promise<{ one: ParsedLog; many: ParsedLog }> {
  const one = await parseLogFile(file, { threads: 1 });
  const many = await parseLogFile(file, { threads, parallelMinBytes: 1, awaitHelpers: true });
  assert.deepEqual(comparable(many), comparable(one));
  return { one, many };
}

/** A run log with the hard cases spread over the whole file, so they fall in every part. */
function awkwardRun(rows: number, eol = '\n'): string {
  const r = mulberry32(7);
  const out = ['step,tokens,train/loss,val/loss,lr,note'];
  let step = 0;
  for (let i = 0; i < rows; i++) {
    step++;
    const u = r();
    if (u < 0.002) step = Math.max(1, step - 1 - Math.floor(r() * 300)); // restart: steps go back
    else if (u < 0.006) step--; // the same step again (merged, or the later value wins)
    const loss = (2 + 40 / Math.sqrt(step)).toFixed(5);
    const val = step % 50 === 0 ? (2.1 + 40 / Math.sqrt(step)).toFixed(4) : '';
    const v = r();
    if (v < 0.001) out.push(`${step},${step * 1024},${loss}`); // too few fields
    else if (v < 0.002) out.push(`${step},${step * 1024},nan,${val},3e-4,x`);
    else if (v < 0.003) out.push(`${step},${step * 1024},inf,${val},3e-4,x`);
    else if (v < 0.004) out.push(`${step},${step * 1024},oops,${val},3e-4,x`);
    else if (v < 0.005) out.push('');
    else if (v < 0.006) out.push(`,${step * 1024},${loss},${val},3e-4,x`); // no step
    else out.push(`${step},${step * 1024},${loss},${val},3e-4,ok`);
  }
  return out.join(eol);
}

test('parallel CSV read: the same log as one thread on restarts, duplicate steps, bad rows, blank lines', async () => {
  const file = write('awkward.csv', awkwardRun(40000) + '\n');
  const { many } = await bothWays(file);
  assert.ok((many.stats.parts ?? 0) >= 1, 'the file was split across threads');
  assert.ok(many.stats.segments > 1 && many.stats.superseded > 0 && many.stats.dropped > 0);
  // Problems carry the file's own line numbers, not the part's.
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const p of many.problems.filter((q) => q.line > 0 && /nan|inf|oops/i.test(q.message))) {
    assert.match(lines[p.line - 1], /,(nan|inf|oops),/);
  }
});

test('parallel CSV read: CRLF, no line end at the end (cut short), two and four threads', async () => {
  const file = write('crlf.csv', awkwardRun(30000, '\r\n') + '\r\n12345,99');
  for (const threads of [2, 4]) {
    const { many } = await bothWays(file, threads);
    assert.ok((many.stats.parts ?? 0) >= 1);
    assert.ok(many.problems.some((p) => /cut short/.test(p.message)));
  }
});

test('parallel CSV read: a sweep, with non-ASCII run names', async () => {
  const rows = ['run,params,tokens,loss'];
  for (let i = 0; i < 20000; i++) rows.push(`modèle-${i % 37},${1e6 * (1 + (i % 37))},${1e9 * (1 + (i % 11))},${(2 + 1 / (1 + i % 13)).toFixed(4)}`);
  const { many } = await bothWays(write('sweep.csv', rows.join('\n') + '\n'));
  assert.equal(many.kind, 'sweep');
  assert.ok((many.stats.parts ?? 0) >= 1);
});

test('parallel CSV read: quoted fields (a line end inside quotes here and there), same result', async () => {
  const rows = ['step,loss,comment'];
  for (let i = 1; i <= 20000; i++) rows.push(i % 997 === 0 ? `${i},${(3 - i / 1e4).toFixed(4)},"two\nlines"` : `${i},${(3 - i / 1e4).toFixed(4)},x`);
  const { one } = await bothWays(write('quoted.csv', rows.join('\n') + '\n'));
  assert.equal(one.rows, 20000);
});

/** A CSV log of about `mb` MB with a quoted `note` (a line end inside) every 300 rows, and one quoted field of ~600 KB from `at` bytes on. */
function quotedLog(mb: number, at: number): { text: string; from: number; to: number } {
  const out = ['step,loss,note'];
  let len = out[0].length + 1, from = -1, to = -1;
  for (let i = 1; len < mb * 2 ** 20; i++) {
    let note = i % 300 === 0 ? '"two\nlines, one quoted"' : 'x';
    if (from < 0 && len >= at) {
      note = '"' + Array.from({ length: 18000 }, (_, k) => `line ${k} of a long quoted note`).join('\n') + '"';
      from = len;
      to = len + note.length;
    }
    const line = `${i},${(3 - i / 1e6).toFixed(6)},${note}`;
    out.push(line);
    len += line.length + 1;
  }
  return { text: out.join('\n') + '\n', from, to };
}

test('parallel CSV read: quotes before and after the cut are joined; a quoted field across the cut is read on one thread; same result both ways', async () => {
  const mb = 4;
  // Where the calling thread's part ends: just after a line end at about the middle of what is left
  // after the sampled head (read 64 KB at a time; the plan is made within the first few reads).
  const far = quotedLog(mb, 0.2 * mb * 2 ** 20);
  const fileFar = write('quoted-far.csv', far.text);
  const a = await bothWays(fileFar, 2);
  assert.ok((a.many.stats.parts ?? 0) >= 1, 'a log with quotes away from the cut is still read on two threads');
  const total = Buffer.byteLength(far.text);
  const across = quotedLog(mb, total / 2 - 100_000);
  const fileAcross = write('quoted-across.csv', across.text);
  // The cut falls inside the long quoted field, wherever in the first 512 KB the plan is made.
  for (let head = 1 << 16; head <= 1 << 19; head += 1 << 16) {
    const [cut] = await cutAtLines(fileAcross, head, Buffer.byteLength(across.text), 2);
    assert.ok(cut > across.from && cut < across.to, `cut ${cut} inside the quoted field [${across.from}, ${across.to})`);
  }
  const b = await bothWays(fileAcross, 2);
  assert.equal(b.many.stats.parts, undefined, 'the part after a cut inside a quoted field is not joined');
  assert.equal(b.one.rows, a.one.rows);
});

/** A JSONL run log with the hard cases spread over the whole file (restarts, repeats, bad lines). */
function awkwardJsonl(rows: number, eol = '\n', late = '', at = 0.8): string {
  const r = mulberry32(9);
  const out: string[] = [];
  let step = 0;
  for (let i = 0; i < rows; i++) {
    step++;
    const u = r();
    if (u < 0.002) step = Math.max(1, step - 1 - Math.floor(r() * 300));
    else if (u < 0.006) step--;
    const loss = 2 + 40 / Math.sqrt(step);
    const v = r();
    if (v < 0.001) out.push(`{"step":${step},"train/loss":NaN}`);
    else if (v < 0.002) out.push(`{"step":${step},"train/loss":"oops"}`);
    else if (v < 0.003) out.push('not json');
    else if (v < 0.004) out.push('');
    else if (v < 0.005) out.push(`{"tokens":${step * 1024},"train/loss":${loss}}`); // no step
    else if (v < 0.006) out.push(`{"step":${step},"train":{"loss":${loss}}}`); // nested: flattened to a known key
    else if (v < 0.007) out.push(`{"step":${step},"train/loss":1e400}`);
    else out.push(JSON.stringify({ step, tokens: step * 1024, 'train/loss': loss, lr: 3e-4, ...(step % 50 === 0 ? { 'val/loss': loss + 0.1 } : {}) }));
    if (late && i === Math.floor(rows * at)) out.push(late);
  }
  return out.join(eol);
}

test('parallel JSONL read: the same log as one thread on restarts, duplicate steps, bad lines, NaN, overflow', async () => {
  const file = write('awkward.jsonl', awkwardJsonl(40000) + '\n');
  const { many } = await bothWays(file);
  assert.ok((many.stats.parts ?? 0) >= 1, 'the file was split across threads');
  assert.ok(many.stats.segments > 1 && many.stats.superseded > 0 && many.stats.dropped > 0);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const p of many.problems.filter((q) => q.line > 0 && /oops/.test(q.message))) assert.match(lines[p.line - 1], /"oops"/);
});

test('parallel JSONL read: CRLF and a last line cut short; a key first seen late (read on one thread from there), run labels', async () => {
  await bothWays(write('crlf.jsonl', awkwardJsonl(30000, '\r\n') + '\r\n{"step":99999,"train/lo'), 2);
  const late = await bothWays(write('late.jsonl', awkwardJsonl(30000, '\n', '{"step":1,"grad_norm":0.5,"eval/loss":3.1}') + '\n'), 2);
  assert.ok(late.one.columns.some((c) => c.name === 'eval/loss'));
  // Before the cut (read by this thread after the parts were planned): the parts are not joined.
  const early = await bothWays(write('early.jsonl', awkwardJsonl(30000, '\n', '{"step":1,"grad_norm":0.5,"eval/loss":3.1}', 0.1) + '\n'), 2);
  assert.ok(early.one.columns.some((c) => c.name === 'eval/loss'));
  assert.equal(early.many.stats.parts, undefined);
  const rows: string[] = [];
  for (let i = 0; i < 20000; i++) rows.push(JSON.stringify({ run: `modèle-${i % 7}`, params: 1e6 * (1 + (i % 7)), tokens: 1e9 * (1 + (i % 5)), loss: 2 + 1 / (1 + (i % 13)) }));
  const { many } = await bothWays(write('sweep.jsonl', rows.join('\n') + '\n'));
  assert.equal(many.kind, 'sweep');
  assert.ok((many.stats.parts ?? 0) >= 1);
});

test('parallel reads into shared memory: the same log when the rows overflow their regions (main part, helpers), or without sharing', async () => {
  const csv = write('shared.csv', awkwardRun(40000) + '\n');
  const jsonl = write('shared.jsonl', awkwardJsonl(40000) + '\n');
  // A plain increasing log too, so that the parts are joined in place (appendBlock's bulk path).
  const plain = ['step,loss'];
  for (let i = 1; i <= 60000; i++) plain.push(`${i},${(3 + 1 / i).toFixed(7)}`);
  const plainFile = write('shared-plain.csv', plain.join('\n') + '\n');
  // Rows of three lengths, a third of the file each: with regions sized from the first rows, the
  // middle part's (short rows, more of them) overflow its region and the last part's fit theirs.
  const thirds = ['step,loss,note'];
  for (let i = 1, len = 0; len < 3 * 400_000; i++) {
    const line = `${i},${(3 + 1 / i).toFixed(7)},${'x'.repeat(len < 400_000 ? 40 : len < 800_000 ? 0 : 80)}`;
    thirds.push(line);
    len += line.length + 1;
  }
  const thirdsFile = write('shared-thirds.csv', thirds.join('\n') + '\n');
  for (const threads of [2, 3]) {
    const one = comparable(await parseLogFile(thirdsFile, { threads: 1 }));
    for (const sharedMargin of [1.1, 1.5]) {
      const many = await parseLogFile(thirdsFile, { threads, parallelMinBytes: 1, awaitHelpers: true, sharedMargin });
      assert.deepEqual(comparable(many), one, `thirds, ${threads} threads, margin ${sharedMargin}`);
    }
  }
  for (const file of [csv, jsonl, plainFile]) {
    const one = comparable(await parseLogFile(file, { threads: 1 }));
    for (const threads of [2, 3]) {
      // Default regions; regions far too small (every part's rows overflow into memory of their own);
      // about right (some parts fit, some do not); no shared memory.
      for (const o of [{}, { sharedMargin: 0.05 }, { sharedMargin: 0.9 }, { shareColumns: false }]) {
        const many = await parseLogFile(file, { threads, parallelMinBytes: 1, awaitHelpers: true, ...o });
        assert.ok((many.stats.parts ?? 0) >= 1, `${path.basename(file)}, ${threads} threads ${JSON.stringify(o)}: split`);
        assert.deepEqual(comparable(many), one, `${path.basename(file)}, ${threads} threads ${JSON.stringify(o)}`);
      }
    }
  }
});

test('cutAtLines: equal parts, each ending just after a line end', async () => {
  const dir = tmpDir('sl-cuts-');
  const file = path.join(dir, 'lines.csv');
  const line = 'step,loss,lr,tokens\n'.length; // every line the same length
  fs.writeFileSync(file, 'step,loss,lr,tokens\n'.repeat(10_000));
  const total = fs.statSync(file).size;
  const even = await cutAtLines(file, 0, total, 2);
  const three = await cutAtLines(file, 0, total, 3);
  const later = await cutAtLines(file, total / 2, total, 2);
  for (const cuts of [even, three, later]) {
    assert.equal(cuts[cuts.length - 1], total);
    for (const c of cuts) assert.equal(c % line, 0, `cut ${c} is at a line start`);
  }
  assert.ok(Math.abs(even[0] / total - 0.5) < 0.001, `${even[0] / total}`);
  assert.ok(Math.abs(three[0] / total - 1 / 3) < 0.001 && Math.abs(three[1] / total - 2 / 3) < 0.001, three.join(','));
  // From the middle (what this thread has read when the helpers are ready): the rest halved.
  assert.ok(Math.abs(later[0] / total - 0.75) < 0.001, later.join(','));
  // A file of one line: one part.
  const one = path.join(dir, 'one.csv');
  fs.writeFileSync(one, 'step,loss\n');
  assert.deepEqual(await cutAtLines(one, 0, 10, 2), [10]);
});
