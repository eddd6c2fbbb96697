// A reinforcement-learning run's losses go below zero: drawn, not fitted, and said as what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { FIXTURES } from './fixtureUtil';

test('a real DeepSpeed-Chat PPO console: its critic loss below zero is said as a reinforcement-learning loss, not compared to a Dice loss', async () => {
  const f = path.join(FIXTURES, 'deepspeed-chat-step3-ppo-opt.log.gz');
  const text = zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');
  // Its lowest cri_loss, from the file's own lines.
  const cri = [...text.matchAll(/\|cri_loss: (-?[\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(cri.length > 100 && Math.min(...cri) < 0);
  const a = (await analyzeFile(f, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state;
  assert.ok(a.kind === 'log');
  assert.match(a.fitError ?? '', /"cri_loss" goes below zero/);
  assert.match(a.fitError ?? '', /a reinforcement-learning loss \(an actor's or a critic's, against rewards that change as the policy does\) is not one/);
  assert.doesNotMatch(a.fitError ?? '', /Dice/);
});
