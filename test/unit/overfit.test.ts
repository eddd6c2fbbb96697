// A held-out loss that has turned up (src/core/overfit.ts): said on the real runs whose eval loss rose
// after its lowest (overfitting), not on those that kept falling or stayed within their noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { parseLogText } from '../../src/core/logs';
import { heldOutRise } from '../../src/core/overfit';
import { toMarkdown } from '../../src/core/summary';
import { discoverRuns } from '../../src/core/runs';
import type { RunCurve } from '../../src/core/dataset';
import * as zlib from 'node:zlib';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-ovf-');

/** A fixture's path; a gzipped one (also in a folder) uncompressed into a folder of its own under its name. */
function fileOf(name: string): string {
  if (!name.endsWith('.gz')) return path.join(FIXTURES, name);
  const out = path.join(fs.mkdtempSync(path.join(tmp, 'f-')), path.basename(name, '.gz'));
  fs.writeFileSync(out, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, name))));
  return out;
}
const risesIn = async (file: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS> = {}) =>
  (await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, ...extra })).findings.filter((f) => /^"[^"]*" has risen .* above its lowest/.test(f.message));

test('real runs whose held-out loss rose after its lowest: overfitting, with the best step and the training loss\'s fall', async () => {
  const cases: Array<[string, string]> = [
    ['trainer-state-mcfed-lora-sft-5ep.json.gz', 'eval_loss'],
    ['trainer-state-codebert-cls-10ep.json.gz', 'eval_loss'],
    ['trainer-state-vit-skin-cancer-10ep.json.gz', 'eval_loss'],
    ['hf_trainer_state.json', 'eval_g0_loss'],
  ];
  for (const [name, series] of cases) {
    const file = fileOf(name);
    const evals = (JSON.parse(fs.readFileSync(file, 'utf8')) as { log_history: Array<Record<string, number>> }).log_history.filter((e) => e[series] !== undefined);
    const best = evals.reduce((a, b) => (b[series] < a[series] ? b : a));
    const f = await risesIn(file);
    assert.equal(f.length, 1, `${name}: ${f.map((x) => x.message).join('\n')}`);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, new RegExp(`^"${series}" has risen [\\d.]+% above its lowest \\(${String(+best[series].toPrecision(4)).replace('.', '\\.')} at step ${best.step.toLocaleString('en-US')}\\)`), name);
    assert.match(f[0].message, /while the training loss "loss" fell [\d.]+%: the run is overfitting/, name);
  }
});

test('a real console over 88 epochs (fairseq IWSLT\'14): its valid_loss rose 2.9% after epoch 36, said; the real runs whose held-out loss kept falling or stayed within 1.5% are not', async () => {
  const f = await risesIn(fileOf('fairseq-iwslt14-staged.log.gz'));
  assert.equal(f.length, 1);
  assert.match(f[0].message, /"valid_loss" has risen 2\.9\d?% above its lowest \(3\.893 at step 36,224\) over the 120 evaluations since/);
  for (const name of ['llmc-gpt2-124m-main.log.gz', 'trainer-state-smollm-1.7b-qlora-3ep.json', 'jaong_cpt_trainer_state.json', 'trainer-state-quality-lrqa-20ep.json',
    'lightning-islp-rnn/metrics.csv', 'tfevents-lstm-shakespeare/events.out.tfevents.1716735746.99c8c45923de.3769.0.gz', 'modded-nanogpt-speedrun-wsd.txt']) {
    assert.deepEqual((await risesIn(fileOf(name))).map((x) => x.message), [], name);
  }
});

test('the finding on the training loss defers to a held-out loss that has already turned up; the setting at 0 turns the report off', async () => {
  const file = fileOf('trainer-state-mcfed-lora-sft-5ep.json.gz');
  const a = await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const all = a.findings;
  // The analysis's findings are the state's too (the panel shows them; binary logs have no line for a diagnostic), and the Markdown summary's.
  assert.deepEqual(a.state.kind === 'log' && a.state.findings!.map((f) => f.message), all.filter((f) => !/row|entry/.test(f.message)).map((f) => f.message));
  assert.match(toMarkdown(a.state), /- \*\*Warning\*\* \(line \d+\): "eval\\?_loss" has risen/);
  const gain = all.find((f) => /would still lower "loss"/.test(f.message));
  assert.ok(gain, all.map((f) => f.message).join('\n'));
  assert.match(gain.message, /but the held-out loss "eval_loss" has risen [\d.]+% above its lowest since step 500: more training lowers this loss, not the held-out one/);
  assert.deepEqual(await risesIn(file, { overfitRisePercent: 0 }), []);
  const off = (await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, overfitRisePercent: 0 })).findings.find((f) => /would still lower "loss"/.test(f.message));
  // Without the report, the finding names the held-out loss the log has (not "check a held-out loss").
  assert.match(off!.message, /on repeated data a lower training loss can be memorisation; the held-out loss "eval_loss" says whether more training pays off\.$/);
});

const curve = (series: string, steps: number[], loss: number[]): RunCurve => ({
  series, step: Float64Array.from(steps), loss: Float64Array.from(loss), lines: Uint32Array.from(steps, (_, i) => i + 1),
});

test('the rule: the last 3 evaluations above the lowest by the threshold and by twice the noise; the training loss tells overfitting from divergence', () => {
  const steps = [100, 200, 300, 400, 500, 600, 700];
  const ev = curve('val_loss', steps, [3.0, 2.6, 2.5, 2.56, 2.6, 2.62, 2.64]);
  const falling = curve('loss', [50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700], [3.2, 3.0, 2.8, 2.6, 2.5, 2.4, 2.3, 2.2, 2.1, 2.0, 1.9, 1.8, 1.7, 1.6]);
  const r = heldOutRise(ev, 0.02, falling)!;
  assert.equal(r.best, 2.5);
  assert.equal(r.bestStep, 300);
  assert.equal(r.after, 4);
  assert.ok(Math.abs(r.rise - (2.6 + 2.62 + 2.64) / 3 / 2.5 + 1) < 1e-12);
  assert.ok(r.trainChange! < -0.2);
  // A training loss that rose too: divergence, not overfitting.
  const rising = curve('loss', Array.from(falling.step), Array.from(falling.step, (_, i) => 2 + 0.1 * i));
  assert.ok(heldOutRise(ev, 0.02, rising)!.trainChange! > 0);
  // One of the last 3 back within the threshold: nothing said.
  assert.equal(heldOutRise(curve('val_loss', steps, [3.0, 2.6, 2.5, 2.56, 2.6, 2.52, 2.64]), 0.02, falling), undefined);
  // Fewer than 3 evaluations after the lowest: too early to tell.
  assert.equal(heldOutRise(curve('val_loss', steps, [3.0, 2.9, 2.8, 2.7, 2.5, 2.7, 2.8]), 0.02, falling), undefined);
  // A noisy series (evaluations changing ~10% each) must rise more than twice that.
  const noisy = curve('val_loss', steps, [3.0, 2.6, 3.0, 2.5, 2.8, 2.75, 2.8]);
  assert.equal(heldOutRise(noisy, 0.02, falling), undefined);
  assert.equal(heldOutRise(ev, 0, falling), undefined);
});

test('a log of its own: a validation loss rising over the last evaluations of a CSV with a falling training loss is said on the line of its last evaluation', () => {
  const rows = ['step,loss,val_loss'];
  const val = [3.1, 2.7, 2.55, 2.5, 2.56, 2.61, 2.66, 2.7];
  for (let s = 1; s <= 80; s++) rows.push(`${s * 10},${(3.5 * Math.pow(s, -0.15)).toFixed(4)},${s % 10 === 0 ? val[s / 10 - 1] : ''}`);
  const file = path.join(tmp, 'metrics.csv');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  const log = parseLogText(fs.readFileSync(file, 'utf8'), 'metrics.csv');
  assert.ok(log.columns.some((c) => c.name === 'val_loss' && c.role === 'eval_loss'));
  return risesIn(file).then((f) => {
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 81);
    assert.match(f[0].message, /"val_loss" has risen [\d.]+% above its lowest \(2\.5 at step 400\) over the 4 evaluations since, while the training loss "loss" fell/);
  });
});

test('the Runs view\'s discovery notes the same rise per run (one selection with Fit): a real LoRA SFT output dir beside a run whose eval loss kept falling', async () => {
  const root = fs.mkdtempSync(path.join(tmp, 'runs-'));
  for (const [dir, name] of [['lora-sft', 'trainer-state-mcfed-lora-sft-5ep.json.gz'], ['smollm-qlora', 'trainer-state-smollm-1.7b-qlora-3ep.json']] as const) {
    fs.mkdirSync(path.join(root, dir));
    fs.copyFileSync(fileOf(name), path.join(root, dir, 'trainer_state.json'));
  }
  const found = await discoverRuns(root);
  const lora = found.runs.find((r) => r.rel === 'lora-sft')!;
  const fitted = (await risesIn(path.join(root, 'lora-sft', 'trainer_state.json')))[0].message;
  const h = lora.heldOutRise!;
  assert.ok(h, JSON.stringify(lora));
  assert.equal(h.series, 'eval_loss');
  assert.equal(h.bestStep, 500);
  assert.ok(h.trainChange! < 0);
  assert.ok(fitted.includes(`has risen ${String(+(100 * h.rise).toPrecision(3))}% above its lowest (${String(+h.best.toPrecision(4))} at step 500)`), fitted);
  assert.equal(found.runs.find((r) => r.rel === 'smollm-qlora')!.heldOutRise, undefined);
  // The setting reaches discovery: at 0 nothing is noted.
  assert.equal((await discoverRuns(root, { overfitRisePercent: 0 })).runs.find((r) => r.rel === 'lora-sft')!.heldOutRise, undefined);
});
