// Jupyter notebooks (src/core/logs/notebook.ts): a notebook is read through its code cells' outputs,
// by the same text and table readers as a log file, with every message placed in the notebook
// (cell, execution count, output line). Real notebooks: a kohya sd-scripts LoRA run on Kaggle whose
// cell 3 printed the training console, and Google's FunctionGemma fine-tune whose Trainer displayed
// its log as an HTML table. Hostile ones: a huge output, `__proto__` keys, texts that are not text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogReadError, parseLogFile, parseLogText } from '../../src/core/logs';
import type { ParsedLog } from '../../src/core/logs';
import { MAX_NOTEBOOK_TEXT, readNotebook } from '../../src/core/logs/notebook';
import { splitRunsOfFile } from '../../src/core/logs/splitRuns';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { hasTextLines } from '../../src/protocol';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-nb-');

const KOHYA = 'kohya-sd15-lora-kaggle.ipynb';
const GEMMA = 'functiongemma-270m-trl-sft.ipynb';

const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const notes = (log: ParsedLog): string[] => log.problems.filter((p) => p.line === 0).map((p) => p.message);

interface NbJson { cells: { cell_type: string; execution_count?: number | null; outputs?: { output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]> }[] }[] }
const joined = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : t ?? '');

/** A notebook written fresh (nbformat 4), its cells' outputs as given. */
function notebook(name: string, cells: unknown[], extra: Record<string, unknown> = {}): string {
  const file = path.join(fs.mkdtempSync(path.join(tmp, 'w-')), name);
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5, ...extra }, null, 1));
  return file;
}
const code = (count: number | null, outputs: unknown[]) => ({ cell_type: 'code', execution_count: count, metadata: {}, outputs, source: [] });
const stdout = (text: unknown) => ({ name: 'stdout', output_type: 'stream', text });
const nanoLines = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i < to; i += 10) out.push(`iter ${i}: loss ${(3 - 0.001 * i).toFixed(4)}, time 100.00ms, mfu 1.00%\n`);
  return out;
};

test('a real kohya LoRA notebook (Kaggle): read through its cells\' output, the same rows as its cell 3\'s stdout read alone', async () => {
  const { file, text } = gunzipFixture(tmp, KOHYA);
  const nb = JSON.parse(text) as NbJson;
  // Today's reader refused it ("not a training log this reader knows … line 1: "{"metadata":…").
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  // Cell 3's stdout, taken out of the JSON here and read as a text log, gives the same run.
  const cell3 = joined(nb.cells[3].outputs!.find((o) => o.output_type === 'stream')!.text);
  const alone = parseLogText(cell3, 'cell3-stdout.log');
  assert.ok(alone.rows >= 10);
  assert.equal(log.rows, alone.rows);
  for (const c of alone.columns) assert.deepEqual(col(log, c.name), col(alone, c.name), c.name);
  assert.equal(log.columns.find((c) => c.role === 'loss')?.name, 'avr_loss');
  // Its planned end is placed in the notebook: cell 3 (In [6]) at the line of cell 3's output that says it.
  assert.equal(log.run?.plannedSteps?.steps, alone.run?.plannedSteps?.steps);
  const at = /line (\d+)\)$/.exec(alone.run!.plannedSteps!.source)![1];
  assert.match(log.run!.plannedSteps!.source, new RegExp(`cell 3 \\(In \\[${nb.cells[3].execution_count}\\]\\), output line ${at}\\)$`));
  // The note maps the lines read to the cells that printed them, and says the figure was not read.
  const map = notes(log).find((m) => m.includes('a Jupyter notebook'));
  assert.ok(map?.startsWith(`${KOHYA}: `), map);
  assert.match(map!, /cell 1 \(In \[5\]\), lines [\d,]+–[\d,]+ cell 3 \(In \[6\]\)/);
  assert.match(map!, /1 image or widget output stepped over unread/);
  // The gzipped fixture reads the same as the notebook uncompressed.
  const gz = await parseLogFile(path.join(FIXTURES, `${KOHYA}.gz`));
  assert.deepEqual(col(gz, 'avr_loss'), col(log, 'avr_loss'));
  assert.deepEqual(col(gz, 'step'), col(log, 'step'));
  // The pipeline (the CLI's and the worker's) fits it; the editor shows no line numbers of a notebook.
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  assert.equal(a.state.rows, log.rows);
  assert.ok(a.state.problems.some((p) => p.message.includes('a Jupyter notebook')));
  assert.equal(hasTextLines(a.state), false);
});

test('a real FunctionGemma notebook: the Hugging Face Trainer\'s HTML table is its log (Step, Training Loss, Validation Loss, metrics), its progress bar the planned end', async () => {
  const { file, text } = gunzipFixture(tmp, GEMMA);
  const nb = JSON.parse(text) as NbJson;
  // The table as the notebook holds it, read here with the test's own regexes.
  let html = '';
  let cell = -1;
  nb.cells.forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      const h = joined(o.data?.['text/html']);
      if (h.includes('<th>Training Loss</th>')) { html = h; cell = i; }
    }
  });
  const rows = [...html.matchAll(/<tr>\s*((?:<td>[^<]*<\/td>\s*)+)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td>([^<]*)<\/td>/g)].map((x) => Number(x[1])));
  assert.ok(rows.length >= 5);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'csv');
  assert.equal(log.rows, rows.length);
  assert.deepEqual(col(log, 'step'), rows.map((r) => r[0]));
  assert.deepEqual(col(log, 'loss'), rows.map((r) => r[1]));
  assert.deepEqual(col(log, 'eval_loss'), rows.map((r) => r[2]));
  const roles = Object.fromEntries(log.columns.map((c) => [c.name, c.role]));
  assert.equal(roles.step, 'step');
  assert.equal(roles.loss, 'loss');
  assert.equal(roles.eval_loss, 'eval_loss');
  // `<progress value='544' max='544'>`: the run's planned end, said with the cell it is in.
  const max = Number(/<progress value='\d+' max='(\d+)'/.exec(html)![1]);
  assert.equal(log.run?.plannedSteps?.steps, max);
  assert.match(log.run!.plannedSteps!.source, new RegExp(`cell ${cell}\\b`));
  // Its bar's `Epoch 2/2`: the planned steps pass over the data twice (a run over repeated data).
  const epochs = Number(/\[ *\d+\/\d+ [^\]]*Epoch [\d.]+\/(\d+)\]/.exec(html)![1]);
  assert.equal(log.run?.epochsLogged?.count, epochs);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, max / epochs);
  assert.ok(notes(log).some((m) => m.startsWith(`${GEMMA}: a Jupyter notebook, read through the Hugging Face Trainer's table`) && m.includes(`cell ${cell}`)));
  // A notebook not named .ipynb is known by its JSON (`cells` and `nbformat`).
  const renamed = path.join(tmp, 'functiongemma-notebook.json');
  fs.copyFileSync(file, renamed);
  const same = await parseLogFile(renamed);
  assert.equal(same.format, 'csv');
  assert.deepEqual(col(same, 'loss'), col(log, 'loss'));
});

test('a message about a line of a notebook names the cell, its execution count and the line of its output', async () => {
  const lines = nanoLines(0, 500);
  lines[20] = 'iter 200: loss nan, time 100.00ms, mfu 1.00%\n';
  const file = notebook('nano.ipynb', [
    { cell_type: 'markdown', metadata: {}, source: ['# run'] },
    code(3, [stdout(['Loading data\n', 'tokens: 1000\n'])]),
    code(7, [stdout(lines), { output_type: 'display_data', data: { 'image/png': 'iVBOR'.repeat(2000), 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {} }]),
  ]);
  const log = await parseLogFile(file);
  assert.equal(log.rows, 50);
  const nan = log.problems.find((p) => /NaN/.test(p.message));
  assert.ok(nan, JSON.stringify(log.problems));
  assert.ok(nan.message.startsWith('nano.ipynb: cell 2 (In [7]), output line 21: '), nan.message);
  assert.match(notes(log).join('\n'), /lines 1–2 cell 1 \(In \[3\]\), lines 3–\d+ cell 2 \(In \[7\]\)/);
  // A run split in two by a restart inside a notebook is not cut into files: its lines are not the file's.
  const twice = notebook('twice.ipynb', [code(1, [stdout(nanoLines(0, 300))]), code(2, [stdout(nanoLines(0, 300))])]);
  const split = await splitRunsOfFile(twice);
  assert.equal(split.files.length, 0);
  assert.match(split.note ?? '', /notebook/);
});

test('hostile notebooks: a huge output, a 24 MB image, `__proto__` keys, texts that are not text, broken JSON', async () => {
  // A 24 MB base64 image before the console, an output line of 17 MB (past the 16 MB line limit) after it.
  const huge = notebook('huge.ipynb', [
    code(1, [{ output_type: 'display_data', data: { 'image/png': 'A'.repeat(24 << 20), 'text/plain': ['<Figure>'] }, metadata: {} }]),
    code(2, [stdout(nanoLines(0, 300))]),
    code(3, [stdout('x'.repeat(17 << 20) + '\n')]),
  ]);
  const big = await parseLogFile(huge);
  assert.equal(big.rows, 30);
  assert.ok(big.problems.some((p) => p.message.startsWith('huge.ipynb: cell 2 (In [3]), output line 1: ')), JSON.stringify(big.problems.map((p) => p.message.slice(0, 200))));
  // The text taken is bounded: past the budget the outputs are left out, said.
  const cut = await readNotebook(huge, { sure: true, maxText: 1 << 20 });
  assert.ok(cut!.text.length <= (1 << 20) + 64, `${cut!.text.length}`);
  assert.ok(cut!.notes.some((n) => n.severity === 'warning' && /more than 1 MB of text: read up to cell 2/.test(n.message)), JSON.stringify(cut!.notes));
  assert.ok(MAX_NOTEBOOK_TEXT >= 1 << 20);

  // `__proto__` (and `constructor`) as keys anywhere: plain text, no prototype touched.
  const proto = path.join(tmp, 'proto.ipynb');
  fs.writeFileSync(proto, `{"__proto__": {"cells": 1}, "constructor": 2, "cells": [{"__proto__": {"outputs": []}, "cell_type": "code", "execution_count": 4, "outputs": [{"__proto__": {"text": "polluted"}, "output_type": "stream", "name": "stdout", "text": ${JSON.stringify(nanoLines(0, 200))}, "data": {"__proto__": "x"}}], "source": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`);
  const p = await parseLogFile(proto);
  assert.equal(p.rows, 20);
  assert.equal(({} as Record<string, unknown>).text, undefined);
  assert.equal(({} as Record<string, unknown>).outputs, undefined);
  assert.equal(({} as Record<string, unknown>).cells, undefined);

  // A `text` that is a number, an object, or a list with non-strings: left out and said; the strings read.
  const odd = notebook('odd.ipynb', [
    code(1, [stdout(42)]),
    code(2, [stdout({ text: 'iter 0: loss 9.0, time 1.00ms, mfu 1.00%\n' })]),
    code(3, [stdout([1, null, { a: 1 }, ...nanoLines(0, 200)])]),
  ]);
  const o = await parseLogFile(odd);
  assert.equal(o.rows, 20);
  assert.ok(o.problems.some((x) => x.severity === 'warning' && /odd\.ipynb: an output's "text" in cell 0, 1, 2 is neither a string nor a list of strings/.test(x.message)), JSON.stringify(o.problems));

  // Broken files are refused, each saying why and where.
  const bad = (name: string, body: string) => { const f = path.join(tmp, name); fs.writeFileSync(f, body); return f; };
  await assert.rejects(parseLogFile(bad('cut.ipynb', JSON.stringify({ cells: [code(1, [stdout(nanoLines(0, 100))])], nbformat: 4 }).slice(0, 300))), (e: Error) => e instanceof LogReadError && /^cut\.ipynb: not JSON: the text ends inside/.test(e.message));
  await assert.rejects(parseLogFile(bad('garbage.ipynb', '{"cells": [}')), (e: Error) => e instanceof LogReadError && /^garbage\.ipynb: not JSON: .* at byte 11$/.test(e.message));
  await assert.rejects(parseLogFile(bad('deep.ipynb', '['.repeat(200_000))), (e: Error) => e instanceof LogReadError && /nesting deeper than 512/.test(e.message));
  await assert.rejects(parseLogFile(bad('v3.ipynb', JSON.stringify({ worksheets: [{ cells: [] }], metadata: {}, nbformat: 3, nbformat_minor: 0 }))), (e: Error) => e instanceof LogReadError && /nbformat 3/.test(e.message));
  await assert.rejects(parseLogFile(notebook('empty.ipynb', [code(null, [])])), (e: Error) => e instanceof LogReadError && /^empty\.ipynb: a Jupyter notebook whose code cells hold no output text/.test(e.message));
  // Outputs that are no training log: refused as a text log is, the line placed in its cell.
  await assert.rejects(parseLogFile(notebook('hello.ipynb', [code(1, [stdout(['hello\n', 'loss of 1 2 3 here\n'])])])), (e: Error) => e instanceof LogReadError && /^hello\.ipynb: not a training log this reader knows.*cell 0 \(In \[1\]\), output line 2/.test(e.message));
  // A JSON file with a `cells` key that is no notebook is read as what it is (here: no log), not as a notebook.
  const notNb = bad('history.json', JSON.stringify({ cells: [1, 2, 3], loss: [3, 2, 1], val_loss: [3.1, 2.2, 1.3] }));
  const h = await parseLogFile(notNb).catch((e: Error) => e);
  assert.ok(!(h instanceof Error) || !/notebook/i.test(h.message), String(h));
});
