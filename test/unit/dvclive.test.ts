// DVCLive writes one file a metric, `dvclive/plots/metrics/<path>.tsv` with the header `step<TAB><name>`:
// which loss it is (training, evaluation) is only in the folders above it. A real evaluation loss
// (test/fixtures/SOURCES.md: DVCLive's Hugging Face callback, `eval/loss.tsv`) was read as the training
// loss and fitted as one.
import { test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'dvclive-hf-lora', 'dvclive', 'plots', 'metrics');

test('a DVCLive metric file under eval/ is an evaluation loss, named by its path ("eval/loss"); the note says what its step counts', async () => {
  const log = await parseLogFile(join(DIR, 'eval', 'loss.tsv'));
  assert.equal(log.rows, 107);
  const col = log.columns.find((c) => c.name === 'eval/loss');
  assert.equal(col?.role, 'eval_loss');
  assert.equal(log.columns.some((c) => c.name === 'loss'), false);
  assert.deepEqual(Array.from(log.data.step).slice(0, 3), [1, 3, 5]);
  const note = log.problems.find((p) => /DVCLive metric file/.test(p.message));
  assert.match(note?.message ?? '', /named by their path under plots\/metrics\/, "eval\/loss".*next_step\(\)/);
  const a = await analyzeFile(join(DIR, 'eval', 'loss.tsv'), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const j = fitToJson(a.state) as { series?: string; error?: string };
  assert.equal(j.error, undefined);
  assert.equal(j.series, 'eval/loss');
});

test('a DVCLive metric file at the top of plots/metrics/ keeps its name; other TSVs and older DVCLive (the path as the name) are unchanged', async () => {
  const top = await parseLogFile(join(DIR, 'loss.tsv'));
  assert.equal(top.columns.find((c) => c.name === 'loss')?.role, 'loss');
  assert.equal(top.problems.some((p) => /DVCLive/.test(p.message)), false);
  const rows = ['step\tloss', ...Array.from({ length: 12 }, (_, i) => `${i}\t${(2 / (i + 1)).toFixed(4)}`)].join('\n') + '\n';
  assert.ok(parseLogText(rows, 'runs/eval/loss.tsv').columns.some((c) => c.name === 'loss'), 'not under plots/metrics/: unchanged');
  const old = parseLogText(rows.replace('step\tloss', 'step\ttrain/loss'), 'dvclive/plots/metrics/train/loss.tsv');
  assert.ok(old.columns.some((c) => c.name === 'train/loss'));
  assert.equal(old.problems.some((p) => /DVCLive/.test(p.message)), false);
  const val = parseLogText(rows, 'dvclive\\plots\\metrics\\val\\loss.tsv');
  assert.equal(val.columns.find((c) => c.name === 'val/loss')?.role, 'eval_loss', 'a Windows path too');
});
