/**
 * `scaling-lens split FILE [--json]`: a log holding several runs one after another (a sweep printed
 * to one console) written beside it, a folder per run (`<stem>-runs/run-<k>/<name>`); never into an
 * existing folder. The same core as the editor's "Scaling Lens: Split Runs into Files".
 */
import * as path from 'node:path';
import { splitRunsOfFile, type SplitResult } from '../core/logs/splitRuns';
import { jsonSafe, terminalLines, terminalSafe } from '../core/escape';
import type { Io } from './inspect';

const USAGE = 'usage: scaling-lens split FILE [--json]\n';
const STDIO: Io = { out: (s) => { process.stdout.write(s); }, err: (s) => { process.stderr.write(s); } };

export async function runSplit(args: string[], io: Io = STDIO): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) { io.out(USAGE); return 0; }
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.find((a) => a.startsWith('-'));
  if (unknown) { io.err(`scaling-lens split: unknown option '${unknown}'\n${USAGE}`); return 2; }
  if (files.length !== 1) { io.err(USAGE); return 2; }
  let r: SplitResult;
  try {
    r = await splitRunsOfFile(files[0]);
  } catch (e) {
    io.err(`scaling-lens: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  if (json) io.out(jsonSafe(JSON.stringify(r)) + '\n');
  else if (r.files.length) io.out(terminalLines([`${path.basename(files[0])}: ${r.runs} runs, written to`, ...r.files.map((f) => `  ${f}`)]));
  else io.out(terminalLines([r.note ?? 'nothing written']));
  // Runs found but nothing written (a file in the way, too big): a failure for scripts.
  return r.runs > 1 && r.files.length === 0 ? 1 : 0;
}
