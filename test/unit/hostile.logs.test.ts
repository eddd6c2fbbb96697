/**
 * Hostile log files (issue 10): each case is built here at test time (no large fixtures) and must
 * give the right outcome within a time bound: a clear message naming the file and the line, the
 * good rows kept, no fabricated row, no hang, bounded memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText, toRunCurves, type ParsedLog } from '../../src/core/logs';
import { COMPOSER_FIELD_RE, COMPOSER_HEAD_RE, OLMO_FIELD_RE, OLMO_HEAD_RE, FAIRSEQ_INNER_RE, FAIRSEQ_JSON_RE, FAIRSEQ_SUMMARY_RE, fairseqLine, HF_BANNER_RE, HF_BAR_RE, HF_DICT_RE, HF_PAIR_RE, TQDM_PAIR_RE, textLineHasMetrics, tqdmLossSegment } from '../../src/core/logs/detect';
import { MAX_COLUMNS, MAX_LINE } from '../../src/core/logs/parse';
import { inspectText } from '../../src/cli/inspect';
import { analyzeFile } from '../../src/core/pipeline';
import { MAX_COLUMNS_SHOWN } from '../../src/core/analyzer';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { assertLinear, ms } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-hostile-');
function tmpFile(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}
const msgs = (log: ParsedLog): string => log.problems.map((p) => p.message).join('\n');
const steps = (log: ParsedLog): number[] => Array.from(log.data['step'] ?? []);
const role = (log: ParsedLog, name: string): string | undefined => log.columns.find((c) => c.name === name)?.role;

// ------------------------------------------------------------------- item 2: linear regexes

test('text-log pair regex is linear: `step 1: ` + 80 KB of letters, digits or spaces', () => {
  for (const [name, make] of [
    ['letters', (n: number) => 'step 1: ' + 'a'.repeat(n)],
    ['digits after a key', (n: number) => 'step 1: a' + '1'.repeat(n) + 'x'],
    ['spaces after a key', (n: number) => 'step 1: a' + ' '.repeat(n) + 'x'],
    ['two-word key', (n: number) => 'step 1: a b' + '1'.repeat(n) + 'x'],
    ['many short words', (n: number) => 'step 1: ' + 'a1 '.repeat(n / 3)],
    // The step line's optional prefixes (rank tag, brackets, logger name) before no step at all.
    ['a long word', (n: number) => 'a'.repeat(n)],
    ['a long word and a colon', (n: number) => 'a'.repeat(n) + ': [x]: x'],
    ['an unclosed bracket', (n: number) => '[' + 'a'.repeat(n)],
    ['brackets then a word', (n: number) => '[a]: [b] ' + 'a'.repeat(n) + ' x'],
    ['logging separators without a level', (n: number) => '[a] ' + 'x - '.repeat(n / 4) + 'step 1: loss 2'],
    // `step` then a run of spaces and no number: two optional space runs around an optional colon
    // were quadratic (40,000 spaces took 0.9 s).
    ['spaces after the step word', (n: number) => 'step' + ' '.repeat(n) + 'x'],
    ['spaces after a colon', (n: number) => 'step:' + ' '.repeat(n) + 'x'],
    ['spaces after the step number', (n: number) => 'step 1' + ' '.repeat(n) + 'x'],
    // The counter looked for anywhere in a line that names a loss.
    ['loss, then step words', (n: number) => 'loss ' + 'step '.repeat(n / 5)],
    ['loss, step and spaces', (n: number) => 'x loss step' + ' '.repeat(n) + ':'],
    ['loss and digits', (n: number) => 'x loss iter ' + '1'.repeat(n) + 'a'],
    // A value may be a bracketed list (`lr [3e-4, 3e-4]`): unclosed, spaced, or one after another.
    ['an unclosed list', (n: number) => 'step 1: lr [' + '1,'.repeat(n / 2)],
    ['a list and spaces', (n: number) => 'step 1: lr [1' + ' '.repeat(n) + 'x'],
    ['a list of spaced commas', (n: number) => 'step 1: lr [1' + ' , 1'.repeat(n / 4) + ' x'],
    ['spaces inside the bracket', (n: number) => 'step 1: lr [' + ' '.repeat(n) + 'x'],
    ['many unclosed lists', (n: number) => 'step 1: ' + 'a [1,'.repeat(n / 5)],
    // timm's lines: its head, then no counter; spaces where the counter's digits would be.
    ['a timm head, then spaces', (n: number) => 'Train: 1 [' + ' '.repeat(n) + 'Loss: 1'],
    ['a timm head, then digits', (n: number) => 'Train: 1 [ ' + '1'.repeat(n) + ' Loss: 1'],
  ] as const) {
    assertLinear(name, (n) => { textLineHasMetrics(make(n)); }, 10_000);
    const t = ms(() => { textLineHasMetrics(make(80_000)); }, 1);
    assert.ok(t < 1000, `${name}: 80 KB took ${t.toFixed(0)} ms`);
  }
  // And it still reads what it should.
  assert.equal(textLineHasMetrics('step 100: train loss 2.5, lr=1e-3, 12ms'), true);
  const log = parseLogText('step 1: loss 2.5 | lr=0.001 tok/s 1234\nstep 2: loss: 2.4 | lr=0.001 tok/s 1200\n', 'train.log');
  assert.deepEqual(Array.from(log.data['loss']), [2.5, 2.4]);
});

test('Composer block regexes are linear: a long key, a long run of digits, a long prefix before no block', () => {
  for (const [name, make] of [
    ['head: digits', (n: number) => '[batch=' + '1'.repeat(n) + '/'],
    ['head: a long tag', (n: number) => 'a'.repeat(n) + ': [batch=1/2] x'],
    ['field: a long key', (n: number) => '\t Train ' + 'a'.repeat(n) + ' 1'],
    ['field: digits', (n: number) => '\t Train loss: ' + '1'.repeat(n) + 'x'],
    ['field: spaces', (n: number) => '0:' + ' '.repeat(n) + 'Train'],
  ] as const) {
    assertLinear(name, (n) => { COMPOSER_HEAD_RE.test(make(n)); COMPOSER_FIELD_RE.test(make(n)); }, 10_000);
  }
  assert.ok(COMPOSER_FIELD_RE.test('0:       Train loss/train/total: 12.0000'));
});

test('fairseq and OLMo regexes are linear: many epoch heads, pipes, brackets, an unclosed object, long keys and values', () => {
  for (const [name, make] of [
    ['inner heads', (n: number) => '| epoch 1: 1 / 2 a'.repeat(n / 18)],
    ['inner heads then a pipe', (n: number) => '| epoch 1: 1 / 2 a' + 'b'.repeat(n) + '|'],
    ['summary heads', (n: number) => '| epoch 1 | a '.repeat(n / 14)],
    ['summary tags', (n: number) => '| train | train '.repeat(n / 16)],
    ['json tags', (n: number) => '[a][train][INFO] - {'.repeat(n / 21)],
    ['json unclosed', (n: number) => '[a][train][INFO] - {' + 'x'.repeat(n)],
    ['pipes', (n: number) => '|'.repeat(n)],
    ['olmo heads', (n: number) => '[step=1/2]x'.repeat(n / 11)],
    ['olmo digits', (n: number) => '[step=' + '1'.repeat(n)],
    ['olmo key', (n: number) => '    ' + 'a'.repeat(n) + 'x'],
    ['olmo value', (n: number) => '    a=' + '1,000'.repeat(n / 5) + 'x'],
  ] as const) {
    assertLinear(name, (n) => { const s = make(n); OLMO_HEAD_RE.test(s); OLMO_FIELD_RE.test(s); FAIRSEQ_INNER_RE.test(s); FAIRSEQ_SUMMARY_RE.test(s); FAIRSEQ_JSON_RE.test(s); fairseqLine(s + ' epoch num_updates 1'); }, 10_000);
  }
  assert.ok(fairseqLine('2024-05-30 16:59:09 | INFO | train_inner | epoch 001:    100 / 1132 loss=12.426, num_updates=100, lr=1.25e-05'));
});

test('Trainer console regexes are linear: many bars, quotes, digits, a dict of many keys', () => {
  const count = (re: RegExp, s: string) => { re.lastIndex = 0; let k = 0; while (re.exec(s)) k++; return k; };
  for (const [name, make] of [
    ['bars', (n: number) => '| 1/2 ['.repeat(n / 7)],
    ['pipes and digits', (n: number) => '|' + '1'.repeat(n) + '/'],
    ['quotes', (n: number) => "'".repeat(n)],
    ['a long key', (n: number) => "{'" + 'a'.repeat(n) + "': 1}"],
    ['many keys', (n: number) => "{'loss': 1, " + "'a': 1, ".repeat(n / 8) + '}'],
    ['open dicts', (n: number) => "{'".repeat(n / 2)],
    ['banner digits', (n: number) => 'Total optimization steps = ' + '1,'.repeat(n / 2)],
    ['banner words', (n: number) => 'Num Epochs = '.repeat(n / 13)],
  ] as const) {
    assertLinear(name, (n) => { const s = make(n); count(HF_BAR_RE, s); count(HF_PAIR_RE, s); s.search(HF_DICT_RE); HF_BANNER_RE.exec(s); }, 10_000);
  }
  // Postfix bars: a long description, a long postfix, many keys, keys with spaces.
  for (const [name, make] of [
    ['a long description', (n: number) => 'a'.repeat(n) + '| 1/2 [x, loss=1]'],
    ['pipes', (n: number) => '|'.repeat(n) + ' 1/2 [loss=1]'],
    ['a long postfix', (n: number) => '| 1/2 [' + 'a'.repeat(n) + ' loss=1]'],
    ['many pairs', (n: number) => '| 1/2 [' + 'loss=1, '.repeat(n / 8) + ']'],
    ['spaced keys', (n: number) => '| 1/2 [' + 'a b c d '.repeat(n / 8) + '=1, loss=1]'],
  ] as const) {
    assertLinear(name, (n) => { const s = make(n); tqdmLossSegment(s); TQDM_PAIR_RE.lastIndex = 0; while (TQDM_PAIR_RE.exec(s)); }, 10_000);
  }
  // timm's and the MetricLogger's evaluation lines (read by the parse only): a long line of no mean, of spaces.
  for (const [name, make] of [
    ['timm test, no mean', (n: number) => 'Test: [ 1/1]' + ' x'.repeat(n / 2) + ' Loss: 1'],
    ['timm test, spaces', (n: number) => 'Test: [ 1/1]  Loss:' + ' '.repeat(n) + '1 (1)'],
    ['a summary star, then digits', (n: number) => '* Acc@1 ' + '1'.repeat(n) + ' x'],
  ] as const) {
    assertLinear(name, (n) => { parseLogText(`Train: 0 [ 1/2 ( 1%)]  Loss: 1 (1)\n${make(n)}\n`, 'a.log'); }, 10_000);
  }
  // word_language_model's lines: a long run of spaces or digits where its counter is, a long summary.
  for (const [name, make] of [
    ['wlm batches, spaces', (n: number) => '| epoch 1 |' + ' '.repeat(n) + '1/2 batches | loss 1'],
    ['wlm batches, digits', (n: number) => '| epoch 1 | ' + '1'.repeat(n) + '/2 batches | loss 1'],
    ['wlm end of epoch, pipes', (n: number) => '| end of epoch 1 |' + ' |'.repeat(n / 2) + ' valid loss 1'],
  ] as const) {
    assertLinear(name, (n) => { parseLogText(`| epoch   1 |   200/ 2983 batches | lr 20.00 | loss  7.63\n${make(n)}\n`, 'a.log'); }, 10_000);
  }
  // A console line of 180 KB of bar refreshes before its dict (5,000 steps between two logs) is read
  // as one row (the bar looked for in its last 4 KB; the format told from the first 256 KB).
  const line = ' 1%|█ | 5/100 [00:01<00:10, 9.1it/s]\r'.repeat(5_000) + " 6%|█ | 6/100 [00:01<00:10, 9.1it/s]{'loss': 2.5, 'epoch': 0.06}\n";
  const log = parseLogText('start\n' + line + line.replace('2.5', '2.4').replace(/6\/100/g, '7/100'), 'train.log');
  assert.deepEqual(Array.from(log.data.step), [6, 7]);
});

test("OpenNMT-py's shard loads: a long shard path costs what a short one does (no backtracking over its name)", () => {
  // `Loading dataset from <path>.pt` (up to 1,000 characters of path): which shard it is was told by a
  // greedy `.*\.(train|valid)` on the name, 1.9 ms a line at 1,000 characters (quadratic in the name).
  const console = (n: number, name: (k: number) => string) => {
    const out: string[] = [];
    for (let k = 0; k < 200; k++) {
      out.push(`[2020-02-09 07:29:02,665 INFO] Loading dataset from data/${name(n)}.pt`);
      out.push(`[2020-02-09 07:29:37,814 INFO] Step ${50 * (k + 1)}/100000; acc:   2.15; ppl: 11344.46; xent: 9.34; lr: 0.00001;`);
    }
    return out.join('\n') + '\n';
  };
  // (The name's length is capped at 1,000 by the line's pattern, so the cost is per line, not a curve to
  // fit: 200 lines of 960-character names against 200 of 60, best of 3, up to three tries on a busy machine.)
  for (const [what, name] of [['letters', (n: number) => 'a'.repeat(n)], ['dots', (n: number) => '.'.repeat(n)], ['.valid words', (n: number) => '.valid'.repeat(n / 6)]] as const) {
    let said = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const short = ms(() => { parseLogText(console(60, name), 'train.log'); });
      const long = ms(() => { parseLogText(console(960, name), 'train.log'); });
      if (long < 4 * short + 50) { said = ''; break; }
      said += `${said ? '; ' : ''}${short.toFixed(1)} ms for names of 60, ${long.toFixed(1)} ms for 960`;
    }
    assert.equal(said, '', `${what}: ${said} (backtracking over the name?)`);
  }
  // A training shard's loads are still passes; a validation shard's are not.
  const train = parseLogText(console(0, () => 'demo.valid.x.train.0'), 'train.log').run?.epochsLogged;
  assert.ok(train && train.stepsPerPass === 50, `passes: ${JSON.stringify(train)}`);
  assert.equal(parseLogText(console(0, () => 'demo.train.x.valid.0'), 'train.log').run?.epochsLogged, undefined);
});

test('a text log whose lines are 80 KB of letters is read in linear time', () => {
  const line = (n: number) => `step 1: loss 2.5 ${'a'.repeat(n)}\n`;
  assertLinear('parse', (n) => { parseLogText(line(n) + line(n).replace('step 1', 'step 2'), 'run.log'); }, 10_000);
});

test('an evaluation word, then a run of blanks before the counter, is read in linear time, and evaluation leads still say so', () => {
  // The lead before a counter found mid-line (`validation loss at iteration 100 | …`) is matched
  // against the evaluation words; two optional runs of blanks side by side made `val` + 60,000 spaces
  // + `x step 21 loss 2` take 4 s on one line.
  const head = 'step 1 loss 3.0\nstep 2 loss 2.9\nstep 3 loss 2.8\n';
  for (const word of ['val', 'Eval 1 at', 'validation loss at', 'test']) {
    assertLinear(word, (n) => { parseLogText(`${head}${word}${' '.repeat(n)}x step 21 loss 2.0\n`, 'train.log'); }, 10_000);
    const t = ms(() => { parseLogText(`${head}${word}${' '.repeat(200_000)}x step 21 loss 2.0\n`, 'train.log'); }, 1);
    assert.ok(t < 1000, `${word}: 200,000 blanks took ${t.toFixed(0)} ms`);
  }
  // A lead that ends in an evaluation word is still an evaluation's (its loss a held-out column) …
  const evalLog = parseLogText(`${head}validation loss at iteration 4 | lm loss value: 2.5\nEval 5 at step 5: loss 2.4\n`, 'train.log');
  const heldOut = evalLog.columns.filter((c) => c.role === 'eval_loss').map((c) => c.name);
  assert.ok(heldOut.length >= 1, `held-out columns: ${evalLog.columns.map((c) => `${c.name}:${c.role}`).join(', ')}`);
  // … and blanks after the word, then something else, are not.
  const trainLog = parseLogText(`${head}val${' '.repeat(50)}x step 21 loss 2.0\n`, 'train.log');
  assert.deepEqual(Array.from(trainLog.data['loss']).at(-1), 2.0);
});

// -------------------------------------------------------------- item 3: FIFOs, non-regular files

test('a named pipe is "not a regular file", never opened, never "empty"', async (t) => {
  if (process.platform === 'win32') return t.skip('no mkfifo');
  const fifo = path.join(tmp, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  const started = Date.now();
  await assert.rejects(parseLogFile(fifo), (e: Error) => {
    assert.match(e.message, /pipe\.csv: not a regular file: a named pipe/);
    return true;
  });
  assert.ok(Date.now() - started < 2000);
});

test('a folder that is not a run folder is named as such, not read as a file', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'dir-'));
  await assert.rejects(parseLogFile(dir), /a folder with no TensorBoard event files|is a directory/);
});

// ------------------------------------------------------------------ item 5: prototype keys

test('columns named constructor / toString / __proto__ are plain columns', async () => {
  const csv = await parseLogFile(tmpFile('proto.csv', 'step,constructor,toString,__proto__,loss\n1,a,b,c,3\n2,a,b,c,2.5\n3,b,c,d,2.2\n4,b,c,d,2\n'));
  assert.equal(role(csv, 'constructor'), 'other', 'not the run column');
  assert.equal(role(csv, 'toString'), 'other');
  assert.equal(csv.kind, 'run');
  assert.equal(csv.rows, 4, 'every row kept: the fit uses all of them');
  assert.equal(toRunCurves(csv).length, 1);
  for (const c of csv.columns) assert.equal(typeof c.role, 'string');
  // What the worker posts must survive structured clone (a function in a column's role would not).
  structuredClone(csv);

  const jsonl = await parseLogFile(tmpFile('proto.jsonl', '{"step":1,"loss":2,"__proto__":[7,8]}\n{"step":2,"loss":1.5,"__proto__":[7,8],"x":{"__proto__":[1]}}\n'));
  const names = jsonl.columns.map((c) => c.name).sort();
  assert.deepEqual(names, ['__proto__', 'loss', 'step', 'x/__proto__'], 'no phantom columns 0 and 1');
  assert.equal(jsonl.rows, 2);

  // Role overrides from settings are read as own properties only.
  const over = parseLogText('step,constructor,loss\n1,5,3\n2,6,2\n', 'o.csv', { roleOverrides: JSON.parse('{"__proto__":{"constructor":"loss"}}') });
  assert.equal(role(over, 'constructor'), 'other');
  const own = parseLogText('step,__proto__,x\n1,5,3\n2,4,2\n', 'o.csv', { roleOverrides: JSON.parse('{"__proto__":"loss"}') });
  assert.equal(role(own, '__proto__'), 'loss');
  assert.deepEqual(Array.from(own.data['__proto__']), [5, 4]);
  assert.equal(toRunCurves(own)[0].series, '__proto__');
});

// --------------------------------------------------------------- items 7/8: over-long lines

test('a line longer than the limit is dropped whole: no fabricated row from its tail', async () => {
  // 3 MB: longer than one read chunk (1 MB), so the line arrives in pieces.
  const opts = { maxLineChars: 64 * 1024 };
  const long = 'x'.repeat(3 << 20);
  for (const [name, text] of [
    ['long.csv', `step,loss\n1,2.5\n2,2.4\n${long},100000,0.0001\n3,2.3\n`],
    ['long.jsonl', `{"step":1,"loss":2.5}\n{"step":2,"loss":2.4}\n{"pad":"${long}","step":100000,"loss":0.0001}\n{"step":3,"loss":2.3}\n`],
    ['long.log', `step 1: loss 2.5\nstep 2: loss 2.4\n${long} step 100000: loss 0.0001\nstep 3: loss 2.3\n`],
  ]) {
    const file = tmpFile(name, text);
    for (const log of [await parseLogFile(file, opts), parseLogText(text, name, opts)]) {
      assert.deepEqual(steps(log), [1, 2, 3], `${name}: only the real rows`);
      assert.deepEqual(Array.from(log.lines), [2, 3, 5].map((l) => l - (name.endsWith('.csv') ? 0 : 1)), name);
      // Reported once, at its line. (A CSV row that arrives whole in one chunk is judged by its
      // fields instead: dropped all the same.)
      assert.equal(log.problems.length, 1, `${name}: reported once\n${msgs(log)}`);
      assert.match(msgs(log), new RegExp(`^${name.replace('.', '\\.')}:${name.endsWith('.csv') ? 4 : 3}: .*dropped$`));
    }
  }
});

test('one 50 MB line is reported once, at the real limit, and the rows around it are kept', async () => {
  const file = tmpFile('huge-line.csv', `step,loss\n1,2.5\n${'9'.repeat(50 << 20)},0.0001\n2,2.4\n`);
  const t = Date.now();
  const log = await parseLogFile(file);
  assert.deepEqual(steps(log), [1, 2]);
  assert.equal(log.problems.length, 1, msgs(log));
  assert.match(msgs(log), new RegExp(`huge-line\\.csv:3: a line longer than ${MAX_LINE >> 20} MB; dropped`));
  assert.ok(Date.now() - t < 20_000, `${Date.now() - t} ms`);
});

test('a header that is too long is an error, not replaced by its tail', async () => {
  const log = await parseLogFile(tmpFile('head.csv', `${'c,'.repeat(1_500_000)}step,loss\n1,2\n`), { maxLineChars: 64 * 1024 });
  assert.equal(log.rows, 0);
  assert.equal(log.columns.length, 0);
  assert.match(msgs(log), /head\.csv:1: the header line is longer than 64 KB; nothing read/);
});

test('a 10^6-column header: the first columns are read, the rows kept, the width reported', async () => {
  const n = 1_000_000;
  const names = ['step', 'loss'];
  for (let i = 2; i < n; i++) names.push(`m${i}`);
  const zeros = ',0'.repeat(n - 2);
  const file = tmpFile('wide.csv', `${names.join(',')}\n1,3${zeros}\n2,2.5${zeros}\n`);
  const t = Date.now();
  const log = await parseLogFile(file);
  assert.equal(log.rows, 2);
  assert.equal(log.columns.length, MAX_COLUMNS);
  assert.equal(role(log, 'loss'), 'loss');
  assert.deepEqual(Array.from(log.data['loss']), [3, 2.5]);
  assert.match(msgs(log), /wide\.csv:1: the header has 1,000,000 columns; only the first 100,000 are read/);
  assert.ok(Date.now() - t < 60_000, `${Date.now() - t} ms`);
});

test('a 330,000-column header of loss columns: analysed in linear time, and the state sent to a webview stays small', async () => {
  // Issue 10 item 12: such a header sent a 35 MB message and built 1.65M DOM nodes; every loss column
  // is a series, so the series menu and the default-series choice must not grow with the square.
  const n = 330_000;
  const names = ['step', 'loss'];
  for (let i = 2; i < n; i++) names.push(i % 2 ? `val_loss_${i}` : `loss_${i}`);
  const cells = ',0.5'.repeat(n - 2);
  let text = `${names.join(',')}\n`;
  for (let r = 1; r <= 5; r++) text += `${r},${3 - r / 10}${cells}\n`;
  const file = tmpFile('wide-losses.csv', text);
  const t = Date.now();
  const a = await analyzeFile(file);
  const took = Date.now() - t;
  assert.ok(took < 60_000, `${took} ms (quadratic in the columns?)`);
  const bytes = JSON.stringify(a.state).length;
  assert.ok(bytes < 1_000_000, `${bytes} bytes of state`);
  assert.ok(a.state.columns.length <= MAX_COLUMNS_SHOWN && a.state.seriesNames.length <= MAX_COLUMNS_SHOWN + 1, `${a.state.columns.length} columns, ${a.state.seriesNames.length} series listed`);
  assert.equal(a.state.columnCount, MAX_COLUMNS);
  assert.equal(a.state.options.series, 'loss', 'the training loss with the most points, as for a narrow log');
  assert.ok(a.state.seriesNames.includes('loss'));
  const narrower = tmpFile('wide-losses-2k.csv', text.split('\n').map((l) => l.split(',').slice(0, 2000).join(',')).join('\n'));
  const wrong = await analyzeFile(narrower, { ...DEFAULT_ANALYZE_OPTIONS, series: 'nope' });
  const note = (wrong.state.fit?.messages ?? []).find((m) => m.includes('"nope"')) ?? '';
  assert.match(note, /\(1,999 in all\)/);
  assert.ok(note.length < 2000, `the "no such series" note lists a few names, not all: ${note.length} chars`);
});

test('32 MB of leading blank lines: skipped once, and the CSV after them is read with true line numbers', async () => {
  const blank = 32 << 20;
  const file = tmpFile('blank.csv', '\n'.repeat(blank) + 'step,loss\n1,2\n2,1.5\n');
  const t = Date.now();
  const log = await parseLogFile(file);
  assert.equal(log.format, 'csv');
  assert.deepEqual(steps(log), [1, 2]);
  assert.deepEqual(Array.from(log.lines), [blank + 2, blank + 3]);
  assert.ok(Date.now() - t < 10_000, `${Date.now() - t} ms`);
  assertLinear('blank lines', (k) => { parseLogText('\n \r\n'.repeat(k) + 'step,loss\n1,2\n', 'b.csv'); }, 50_000);
  const text = parseLogText('\n\n\n{"step":1,"loss":2}\n{"step":2,"loss":"x"}\n{"step":3,"loss":1.5}\n{"step":4,"loss":1}\n', 'b.jsonl');
  assert.match(msgs(text), /b\.jsonl:5: loss holds 'x'/);
});

test('sampling for role inference is bounded in bytes: huge JSONL rows fit a 48 MB heap', () => {
  const file = path.join(tmp, 'fat.jsonl');
  const fd = fs.openSync(file, 'w');
  const pad = 'x'.repeat(100_000);
  fs.writeSync(fd, '{"step":0,"loss":3}\n');
  for (let i = 1; i <= 600; i++) fs.writeSync(fd, JSON.stringify({ step: i, loss: 3 - i / 1000, pad }) + '\n');
  fs.closeSync(fd);
  const parse = require.resolve('../../src/core/logs');
  const r = spawnSync(process.execPath, ['--max-old-space-size=48', '-e',
    `require(${JSON.stringify(parse)}).parseLogFile(${JSON.stringify(file)}).then((l) => console.log(l.rows))`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  assert.equal(r.stdout.trim(), '601');
});

test('a cell nested 10,000 arrays deep does not abort the log', async () => {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  const text = `{"step":1,"loss":2,"run":"a"}\n{"step":2,"loss":1.5,"run":${deep},"x":${deep}}\n{"step":3,"loss":1.2,"run":"a"}\n`;
  const log = await parseLogFile(tmpFile('deep.jsonl', text));
  assert.equal(log.rows, 3);
  assert.deepEqual(Array.from(log.data['loss']), [2, 1.5, 1.2]);
  const first = parseLogText(`{"step":1,"loss":2,"run":${deep}}\n{"step":2,"loss":1.5,"run":"b"}\n`, 'd.jsonl');
  assert.equal(first.rows, 2);
});

// -------------------------------------------------------------- item 10: silently wrong numbers

test('0x3, 0b1010, 0o7 are not numbers; 1e309 is reported in CSV and JSONL alike', async () => {
  const csv = parseLogText('step,loss\n1,0x3\n2,0b1010\n3,0o7\n4,1e309\n5,2\n6,1.9\n7,1.8\n8,1.7\n9,1.6\n', 'n.csv');
  assert.deepEqual(Array.from(csv.data['loss']).slice(0, 5).map((v) => (Number.isNaN(v) ? null : v)), [null, null, null, null, 2]);
  assert.match(msgs(csv), /n\.csv:2: loss holds '0x3', a hexadecimal, octal or binary literal, not a decimal number/);
  assert.match(msgs(csv), /n\.csv:5: loss is 1e309, too large for a 64-bit float/);
  const jsonl = parseLogText('{"step":1,"loss":1e309}\n{"step":2,"loss":-1e999}\n{"step":3,"loss":"0x10"}\n{"step":4,"loss":2}\n', 'n.jsonl');
  assert.deepEqual(Array.from(jsonl.data['loss']).map((v) => (Number.isNaN(v) ? null : v)), [null, null, null, 2]);
  assert.match(msgs(jsonl), /n\.jsonl:1: loss is a number too large for a 64-bit float/);
  assert.match(msgs(jsonl), /n\.jsonl:2: loss is a negative number too large/);
  assert.match(msgs(jsonl), /n\.jsonl:3: loss holds '0x10'/);
  // A column of hex strings is text, not a numeric column.
  const hex = parseLogText('step,id,loss\n1,0x1f,2\n2,0x20,1.5\n', 'h.csv');
  assert.equal(hex.columns.find((c) => c.name === 'id')?.numeric, false);
});

test('UTF-16 with a BOM is decoded; without one it is named UTF-16, not "binary"', async () => {
  const body = 'step,loss\n1,2\n2,1.5\n';
  const le = await parseLogFile(tmpFile('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')])));
  assert.deepEqual(steps(le), [1, 2]);
  assert.equal(le.problems.length, 0, msgs(le));
  const be = await parseLogFile(tmpFile('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(body, 'utf16le').swap16()])));
  assert.deepEqual(steps(be), [1, 2]);
  await assert.rejects(parseLogFile(tmpFile('nobom.csv', Buffer.from(body, 'utf16le'))), /nobom\.csv: UTF-16 text without a byte-order mark/);
  await assert.rejects(parseLogFile(tmpFile('bin.csv', Buffer.from([1, 2, 0, 0, 0, 7, 200, 3]))), /bin\.csv: binary file/);
});

// ------------------------------------------------------------- item 9: terminal escaping (log side)

test('CLI inspect text output carries no control characters from the file', () => {
  const log = parseLogText('step,\u001b[2J\u001b]52\u0007loss\u009b31m\n1,2\n2,x\u001b[31m\n3,1.5\n4,1\n', 'esc.csv');
  const out = inspectText(log);
  assert.doesNotMatch(out.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
  assert.match(out, /\\x1b\[2J/);
});

test('detection of a JSONL whose first record is longer than the head', () => {
  assert.equal(detectFormat('big.jsonl', `{"step":1,"pad":"${'x'.repeat(70_000)}`.slice(0, 65536)), 'jsonl');
});

test('run-folder text files (MLflow, W&B history): the tail of an over-long line is never a line of its own', async () => {
  const { eachLine } = await import('../../src/core/logs/textfiles');
  const file = tmpFile('metric', `1 2.5 1\n${'7'.repeat(9 << 20)} 0.0001 100000\n2 2.4 2\n`);
  const seen: [string, number][] = [];
  await eachLine(file, (line, n) => { seen.push([line.slice(0, 20), n]); });
  assert.deepEqual(seen.map(([, n]) => n), [1, 2, 3]);
  assert.equal(seen[2][0], '2 2.4 2');
  assert.ok(!seen.some(([l]) => l.includes('0.0001')), 'no row from the tail');
});
