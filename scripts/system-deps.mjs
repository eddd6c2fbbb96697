// The system packages the end-to-end tests and `npm start` need, installed the same way from every
// entry point (`.ci/run`, `npm test`, `npm start`, `npm run test:e2e`):
//   - chromium: Debian's browser, driven by Playwright in the UI scenarios;
//   - libkrb5-dev, g++, make, python3: to build the native addons of the cached editor (code-server),
//     needed only while the editor is not installed yet.
// With apt-get and root (or password-less sudo) the missing ones are installed; otherwise one line
// says exactly which command to run, and the caller stops there.
//
// CLI:  node scripts/system-deps.mjs [--check] [--for ui|editor|all]   (default: all; --check installs nothing)
// No npm dependency: `.ci/run` calls it before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const say = (...a) => console.log('[scaling-lens]', ...a);

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

function dpkgInstalled(pkg) {
  if (!onPath('dpkg-query')) return false;
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

/** Each package with what it is for and how to tell it is there. */
export const SYSTEM_PACKAGES = [
  {
    pkg: 'chromium', for: 'ui',
    present: () => !!process.env.SCALING_LENS_CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].some(existsSync),
  },
  // The Kerberos headers for code-server's `kerberos` addon (node-gyp fails without them).
  { pkg: 'libkrb5-dev', for: 'editor', present: () => dpkgInstalled('libkrb5-dev') || existsSync('/usr/include/krb5.h') },
  { pkg: 'g++', for: 'editor', present: () => onPath('g++') },
  { pkg: 'make', for: 'editor', present: () => onPath('make') },
  { pkg: 'python3', for: 'editor', present: () => onPath('python3') },
];

/** The packages missing for a purpose ('ui', 'editor' or 'all'). */
export function missingSystemPackages(purpose = 'all') {
  return SYSTEM_PACKAGES.filter((p) => (purpose === 'all' || p.for === purpose) && !p.present()).map((p) => p.pkg);
}

/** How this process can run apt-get as root: '' (is root), 'sudo -n', or undefined (cannot). */
function rootPrefix() {
  if (process.getuid?.() === 0) return '';
  if (!onPath('sudo')) return undefined;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? 'sudo -n' : undefined;
}

export class SystemDepsError extends Error {}

/**
 * Installs what is missing for `purpose`; returns the packages it installed. Throws a
 * SystemDepsError whose message is the one line to show when it cannot install them itself.
 * @param {{purpose?: 'ui'|'editor'|'all', check?: boolean}} [o]
 */
export function ensureSystemDeps(o = {}) {
  const missing = missingSystemPackages(o.purpose ?? 'all');
  if (missing.length === 0) return [];
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const prefix = rootPrefix();
  if (o.check || !onPath('apt-get') || prefix === undefined) {
    const how = onPath('apt-get') ? `sudo apt-get update && sudo ${command}` : `install ${missing.join(', ')} with your system's package manager`;
    throw new SystemDepsError(`missing system packages: ${missing.join(', ')}. Run: ${how}`);
  }
  say(`installing system packages with apt-get: ${missing.join(' ')}`);
  const sh = (args) => {
    const [cmd, ...rest] = prefix ? [...prefix.split(' '), ...args] : args;
    execFileSync(cmd, rest, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  // Another apt run (unattended upgrades, a parallel job) holds the lock for a while: wait for it.
  const lock = ['-o', 'DPkg::Lock::Timeout=300', '-qq'];
  try {
    sh(['apt-get', ...lock, 'update']);
    sh(['apt-get', ...lock, 'install', '-y', '--no-install-recommends', ...missing]);
  } catch (e) {
    const as = prefix ? `${prefix} ` : '';
    throw new SystemDepsError(`apt-get could not install ${missing.join(', ')} (${String(e.message).split('\n')[0]}). Run: ${as}apt-get update && ${as}${command}`);
  }
  const still = missingSystemPackages(o.purpose ?? 'all');
  if (still.length) throw new SystemDepsError(`still missing after apt-get: ${still.join(', ')}`);
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--for');
  const purpose = i >= 0 ? argv[i + 1] : 'all';
  if (!['ui', 'editor', 'all'].includes(purpose)) {
    console.error(`--for must be ui, editor or all, got '${purpose}'`);
    process.exit(2);
  }
  try {
    const installed = ensureSystemDeps({ purpose, check: argv.includes('--check') });
    say(installed.length ? `installed: ${installed.join(', ')}` : `system packages for ${purpose}: present`);
  } catch (e) {
    if (!(e instanceof SystemDepsError)) throw e;
    console.error(`[scaling-lens] ${e.message}`);
    process.exit(1);
  }
}
