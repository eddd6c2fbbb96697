// spaCy's training table (`python -m spacy train`, its console logger), refused before as "not a
// training log this reader knows": a header whose names hold spaces (`LOSS TOK2VEC`), a rule of dash
// groups under it that tells where each name is, then a row an evaluation. Read as a run at its step
// ("#"), its epoch ("E"); a component's loss is the curve fitted, the shared embedding's after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { spacyNames, spacyRow, TABLE_RULE_RE } from '../../src/core/logs/detect';
import { assertLinear } from './hostileUtil';

/** A table in spaCy's shape (widths as its console logger pads them), its rows given. */
function table(header: string[], widths: number[], rows: number[][]): string {
  // (Every cell right-aligned in its column, as the console logger prints them.)
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [
    'ℹ Pipeline: [\'tok2vec\', \'ner\']',
    'ℹ Initial learn rate: 0.001',
    header.map((h, i) => h.padEnd(widths[i])).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(r.map((v, i) => (i < 2 ? String(v) : v.toFixed(2))))),
    '✔ Saved pipeline to output directory',
    'output/model-last',
  ].join('\n') + '\n';
}

const HEAD = ['E', '#', 'LOSS TOK2VEC', 'LOSS NER', 'ENTS_F', 'ENTS_P', 'ENTS_R', 'SCORE'];
const WIDTHS = [3, 6, 12, 8, 6, 6, 6, 6];
const ROWS = Array.from({ length: 16 }, (_, k) => {
  const step = 200 * k, epoch = Math.floor(step / 700);
  return [epoch, step, k === 0 ? 0 : 40 + 10 * k, k === 0 ? 44.28 : 2400 * (k + 1) ** -0.5, 60 + k, 61 + k, 59 + k, (60 + k) / 100];
});

test('a spaCy table: each row at its step and epoch, its names from the rule, a component\'s loss fitted first', () => {
  const text = table(HEAD, WIDTHS, ROWS);
  assert.equal(detectFormat('train.log', text), 'text');
  const log = parseLogText(text, 'train.log');
  assert.equal(log.rows, ROWS.length);
  assert.deepEqual(Array.from(log.data.step), ROWS.map((r) => r[1]));
  assert.equal(log.columns.find((c) => c.name === 'epoch')?.role, 'epoch');
  assert.deepEqual(Array.from(log.data['LOSS NER']), ROWS.map((r) => Number(r[3].toFixed(2))));
  const losses = log.columns.filter((c) => c.role === 'loss').map((c) => c.name);
  assert.deepEqual(losses, ['LOSS NER', 'LOSS TOK2VEC'], 'the component\'s loss before the shared embedding\'s');
  assert.ok(log.columns.some((c) => c.name === 'ENTS_F'));
  assert.match(log.problems.map((p) => p.message).join('\n'), /train\.log:4: spaCy's training table \(8 columns under its rule\).*summed over the steps since the previous row/);
  assert.equal(log.run?.epochsLogged?.count, ROWS[ROWS.length - 1][0] + 1);
  assert.equal(log.lines[0], 5, 'the first row is the line under the rule');
});

test('a truncated header name (`LOSS TRANS...`) is a column of its own; a header with no rule, or a row of another width, is no table', () => {
  const t = table(['E', '#', 'LOSS TRANS...', 'LOSS NER', 'ENTS_F', 'SCORE'], [3, 6, 13, 8, 6, 6], ROWS.slice(0, 5).map((r) => [r[0], r[1], r[2], r[3], r[4], r[7]]));
  const log = parseLogText(t, 'train.log');
  assert.deepEqual(log.columns.filter((c) => c.role === 'loss').map((c) => c.name), ['LOSS NER', 'LOSS TRANS...']);
  assert.equal(log.rows, 5);
  // The header alone (the rule line lost): no names can be told apart, nothing is read as a table.
  const noRule = t.split('\n').filter((l) => !/^-/.test(l)).join('\n');
  assert.throws(() => parseLogText(noRule, 'train.log'));
  // A rule whose groups do not cover a name (the header shifted): refused.
  assert.equal(spacyNames('E    #       LOSS NER', '---  ------  --  --------'), undefined);
  assert.deepEqual(spacyNames('E    #       LOSS NER  SCORE', '---  ------  --------  -----'), ['E', '#', 'LOSS NER', 'SCORE']);
  assert.equal(spacyRow('  0     200   12.5', 4), undefined, 'a row of another width');
  assert.equal(spacyRow('  0     2x0   12.5  0.3', 4), undefined, 'a step that is no integer');
});

test('hostile: long rules, long headers and rows are read in linear time', () => {
  const rule = (n: number) => '-'.repeat(n) + ' '.repeat(n) + 'x';
  assertLinear('table rule', (n) => { TABLE_RULE_RE.test(rule(n).slice(0, 4097)); }, 2000);
  const head = (n: number) => 'E    #       LOSS ' + ' '.repeat(n) + 'NER';
  assertLinear('spaCy header', (n) => { try { parseLogText(`${head(n)}\n---  ------  --------\n  0   1   2.0\n`.repeat(4), 'train.log'); } catch { /* no table: refused */ } }, 2000);
  assertLinear('spaCy rows', (n) => { spacyRow('  0  ' + '1'.repeat(n) + '  2.0', 3); spacyNames('E  #  ' + 'L'.repeat(n), '-  -  ' + '-'.repeat(n)); }, 2000);
});

test('real spaCy consoles (ANSI colours, early-stopped): every row read as printed, the end where spaCy saved its pipeline', async () => {
  for (const run of ['m1', 'm2']) {
    const file = path.join(FIXTURES, 'spacy-veld-ner', run, 'train.log');
    const text = fs.readFileSync(file, 'utf8');
    const rows = [...text.matchAll(/^ {0,3}(\d+) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$/gm)];
    assert.ok(rows.length >= 15);
    const log = await parseLogFile(file);
    assert.equal(log.format, 'text');
    assert.deepEqual(Array.from(log.data.step), rows.map((m) => Number(m[2])));
    assert.deepEqual(Array.from(log.data['LOSS NER']), rows.map((m) => Number(m[4])));
    assert.deepEqual(Array.from(log.data['LOSS TOK2VEC']), rows.map((m) => Number(m[3])));
    const last = rows[rows.length - 1];
    assert.equal(log.run?.epochsLogged?.count, Number(last[1]) + 1);
    const saved = text.split('\n').findIndex((l) => l.includes('Saved pipeline to output directory')) + 1;
    assert.deepEqual(log.run?.plannedSteps, { steps: Number(last[2]), source: `"Saved pipeline to output directory" (line ${saved}): spaCy ended training after its last row (by max_steps, max_epochs or its patience)` });
    const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string; messages: string[] };
    assert.equal(j.series, 'LOSS NER');
    assert.ok(j.messages.some((m) => m.startsWith(`the run reached its planned end, step ${last[2]} ("Saved pipeline`)), j.messages.join('\n'));
  }
});
