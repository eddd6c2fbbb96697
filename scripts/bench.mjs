// `npm run bench`: compiles the core and runs every bench/*.mjs script in turn. Benchmarks print
// their figures (and ratios against a reference measured in the same run); they never assert times.
import { execFileSync, execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDeps, root } from './ensure-deps.mjs';

ensureDeps();
execSync('npm run compile:tests', { cwd: root, stdio: 'inherit' });
// `npm run bench -- logs --size-mb 200`: words before the first option pick the scripts (by name),
// everything from the first option on is passed to each of them.
const argv = process.argv.slice(2);
const firstOpt = argv.findIndex((a) => a.startsWith('-'));
const only = firstOpt < 0 ? argv : argv.slice(0, firstOpt);
const passed = firstOpt < 0 ? [] : argv.slice(firstOpt);
const scripts = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
for (const s of scripts) {
  console.log(`\n=== bench/${s}`);
  execFileSync(process.execPath, [join('bench', s), ...passed], { cwd: root, stdio: 'inherit' });
}
