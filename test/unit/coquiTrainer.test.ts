// The Coqui 🐸TTS / coqui-ai Trainer's log (`trainer_0_log.txt`, and the same lines on its console),
// real (test/fixtures/SOURCES.md): a VITS fine-tune restored from step 1,000,000 (a GAN: `loss_0` the
// discriminator's, `loss_1` the generator's total) and an XTTS GPT fine-tune (one `loss`; the newer
// `--> TIME: … -- STEP:` head, epochs and steps printed as their last index). Both were refused: "not a
// training log this reader knows".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText, type ParsedLog } from '../../src/core/logs';
import { COQUI_FIELD_RE, COQUI_STEP_RE, stripAnsi, textLineHasMetrics } from '../../src/core/logs/detect';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES, gunzipFixture } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-coqui-');

const roleOf = (log: ParsedLog, name: string) => log.columns.find((c) => c.name === name)?.role;
const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);

interface Block { line: number; within: number; total: number; global: number; fields: Map<string, number> }
interface Evaluation { line: number; fields: Map<string, number> }

/**
 * The blocks of a Coqui log as its text says them (independently of the reader): each training head
 * with its `| > key: value` lines (the value before the bracket), each EVAL PERFORMANCE with its lines.
 */
function blocksOf(text: string): { heads: Block[]; evals: Evaluation[]; lines: string[] } {
  const lines = text.split('\n').map((l) => stripAnsi(l.replace(/\r$/, '')));
  const heads: Block[] = [];
  const evals: Evaluation[] = [];
  let open: Map<string, number> | undefined;
  lines.forEach((l, i) => {
    const h = /--> (?:TIME: .*? -- )?STEP: (\d+)\/(\d+) -- GLOBAL_STEP: (\d+)\s*$/.exec(l);
    if (h) { open = new Map(); heads.push({ line: i + 1, within: +h[1], total: +h[2], global: +h[3], fields: open }); return; }
    if (/--> EVAL PERFORMANCE\s*$/.test(l)) { open = new Map(); evals.push({ line: i + 1, fields: open }); return; }
    const f = /^\s*\| > (\w+):\s*(\S+)/.exec(l);
    if (f && open) open.set(f[1], Number(f[2]));
    else open = undefined;
  });
  return { heads, evals, lines };
}

test('Coqui VITS fine-tune (real, GAN, restored from a checkpoint): a row per block at its step of this run, values not running averages, evaluations held out', async () => {
  fs.mkdirSync(path.join(tmp, 'coqui-vits-finetune'), { recursive: true });
  const { file, text } = gunzipFixture(tmp, 'coqui-vits-finetune/trainer_0_log.txt');
  assert.equal(detectFormat(path.basename(file), text.slice(0, 64 * 1024)), 'text');
  const { heads, evals, lines } = blocksOf(text);
  assert.ok(heads.length > 200 && evals.length > 100, `${heads.length} blocks, ${evals.length} evaluations`);
  // The first block comes after ~130 lines of preamble (`| > Layer missing in the checkpoint: …`).
  assert.ok(heads[0].line > 130, `first block at line ${heads[0].line}`);
  const restoredAt = lines.findIndex((l) => /^ > Model restored from step \d+$/.test(l));
  const restored = Number(/(\d+)$/.exec(lines[restoredAt])![1]);
  assert.ok(restored > 0 && heads[0].global > restored);

  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  // One row per GLOBAL_STEP block, at GLOBAL_STEP less the restored checkpoint's step (25 here).
  assert.equal(log.rows, heads.length);
  const step = col(log, 'step');
  assert.deepEqual(step, heads.map((h) => h.global - restored));
  assert.equal(step[0], heads[0].global - restored);
  assert.ok(step[0] < 100, `first step ${step[0]}`);
  // Values as printed, the first number of the line (the bracket's running average is no metric).
  for (const k of [0, Math.floor(heads.length / 2), heads.length - 1]) {
    const h = heads[k];
    for (const name of ['loss_0', 'loss_1', 'loss_mel', 'loss_disc_real_5']) assert.equal(col(log, name)[k], h.fields.get(name), `${name} at row ${k}`);
    // `current_lr_0` is the LR, its name as written.
    assert.equal(col(log, 'current_lr_0')[k], h.fields.get('current_lr_0'));
  }
  // The roles: the LRs are LRs; the timings, gradient norms and loss scale are not losses; the
  // evaluation's `avg_*` are held-out losses (its loader time is not).
  assert.equal(roleOf(log, 'current_lr_0'), 'lr');
  assert.equal(roleOf(log, 'loss_1'), 'loss');
  for (const name of ['step_time', 'loader_time', 'grad_norm_0', 'grad_norm_1', 'amp_scaler', 'val_loader_time']) {
    assert.ok(!['loss', 'eval_loss'].includes(roleOf(log, name) ?? ''), `${name}: ${roleOf(log, name)}`);
  }
  assert.equal(roleOf(log, 'val_loss_1'), 'eval_loss');
  assert.equal(roleOf(log, 'val_loss_0'), 'eval_loss');
  // Each evaluation at the last training row before it, its value (not the change in brackets).
  const lossAt = new Map<number, number>();
  for (let i = 0; i < log.rows; i++) if (Number.isFinite(log.data.val_loss_1[i])) lossAt.set(step[i], log.data.val_loss_1[i]);
  let checked = 0;
  for (const e of evals) {
    const before = heads.filter((h) => h.line < e.line).at(-1);
    if (!before) continue;
    const later = evals.find((x) => x.line > before.line && x.line < e.line);
    if (later) continue; // (two evaluations after one block: the later one wins)
    assert.equal(lossAt.get(before.global - restored), e.fields.get('avg_loss_1'), `evaluation at line ${e.line}`);
    checked++;
  }
  assert.ok(checked > 100, `${checked} evaluations checked`);
  // The restore is said, at its line.
  const note = log.problems.find((p) => /restored checkpoint's step/.test(p.message));
  assert.ok(note, log.problems.map((p) => p.message).join('\n'));
  assert.equal(note.severity, 'info');
  assert.equal(note.line, restoredAt + 1);
  assert.ok(note.message.includes(`step ${restored} (line ${restoredAt + 1})`), note.message);
  // The plan: E epochs (`EPOCH: e/E`) of T steps (`STEP: s/T`), as the log counts them.
  const of = new Set([...text.matchAll(/EPOCH: \d+\/(\d+)/g)].map((m) => Number(m[1])));
  const per = new Set(heads.map((h) => h.total));
  assert.equal(of.size, 1);
  assert.equal(per.size, 1);
  const [epochs] = of, [perEpoch] = per;
  assert.equal(log.run?.epochsLogged?.count, epochs);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, perEpoch);
  assert.equal(log.run?.plannedSteps?.steps, epochs * perEpoch);
  assert.match(log.run!.plannedSteps!.source, /EPOCH: \d+\/1000/);
  // A GAN's log: said, and the generator's total fitted first.
  assert.ok(log.problems.some((p) => p.severity === 'info' && /GAN/.test(p.message) && /loss_0/.test(p.message)));
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string };
  assert.equal(j.series, 'loss_1');
});

test('Coqui XTTS GPT fine-tune (real, one loss, `--> TIME: … -- STEP:` heads, last indices printed): rows, evaluations, the plan from the global steps', async () => {
  const file = path.join(FIXTURES, 'coqui-xtts-maltese', 'full_training_5epoch.log');
  const text = fs.readFileSync(file, 'utf8');
  const { heads, evals } = blocksOf(text);
  assert.ok(heads.length >= 30 && evals.length >= 5, `${heads.length} blocks, ${evals.length} evaluations`);
  assert.match(text, /--> TIME: [\d-]+ [\d:]+ -- STEP: \d+\/\d+ -- GLOBAL_STEP: \d+/);
  const log = await parseLogFile(file);
  assert.equal(log.format, 'text');
  assert.equal(log.rows, heads.length);
  // No restore: the steps are GLOBAL_STEP as printed.
  assert.deepEqual(col(log, 'step'), heads.map((h) => h.global));
  assert.ok(!log.problems.some((p) => /restored/.test(p.message)));
  for (const k of [0, 17, heads.length - 1]) {
    assert.equal(col(log, 'loss')[k], heads[k].fields.get('loss'));
    assert.equal(col(log, 'current_lr')[k], heads[k].fields.get('current_lr'));
  }
  assert.equal(roleOf(log, 'current_lr'), 'lr');
  assert.equal(roleOf(log, 'val_loss'), 'eval_loss');
  const last = evals.at(-1)!;
  const before = heads.filter((h) => h.line < last.line).at(-1)!;
  assert.equal(col(log, 'val_loss')[col(log, 'step').indexOf(before.global)], last.fields.get('avg_loss'));
  // This Trainer prints the last index (`EPOCH: 5/5`, `STEP: s/1327` of 1,328 steps): the steps an
  // epoch takes are the global steps between the starts of two epochs.
  const epochHeads = [...text.matchAll(/EPOCH: (\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const [lastEpoch, of] = epochHeads.at(-1)!;
  assert.equal(lastEpoch, of);
  const starts = new Map<number, number>();
  let epoch = -1;
  for (const l of text.split('\n')) {
    const e = /EPOCH: (\d+)\//.exec(l);
    if (e) epoch = Number(e[1]);
    const h = /STEP: (\d+)\/\d+ -- GLOBAL_STEP: (\d+)/.exec(l);
    if (h && !starts.has(epoch)) starts.set(epoch, Number(h[2]) - Number(h[1]));
  }
  const perEpoch = (starts.get(lastEpoch)! - starts.get(0)!) / lastEpoch;
  assert.equal(perEpoch, heads[0].total + 1);
  assert.equal(log.run?.epochsLogged?.count, of + 1);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, perEpoch);
  assert.equal(log.run?.plannedSteps?.steps, (of + 1) * perEpoch);
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string };
  assert.equal(j.series, 'loss');
});

test('Coqui heads: the newer TIME head read; a restore is a fine-tune\'s start only when the global steps go on from it; an evaluation before training at step 0', () => {
  const block = (time: boolean, s: number, t: number, g: number, loss: number) => [
    `\u001b[1m   --> ${time ? 'TIME: 2024-02-26 01:01:07 -- ' : ''}STEP: ${s}/${t} -- GLOBAL_STEP: ${g}\u001b[0m`,
    `     | > loss_text_ce: 0.0332101508975029  (0.0332101508975029)`,
    `     | > loss: ${loss}  (9.99)`,
    `     | > current_lr: 5e-06 `,
    `     | > step_time: 0.9667  (0.9666781425476074)`,
    '',
  ].join('\n');
  const evalBlock = (v: number) => `\n  \u001b[1m--> EVAL PERFORMANCE\u001b[0m\n     | > avg_loader_time: 0.18 (+0)\n     | > avg_loss:\u001b[92m ${v} \u001b[0m(-0.07)\n\n`;
  // The newer Trainer resets a fine-tune's global step to 0: no rebasing.
  const fresh = ` > Model restored from step 5000\n\n > EPOCH: 0/1\n${evalBlock(4.7)}${block(true, 0, 13, 0, 5.5)}\n${block(true, 10, 13, 10, 5.1)}${evalBlock(4.6)}`;
  assert.ok(fresh.split('\n').some(textLineHasMetrics));
  const a = parseLogText(fresh, 'trainer_0_log.txt');
  assert.equal(a.format, 'text');
  assert.deepEqual(col(a, 'step'), [0, 10]);
  assert.deepEqual(col(a, 'loss'), [5.5, 5.1]);
  assert.deepEqual(col(a, 'val_loss'), [4.7, 4.6]);
  assert.deepEqual(col(a, 'current_lr'), [5e-6, 5e-6]);
  assert.ok(!a.problems.some((p) => /restored/.test(p.message)));
  // The older one counts on from the checkpoint: rebased, and said.
  const on = ` > Model restored from step 5000\n > EPOCH: 0/2\n${block(false, 9, 20, 5010, 3)}${block(false, 19, 20, 5020, 2.5)}`;
  const b = parseLogText(on, 'trainer_0_log.txt');
  assert.deepEqual(col(b, 'step'), [10, 20]);
  assert.match(b.problems.map((p) => p.message).join('\n'), /steps counted from the restored checkpoint's step 5000 \(line 1\)/);
  assert.equal(b.run?.plannedSteps?.steps, 40);
  // A restore after rows is a run continued in the same file: its steps go on as printed.
  const cont = `${block(false, 9, 20, 10, 3)} > Model restored from step 10\n${block(false, 19, 20, 20, 2.5)}`;
  assert.deepEqual(col(parseLogText(cont, 'trainer_0_log.txt'), 'step'), [10, 20]);
});

test('Coqui regexes and reader: hostile lines are read in linear time', () => {
  const hostile = [
    (n: number) => '     | > '.repeat(n),
    (n: number) => `     | > loss: 1${' '.repeat(n)}x`,
    (n: number) => `     | > loss: 1 (${'('.repeat(n)}`,
    (n: number) => `   --> TIME: ${'1 -- '.repeat(n)}STEP: 1/2 -- GLOBAL_STEP: 3x`,
    (n: number) => `   --> STEP: ${'9'.repeat(n)}/2 -- GLOBAL_STEP: 3`,
  ];
  for (const make of hostile) {
    assertLinear(make(3).slice(0, 30), (n) => { const l = make(n); COQUI_FIELD_RE.test(l); COQUI_STEP_RE.test(l); textLineHasMetrics(l); }, 10_000);
  }
  // A 100 KB line of `| > ` inside an open block, and after a head: read quickly, no row of it.
  const line = '| > '.repeat(25_000);
  const t = Date.now();
  const log = parseLogText(`   --> STEP: 1/10 -- GLOBAL_STEP: 1\n     | > loss: 2.5  (2.5)\n${line}\n     | > loss_x: 1\n   --> STEP: 2/10 -- GLOBAL_STEP: 2\n${line}\n     | > loss: 2.4  (2.45)\n`, 'trainer_0_log.txt');
  assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  assert.deepEqual(col(log, 'step'), [1]);
  assert.deepEqual(col(log, 'loss'), [2.5]);
  assert.ok(!log.columns.some((c) => c.name === 'loss_x'), 'a line after the block closed is not its metric');
});
