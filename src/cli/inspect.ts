/**
 * `scaling-lens inspect FILE [--json]`: the detected format, the columns with their roles, row
 * counts and the problems found. A file that cannot be read ends with one line on stderr and exit 1.
 */
import { parseLogFile, withTailFacts, type ParsedLog } from '../core/logs';
import { jsonSafe, terminalLines, terminalSafe } from '../core/escape';

const USAGE = 'usage: scaling-lens inspect FILE [--json]\n';

export interface InspectJson {
  format: ParsedLog['format'];
  kind: ParsedLog['kind'];
  rows: number;
  columns: { name: string; role: string; confidence: number }[];
  problems: { line: number; message: string }[];
  /** Run folders: the run's name, logged params, and the runs of a folder of runs. */
  run?: ParsedLog['run'];
}

export function inspectJson(log: ParsedLog): InspectJson {
  return {
    format: log.format,
    kind: log.kind,
    rows: log.rows,
    columns: log.columns.map((c) => ({ name: c.name, role: c.role, confidence: c.confidence })),
    problems: log.problems.map((p) => ({ line: p.line, message: p.message })),
    ...(log.run ? { run: { name: log.run.name, params: log.run.params, summary: log.run.summary, runs: log.run.runs?.map((r) => ({ name: r.name, path: r.path })), plannedSteps: log.run.plannedSteps, epochsLogged: log.run.epochsLogged } } : {}),
  };
}

export function inspectText(log: ParsedLog): string {
  const s = log.stats;
  const out: string[] = [];
  out.push(`${log.file}`);
  out.push(`  format: ${log.format}   kind: ${log.kind === 'sweep' ? 'sweep table (one row per run)' : 'single run curve'}`);
  let rows = `  rows: ${log.rows} kept of ${s.rowsRead} read`;
  const extra: string[] = [];
  if (s.dropped) extra.push(`${s.dropped} dropped`);
  if (s.superseded) extra.push(`${s.superseded} superseded`);
  if (s.merged) extra.push(`${s.merged} merged into the row of the same step`);
  if (s.segments > 1) extra.push(`${s.segments} segments (restarts)`);
  if (extra.length) rows += ` (${extra.join(', ')})`;
  out.push(rows);
  if (log.run?.name) out.push(`  run: ${log.run.name}${log.run.params?.length ? ` (${log.run.params.length} params logged)` : ''}`);
  if (log.run?.plannedSteps) out.push(`  planned end: step ${log.run.plannedSteps.steps} (${log.run.plannedSteps.source})`);
  if (log.run?.epochsLogged) out.push(`  passes over the data: ${log.run.epochsLogged.count} (${log.run.epochsLogged.source})`);
  if (log.run?.runs?.length) out.push(`  runs: ${log.run.runs.length} (${log.run.runs.slice(0, 8).map((r) => r.name).join(', ')}${log.run.runs.length > 8 ? ', …' : ''})`);
  out.push('  columns:');
  const w = Math.min(40, Math.max(4, ...log.columns.map((c) => c.name.length)));
  for (const c of log.columns) {
    out.push(`    ${c.name.padEnd(w)}  ${c.role.padEnd(9)}  ${c.confidence.toFixed(2)}  ${c.reason}`);
  }
  if (log.problems.length) {
    out.push(`  problems (${log.problems.length}):`);
    for (const p of log.problems) out.push(`    ${p.severity.padEnd(7)} ${p.message}`);
  } else out.push('  problems: none');
  // Column names, cell text and the file name come from the file: no control sequences reach the terminal.
  return terminalLines(out);
}

export interface Io { out: (s: string) => void; err: (s: string) => void }
const STDIO: Io = { out: (s) => { process.stdout.write(s); }, err: (s) => { process.stderr.write(s); } };

export async function runInspect(args: string[], io: Io = STDIO): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (args.includes('-h') || args.includes('--help')) { io.out(USAGE); return 0; }
  const unknown = files.find((a) => a.startsWith('-'));
  if (unknown) { io.err(`scaling-lens inspect: unknown option '${unknown}'\n${USAGE}`); return 2; }
  if (files.length !== 1) { io.err(USAGE); return 2; }
  let log: ParsedLog;
  try {
    // With what the log's first and last rows say of the run (a planned end, its epochs), as the fit reads it.
    log = await withTailFacts(files[0], await parseLogFile(files[0]));
  } catch (e) {
    io.err(`scaling-lens: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  io.out(json ? jsonSafe(JSON.stringify(inspectJson(log))) + '\n' : inspectText(log));
  // Nothing usable (empty file, no header): a failure for scripts.
  return log.rows === 0 && log.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
