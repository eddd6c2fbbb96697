// One pipeline: a curve of one run fitted through the folder that holds several runs (an MLflow
// experiment, a folder of AllenNLP serialization folders) gives the answer that run's own folder
// gives. Before, the folder's fit lost each run's record: a YOLOv8 run in its experiment folder lost
// its 100 epochs and its augmentation switch (a band of ±16% that missed its end; its own folder's was
// open below), an AllenNLP run its planned end (extrapolated to 10× instead of its last epoch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analyzeFile } from '../../src/core/pipeline';
import { parseLogFile } from '../../src/core/logs';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

type J = { series: string; runLaw: string; params: Record<string, number>; prediction: unknown; trust: unknown; backtest: unknown; schedule?: unknown; messages: string[] };
const fit = async (p: string, extra: Partial<typeof DEFAULT_ANALYZE_OPTIONS> = {}) =>
  fitToJson((await analyzeFile(p, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20, seed: 3, ...extra })).state) as unknown as J;
const same = (a: J, b: J) => {
  assert.equal(a.runLaw, b.runLaw);
  assert.deepEqual(a.params, b.params);
  assert.deepEqual(a.prediction, b.prediction);
  assert.deepEqual(a.trust, b.trust);
  assert.deepEqual(a.backtest, b.backtest);
};

test('an MLflow experiment of one run: the run as its own folder fits it (epochs, augmentation switch, band)', async () => {
  const exp = path.join(FIXTURES, 'mlflow-yolov8-100ep', '662197954743695805');
  const run = path.join(exp, '215b558fddfe4dd8b960ddad171271b2');
  for (const fitUntil of [0, 0.5]) {
    const a = await fit(exp, { fitUntil, series: 'train/box_loss' });
    const b = await fit(run, { fitUntil, series: 'train/box_loss' });
    same(a, b);
  }
  const j = await fit(exp, { fitUntil: 0.5, series: 'train/box_loss' });
  assert.ok((j.trust as { reasons: string[] }).reasons.some((r) => r.startsWith('the run makes 100 passes over its data')), JSON.stringify(j.trust));
});

test('a folder of AllenNLP runs: each run\'s curve as its own folder fits it (its rows, its config, its end)', async () => {
  const root = path.join(FIXTURES, 'allennlp-bidaf-squad');
  for (const r of ['output', 'output_elmo_gru']) {
    for (const series of ['training_loss', 'validation_loss']) {
      const a = await fit(root, { series: `${series} (${r})` });
      const b = await fit(path.join(root, r), { series });
      assert.equal(a.series, `${series} (${r})`);
      same(a, b);
      assert.ok(b.messages.some((m) => m.startsWith('the run reached its planned end')), b.messages.join('\n'));
    }
  }
});

test('a W&B folder of two runs: each run with its own LR column and its own config (model size, tokens per step)', async () => {
  const wandb = path.join(tmpDir('sl-runset-'), 'wandb');
  for (const fx of ['wandb-alpaca-llama7b', 'wandb-tinylm-run']) {
    const src = path.join(FIXTURES, fx);
    const gz = fs.readdirSync(src).find((n) => n.endsWith('.wandb.gz'))!;
    const id = gz.replace(/\.wandb\.gz$/, '');
    fs.mkdirSync(path.join(wandb, id), { recursive: true });
    fs.cpSync(path.join(src, 'files'), path.join(wandb, id, 'files'), { recursive: true });
    fs.writeFileSync(path.join(wandb, id, `${id}.wandb`), gunzipSync(fs.readFileSync(path.join(src, gz))));
  }
  const state = async (p: string, series: string) => (await analyzeFile(p, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 20, seed: 3, series })).state;
  const runs = (await parseLogFile(wandb)).run?.runs ?? [];
  assert.equal(runs.length, 2);
  const kinds = new Set<string>();
  for (const r of runs) {
    const a = await state(wandb, `train/loss (${r.name})`), b = await state(r.path, 'train/loss');
    assert.equal(a.options.series, `train/loss (${r.name})`);
    assert.equal(a.configNote, b.configNote, r.name);
    assert.deepEqual(a.xKinds, b.xKinds, r.name);
    same(fitToJson(a) as unknown as J, fitToJson(b) as unknown as J);
    kinds.add(b.xKinds![0]);
  }
  // One run has a config giving its model size and tokens per step (fitted on tokens), the other not.
  assert.deepEqual([...kinds].sort(), ['step', 'tokens']);
});
