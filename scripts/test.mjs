// `npm test`: everything, on a fresh clone. Installs what it needs, type-checks, lints, runs the
// unit tests (node --test on the compiled core) and then the end-to-end tests in a real editor
// (scripts/e2e.mjs). Every step runs even when an earlier one failed, so one run shows all
// problems; the last line is "N passed, N failed" (tests of both kinds, plus one failure per
// failed type-check/lint step) and the exit code is non-zero on any failure.
// SCALING_LENS_SKIP_E2E=1 leaves out the set-up and end-to-end tests (they need the real editor);
// SCALING_LENS_SKIP_SETUP_TEST=1 only the set-up tests (test/setup: a real editor install killed
// half-way and rerun, a few minutes).
import { spawn } from 'node:child_process';
import { ensureDeps, root } from './ensure-deps.mjs';
import { ensureSystemDeps, SystemDepsError } from './system-deps.mjs';

ensureDeps();
if (process.env.SCALING_LENS_SKIP_E2E !== '1') {
  // The same installer `.ci/run` calls: apt-get as root or with `sudo -n`, else one line to run.
  try {
    ensureSystemDeps();
  } catch (e) {
    if (!(e instanceof SystemDepsError)) throw e;
    console.error(`[scaling-lens] ${e.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const steps = [
  { name: 'typecheck', cmd: 'npm run typecheck' },
  { name: 'lint', cmd: 'npm run lint' },
  { name: 'unit tests', cmd: 'npm run test:unit', counts: nodeTestCounts },
  { name: 'set-up tests', cmd: 'node --test --test-reporter=spec test/setup/', counts: nodeTestCounts, e2e: true, setup: true },
  { name: 'end-to-end tests', cmd: 'npm run test:e2e', counts: e2eCounts, e2e: true },
].filter((s) => !(s.e2e && process.env.SCALING_LENS_SKIP_E2E === '1') && !(s.setup && process.env.SCALING_LENS_SKIP_SETUP_TEST === '1'));

/** node --test's closing summary: "ℹ pass N" / "ℹ fail N" (spec reporter) or "# pass N" (tap). */
function nodeTestCounts(out) {
  const pass = [...out.matchAll(/^[ℹ#] pass (\d+)/gm)].pop();
  const fail = [...out.matchAll(/^[ℹ#] fail (\d+)/gm)].pop();
  return pass && fail ? { passed: +pass[1], failed: +fail[1] } : undefined;
}
/** scripts/e2e.mjs's closing line "N passed, N failed". */
function e2eCounts(out) {
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  return m ? { passed: +m[1], failed: +m[2] } : undefined;
}

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, { cwd: root, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const total = { passed: 0, failed: 0 };
const failedSteps = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd}`);
  const t = Date.now();
  const { code, out } = await run(step.cmd);
  const counts = step.counts?.(out);
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
  }
  if (code !== 0) {
    failedSteps.push(step.name);
    if (!counts || counts.failed === 0) total.failed += 1; // the step failed outside its tests
  }
  console.log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
console.log(failedSteps.length ? `\n[scaling-lens] failed: ${failedSteps.join(', ')}` : '\n[scaling-lens] all steps passed');
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
