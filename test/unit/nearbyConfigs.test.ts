// Which config beside a log belongs to it (issue 15): a config named like the log, the configs of
// the log's own run folder, a run config's usual name one folder up; never any config of a folder of
// many unrelated logs. Real fixtures: test/fixtures itself is such a folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelFromConfigs, nearbyConfigsFor, runStem } from '../../src/core/nearbyConfigs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { tmpDir } from './tmpUtil';

const FIX = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const tmp = tmpDir('sl-nearby-');
const names = (cs: { file: string }[]) => cs.map((c) => path.basename(c.file));
const OPTS = { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 };

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'f-'));
  for (const [name, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.copyFileSync(path.join(FIX, from), path.join(dir, name));
  }
  return dir;
}

test('run stems: role words and extensions dropped', () => {
  assert.equal(runStem('lightning_v12_metrics.csv'), 'lightning_v12');
  assert.equal(runStem('lightning_v12_hparams.yaml'), 'lightning_v12');
  assert.equal(runStem('0xero7_v12_hparams.yaml'), '0xero7_v12');
  assert.equal(runStem('config-gpt2-bias.py'), 'gpt2_bias');
  assert.equal(runStem('metrics.csv'), '');
  assert.equal(runStem('train_log.jsonl'), '');
});

test('test/fixtures (many real logs, many unrelated configs): the speedrun log and the HF state get no config, and the note says why', async () => {
  for (const log of ['modded-nanogpt-speedrun-wsd.txt', 'hf_trainer_state.json', 'lightning_v8_metrics.csv']) {
    const r = await nearbyConfigsFor(path.join(FIX, log));
    assert.deepEqual(names(r.configs), [], log);
    assert.match(r.note ?? '', /no config used: fixtures\/ holds \d+ logs .* none named like this log/, log);
  }
  // Through the one pipeline: no model size from config-gpt2-bias.py, the note in the summary.
  const a = await analyzeFile(path.join(FIX, 'modded-nanogpt-speedrun-wsd.txt'), OPTS);
  assert.match(a.state.configNote ?? '', /no config used/);
  assert.ok(!a.state.marker, 'no model size, so no compute-optimal marker');
});

test('a config named like the log is used even in a folder of many logs (the real Lightning v12 run and its hparams.yaml)', async () => {
  // The layout of /work/shared/data/real: several real runs' files side by side, renamed by run.
  const many = folder({
    '0xero7_v8_metrics.csv': 'lightning_v8_metrics.csv', '0xero7_v12_metrics.csv': 'lightning_v12_metrics.csv',
    '0xero7_v12_hparams.yaml': 'runs-lightning-v12/hparams.yaml', 'gshard.csv': 'lightning_metrics.csv',
    'jaong_cpt_trainer_state.json': 'jaong_cpt_trainer_state.json',
  });
  const r = await nearbyConfigsFor(path.join(many, '0xero7_v12_metrics.csv'));
  assert.deepEqual(names(r.configs), ['0xero7_v12_hparams.yaml']);
  for (const other of ['0xero7_v8_metrics.csv', 'gshard.csv', 'jaong_cpt_trainer_state.json']) {
    assert.deepEqual(names((await nearbyConfigsFor(path.join(many, other))).configs), [], other);
  }
  const a = await analyzeFile(path.join(many, '0xero7_v12_metrics.csv'), OPTS);
  assert.match(a.state.configNote ?? '', /^N = [\d,]+ parameters from 0xero7_v12_hparams\.yaml \(its name matches the log's \(0xero7_v12\)\)/);
  // The same N as the run folder layout Lightning writes (version_12/metrics.csv + hparams.yaml).
  const b = await analyzeFile(path.join(FIX, 'runs-lightning-v12', 'metrics.csv'), OPTS);
  assert.match(b.state.configNote ?? '', /from hparams\.yaml \(in the log's own run folder runs-lightning-v12\/\)/);
  assert.equal(/N = ([\d,]+)/.exec(a.state.configNote!)![1], /N = ([\d,]+)/.exec(b.state.configNote!)![1]);
  const g = await analyzeFile(path.join(many, 'gshard.csv'), OPTS);
  assert.match(g.state.configNote ?? '', /no config used: f-\w+\/ holds 4 logs and 1 config/);
});

test('a folder of several logs with unrelated configs: none used; the run folder of one log: its config', async () => {
  const many = folder({
    'gshard.csv': 'lightning_metrics.csv', 'other.csv': 'lightning_v8_metrics.csv', 'third.jsonl': 'logs-resumed-run.jsonl',
    'v12_hparams.yaml': 'runs-lightning-v12/hparams.yaml',
  });
  const r = await nearbyConfigsFor(path.join(many, 'gshard.csv'));
  assert.deepEqual(names(r.configs), []);
  assert.match(r.note ?? '', /holds 3 logs and 1 config/);
  const own = folder({ 'metrics.csv': 'lightning_v12_metrics.csv', 'hparams.yaml': 'runs-lightning-v12/hparams.yaml' });
  const o = await nearbyConfigsFor(path.join(own, 'metrics.csv'));
  assert.deepEqual(names(o.configs), ['hparams.yaml']);
  assert.match(o.configs[0].why ?? '', /own run folder/);
});

test('two logs of one run (train + eval): only a run config\'s usual name is taken', async () => {
  const dir = folder({
    'train.csv': 'lightning_v12_metrics.csv', 'eval.csv': 'lightning_v8_metrics.csv',
    'hparams.yaml': 'runs-lightning-v12/hparams.yaml', 'gpt2-bias.py': 'config-gpt2-bias.py',
  });
  const r = await nearbyConfigsFor(path.join(dir, 'train.csv'));
  assert.deepEqual(names(r.configs), ['hparams.yaml']);
});

test('one folder up: a run config from a logs/ subfolder, not from a folder that holds logs of its own', async () => {
  const run = folder({ 'logs/metrics.csv': 'lightning_v12_metrics.csv', 'config.yaml': 'runs-lightning-v12/hparams.yaml', 'notes.yaml': 'config-hf-trainer.yaml' });
  const r = await nearbyConfigsFor(path.join(run, 'logs', 'metrics.csv'));
  assert.deepEqual(names(r.configs), ['config.yaml']);
  assert.match(r.configs[0].why ?? '', /one folder up/);
  const busy = folder({ 'logs/metrics.csv': 'lightning_v12_metrics.csv', 'config.yaml': 'runs-lightning-v12/hparams.yaml', 'other_run.csv': 'lightning_v8_metrics.csv' });
  assert.deepEqual(names((await nearbyConfigsFor(path.join(busy, 'logs', 'metrics.csv'))).configs), []);
});

test('configs of one run folder that disagree on the model size: none used, and the note names both', async () => {
  const dir = folder({ 'metrics.csv': 'lightning_v12_metrics.csv', 'config.py': 'config-gpt2-bias.py', 'model.json': 'config-llama-2-7b.json' });
  const r = await nearbyConfigsFor(path.join(dir, 'metrics.csv'));
  assert.equal(r.configs.length, 2);
  const info: { note?: string } = {};
  assert.equal(modelFromConfigs(r.configs, [], info), undefined);
  assert.match(info.note ?? '', /config\.py \(N = [\d,]+\) and model\.json \(N = [\d,]+\) beside the log disagree/);
  const a = await analyzeFile(path.join(dir, 'metrics.csv'), OPTS);
  assert.match(a.state.configNote ?? '', /disagree/);
  // The run's own config (a run folder's, passed first without `why`) is not second-guessed.
  const own = modelFromConfigs([{ file: 'hparams.yaml', text: fs.readFileSync(path.join(FIX, 'runs-lightning-v12', 'hparams.yaml'), 'utf8') }, ...r.configs]);
  assert.match(own?.note ?? '', /from hparams\.yaml \(the run's own config\)/);
});
