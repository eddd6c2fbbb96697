// Backtest prefixes that keep the same points (a log with a gap) are one fit, counted once and said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { BACKTEST_FRACTIONS } from '../../src/core/fit/backtest';
import { FIXTURES } from './fixtureUtil';

interface Json { backtest?: Array<{ fitFraction: number }>; messages: string[] }
const fitJson = async (f: string) => fitToJson((await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as Json;

test('a real minGPT console pasted with `...` for iterations 200 to 992: its 25, 50 and 75% prefixes hold the same points, one backtest counted once, said', async () => {
  const f = path.join(FIXTURES, 'mingpt-chargpt-two-runs.md.gz');
  // The gap is in the file: of the last run's steps, none lies between 25% and 75% of its last.
  const log = await parseLogFile(f);
  const steps = Array.from(log.data.step!);
  const last = Math.max(...steps);
  assert.ok(!steps.some((s) => s > 0.25 * last && s <= 0.75 * last), 'no step between the cuts');
  assert.ok(steps.some((s) => s <= 0.25 * last));
  const j = await fitJson(f);
  assert.deepEqual(j.backtest?.map((b) => b.fitFraction), [0.25]);
  assert.ok(j.messages.includes('backtests: the prefixes of 25%, 50%, 75% hold the same points (none logged between their cuts): one fit, counted once, as 25%'), j.messages.join('\n'));
});

test('a log without a gap keeps a backtest at each prefix and says nothing of the kind (real llm.c run)', async () => {
  const j = await fitJson(path.join(FIXTURES, 'llmc-gpt2-124m-main.log.gz'));
  assert.deepEqual(j.backtest?.map((b) => b.fitFraction), [...BACKTEST_FRACTIONS]);
  assert.ok(!j.messages.some((m) => /hold the same points/.test(m)));
});
