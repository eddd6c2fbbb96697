// `npm test`: everything, on a fresh clone. Installs what it needs, type-checks, lints, runs the
// unit tests (node --test on the compiled core) and then the end-to-end tests in a real editor.
// Exits non-zero on any failure.
import { execSync } from 'node:child_process';
import { ensureDeps, root } from './ensure-deps.mjs';

ensureDeps();
const steps = [
  ['typecheck', 'npm run typecheck'],
  ['lint', 'npm run lint'],
  ['unit tests', 'npm run test:unit'],
  ['end-to-end tests', 'npm run test:e2e'],
];
if (process.env.SCALING_LENS_SKIP_E2E === '1') steps.pop();
for (const [name, cmd] of steps) {
  console.log(`\n=== ${name}: ${cmd}`);
  try {
    execSync(cmd, { cwd: root, stdio: 'inherit' });
  } catch {
    console.error(`\n[scaling-lens] ${name} failed`);
    process.exit(1);
  }
}
console.log('\n[scaling-lens] all tests passed');
