// The real gzipped fixtures (test/fixtures/SOURCES.md), written out under their own names for the readers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** `<name>.gz` uncompressed into `dir` as `<name>`: its path and its text. */
export function gunzipFixture(dir: string, name: string): { file: string; text: string } {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, `${name}.gz`))).toString('utf8');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { file, text };
}

/** The roles of `names` among a parsed log's columns (undefined for a name that is no column). */
export function rolesOf(log: { columns: ReadonlyArray<{ name: string; role: string }> }, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const n of names) out[n] = log.columns.find((c) => c.name === n)?.role;
  return out;
}

/**
 * How far a plan's LR (relative to its peak) lies from a log's LR column (relative to the column's
 * highest) at its worst logged step, and over how many logged steps.
 */
export function lrMiss(plannedAt: (step: number) => number, step: ArrayLike<number>, lr: ArrayLike<number>): { worst: number; rows: number } {
  let peak = 0;
  for (let i = 0; i < lr.length; i++) if (lr[i] > peak) peak = lr[i];
  let worst = 0, rows = 0;
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(lr[i])) continue;
    rows++;
    worst = Math.max(worst, Math.abs(plannedAt(step[i]) - lr[i] / peak));
  }
  return { worst, rows };
}
