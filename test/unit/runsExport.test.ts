// A W&B runs-table export is a sweep of runs (issue 9, "real sweeps"): one row per run, N from a
// parameter column or the config columns (never invented), D from a tokens column or the step each
// run reached; the loss column can be chosen and an eval loss is preferred. Also: --law run on a
// sweep of several sizes warns; an option a law ignores is refused only when the user asked for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseLogFile } from '../../src/core/logs';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS, type AnalyzeOptions } from '../../src/core/options';
import { analyzeConfig } from '../../src/core/config';
import { parseFitArgs } from '../../src/cli/fit';
import { tmpDir } from './tmpUtil';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const GSHARD = join(FIXTURES, 'hadasah_gshard_experts4.csv');
const CLI = join(__dirname, '..', '..', 'src', 'cli.js');
const C4 = 'eval/ppl//fsx-onellm/data/corpora/text_only/text_eval/c4.jsonl';
const OPTS: AnalyzeOptions = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };

test('a real W&B runs export is read as a sweep: roles of its summary and config columns', async () => {
  const log = await parseLogFile(GSHARD);
  assert.equal(log.kind, 'sweep');
  assert.equal(log.rows, 17);
  const role = new Map(log.columns.map((c) => [c.name, c.role]));
  assert.equal(role.get('Name'), 'run');
  assert.equal(role.get('train/avg_loss_AVG'), 'loss');
  assert.equal(role.get('train/max_loss_MAX'), 'other', 'a max aggregate is not a loss');
  assert.equal(role.get('train/step'), 'step', 'the step each run reached beats the configured steps');
  assert.equal(role.get('steps'), 'other');
  assert.equal(role.get('optim/n_tokens'), 'tokens');
  assert.equal(role.get('optim.lr'), 'lr');
  // Config columns are kept for the model size.
  assert.equal(log.data['model.n_layers']?.[0], 5);
  assert.equal(log.data['model.n_heads']?.[0], 7);
  assert.equal(log.data['train/step']?.[14], 49560);
});

test('the real export has no width column: N is not invented, the error says what is missing', async () => {
  const { state } = await analyzeFile(GSHARD, OPTS);
  assert.equal(state.logKind, 'sweep');
  assert.equal(state.fit, undefined);
  assert.match(state.fitError ?? '', /model size of the runs cannot be computed/);
  assert.match(state.fitError ?? '', /model\.n_layers = 5/);
  assert.match(state.fitError ?? '', /no d_model/);
  assert.match(state.fitError ?? '', /--params/);
  assert.equal(state.configNote, undefined, 'no N from an unrelated config beside the table');
  // The loss columns on offer: the eval perplexities and the run-averaged train loss, not the max.
  assert.deepEqual([...state.seriesNames].sort(), [C4, 'eval/ppl//fsx-onellm/data/corpora/text_only/text_eval/wikipedia.jsonl', 'train/avg_loss_AVG'].sort());
  assert.equal(state.options.series, C4);
});

test('with --params for every run: one model size, D from optim/n_tokens, loss = ln(eval perplexity), the messages say where from', async () => {
  const { state } = await analyzeFile(GSHARD, { ...OPTS, params: 40719168, repeats: 'final' });
  const f = state.fit!;
  assert.ok(f, state.fitError);
  assert.equal(f.law, 'run');
  assert.equal(f.n, 17);
  const sw = state.sweep!;
  // Row 1 of the fixture: c4 perplexity 96.71059714596792, 262,144,000 tokens.
  assert.ok(Math.abs(sw.loss[0] - Math.log(96.71059714596792)) < 1e-12, `loss ${sw.loss[0]}`);
  assert.equal(sw.D[0], 262144000);
  assert.equal(sw.N[0], 40719168);
  assert.ok(sw.D.includes(51973718016), 'the run that reached step 49,560 of 100,000 has its own tokens');
  const m = f.messages.join('\n');
  assert.match(m, /runs-table export/);
  assert.match(m, /ln of "eval\/ppl.*c4\.jsonl".*preferred over "train\/avg_loss_AVG" \(a run-averaged training loss\)/);
  assert.match(m, /N = 40,719,168 for every run, as given/);
  assert.match(m, /D from "optim\/n_tokens"/);
});

test('--series chooses a sweep\'s loss column; an unknown one is said and the default used', async () => {
  const { state } = await analyzeFile(GSHARD, { ...OPTS, params: 40719168, repeats: 'final', series: 'train/avg_loss_AVG' });
  assert.equal(state.options.series, 'train/avg_loss_AVG');
  assert.equal(state.sweep!.loss[0], 4.498388767242432);
  assert.ok(state.fit!.messages.some((x) => /loss from "train\/avg_loss_AVG".*as chosen/.test(x)));
  const other = await analyzeFile(GSHARD, { ...OPTS, params: 40719168, series: 'train/max_loss_MAX' });
  assert.equal(other.state.options.series, C4);
  assert.ok(other.state.fit!.messages.some((x) => /no loss column "train\/max_loss_MAX"/.test(x)));
  // The CLI takes --series for a sweep too.
  const r = spawnSync(process.execPath, [CLI, 'fit', GSHARD, '--json', '--bootstrap', '0', '--params', '40719168', '--series', 'train/avg_loss_AVG'], { encoding: 'utf8' });
  assert.equal(JSON.parse(r.stdout).series, 'train/avg_loss_AVG', r.stderr);
});

test('an ordinary sweep table prefers its eval loss over the training loss, and says so', async () => {
  const log = await parseLogFile(join(FIXTURES, 'hadasah_scaling_results_last_ckpt_only.csv'));
  const { state } = analyze(log, { ...OPTS, repeats: 'final' });
  assert.equal(state.options.series, 'C4 Eval Loss');
  assert.deepEqual(state.seriesNames, ['loss', 'C4 Eval Loss']);
  assert.ok(state.fit!.messages.some((m) => /loss from "C4 Eval Loss" \(an eval loss\), preferred over "loss"/.test(m)), state.fit!.messages.join('; '));
});

/** A runs export written for this test: config columns with the model shape, no tokens column. */
function writtenExport(): string {
  const head = '"Name","State","Created","Runtime","model.n_layers","model.d_model","model.n_heads","model.vocab_size","model.seq_len","batch_size","steps","train/step","eval/loss","train/loss"';
  const rows: string[] = [];
  let k = 0;
  for (const [layers, width] of [[4, 256], [6, 384], [8, 512]]) {
    for (const step of [1000, 2000, 4000]) {
      const loss = (2 + 8 / Math.pow(layers * width * width, 0.2) + 30 / Math.pow(step * 64 * 512, 0.2)).toFixed(5);
      rows.push(`"run-${k++}","finished","2024-01-01T00:00:00Z","100","${layers}","${width}","${width / 64}","32000","512","64","5000","${step}","${loss}","${(Number(loss) - 0.05).toFixed(5)}"`);
    }
  }
  const file = join(tmpDir('sl-wandb-'), 'runs.csv');
  writeFileSync(file, [head, ...rows].join('\n') + '\n');
  return file;
}

test('N counted from the config columns of each run, D = the step reached × batch × sequence length', async () => {
  const file = writtenExport();
  const { state } = await analyzeFile(file, { ...OPTS, law: 'chinchilla', repeats: 'final' });
  const sw = state.sweep!;
  assert.equal(sw.N.length, 9);
  const expected = analyzeConfig(JSON.stringify({ model: { n_layers: 6, d_model: 384, n_heads: 6, vocab_size: 32000, seq_len: 512 }, batch_size: 64, steps: 5000 }), 'x.json')!.params!.active;
  assert.equal(sw.N[3], expected);
  assert.equal(sw.D[4], 2000 * 64 * 512, 'train/step (2000), not the configured steps (5000)');
  assert.equal(state.options.series, 'eval/loss');
  const m = (state.fit ?? state.groups?.[0])!.messages.join('\n');
  assert.match(m, /N counted from the config columns \(.*d_model.*\) of each run: 3 distinct model configs/);
  assert.match(m, /D = "train\/step" × the batch size × sequence length/);
});

test('--law run on a sweep of several model sizes warns, in the messages and the problems', async () => {
  const { state } = await analyzeFile(writtenExport(), { ...OPTS, law: 'run', repeats: 'final' });
  const f = state.fit!;
  assert.ok(f.messages.some((m) => /^warning: the single-run law on a sweep of 3 model sizes/.test(m)), f.messages.join('; '));
  assert.ok(state.problems.some((p) => p.severity === 'warning' && /single-run law on a sweep of 3 model sizes/.test(p.message)));
  const one = await analyzeFile(GSHARD, { ...OPTS, law: 'run', params: 40719168 });
  assert.ok(!one.state.problems.some((p) => /single-run law/.test(p.message)), 'one model size: no warning');
});

test('drop-highest-loss from a workspace default is silent on a run and on isoFLOP; asked for on the CLI it is refused with a message', async () => {
  const run = join(FIXTURES, 'lightning_v8_metrics.csv');
  const quiet = await analyzeFile(run, { ...OPTS, dropHighestLoss: 5 });
  assert.ok(!quiet.state.fit!.messages.some((m) => /drop-highest-loss/.test(m)), quiet.state.fit!.messages.join('; '));
  const asked = await analyzeFile(run, { ...OPTS, dropHighestLoss: 5 }, { explicit: new Set(['dropHighestLoss']) });
  assert.ok(asked.state.fit!.messages.some((m) => /drop-highest-loss \(5\) applies to sweep fits only/.test(m)));
  const iso = join(FIXTURES, 'isoflops_open_athena.csv');
  const isoQuiet = await analyzeFile(iso, { ...OPTS, law: 'isoflop', dropHighestLoss: 5 });
  assert.ok(!isoQuiet.state.groups!.some((g) => g.messages.some((m) => /drop-highest-loss/.test(m))));
  const isoAsked = await analyzeFile(iso, { ...OPTS, law: 'isoflop', dropHighestLoss: 5 }, { explicit: new Set(['dropHighestLoss']) });
  assert.ok(isoAsked.state.groups!.every((g) => g.messages.some((m) => /drop-highest-loss \(5\) was not applied/.test(m))));
  // The CLI marks what was given as a flag.
  const args = parseFitArgs(['x.csv', '--drop-highest-loss', '5', '--law', 'run']);
  assert.ok(args !== 'help' && args.explicit.has('dropHighestLoss') && args.explicit.has('law') && !args.explicit.has('bootstrap'));
});

test('a runs export with a parameter column and only a configured step count: D = steps × tokens per batch; W&B\'s _step is not a training step', async () => {
  const head = 'Name,State,Created,Runtime,model_params,steps,_step,tokens_per_batch,val/loss';
  const rows = [
    'a,finished,2024-01-01,10,1000000,100,7,4096,4.1',
    'b,finished,2024-01-01,10,2000000,200,9,4096,3.7',
    'c,crashed,2024-01-01,10,4000000,300,11,8192,3.2',
  ];
  const file = join(tmpDir('sl-wandb-'), 'export.csv');
  writeFileSync(file, [head, ...rows].join('\n') + '\n');
  const log = await parseLogFile(file);
  const role = new Map(log.columns.map((c) => [c.name, c.role]));
  assert.equal(role.get('steps'), 'step');
  assert.notEqual(role.get('_step'), 'step');
  const { state } = await analyzeFile(file, { ...OPTS, repeats: 'final' });
  assert.deepEqual(state.sweep?.N, [1e6, 2e6, 4e6]);
  assert.deepEqual(state.sweep?.D, [100 * 4096, 200 * 4096, 300 * 8192]);
  assert.match(state.fitError ?? state.fit!.messages.join('\n'), /D = "steps" × "tokens_per_batch"/);
  assert.match(state.fitError ?? state.fit!.messages.join('\n'), /N from "model_params"/);
});

test('config columns that vary per run (a seed) do not make every run its own model config: 250 runs, 2 sizes counted', async () => {
  const head = 'Name,State,Created,Runtime,seed,model.n_layers,model.d_model,model.n_heads,model.vocab_size,model.seq_len,batch_size,train/step,eval/loss';
  const rows: string[] = [];
  for (let i = 0; i < 250; i++) {
    const [l, d] = i % 2 ? [4, 256] : [8, 512];
    rows.push(`r${i},finished,2024-01-01,10,${i},${l},${d},${d / 64},32000,512,16,${100 + i},${(3 + 100 / (100 + i) + l / 100).toFixed(5)}`);
  }
  const file = join(tmpDir('sl-wandb-'), 'seeds.csv');
  writeFileSync(file, [head, ...rows].join('\n') + '\n');
  const { state } = await analyzeFile(file, { ...OPTS, repeats: 'all', law: 'chinchilla' });
  assert.equal(state.sweep!.N.length, 250, state.fitError);
  assert.equal(new Set(state.sweep!.N).size, 2);
  assert.ok(state.fit!.messages.some((m) => /2 distinct model configs$/.test(m)), state.fit!.messages.join('; '));
});

test('a runs export with one run\'s tokens in billions (a stray value) fits as the export without that run, and says which', async () => {
  const { readFileSync } = await import('node:fs');
  const Papa = (await import('papaparse')).default;
  const text = readFileSync(GSHARD, 'utf8');
  const rows = Papa.parse<string[]>(text.trim()).data;
  const at = rows[0].indexOf('optim/n_tokens');
  // The first run with tokens: written in billions, as a hand-edited export might.
  const k = rows.findIndex((r, i) => i > 0 && Number(r[at]) > 1e8);
  const dir = tmpDir('sl-stray-export-');
  const write = (name: string, rs: string[][]) => { const f = join(dir, name); writeFileSync(f, Papa.unparse(rs) + '\n'); return f; };
  const edited = rows.map((r) => r.slice());
  edited[k][at] = String(Number(rows[k][at]) / 1e9);
  const opts = { ...OPTS, params: 40719168, repeats: 'final' as const };
  const stray = (await analyzeFile(write('stray.csv', edited), opts)).state;
  const without = (await analyzeFile(write('without.csv', rows.filter((_, i) => i !== k)), opts)).state;
  const m = stray.fit!.messages.join('\n');
  assert.match(m, new RegExp(`1 of ${rows.length - 1} runs left out as stray: a value over 10\\^6× from every other row's, in other units or corrupt \\(the first, tokens [\\d.]+ at line ${k + 1}\\)`), m);
  assert.equal(stray.fit!.n, without.fit!.n);
  assert.deepEqual(stray.fit!.params, without.fit!.params);
});
