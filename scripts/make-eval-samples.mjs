// Regenerates the synthetic eval samples under samples/evals/ from the core's own seeded generators
// (so a fit can be checked against the truth written in samples/README.md):
//   npm run compile:tests && node scripts/make-eval-samples.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { mulberry32, normal } = require(join(root, 'out/src/core/fit/rng.js'));
const { syntheticEval } = require(join(root, 'out/src/core/evals/synthetic.js'));
const { logisticAccuracy } = require(join(root, 'out/src/core/evals/budget.js'));

const dir = join(root, 'samples', 'evals');
mkdirSync(dir, { recursive: true });

// 1. One row per attempt: 100 problems × 64 attempts, p ~ Beta(0.35, 1.8), seed 7.
{
  const s = syntheticEval(mulberry32(7), 100, 64, 0.35, 1.8);
  const lines = ['problem_id,attempt,correct'];
  s.attempts.forEach((a, i) => a.forEach((ok, j) => lines.push(`math-${String(i + 1).padStart(3, '0')},${j},${ok ? 'true' : 'false'}`)));
  writeFileSync(join(dir, 'passk_attempts.csv'), lines.join('\n') + '\n');
}

// 2. One row per problem with n and c, two models: 300 problems × 200 attempts each.
{
  const lines = ['model,problem,n,c'];
  for (const [model, a, b, seed] of [['small-1b', 0.15, 1.5, 11], ['large-8b', 0.4, 1.0, 12]]) {
    const s = syntheticEval(mulberry32(seed), 300, 200, a, b);
    for (let i = 0; i < 300; i++) lines.push(`${model},p${i + 1},${s.n[i]},${s.c[i]}`);
  }
  writeFileSync(join(dir, 'passk_counts.csv'), lines.join('\n') + '\n');
}

// 3. lm-evaluation-harness-shaped samples: 24 documents, 12 repeats each logged as separate lines,
//    two filters (strict-match, flexible-extract), exact_match 0/1 per line. p ~ Beta(0.5, 1.5).
{
  const rng = mulberry32(21);
  const s = syntheticEval(rng, 24, 12, 0.5, 1.5);
  const lines = [];
  for (const filter of ['strict-match', 'flexible-extract']) {
    s.attempts.forEach((a, i) => a.forEach((ok0) => {
      // flexible-extract also accepts some answers strict-match rejects.
      const ok = filter === 'flexible-extract' ? ok0 || rng() < 0.1 : ok0;
      const target = String(10 + i);
      const resp = ok ? `The answer is ${target}.` : `The answer is ${target}1.`;
      lines.push(JSON.stringify({
        doc_id: i, doc: { question: `Question ${i}?`, answer: `#### ${target}` }, target,
        arguments: { gen_args_0: { arg_0: `Question: Question ${i}?\nAnswer:` } },
        resps: [[resp]], filtered_resps: [ok ? target : `${target}1`], filter, metrics: ['exact_match'],
        doc_hash: `d${i}`, prompt_hash: `p${i}`, target_hash: `t${i}`, exact_match: ok ? 1.0 : 0.0,
      }));
    }));
  }
  writeFileSync(join(dir, 'samples_gsm8k_repeats.jsonl'), lines.join('\n') + '\n');
}

// 4. Thinking-budget sweep: three models, accuracy (%) against thinking tokens per query.
{
  const rng = mulberry32(5);
  const models = [
    { model: 'reasoner-1.5b', params: 1.5e9, train: 18e12, c: { floor: 0.04, ceiling: 0.55, slope: 1.1, mid: Math.log(6000) } },
    { model: 'reasoner-7b', params: 7.6e9, train: 18e12, c: { floor: 0.08, ceiling: 0.72, slope: 1.2, mid: Math.log(2500) } },
    { model: 'reasoner-32b', params: 32.5e9, train: 18e12, c: { floor: 0.15, ceiling: 0.86, slope: 1.3, mid: Math.log(1200) } },
  ];
  const lines = ['model,params,train_tokens,prompt_tokens,thinking_tokens,accuracy'];
  for (const m of models) {
    for (const t of [256, 512, 1024, 2048, 4096, 8192, 16384, 32768]) {
      const acc = Math.min(1, Math.max(0, logisticAccuracy(m.c, t) + 0.008 * normal(rng)));
      lines.push(`${m.model},${m.params},${m.train},400,${t},${(100 * acc).toFixed(1)}`);
    }
  }
  writeFileSync(join(dir, 'thinking_budget.csv'), lines.join('\n') + '\n');
}
console.log(`wrote samples to ${dir}`);
