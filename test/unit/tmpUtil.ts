// Temporary folders for the unit tests. Each is made under os.tmpdir() with the test's prefix and
// removed once every test of the file that made it has finished, so a run leaves nothing in /tmp.
// Test files call tmpDir() instead of mkdtempSync(os.tmpdir() …) (tmpDirs.test.ts checks it);
// folders made inside a tmpDir() go with it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

const made: string[] = [];

function removeAll(): void {
  // maxRetries: a writer that is just ending (a child process, a worker) may still add a file.
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// A test file imports this module at its top, so this hook belongs to the file's root: it runs after
// all of the file's tests, and a folder shared by several tests outlives each of them.
after(removeAll);
// The same on exit, for a run that ends without its hooks (an uncaught error, process.exit()).
process.on('exit', () => {
  try { removeAll(); } catch { /* nothing more to do on the way out */ }
});

/** A new empty folder `<os.tmpdir()>/<prefix>XXXXXX`, removed when the file's tests have finished. */
export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
