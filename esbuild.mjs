// One build script, several outputs (see DESIGN.md):
//   dist/extension.js  – the extension host entry (Node, CommonJS, `vscode` external)
//   dist/worker.js     – worker_threads entry for parsing/fitting off the host's loop
//   dist/configWorker.js – worker_threads entry for config hovers/diagnostics off the host's loop
//   dist/detectWorker.js – worker_threads entry for the log index's detection (the menus) off the host's loop
//   dist/cli.js        – the `scaling-lens` command over the same core
//   dist/webview/*.js  – the chart app, a browser ES bundle
// Type-checking is separate (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// Output folder: dist/ (the VSIX's). bench/activation.mjs builds the shipped (production) bundle elsewhere.
const dist = process.env.SL_DIST ?? 'dist';

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  // Prefer packages' ES builds: jsonc-parser's UMD "main" does dynamic requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  external: ['vscode'],
};

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: `${dist}/extension.js` },
  { ...node, entryPoints: ['src/cli.ts'], outfile: `${dist}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // Helper threads of the parallel Chinchilla grid; found next to the bundle that starts them.
  { ...node, entryPoints: ['src/core/fit/gridWorker.ts'], outfile: `${dist}/gridWorker.js` },
  // Helper threads of the bootstrap (every law's resamples); found next to the bundle that starts them.
  { ...node, entryPoints: ['src/core/fit/bootstrapWorker.ts'], outfile: `${dist}/bootstrapWorker.js` },
  // Helper threads of the parallel CSV read (big files); found next to the bundle that starts them.
  { ...node, entryPoints: ['src/core/logs/parseWorker.ts'], outfile: `${dist}/parseWorker.js` },
];
if (existsSync('src/extension/worker.ts')) {
  builds.push({ ...node, entryPoints: ['src/extension/worker.ts'], outfile: `${dist}/worker.js` });
  // Config hovers, code actions and diagnostics, read off the host's thread (issue 10).
  builds.push({ ...node, entryPoints: ['src/extension/configWorker.ts'], outfile: `${dist}/configWorker.js` });
  // The log index's detection (which files are logs, for the menus), off the host's thread and not
  // behind a long fit in the log worker.
  builds.push({ ...node, entryPoints: ['src/extension/detectWorker.ts'], outfile: `${dist}/detectWorker.js` });
}
const webviewEntries = ['webview/panel.ts', 'webview/sideview.ts', 'webview/compare.ts'].filter((f) => existsSync(f));
if (webviewEntries.length) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: `${dist}/webview`,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] build started');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
