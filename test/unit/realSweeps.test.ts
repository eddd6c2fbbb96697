// Real sweeps that repeat a configuration (hadasah/scaling_laws, final checkpoints over sizes, token
// counts and learning rates): the choice of points moves the exponents, so it is explicit and said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseLogFile } from '../../src/core/logs';
import { analyze } from '../../src/core/pipeline';
import { paramsFor } from '../../src/core/fit/types';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { inferRoles } from '../../src/core/logs/roles';

const FILE = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'hadasah_scaling_results_last_ckpt_only.csv');

test('final checkpoints: the authors\' fit (α = 0.2002, β = 0.6357) is reproduced with every learning rate kept', async () => {
  const log = await parseLogFile(FILE);
  const { state } = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, repeats: 'final' });
  assert.equal(state.fit?.law, 'chinchilla');
  assert.equal(state.fit?.n, 261);
  const p = paramsFor(state.fit!, 'chinchilla')!;
  assert.ok(Math.abs(p.alpha - 0.2002) < 0.002, `alpha = ${p.alpha}`);
  assert.ok(Math.abs(p.beta - 0.6357) < 0.002, `beta = ${p.beta}`);
  assert.equal(state.repeatsApply, true);
});

test('by default the best learning rate per (N, D) is kept, and the messages say so', async () => {
  const log = await parseLogFile(FILE);
  const { state } = analyze(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
  const f = state.fit!;
  assert.ok(f.n < 261 && f.n > 50, `n = ${f.n}`);
  assert.ok(f.messages.some((m) => /best learning rate per \(N, D\): \d+ of 261/.test(m)), f.messages.join('; '));
  const { alpha } = paramsFor(f, 'chinchilla')!;
  assert.ok(Math.abs(alpha - 0.138) < 0.01, `alpha = ${alpha}`);
});

test('header roles seen in real tables', () => {
  const cols = inferRoles(['FLOPs / update', 'total train ZFLOPs', 'portion_steps_elapsed', 'predict_loss', 'predict_runtime', 'current_steps', 'peak_lr'], {});
  const role = Object.fromEntries(cols.map((c) => [c.name, c.role]));
  assert.deepEqual(role, {
    'FLOPs / update': 'other', 'total train ZFLOPs': 'flops', portion_steps_elapsed: 'other', predict_loss: 'eval_loss',
    predict_runtime: 'other', current_steps: 'step', peak_lr: 'lr',
  });
  assert.match(cols[1].reason, /1e21/);
});
