// Reinforcement-learning runs (PPO, GRPO): their losses are the objectives of a policy that makes its
// own data, no learning curve a scaling law describes. Found in a hunt through real public logs: a
// verl PPO console fitted its actor/entropy_loss, a GRPO trainer_state its β·KL "loss" (0 at first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseLogFile, parseLogText } from '../../src/core/logs';
import { rlRunOf } from '../../src/core/logs/rl';
import { stripAnsi } from '../../src/core/logs/detect';
import { analyze, analyzeFile } from '../../src/core/pipeline';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { assertLinear } from './hostileUtil';

test('an RL run is told by its columns: a policy-gradient beside a value loss, TRL PPO, GRPO reward beside kl; a supervised run is not', () => {
  assert.match(rlRunOf(['step', 'actor/entropy_loss', 'critic/vf_loss', 'actor/pg_loss']) ?? '', /"actor\/pg_loss".*"critic\/vf_loss"/);
  assert.match(rlRunOf(['train/policy_gradient_loss', 'train/value_loss', 'rollout/ep_rew_mean']) ?? '', /PPO, A2C/);
  assert.match(rlRunOf(['ppo/loss/policy', 'objective/kl']) ?? '', /TRL's PPO/);
  assert.match(rlRunOf(['loss', 'reward', 'reward_std', 'kl', 'completion_length']) ?? '', /GRPO/);
  assert.equal(rlRunOf(['loss', 'eval_loss', 'learning_rate']), undefined);
  // A value loss alone (a critic pre-trained on returns) or a KL alone (a VAE) is not enough.
  assert.equal(rlRunOf(['value_loss', 'kl']), undefined);
  assert.equal(rlRunOf(['recon_loss', 'kl', 'loss']), undefined);
});

test("a GRPO run's fit says its loss is no learning curve (trust: not supported)", () => {
  // TRL's GRPOTrainer logs loss = β·KL: 0 at first, then growing; the reward is its progress.
  const rows = Array.from({ length: 60 }, (_, i) => JSON.stringify({ step: i + 1, loss: 0.00004 * i, kl: 0.001 * i, reward: 0.2 + 0.01 * i, learning_rate: 5e-6 }));
  const log = parseLogText(rows.join('\n') + '\n', 'metrics.jsonl');
  const { state } = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const trust = state.fit?.trust;
  assert.ok(trust && !trust.supported, JSON.stringify(trust));
  assert.ok(trust.reasons.some((r) => /a reinforcement-learning run \(a reward, "reward", beside the KL/.test(r)), trust.reasons.join('\n'));
});

test("Ray's process prefix (verl's console) is no metric: `(TaskRunner pid=14640) step:101 - …`", () => {
  const lines = Array.from({ length: 20 }, (_, i) => `\u001b[36m(TaskRunner pid=14640)\u001b[0m step:${101 + i} - actor/pg_loss:${(0.02 - 0.001 * i).toFixed(3)} - critic/vf_loss:${(0.05 / (i + 1)).toFixed(4)} - critic/score/mean:${(0.5 + 0.01 * i).toFixed(3)}`);
  const log = parseLogText(lines.join('\n') + '\n', 'verl_demo.log');
  assert.equal(log.rows, 20);
  assert.deepEqual(Array.from(log.data.step).slice(0, 3), [101, 102, 103]);
  assert.ok(!log.columns.some((c) => /pid/i.test(c.name)), log.columns.map((c) => c.name).join(', '));
  assert.equal(stripAnsi('(WorkerDict pid=9, ip=10.0.0.2) step:3 - loss:1.0'), 'step:3 - loss:1.0');
  // Not a prefix: a parenthesis elsewhere, or no pid.
  assert.equal(stripAnsi('(epoch 3) step 5 loss 1.0'), '(epoch 3) step 5 loss 1.0');
  assertLinear('Ray prefix', (size) => { stripAnsi(`(${'a'.repeat(size)} pid=${'1'.repeat(size)}`); }, 20000);
});

const trustOf = async (file: string) => {
  const j = fitToJson((await analyzeFile(file, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { series: string; xKind: string; trust?: { supported: boolean; reasons: string[] } };
  return j;
};

test("a real verl PPO console (Ray's prefixes, 335 steps): no pid column, the tokens of each step not the tokens seen, the trust section says RL", async () => {
  const file = path.join(FIXTURES, 'verl-ppo-console.log.gz');
  const log = await parseLogFile(file);
  assert.equal(log.rows, 335);
  assert.ok(!log.columns.some((c) => /pid/i.test(c.name)));
  // `perf/total_num_tokens` is each step's batch (59428, 58758, …): taken as the tokens seen, the fit
  // had spanned "only 1.09× in tokens".
  const tok = log.columns.find((c) => c.name === 'perf/total_num_tokens');
  assert.equal(tok?.role, 'other');
  assert.match(tok?.reason ?? '', /falls from row to row .*a count per step/);
  const j = await trustOf(file);
  assert.equal(j.xKind, 'step');
  assert.ok(j.trust && !j.trust.supported);
  assert.ok(j.trust.reasons.some((r) => /reinforcement-learning run \(a policy-gradient loss, "actor\/pg_loss", beside a value loss, "critic\/vf_loss"/.test(r)), j.trust.reasons.join('\n'));
});

test("a real GRPO run's trainer_state.json (Unsloth, Qwen, 250 steps): its loss (β·KL) is said to be no learning curve", async () => {
  const j = await trustOf(path.join(FIXTURES, 'grpo-unsloth-qwen-250-trainer_state.json.gz'));
  assert.equal(j.series, 'loss');
  assert.ok(j.trust && !j.trust.supported);
  assert.ok(j.trust.reasons.some((r) => /reinforcement-learning run \(a reward, "reward", beside the KL to the reference model, "kl" \(GRPO\)\)/.test(r)), j.trust.reasons.join('\n'));
});

test('a tokens column that falls from row to row beside a step is no tokens seen; one that rises is; a sweep\'s is left alone', () => {
  const per = parseLogText('step,loss,num_tokens\n' + Array.from({ length: 20 }, (_, i) => `${i + 1},${2 / (i + 1)},${5000 + ((i * 37) % 11) * 100}`).join('\n') + '\n', 'metrics.csv');
  assert.equal(per.columns.find((c) => c.name === 'num_tokens')?.role, 'other');
  const seen = parseLogText('step,loss,num_tokens\n' + Array.from({ length: 20 }, (_, i) => `${i + 1},${2 / (i + 1)},${(i + 1) * 4096}`).join('\n') + '\n', 'metrics.csv');
  assert.equal(seen.columns.find((c) => c.name === 'num_tokens')?.role, 'tokens');
  // A restart (one fall) keeps it the tokens seen.
  const restart = parseLogText('step,loss,num_tokens\n' + [...Array.from({ length: 12 }, (_, i) => i + 1), ...Array.from({ length: 8 }, (_, i) => i + 6)].map((s) => `${s},${2 / s},${s * 4096}`).join('\n') + '\n', 'metrics.csv');
  assert.equal(restart.columns.find((c) => c.name === 'num_tokens')?.role, 'tokens');
});
