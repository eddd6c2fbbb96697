// pytorch-CycleGAN-and-pix2pix's loss lines (util/visualizer.py print_current_losses: its
// `checkpoints/<name>/loss_log.txt`, and the same lines on its script's stdout), real
// (test/fixtures/SOURCES.md): a CycleGAN run's loss_log.txt of eight launches with its train_opt.txt,
// and a pix2pix run's stdout (an excerpt of its first 25 epochs). Both were refused: "not a training
// log this reader knows". `iters` counts the images into the epoch; `time` and `data` are seconds per
// image, no clock; the losses are named G_A, D_real, NCE… (no "loss" in them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFormat, parseLogFile, parseLogText, withTailFacts, type ParsedLog } from '../../src/core/logs';
import { ganLine, GAN_LAUNCH_RE, textLineHasMetrics } from '../../src/core/logs/detect';
import { trainOptEpochs } from '../../src/core/logs/ganOptions';
import { LiveLog } from '../../src/core/logs/incremental';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { assertLinear } from './hostileUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-gan-');

const CYCLEGAN = path.join(FIXTURES, 'cyclegan-remote-sensing', 'loss_log.txt');
const PIX2PIX = path.join(FIXTURES, 'pix2pix-facades-stdout-excerpt.log');

const roleOf = (log: ParsedLog, name: string) => log.columns.find((c) => c.name === name)?.role;
const col = (log: ParsedLog, name: string): number[] => Array.from(log.data[name] ?? []);
const seriesOf = async (file: string): Promise<string> => (fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string }).series;

interface Row { line: number; launch: number; epoch: number; iters: number; losses: Map<string, string> }

/** The loss lines of a text as its text says them (independently of the reader), each with its launch (count of heads before it). */
function rowsOf(text: string): Row[] {
  const out: Row[] = [];
  let launch = 0;
  text.split('\n').forEach((l, i) => {
    if (/^=+ Training Loss \(.*\) =+\s*$/.test(l)) { launch++; return; }
    const m = /^\(epoch: (\d+), iters: (\d+), time: [\d.]+, data: [\d.]+\) (.*)$/.exec(l);
    if (!m) return;
    const parts = m[3].trim().split(' ');
    const losses = new Map<string, string>();
    for (let k = 0; k < parts.length; k += 2) losses.set(parts[k].replace(/:$/, ''), parts[k + 1]);
    out.push({ line: i + 1, launch, epoch: Number(m[1]), iters: Number(m[2]), losses });
  });
  return out;
}

/** Each kept row's losses equal to its line's text, and G the sum of `terms` (to the printed decimals). */
function checkValues(log: ParsedLog, rows: Row[], terms: string[]): void {
  const byLine = new Map(rows.map((r) => [r.line, r]));
  for (let k = 0; k < log.rows; k++) {
    const r = byLine.get(log.lines[k]);
    assert.ok(r, `row ${k} from line ${log.lines[k]}, no loss line`);
    for (const [name, v] of r.losses) assert.equal(log.data[name][k], Number(v), `${name} at line ${r.line}`);
    const sum = terms.reduce((s, t) => s + Number(r.losses.get(t)), 0);
    assert.ok(Math.abs(log.data.G[k] - sum) < 1e-9, `G ${log.data.G[k]} ≠ ${sum} at line ${r.line}`);
  }
}

test('CycleGAN loss_log.txt (real, eight launches): the last run\'s rows at the images seen, losses as printed, G their sum, time/data no clock, the fit on G', async () => {
  const text = fs.readFileSync(CYCLEGAN, 'utf8');
  assert.equal(detectFormat('loss_log.txt', text.slice(0, 64 * 1024)), 'text');
  const rows = rowsOf(text);
  const launches = text.split('\n').filter((l) => GAN_LAUNCH_RE.test(l)).length;
  assert.equal(launches, 8);
  assert.equal(rows.length, 165);
  const log = await parseLogFile(CYCLEGAN);
  assert.equal(log.format, 'text');
  assert.equal(log.stats.rowsRead, rows.length);
  // Every launch starts again at epoch 1 (a run from scratch): the last run is the one read.
  const last = rows.filter((r) => r.launch === launches - 1);
  assert.equal(log.rows, last.length);
  assert.equal(log.rows, 115);
  assert.deepEqual(Array.from(log.lines), last.map((r) => r.line));
  assert.ok((log.stats.runStarts?.length ?? 0) >= 1);
  // Its steps: the images seen since epoch 1 began. Epoch 2's first line is one print interval (the
  // rise of `iters` within epoch 1) after epoch 1's last: an epoch is last + interval − first images.
  const e1 = last.filter((r) => r.epoch === 1), e2 = last.filter((r) => r.epoch === 2);
  const interval = e1[1].iters - e1[0].iters;
  const perEpoch = e1.at(-1)!.iters + interval - e2[0].iters;
  assert.equal(perEpoch, 9522);
  const step = col(log, 'step');
  assert.deepEqual(step, last.map((r) => (r.epoch - 1) * perEpoch + r.iters));
  for (let k = 1; k < step.length; k++) assert.ok(step[k] > step[k - 1], `step ${step[k]} after ${step[k - 1]}`);
  assert.equal(step[e1.length] - step[e1.length - 1], interval);
  assert.ok(log.problems.some((p) => p.message.includes('an epoch takes 9,522 images, inferred from the log')));
  // The losses as printed; G the generator's objective (its six terms), CycleGAN's D_A and D_B not in it.
  checkValues(log, last, ['G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B']);
  for (const name of ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B', 'G']) assert.equal(roleOf(log, name), 'loss', name);
  assert.equal(roleOf(log, 'epoch'), 'epoch');
  // `time` and `data` are seconds per image: neither a clock, a step nor a loss.
  for (const name of ['t_comp', 't_data']) assert.equal(roleOf(log, name), 'other', name);
  assert.ok(!log.columns.some((c) => c.role === 'time'), log.columns.map((c) => `${c.name}:${c.role}`).join(' '));
  assert.deepEqual(log.columns.filter((c) => c.role === 'step').map((c) => c.name), ['step']);
  assert.equal(log.run?.wholeLoss, 'G');
  assert.equal(log.run?.epochsLogged?.stepsPerPass, perEpoch);
  assert.ok(log.problems.some((p) => p.severity === 'info' && /GAN/.test(p.message) && /trained against each other/.test(p.message)));
  // train_opt.txt beside it plans n_epochs + n_epochs_decay epochs: the planned end in images.
  const opt = fs.readFileSync(path.join(path.dirname(CYCLEGAN), 'train_opt.txt'), 'utf8');
  const epochs = Number(/ n_epochs: (\d+)/.exec(opt)![1]) + Number(/ n_epochs_decay: (\d+)/.exec(opt)![1]);
  assert.equal(epochs, 200);
  const full = await withTailFacts(CYCLEGAN, log);
  assert.equal(full.run?.epochsLogged?.count, epochs);
  assert.equal(full.run?.plannedSteps?.steps, epochs * perEpoch);
  assert.match(full.run!.plannedSteps!.source, /train_opt\.txt/);
  assert.equal(await seriesOf(CYCLEGAN), 'G');
});

test('pix2pix stdout (real excerpt): its epochs of 400 images as the script says them, G = G_GAN + G_L1, the planned end from "End of epoch N / 200"', async () => {
  const text = fs.readFileSync(PIX2PIX, 'utf8');
  assert.equal(detectFormat(path.basename(PIX2PIX), text.slice(0, 64 * 1024)), 'text');
  const rows = rowsOf(text);
  assert.equal(rows.length, 100);
  // The script's own words: its data set's size and the images seen at an epoch's end.
  const size = Number(/^The number of training samples = (\d+)$/m.exec(text)![1]);
  assert.equal(size, 400);
  const saved = /^saving the model at the end of epoch (\d+), iters (\d+)$/m.exec(text)!;
  const log = await parseLogFile(PIX2PIX);
  assert.equal(log.rows, rows.length);
  const step = col(log, 'step');
  assert.deepEqual(step, rows.map((r) => (r.epoch - 1) * size + r.iters));
  const lastOfSaved = rows.map((r, k) => [r, k] as const).filter(([r]) => r.epoch === Number(saved[1])).at(-1)![1];
  assert.equal(step[lastOfSaved], Number(saved[2]));
  checkValues(log, rows, ['G_GAN', 'G_L1']);
  assert.equal(log.run?.wholeLoss, 'G');
  const of = Number(/^End of epoch \d+ \/ (\d+)/m.exec(text)![1]);
  assert.equal(log.run?.epochsLogged?.count, of);
  assert.equal(log.run?.epochsLogged?.stepsPerPass, size);
  assert.equal(log.run?.plannedSteps?.steps, of * size);
  for (const name of ['G_GAN', 'G_L1', 'D_real', 'D_fake']) assert.equal(roleOf(log, name), 'loss', name);
  assert.equal(await seriesOf(PIX2PIX), 'G');
});

const line = (e: number, i: number, losses: string) => `(epoch: ${e}, iters: ${i}, time: 0.050, data: 0.001) ${losses} `;
const head = (d: string) => `================ Training Loss (${d}) ================`;
const p2p = (g: number) => `G_GAN: ${g.toFixed(3)} G_L1: 20.125 D_real: 0.500 D_fake: 0.250`;

test('relaunches: from epoch 1 a new run (the last read); --continue_train at a later epoch goes on; a resumed epoch supersedes; an epoch\'s images estimated where no end is seen', () => {
  // A run of 250-image epochs printed every 100 images, killed in epoch 3; relaunched with
  // --continue_train --epoch_count 3 (its prints fall elsewhere: total_iters starts again).
  const first = [head('Mon Jan  1 10:00:00 2024'), line(1, 100, p2p(3)), line(1, 200, p2p(2.9)), line(2, 50, p2p(2.8)), line(2, 150, p2p(2.7)), line(2, 250, p2p(2.6)), line(3, 100, p2p(2.5)), line(3, 200, p2p(2.48))];
  const resumed = [head('Mon Jan  1 12:00:00 2024'), line(3, 100, p2p(2.45)), line(3, 200, p2p(2.4)), line(4, 50, p2p(2.3))];
  const log = parseLogText([...first, ...resumed].join('\n') + '\n', 'loss_log.txt');
  // Epoch 2's first line 50 images after 250 = 200 + 100 − 50: epochs of 250 images. The relaunch's
  // epoch 3 starts again at its start (500): the first launch's epoch-3 rows are superseded, not a new run.
  assert.deepEqual(col(log, 'step'), [100, 200, 300, 400, 500, 600, 700, 800]);
  assert.deepEqual(col(log, 'G_GAN'), [3, 2.9, 2.8, 2.7, 2.6, 2.45, 2.4, 2.3]);
  assert.equal(log.stats.rowsRead, 10);
  assert.equal(log.stats.superseded, 2);
  assert.equal(log.stats.runStarts, undefined);
  // (Epoch 3→4 within the relaunch: 200 + 100 − 50 = 250 again.)
  assert.equal(log.run?.epochsLogged?.stepsPerPass, 250);
  // A relaunch from epoch 1 is a run from scratch: only the last is read, said so.
  const again = parseLogText([...first, head('Tue Jan  2 09:00:00 2024'), line(1, 100, p2p(4)), line(1, 200, p2p(3.5)), line(2, 50, p2p(3.4)), line(2, 150, p2p(3.3))].join('\n'), 'loss_log.txt');
  assert.deepEqual(col(again, 'step'), [100, 200, 300, 400]);
  assert.deepEqual(col(again, 'G_GAN'), [4, 3.5, 3.4, 3.3]);
  assert.equal(again.stats.runStarts?.length, 1);
  // A relaunch of two lines (too few for any law): the run before it is read, said so (stubLaunch.test.ts).
  const stub = parseLogText([...first, head('Tue Jan  2 09:00:00 2024'), line(1, 100, p2p(4)), line(1, 200, p2p(3.5))].join('\n'), 'loss_log.txt');
  assert.equal(stub.stats.runStarts?.length, 1);
  assert.deepEqual(col(stub, 'G_GAN'), [3, 2.9, 2.8, 2.7, 2.6, 2.5, 2.48]);
  assert.match(stub.stats.launchRead ?? '', /holds 2 points with a loss \(steps 100–200\), too few to fit/);
  // A log that starts at a later epoch (its earlier launches lost), and epochs of one line each: the
  // images before are unknown (steps from that epoch's start), an epoch's taken as its last iters; said.
  const late = parseLogText([line(5, 100, p2p(2)), line(6, 100, p2p(1.9)), line(7, 100, p2p(1.8))].join('\n'), 'loss_log.txt');
  assert.deepEqual(col(late, 'step'), [100, 200, 300]);
  assert.ok(late.problems.some((p) => /starts at epoch 5/.test(p.message)));
  assert.ok(late.problems.some((p) => /taken as the last "iters" printed in epoch 5 \(100\).*approximate/.test(p.message)));
});

test('CUT logs its G (the whole loss, not summed); a fork\'s extra term gets no sum; odd keys are data', () => {
  const cut = [
    '(epoch: 1, iters: 100, time: 0.12, data: 0.00) G_GAN: 0.600 D_real: 0.500 D_fake: 0.300 G: 4.000 NCE: 3.000 NCE_Y: 2.900 ',
    '(epoch: 1, iters: 200, time: 0.12, data: 0.00) G_GAN: 0.400 D_real: 0.300 D_fake: 0.100 G: 3.000 NCE: 2.000 NCE_Y: 1.900 ',
  ].join('\n');
  assert.ok(cut.split('\n').every(textLineHasMetrics));
  const a = parseLogText(cut, 'loss_log.txt');
  assert.deepEqual(col(a, 'G'), [4, 3]);
  assert.deepEqual(col(a, 'NCE_Y'), [2.9, 1.9]);
  assert.equal(a.run?.wholeLoss, 'G');
  for (const name of ['G_GAN', 'D_real', 'D_fake', 'G', 'NCE', 'NCE_Y']) assert.equal(roleOf(a, name), 'loss', name);
  // A CycleGAN fork with a perceptual term: G_A + … would not be its objective.
  const fork = '(epoch: 1, iters: 100, time: 0.1, data: 0.0) D_A: 0.1 G_A: 0.6 cycle_A: 1.7 idt_A: 0.5 D_B: 0.2 G_B: 0.3 cycle_B: 1.2 idt_B: 0.7 perc_A: 0.9 ';
  const b = parseLogText(`${fork}\n${fork.replace('iters: 100', 'iters: 200')}\n`, 'loss_log.txt');
  assert.equal(roleOf(b, 'G'), undefined);
  assert.equal(b.run?.wholeLoss, undefined);
  assert.equal(roleOf(b, 'perc_A'), 'loss');
  // The whole CycleGAN set: summed, to the decimals printed (not 4.999999999999999).
  const c = parseLogText(fork.replace(' perc_A: 0.9', ''), 'loss_log.txt');
  assert.deepEqual(col(c, 'G'), [5]);
  // pix2pixHD (no `data`): its three generator terms.
  const hd = parseLogText('(epoch: 95, iters: 160, time: 0.092) G_GAN: 1.393 G_GAN_Feat: 1.931 G_VGG: 0.990 D_real: 0.678 D_fake: 0.257 \n', 'loss_log.txt');
  assert.deepEqual(col(hd, 'G'), [4.314]);
  // Keys a record must not be tricked by: `constructor` is a loss like any other; `step` and
  // `epoch` printed as losses do not move the row; a `__proto__` is no key (a key starts with a letter).
  const odd = parseLogText('(epoch: 1, iters: 100, time: 0.1, data: 0.0) constructor: 1.500 step: 9.000 epoch: 7.000 toString: 2.000 \n(epoch: 1, iters: 200, time: 0.1, data: 0.0) constructor: 1.400 toString: 1.900 \n', 'loss_log.txt');
  assert.deepEqual(col(odd, 'step'), [100, 200]);
  assert.deepEqual(col(odd, 'constructor'), [1.5, 1.4]);
  assert.deepEqual(col(odd, 'toString'), [2, 1.9]);
  assert.equal(ganLine('(epoch: 1, iters: 100, time: 0.1, data: 0.0) __proto__: 1.0 '), undefined);
  // Not this format: no loss after the head, or text after the losses.
  assert.equal(ganLine('(epoch: 1, iters: 100, time: 0.1, data: 0.0)'), undefined);
  assert.equal(ganLine('(epoch: 1, iters: 100, time: 0.1, data: 0.0) G: 1.0 see the plot'), undefined);
});

test('train_opt.txt: its planned epochs (n_epochs + n_epochs_decay, or the older niter + niter_decay), values before a [default: …]', () => {
  const real = fs.readFileSync(path.join(FIXTURES, 'cyclegan-remote-sensing', 'train_opt.txt'), 'utf8');
  assert.equal(trainOptEpochs(real)?.epochs, 200);
  const opt = (lines: string[]) => ['----------------- Options ---------------', ...lines, '----------------- End -------------------', ''].join('\n');
  assert.equal(trainOptEpochs(opt(['                 n_epochs: 5                             \t[default: 100]', '           n_epochs_decay: 3                             \t[default: 100]']))?.epochs, 8);
  assert.equal(trainOptEpochs(opt(['                    niter: 100', '              niter_decay: 100']))?.epochs, 200);
  assert.equal(trainOptEpochs(opt(['                 n_epochs: 100'])), undefined);
  assert.equal(trainOptEpochs('n_epochs: 100\nn_epochs_decay: 100\n'), undefined);
});

test('a growing loss_log.txt read incrementally gives the whole read (across epoch ends and launches)', async () => {
  const one = fs.readFileSync(CYCLEGAN, 'utf8');
  const file = path.join(tmp, 'loss_log.txt');
  // The file eight times over (more launches appended: a live read keeps its reader past the 64 KB
  // its format is told from and the 1,000 rows its columns are decided on), read as the eighth copy grows.
  const text = one.repeat(8);
  const lines = text.split('\n');
  assert.equal(lines.at(-1), '');
  const base = 7 * (one.split('\n').length - 1);
  const upto = (n: number) => `${lines.slice(0, n).join('\n')}\n`;
  // Cut after a launch head, at an epoch's end (line 39), across launches, and at the last epoch's start.
  const cuts = [5, 9, 10, 39, 45, 100, 152, 153, 160, 173].map((n) => base + n);
  fs.writeFileSync(file, upto(cuts[0]));
  assert.ok(fs.statSync(file).size > 65536);
  const live = new LiveLog(file);
  assert.equal((await live.read()).mode, 'full');
  let at = cuts[0];
  for (const cut of cuts.slice(1)) {
    // Before the epoch-2 line of the last launch, half of it first: a line still being written.
    const more = upto(cut).slice(upto(at).length);
    // (Cut after its second loss: a loss line of its own, read by a fork of the kept reader.)
    if (cut === base + 153) {
      const k = more.indexOf(' cycle_A');
      assert.ok(k > 0);
      fs.appendFileSync(file, more.slice(0, k));
      const half = await live.read();
      assert.equal(half.mode, 'appended');
      const whole = await parseLogFile(file, { threads: 1 });
      assert.deepEqual(Array.from(half.log.data.step), Array.from(whole.data.step));
      assert.equal(half.log.data.step.at(-1), 9522 + 78);
      assert.deepEqual(half.log.problems, whole.problems);
      fs.appendFileSync(file, more.slice(k));
    } else fs.appendFileSync(file, more);
    at = cut;
    const r = await live.read();
    assert.equal(r.mode, 'appended');
    const whole = await parseLogFile(file, { threads: 1 });
    assert.deepEqual(Array.from(r.log.data.step ?? []), Array.from(whole.data.step ?? []), `after line ${cut}`);
    assert.deepEqual(Array.from(r.log.data.G ?? []), Array.from(whole.data.G ?? []), `after line ${cut}`);
    assert.deepEqual(r.log.columns, whole.columns, `after line ${cut}`);
    assert.deepEqual(r.log.run, whole.run, `after line ${cut}`);
    assert.deepEqual(r.log.problems, whole.problems, `after line ${cut}`);
  }
  assert.equal((await parseLogFile(file)).rows, 115);
});

test('GAN loss lines: hostile lines are read in linear time', () => {
  const hostile = [
    (n: number) => `(epoch: 1, iters: 1, time: 0.1, data: 0.1) ${'a: 1 '.repeat(n)}`,
    (n: number) => `(epoch: 1, iters: 1, time: 0.1, data: 0.1) ${'a: 1 '.repeat(n)}x`,
    (n: number) => `(epoch: 1, iters: 1) ${'a'.repeat(n)}: 1`,
    (n: number) => `(epoch: 1, iters: 1) a: ${'1'.repeat(n)}.5`,
    (n: number) => `(epoch: 1, iters: 1) ${' '.repeat(n)}a: 1`,
    (n: number) => `(epoch: ${'9'.repeat(n)}, iters: 1) a: 1`,
    (n: number) => `${'='.repeat(n)} Training Loss (${'('.repeat(n)}) ${'='.repeat(n)}`,
    (n: number) => `(epoch: 1, iters: 1) ${'a: 1e'.repeat(n)}`,
  ];
  for (const make of hostile) {
    assertLinear(make(3).slice(0, 40), (n) => { const l = make(n); ganLine(l); GAN_LAUNCH_RE.test(l); textLineHasMetrics(l); }, 10_000);
  }
  // A line of 100,000 pairs is one row of at most 256 losses, read quickly.
  const t = Date.now();
  const log = parseLogText(`${line(1, 100, p2p(2))}\n(epoch: 1, iters: 200, time: 0.1, data: 0.1) ${Array.from({ length: 100_000 }, (_, k) => `k${k}: 1.0`).join(' ')} \n`, 'loss_log.txt');
  assert.ok(Date.now() - t < 3000, `${Date.now() - t} ms`);
  assert.deepEqual(col(log, 'step'), [100, 200]);
  assert.ok(log.columns.length < 300, `${log.columns.length} columns`);
});
