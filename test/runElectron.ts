// `npm run test:electron`: runs the extension-host mocha suite (test/suite) in a downloaded VS Code
// through @vscode/test-electron, for machines that can reach VS Code's download servers. CI and
// offline machines run the same suite in code-server instead (`npm run test:e2e`).
// Compiled by tsc to out/test/runElectron.js; the extension is loaded from the project root, so
// build it first (`npm run build`).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const extensionDevelopmentPath = root;
  const extensionTestsPath = path.join(root, 'out', 'test', 'suite'); // its index.js exports run()
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  // A fresh copy of the sample workspace and a fresh profile, as in the code-server runner.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-electron-'));
  const workspace = path.join(tmp, 'samples');
  fs.cpSync(path.join(root, 'samples'), workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.editor.enablePreview': false,
    'security.workspace.trust.enabled': false,
  }));
  try {
    const code = await runTests({
      version: process.env.SCALING_LENS_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--user-data-dir', userData,
        '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    if (code !== 0) process.exitCode = code;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`test:electron failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
