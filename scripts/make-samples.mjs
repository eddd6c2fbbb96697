// Regenerates samples/runs/synthetic-125m/train_log.jsonl: a synthetic single-run log whose loss
// follows a known law, so a user (and the tests) can check that the fitted curve recovers it.
//   L(D) = E + B / D^beta,  E = 2.0, B = 500, beta = 0.3, D = tokens seen
// with seeded multiplicative noise (sd 0.5 %), 524,288 tokens per step (batch 512 x 1024),
// a train loss every 10 steps and an eval loss every 500 steps. Deterministic (mulberry32, seed 7).
import { mkdirSync, writeFileSync } from 'node:fs';
import { seeded } from './seeded.mjs';

export const TRUE_LAW = { E: 2.0, B: 500, beta: 0.3, tokensPerStep: 512 * 1024 };

const { gauss } = seeded(7);

const { E, B, beta, tokensPerStep } = TRUE_LAW;
const law = (d) => E + B / d ** beta;
const lines = [];
const steps = 5000;
for (let step = 10; step <= steps; step += 10) {
  const tokens = step * tokensPerStep;
  const lr = step < 500 ? 6e-4 * step / 500 : 6e-5 + 0.5 * (6e-4 - 6e-5) * (1 + Math.cos(Math.PI * (step - 500) / (steps - 500)));
  const loss = law(tokens) * (1 + 0.005 * gauss());
  lines.push(JSON.stringify({ step, tokens, loss: +loss.toFixed(5), lr: +lr.toExponential(4) }));
  if (step % 500 === 0) {
    lines.push(JSON.stringify({ step, tokens, eval_loss: +(law(tokens) * (1 + 0.002 * gauss()) + 0.02).toFixed(5) }));
  }
}
const dir = new URL('../samples/runs/synthetic-125m/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('train_log.jsonl', dir), lines.join('\n') + '\n');
console.log(`wrote ${lines.length} records to samples/runs/synthetic-125m/train_log.jsonl`);
