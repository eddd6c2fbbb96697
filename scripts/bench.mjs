// `npm run bench`: compiles the core and runs every bench/*.mjs script in turn. Benchmarks print
// their figures (and ratios against a reference measured in the same run); they never assert times.
import { execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDeps, root } from './ensure-deps.mjs';

ensureDeps();
execSync('npm run compile:tests', { cwd: root, stdio: 'inherit' });
const only = process.argv.slice(2);
const scripts = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
for (const s of scripts) {
  console.log(`\n=== bench/${s}`);
  execSync(`node ${JSON.stringify(join('bench', s))}`, { cwd: root, stdio: 'inherit' });
}
