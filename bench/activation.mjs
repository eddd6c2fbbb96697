// Activation benchmark (issue 16 item 5): loads the extension as the VSIX ships it (the production,
// minified build, made into a temporary folder; SL_BUNDLE=path measures another) in a fresh Node process with a stub `vscode` module and times the
// load and `activate()`, as the extension host counts them; median of `--repeat` processes. Then, in
// a workspace with no training-log marker (what VS Code's `workspaceContains` events look for),
// opens a JSON and a plain-text file and reports whether anything searched the workspace
// (`findFiles`) or read files beyond the ones opened; and in a workspace with a marker, that the
// scan runs. Goal: activation under 50 ms. The last line is one JSON object with the figures.
//   node bench/activation.mjs [--repeat 9]
import { spawnSync, execFileSync } from 'node:child_process';
import { statSync, mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repi = process.argv.indexOf('--repeat');
const repeat = repi > 0 ? Math.max(1, Number(process.argv[repi + 1]) | 0) : 9;
// Its temp folders (the production build, the two workspaces) are removed when the bench ends.
const made = [];
const tmpDir = (prefix) => { const d = mkdtempSync(join(os.tmpdir(), prefix)); made.push(d); return d; };
process.on('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
let bundle = process.env.SL_BUNDLE;
if (!bundle) {
  const build = tmpDir('sl-act-build-');
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, env: { ...process.env, SL_DIST: join(build, 'dist') }, stdio: ['ignore', 'ignore', 'inherit'] });
  bundle = join(build, 'dist', 'extension.js');
}
const bundleKb = Math.round(statSync(bundle).size / 1024);

// The child: a stub `vscode` (every API a no-op that records what it was asked), the bundle loaded
// and activated, then the scenario's documents opened.
const child = String.raw`
const Module = require('module');
const path = require('path');
const fs = require('fs');
const [bundle, workspace, openArg] = process.argv.slice(1);
const calls = { findFiles: [], reads: new Set() };
// Count files opened for reading (head reads go through fs.promises.open / fs.open).
const fsp = fs.promises;
const origOpen = fsp.open.bind(fsp);
fsp.open = (p, ...r) => { calls.reads.add(String(p)); return origOpen(p, ...r); };
const origOpenCb = fs.open;
fs.open = (p, ...r) => { calls.reads.add(String(p)); return origOpenCb(p, ...r); };
const disposable = { dispose() {} };
const listeners = { open: [], active: [] };
const emitterEvent = () => () => disposable;
class EventEmitter { constructor() { this.l = []; this.event = (f) => { this.l.push(f); return disposable; }; } fire(e) { for (const f of this.l) f(e); } dispose() {} }
class Uri { constructor(p) { this.scheme = 'file'; this.fsPath = p; this.path = p; } static file(p) { return new Uri(p); } static joinPath(u, ...s) { return new Uri(path.join(u.fsPath, ...s)); } static parse(s) { return new Uri(s.replace(/^file:\/\//, '')); } toString() { return 'file://' + this.fsPath; } with() { return this; } }
const anything = () => new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : anything()),
  apply: () => anything(), construct: () => anything(), set: () => true,
});
const config = { get: (k, d) => d, has: () => false, inspect: () => undefined, update: async () => {} };
const watcher = () => ({ onDidCreate: emitterEvent(), onDidChange: emitterEvent(), onDidDelete: emitterEvent(), dispose() {} });
const vscode = {
  EventEmitter, Uri, Disposable: class { constructor(f) { this.dispose = f; } static from(...d) { return { dispose() { for (const x of d) x.dispose(); } }; } },
  window: {
    createOutputChannel: () => ({ info() {}, warn() {}, error() {}, debug() {}, trace() {}, appendLine() {}, append() {}, show() {}, dispose() {} }),
    registerWebviewPanelSerializer: () => disposable, registerWebviewViewProvider: () => disposable,
    createStatusBarItem: () => anything(), createTreeView: () => anything(), registerTreeDataProvider: () => disposable,
    onDidChangeActiveTextEditor: (f) => { listeners.active.push(f); return disposable; },
    onDidChangeVisibleTextEditors: emitterEvent(), onDidChangeActiveColorTheme: emitterEvent(), onDidChangeTextEditorSelection: emitterEvent(),
    activeTextEditor: undefined, visibleTextEditors: [], showInformationMessage: async () => undefined, showWarningMessage: async () => undefined, showErrorMessage: async () => undefined,
  },
  workspace: {
    workspaceFolders: [{ uri: Uri.file(workspace), name: 'ws', index: 0 }], textDocuments: [], isTrusted: true,
    getConfiguration: () => config, createFileSystemWatcher: watcher,
    findFiles: async (include, exclude, max) => {
      calls.findFiles.push({ include: String(include), max });
      await new Promise((r) => setImmediate(r)); // a search is a request to another process: never inside activate()
      const out = [];
      const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (out.length < max && path.matchesGlob(path.relative(workspace, p), String(include))) out.push(Uri.file(p)); } };
      walk(workspace);
      return out;
    },
    onDidOpenTextDocument: (f) => { listeners.open.push(f); return disposable; },
    onDidCloseTextDocument: emitterEvent(), onDidChangeTextDocument: emitterEvent(), onDidSaveTextDocument: emitterEvent(),
    onDidChangeConfiguration: emitterEvent(), onDidGrantWorkspaceTrust: emitterEvent(), onDidChangeWorkspaceFolders: emitterEvent(),
    asRelativePath: (p) => String(p),
  },
  commands: { registerCommand: () => disposable, executeCommand: async () => undefined, getCommands: async () => [] },
  languages: { createDiagnosticCollection: () => anything(), registerHoverProvider: () => disposable, registerCodeActionsProvider: () => disposable, registerCodeLensProvider: () => disposable, getDiagnostics: () => [] },
  env: { language: 'en' },
};
const real = Module._load;
// esbuild copies the module's own properties (__toESM): every name the bundle uses must be one.
for (const k of ['CancellationTokenSource', 'CodeAction', 'CodeActionKind', 'ConfigurationTarget', 'Diagnostic', 'DiagnosticSeverity', 'FileType', 'Hover',
  'MarkdownString', 'Position', 'ProgressLocation', 'Range', 'RelativePattern', 'StatusBarAlignment', 'ThemeColor', 'ThemeIcon', 'TreeItem',
  'TreeItemCollapsibleState', 'ViewColumn', 'WorkspaceEdit', 'LogLevel']) if (!(k in vscode)) vscode[k] = anything();
const orAnything = (o) => new Proxy(o, { get: (t, k) => (k in t ? t[k] : anything()) });
for (const k of ['window', 'workspace', 'commands', 'languages', 'env']) vscode[k] = orAnything(vscode[k]);
const stub = orAnything(vscode);
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : real.call(this, request, ...rest); };
// The extension host has Node's own modules loaded already: so does this process before timing.
for (const m of ['fs', 'path', 'os', 'worker_threads', 'url', 'util', 'crypto', 'child_process', 'events', 'stream', 'zlib', 'string_decoder', 'buffer', 'fs/promises']) require(m);
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const ext = require(bundle);
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage(c0);
const context = { subscriptions: [], extensionPath: path.dirname(path.dirname(bundle)), extensionUri: Uri.file(path.dirname(path.dirname(bundle))), globalState: anything(), workspaceState: anything(), storageUri: undefined, globalStorageUri: Uri.file(os.tmpdir()) };
const c2 = process.cpuUsage();
const api = ext.activate(context);
const t2 = process.hrtime.bigint();
const c3 = process.cpuUsage(c2);
(async () => {
  for (const f of openArg ? openArg.split(',') : []) {
    const doc = { uri: Uri.file(f), languageId: f.endsWith('.json') ? 'json' : 'plaintext', fileName: f, getText: () => fs.readFileSync(f, 'utf8'), lineCount: 1 };
    for (const l of listeners.open) l(doc);
  }
  await new Promise((r) => setTimeout(r, 300));
  await Promise.race([api.whenScanned(), new Promise((r) => setTimeout(r, 3000))]);
  for (const d of context.subscriptions) try { d.dispose(); } catch {}
  process.stdout.write(JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6, loadCpuMs: (c1.user + c1.system) / 1e3, activateCpuMs: (c3.user + c3.system) / 1e3, findFiles: calls.findFiles, logFiles: api.logFiles(), reads: [...calls.reads].filter((p) => p.startsWith(workspace)) }));
  process.exit(0);
})();
`.replace('os.tmpdir()', 'require("os").tmpdir()');

// Workspaces: one with only a JSON and a text file (no log marker), one with a metrics.csv.
const plain = tmpDir('sl-act-plain-');
writeFileSync(join(plain, 'settings.json'), '{ "a": 1 }\n');
writeFileSync(join(plain, 'notes.txt'), 'hello\n');
for (let i = 0; i < 50; i++) writeFileSync(join(plain, `data${i}.csv`), 'a,b\n1,2\n');
const withLogs = tmpDir('sl-act-logs-');
mkdirSync(join(withLogs, 'run'));
writeFileSync(join(withLogs, 'run', 'metrics.csv'), 'step,loss\n1,3.2\n2,3.1\n');
writeFileSync(join(withLogs, 'run', 'notes.csv'), 'name,city\nada,london\n');

function once(workspace, open) {
  const r = spawnSync(process.execPath, ['-e', child, bundle, workspace, open ?? ''], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`activation child failed: ${r.stderr.trim().split('\n').slice(0, 12).join(' | ')}`);
  return JSON.parse(r.stdout);
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const loads = [], acts = [], totals = [], cpus = [], sysLoad = [];
for (let k = 0; k < repeat; k++) {
  sysLoad.push(os.loadavg()[0]);
  const r = once(plain);
  loads.push(r.loadMs); acts.push(r.activateMs); totals.push(r.loadMs + r.activateMs); cpus.push(r.loadCpuMs + r.activateCpuMs);
}
const fmt = (x) => x.toFixed(1);
console.log(`activation (stub vscode, ${repeat} fresh processes; load ${median(sysLoad).toFixed(2)}): load of extension.js (${process.env.SL_BUNDLE ? bundle : "production build"}, ${bundleKb} KB) ${fmt(median(loads))} ms, activate() ${fmt(median(acts))} ms, total ${fmt(median(totals))} ms median (min ${fmt(Math.min(...totals))}, max ${fmt(Math.max(...totals))}); CPU time ${fmt(median(cpus))} ms median  goal < 50 ms`);
const opened = [join(plain, 'settings.json'), join(plain, 'notes.txt')];
const p = once(plain, opened.join(','));
const others = p.reads.filter((f) => !opened.includes(f));
console.log(`opening a JSON and a text file in a workspace without a log marker: ${p.findFiles.length} search(es) (${p.findFiles.map((f) => `${f.include} max ${f.max}`).join('; ') || 'none'}), ${others.length} other file(s) read`);
const w = once(withLogs);
console.log(`a workspace with a marker (run/metrics.csv): ${w.findFiles.length} search(es) (${w.findFiles.map((f) => `${f.include} max ${f.max}`).join('; ')}); logs found: ${w.logFiles.map((f) => f.slice(withLogs.length + 1)).join(', ') || 'none'}`);
console.log(JSON.stringify({
  bench: 'activation', date: new Date().toISOString(),
  machine: { cores: os.availableParallelism?.() ?? os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load1: median(sysLoad) },
  results: [
    { name: 'load extension.js', bundle: process.env.SL_BUNDLE ? bundle : 'production build', kb: bundleKb, seconds: median(loads) / 1000 },
    { name: 'activate()', seconds: median(acts) / 1000 },
    { name: 'activation total', seconds: median(totals) / 1000, ratio: median(totals) / 50, goalMs: 50 },
    { name: 'activation CPU time', seconds: median(cpus) / 1000, ratio: median(cpus) / 50, goalMs: 50 },
  ],
  openJsonOrText: { searches: p.findFiles, otherFilesRead: others.length },
  markerWorkspace: { searches: w.findFiles, logsFound: w.logFiles.length },
}));
