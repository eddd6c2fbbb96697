// `scaling-lens fit` end to end on the fixtures: JSON shape, exit codes, one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseFitArgs } from '../../src/cli/fit';
import { tmpDir } from './tmpUtil';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

// Runs the compiled CLI in a child process (capturing this process's stdout would swallow the test report).
const CLI = join(__dirname, '..', '..', 'src', 'cli.js');
async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, [CLI, 'fit', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('fit --json on the Chinchilla sweep gives the issue\'s JSON shape', async () => {
  const r = await capture([join(FIXTURES, 'chinchilla_svg_extracted.csv'), '--drop-highest-loss', '5', '--bootstrap', '20', '--budget', '1e22', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.law, 'chinchilla');
  assert.equal(j.n, 240);
  assert.equal(j.dropped, 5);
  assert.deepEqual(Object.keys(j.params).sort(), ['A', 'B', 'E', 'alpha', 'beta']);
  assert.ok(j.objective <= 0.0010183);
  assert.ok(Array.isArray(j.ci.alpha) && j.ci.alpha.length === 2);
  assert.ok(j.optimal.tokensPerParam > 15 && j.optimal.tokensPerParam < 25);
  assert.equal(j.allocation.budget, 1e22);
  assert.equal(j.curves, undefined);
});

test('fit on a run log extrapolates to --target-tokens with a band', async () => {
  // The Lightning log has steps only and no config of its own (test/fixtures holds many logs): tokens per step given.
  const r = await capture([join(FIXTURES, 'lightning_metrics.csv'), '--bootstrap', '20', '--tokens-per-step', '4', '--target-tokens', '1e6', '--json', '--curves']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.law, 'run');
  assert.equal(j.prediction.tokens, 1e6);
  assert.ok(j.prediction.lo <= j.prediction.loss && j.prediction.loss <= j.prediction.hi);
  assert.ok(j.curves.some((c: { kind: string }) => c.kind === 'extrapolation'));
});

test('fit: bad options exit 2, unreadable files and unsupported fits exit 1 with one line', async () => {
  let r = await capture(['x.csv', '--law', 'bogus']);
  assert.equal(r.code, 2);
  assert.match(r.err.split('\n')[0], /--law must be one of/);
  r = await capture(['x.csv', '--bootstrap', 'many']);
  assert.equal(r.code, 2);
  r = await capture([join(FIXTURES, 'does_not_exist.csv')]);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split('\n').length, 1);
  r = await capture([join(FIXTURES, 'lightning_metrics.csv'), '--law', 'chinchilla']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no sweep table/);
  assert.equal(r.err.trim().split('\n').length, 1);
});

test('fit --strategy grid runs the full grid on worker threads (tsc build and esbuild bundle)', async () => {
  const args = [join(FIXTURES, 'chinchilla_svg_extracted.csv'), '--drop-highest-loss', '5', '--bootstrap', '0', '--strategy', 'grid', '--threads', '2', '--json'];
  const dist = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const clis = [CLI, ...(existsSync(dist) && existsSync(join(dirname(dist), 'gridWorker.js')) ? [dist] : [])];
  for (const cli of clis) {
    const r = spawnSync(process.execPath, [cli, 'fit', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.objective <= 0.0010183, `${cli}: objective ${j.objective}`);
    assert.ok(j.messages.some((m: string) => m.includes('on 2 thread(s)')), `${cli}: ${j.messages.join('; ')}`);
  }
  const bad = await capture([join(FIXTURES, 'chinchilla_svg_extracted.csv'), '--threads', '65']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--threads must be a whole number/);
});

test('fit --params takes a whole number of parameters, written any way (1.3e9), and refuses half a parameter', async () => {
  const file = join(FIXTURES, 'chinchilla_svg_extracted.csv');
  const half = await capture([file, '--params', '0.5']);
  assert.equal(half.code, 2);
  assert.match(half.err, /--params must be a whole number from 0 to 1e16, got '0\.5'/);
  const big = await capture([file, '--params', '1e17']);
  assert.equal(big.code, 2);
  assert.match(big.err, /from 0 to 1e16, got '1e17'/);
  assert.deepEqual(parseFitArgs([file, '--params', '1.3e9']), parseFitArgs([file, '--params', '1300000000']));
});

test('fit on a loss that never varies prints no NaN: its R² is "—" (no number), as in the panel', async () => {
  const { writeFileSync } = await import('node:fs');
  const file = join(tmpDir('sl-flat-'), 'flat.jsonl');
  writeFileSync(file, Array.from({ length: 30 }, (_, i) => JSON.stringify({ step: (i + 1) * 10, loss: 2.5 })).join('\n') + '\n');
  const r = await capture([file, '--bootstrap', '0']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /R² \(log loss\): —/);
  assert.match(r.out, /the loss does not decrease over the fitted range/);
  assert.match(r.out, /note: 95% band without a bootstrap/);
  assert.doesNotMatch(r.out, /NaN|undefined/);
});
