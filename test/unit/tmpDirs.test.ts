// The unit tests leave nothing in os.tmpdir(): their folders come from tmpDir() (tmpUtil.ts), which
// removes them when the file's tests have finished. Before it, a run of the suite left about 45
// `sl-*` folders behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpDir } from './tmpUtil';

const SRC = path.join(__dirname, '..', '..', '..', 'test', 'unit');

/** A source that makes a folder in the system's temp folder itself (and so must remove it itself). */
const makesTmpItself = (text: string): boolean => /\bmkdtemp(?:Sync)?\s*\(/.test(text) && /\btmpdir\s*\(/.test(text);

test('no unit test makes a folder in os.tmpdir() except through tmpDir(), which removes it', () => {
  assert.ok(makesTmpItself("const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-x-'));"));
  assert.ok(makesTmpItself("const base = tmpdir();\nconst d = mkdtempSync(join(base, 'sl-x-'));"));
  assert.ok(!makesTmpItself("const d = fs.mkdtempSync(path.join(tmp, 'run-'));"), 'a folder inside a tmpDir() goes with it');
  // tmpUtil.ts itself, and this file, whose examples above would match.
  const files = fs.readdirSync(SRC).filter((n) => n.endsWith('.ts') && n !== 'tmpUtil.ts' && n !== 'tmpDirs.test.ts');
  assert.ok(files.length > 50, `${files.length} unit test sources under ${SRC}`);
  const offenders = files.filter((n) => makesTmpItself(fs.readFileSync(path.join(SRC, n), 'utf8')));
  assert.deepEqual(offenders, [], 'use tmpDir(prefix) from ./tmpUtil instead of mkdtempSync(os.tmpdir() …)');
});

test('a tmpDir() shared by two tests outlives the first and is gone once the file has finished', () => {
  const dir = tmpDir('sl-tmpdirs-');
  const file = path.join(dir, 'shared.test.js');
  fs.writeFileSync(file, [
    "const { test } = require('node:test');",
    "const assert = require('node:assert/strict');",
    "const fs = require('node:fs');",
    `const { tmpDir } = require(${JSON.stringify(path.join(__dirname, 'tmpUtil.js'))});`,
    "const shared = tmpDir('sl-tmpdirs-shared-');",
    'console.log(`SHARED ${shared}`);',
    "test('one', () => { fs.writeFileSync(shared + '/a.txt', 'a'); });",
    "test('two', () => { assert.equal(fs.readFileSync(shared + '/a.txt', 'utf8'), 'a'); });",
  ].join('\n'));
  // A run of its own, not a subtest of this one (node --test tells its children by NODE_TEST_CONTEXT).
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
  const shared = /SHARED (\S+)/.exec(r.stdout)?.[1];
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /# pass 2/);
  assert.ok(shared && path.basename(shared).startsWith('sl-tmpdirs-shared-'), r.stdout);
  assert.equal(fs.existsSync(shared), false, `${shared} is left behind`);
});
