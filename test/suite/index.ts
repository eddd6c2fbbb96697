// Entry of the mocha suite that runs inside a real extension host. `run()` follows the
// @vscode/test-electron convention (`extensionTestsPath` points at this folder), so the same suite
// runs under code-server's smoke-test driver (scripts/e2e.mjs) and under `npm run test:electron`.
// Every `*.test.js` file compiled next to this one is picked up; add a `test/suite/foo.test.ts` to
// add tests (mocha `suite`/`test` TDD interface; `describe`/`it` work too).
import * as fs from 'fs';
import * as path from 'path';

// mocha 12 ships as ESM with a CommonJS build beside it; load the CommonJS one so this also works
// in extension hosts whose Node cannot require() ES modules.
type MochaClass = typeof import('mocha');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: MochaClass = require('mocha/lib/mocha.cjs');

export function run(): Promise<void> {
  const grep = process.env.SCALING_LENS_SUITE_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: 60_000,
    ...(grep ? { grep } : {}),
  });
  Mocha.reporters.Base.useColors = false; // plain text in CI logs, whatever the environment says
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        // A plain summary line the e2e script sums with the UI scenarios.
        console.log(`suite: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
