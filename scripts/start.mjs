// `npm start`: try the extension in a real editor on the bundled sample logs, from a fresh clone.
//   - installs the npm dependencies when missing (scripts/ensure-deps.mjs);
//   - with a desktop VS Code (`code`) on PATH: builds and opens it on a fresh copy of samples/ with
//     this folder as the extension under development, then exits;
//   - otherwise (or with --web): installs the cached code-server editor (scripts/editor.mjs), builds
//     and packages the VSIX, installs it into a persistent profile (in the user's cache, one per
//     clone, see profileDir in editor.mjs), opens a fresh copy of samples/ (in .vscode-test/workspace/)
//     and prints the URL to open. Runs until Ctrl+C, then stops the
//     editor's whole process group.
// Options: --web (always code-server), --port N, --host ADDR (default 127.0.0.1).
import { execFileSync, execSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensureDeps, root } from './ensure-deps.mjs';
import { ensureEditor, profileDir, startEditor } from './editor.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const say = (...a) => console.log('[scaling-lens]', ...a);
const STATE = join(root, '.vscode-test');
const VSIX = join(root, 'scaling-lens-0.1.0.vsix');

/** A fresh copy of samples/ at a stable path (so the editor restores its layout between starts). */
function freshWorkspace() {
  const dest = join(STATE, 'workspace', 'samples');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(STATE, 'workspace'), { recursive: true });
  cpSync(join(root, 'samples'), dest, { recursive: true });
  return dest;
}

/** The desktop `code` launcher, unless we run inside code-server (whose terminal also has `code`). */
function desktopCode() {
  if (argv.includes('--web') || process.env.SCALING_LENS_EDITOR === 'code-server') return undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const c = join(dir, 'code');
    if (!existsSync(c)) continue;
    if (dir.includes('code-server') || process.env.VSCODE_PROXY_URI) return undefined;
    return c;
  }
  return undefined;
}

async function main() {
  ensureDeps();
  const code = desktopCode();
  if (code) {
    execSync('npm run build', { cwd: root, stdio: 'inherit' });
    const ws = freshWorkspace();
    say(`opening VS Code on ${ws} with the extension from ${root}`);
    execFileSync(code, ['--new-window', `--extensionDevelopmentPath=${root}`, ws], { stdio: 'inherit' });
    return;
  }
  ensureEditor();
  execSync('npm run package', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const ws = freshWorkspace();
  const port = opt('--port') ? Number(opt('--port')) : process.env.PORT ? Number(process.env.PORT) : undefined;
  const ed = await startEditor({
    workspace: ws,
    copyWorkspace: false,
    vsix: VSIX,
    stateDir: profileDir(root),
    host: opt('--host'),
    port,
  });
  console.log('');
  say('Scaling Lens is installed in a real VS Code (code-server) with the sample logs open.');
  say(`Open this URL in your browser:\n\n    ${ed.url}\n`);
  say(`Editor log: ${ed.logFile}. Press Ctrl+C to stop.`);
  if (process.env.BROWSER && process.env.BROWSER !== 'none') {
    spawn(process.env.BROWSER, [ed.url], { stdio: 'ignore', detached: true }).unref();
  }
  // Stay alive until Ctrl+C; editor.mjs's signal handlers stop the whole process group.
  await new Promise(() => {});
}

main().catch((err) => {
  console.error(`[scaling-lens] npm start failed: ${err?.message ?? err}`);
  process.exit(1);
});
