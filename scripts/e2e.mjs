// `npm run test:e2e`: end-to-end tests in a real VS Code (code-server, see scripts/editor.mjs).
//   1. installs what it needs (npm deps, the cached editor), builds the VSIX and compiles the tests;
//   2. runs the mocha suite (test/suite, index exports run()) inside the real extension host,
//      through code-server's smoke-test driver, with the extension loaded from this folder;
//   3. runs the Playwright UI scenarios (test/ui/*.scenario.mjs, in name order) in Debian's
//      chromium against the installed VSIX, one shared editor, screenshots under test-results/ui/.
// Prints mocha's output, one line per scenario, and a final line "N passed, N failed"; exits
// non-zero on any failure. The editor's whole process group is stopped in every case.
//
// Options: --suite-only, --ui-only, --grep TEXT (scenario file names, several as A|B / mocha test titles),
//          --no-build (reuse dist/, the VSIX and out/).
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { format } from 'node:util';
import { ensureDeps, root } from './ensure-deps.mjs';
import { ensureEditor, startEditor, extensionTestsUrl } from './editor.mjs';
import { ensureSystemDeps, SystemDepsError } from './system-deps.mjs';

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const grepIdx = argv.indexOf('--grep');
const grep = grepIdx >= 0 ? argv[grepIdx + 1] : undefined;
// The extension host inherits code-server's environment: test/suite/index.ts reads this.
if (grep) process.env.SCALING_LENS_SUITE_GREP = grep;
const VSIX = join(root, 'scaling-lens-0.1.0.vsix');
const RESULTS = join(root, 'test-results');
const SAMPLES = join(root, 'samples');
const SUITE_TIMEOUT_MS = 5 * 60_000;
const SCENARIO_TIMEOUT_MS = 3 * 60_000;

// Workbench log lines that are expected offline and say nothing about the extension.
// They still go to test-results/suite.log.
const NOISE = new RegExp([
  'open-vsx\\.org', 'Long running operations during shutdown', 'vsda', 'marketplace', 'ENOTFOUND',
  '^Resolv(ing|ed) connection token', '^Creating a socket', '^\\[reconnection-grace-time\\]',
  '^Updating additional builtin', '^\\[Service Worker\\]', '^\\[AgentHost', '^\\[AccountPolicyGate\\]',
].join('|'));
const t0 = Date.now();
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const say = (...a) => console.log('[e2e]', ...a);

export function chromiumPath() {
  const candidates = [process.env.SCALING_LENS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
    .filter(Boolean);
  const hit = candidates.find((c) => existsSync(c));
  if (!hit) throw new Error('no chromium found: install Debian\'s chromium (apt-get install -y chromium) or set SCALING_LENS_CHROMIUM');
  return hit;
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-features=Translate'],
  });
}

function build() {
  const t = Date.now();
  rmSync(VSIX, { force: true }); // never test a stale package
  let packaged = true;
  try {
    execSync('npm run package', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    packaged = false;
    say('npm run package failed (see above): the UI scenarios cannot run; the suite still runs on dist/ if it was bundled');
  }
  // Compile the tests without wiping all of out/ (other tools may be using it): only the suite's
  // folder is cleared so deleted test files do not linger. Type errors elsewhere are reported by
  // `npm run typecheck`; here tsc still emits, and a missing suite is caught below.
  rmSync(join(root, 'out', 'test', 'suite'), { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', 'out'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n');
    say(`tsc reported ${out.length} line(s) of errors (see npm run typecheck); continuing with what it emitted:`);
    console.log(out.slice(0, 10).map((l) => `    ${l}`).join('\n'));
  }
  if (!existsSync(join(root, 'out', 'test', 'suite', 'index.js'))) throw new Error('out/test/suite/index.js was not emitted');
  if (!existsSync(join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js was not bundled');
  say(`built ${packaged ? 'the VSIX' : 'dist/ (no VSIX)'} and compiled the tests in ${secs(t)}`);
  return { packaged: packaged && existsSync(VSIX) };
}

/** Part 1: the mocha suite inside the real extension host. */
async function runSuite(browser) {
  const t = Date.now();
  say('extension-host suite: starting the editor with the smoke-test driver');
  const ed = await startEditor({ workspace: SAMPLES, smokeTestDriver: true });
  const result = { passed: 0, failed: 0 };
  const suiteLog = join(RESULTS, 'suite.log');
  writeFileSync(suiteLog, '');
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    let summary;
    let exited;
    const done = new Promise((resolve) => { exited = resolve; });
    // The smoke-test driver calls these: mocha's output line by line, then the exit code.
    await page.exposeFunction('codeAutomationExit', (code) => exited(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args])).replace(/\x1b\[[0-9;]*m/g, '');
      appendFileSync(suiteLog, `[${type}] ${text}\n`);
      if (NOISE.test(text)) return;
      const m = /suite: (\d+) passed, (\d+) failed/.exec(text);
      if (m) summary = { passed: +m[1], failed: +m[2] };
      (type === 'error' ? process.stderr : process.stdout).write(`${text.replace(/\n$/, '')}\n`);
    });
    await page.goto(extensionTestsUrl(ed, root, join(root, 'out', 'test', 'suite')));
    let timer;
    const code = await Promise.race([
      done,
      new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS); }),
    ]);
    clearTimeout(timer);
    await page.screenshot({ path: join(RESULTS, 'suite-final.png') }).catch(() => {});
    if (code === 'timeout') {
      say(`extension-host suite timed out after ${SUITE_TIMEOUT_MS / 1000} s`);
      result.failed += 1;
    } else if (summary) {
      Object.assign(result, summary);
      if (code !== 0 && summary.failed === 0) result.failed += 1; // the run itself failed (e.g. index.js threw)
    } else {
      say(`extension-host suite exited with code ${code} before reporting`);
      result.failed += code === 0 ? 0 : 1;
    }
  } finally {
    await context.close().catch(() => {});
    await ed.stop();
  }
  say(`extension-host suite: ${result.passed} passed, ${result.failed} failed (${secs(t)})`);
  return result;
}

function scenarioFiles() {
  const dir = join(root, 'test', 'ui');
  return readdirSync(dir).filter((f) => f.endsWith('.scenario.mjs')).sort()
    .filter((f) => !grep || grep.split('|').some((g) => g && f.includes(g)))
    .map((f) => ({ file: join(dir, f), name: f.replace(/\.scenario\.mjs$/, '') }));
}

async function openWorkbench(browser, ed, consoleLog) {
  const { waitForWorkbench } = await import(pathToFileURL(join(root, 'test', 'ui', 'helpers.mjs')).href);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') appendFileSync(consoleLog, `[console.${m.type()}] ${m.text()}\n`); });
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.message}\n`));
  const t = Date.now();
  await page.goto(ed.url);
  await waitForWorkbench(page);
  say(`workbench ready in ${secs(t)}`);
  return { context, page };
}

/** Part 2: the Playwright scenarios against the installed VSIX. */
async function runScenarios(browser) {
  const t = Date.now();
  const files = scenarioFiles();
  const result = { passed: 0, failed: 0 };
  if (files.length === 0) return result;
  const uiDir = join(RESULTS, 'ui');
  mkdirSync(uiDir, { recursive: true });
  const consoleLog = join(uiDir, 'browser-console.log');
  writeFileSync(consoleLog, '');
  const helpers = await import(pathToFileURL(join(root, 'test', 'ui', 'helpers.mjs')).href);

  let shared; // { ed, context, page } reused by scenarios that do not ask for a fresh editor
  const startOne = async () => {
    const ed = await startEditor({ workspace: SAMPLES, vsix: VSIX });
    try {
      const { context, page } = await openWorkbench(browser, ed, consoleLog);
      return { ed, context, page };
    } catch (e) {
      await ed.stop();
      throw e;
    }
  };
  const stopOne = async (s) => { if (s) { await s.context.close().catch(() => {}); await s.ed.stop(); } };

  try {
    for (const { file, name } of files) {
      const ts = Date.now();
      const shotDir = join(uiDir, name);
      rmSync(shotDir, { recursive: true, force: true });
      mkdirSync(shotDir, { recursive: true });
      let mod;
      let own;
      let page;
      let step = 0;
      try {
        mod = await import(pathToFileURL(file).href);
        if (typeof mod.default !== 'function') throw new Error('a scenario must export a default async function (ctx)');
        let s;
        if (mod.fresh) {
          s = own = await startOne();
        } else {
          if (!shared) shared = await startOne();
          s = shared;
          await helpers.reset(s.page);
        }
        page = s.page;
        const shot = async (label) => {
          step += 1;
          const path = join(shotDir, `${String(step).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '-')}.png`);
          await page.screenshot({ path });
          return path;
        };
        const ctx = { page, wb: helpers.bind(page), helpers, shot, assert, editor: s.ed, workspace: s.ed.folder, log: (...a) => console.log('      ', ...a) };
        let timer;
        await Promise.race([
          mod.default(ctx),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`scenario timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS); }),
        ]).finally(() => clearTimeout(timer));
        result.passed += 1;
        console.log(`  ✔ ${name}${mod.title ? `: ${mod.title}` : ''} (${secs(ts)})`);
      } catch (e) {
        result.failed += 1;
        console.log(`  ✘ ${name}${mod?.title ? `: ${mod.title}` : ''} (${secs(ts)})`);
        console.log(String(e?.stack ?? e).split('\n').slice(0, 6).map((l) => `      ${l}`).join('\n'));
        if (page) await page.screenshot({ path: join(shotDir, 'FAILED.png') }).catch(() => {});
        // A broken shared editor would fail every later scenario: start a new one next time.
        if (!own && shared && (shared.page.isClosed() || !(await shared.page.locator('.monaco-workbench').count().catch(() => 0)))) {
          await stopOne(shared);
          shared = undefined;
        }
      } finally {
        await stopOne(own);
      }
    }
  } finally {
    await stopOne(shared);
  }
  say(`UI scenarios: ${result.passed} passed, ${result.failed} failed (${secs(t)}); screenshots in test-results/ui/`);
  return result;
}

/**
 * One e2e run at a time per clone: runs share dist/, the VSIX, out/ and test-results/, and two of
 * them on a small machine also starve each other's editors. A second run waits for the first.
 */
async function takeLock() {
  const dir = join(root, '.vscode-test');
  const lock = join(dir, 'e2e.lock');
  mkdirSync(dir, { recursive: true });
  const until = Date.now() + 20 * 60_000;
  let told = false;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      process.on('exit', () => { try { if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock, { force: true }); } catch { /* gone */ } });
      return;
    } catch {
      let holder = NaN;
      try { holder = Number(readFileSync(lock, 'utf8')); } catch { /* vanished: retry */ }
      let alive = false;
      try { if (holder > 0) { process.kill(holder, 0); alive = true; } } catch { /* dead */ }
      if (!alive && Number.isFinite(holder)) { rmSync(lock, { force: true }); continue; }
      if (!told) { say(`another e2e run (pid ${holder}) is using this clone; waiting for it to finish…`); told = true; }
      if (Date.now() > until) throw new Error(`gave up waiting for the e2e run with pid ${holder}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main() {
  ensureDeps();
  await takeLock();
  ensureSystemDeps({ purpose: 'ui' });
  ensureEditor();
  const { packaged } = flag('--no-build') ? { packaged: existsSync(VSIX) } : build();
  mkdirSync(RESULTS, { recursive: true });
  const total = { passed: 0, failed: 0 };
  if (!packaged && !flag('--suite-only')) total.failed += 1; // the VSIX itself is under test
  const add = (r) => { total.passed += r.passed; total.failed += r.failed; };
  const browser = await launchBrowser();
  try {
    if (!flag('--ui-only')) add(await runSuite(browser));
    if (!flag('--suite-only') && packaged) add(await runScenarios(browser));
  } finally {
    await browser.close().catch(() => {});
  }
  say(`done in ${secs(t0)}`);
  console.log(`${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`[e2e] ${err instanceof SystemDepsError ? err.message : err?.stack ?? err}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
