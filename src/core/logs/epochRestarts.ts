/**
 * Restarts of a log whose steps are its epochs. The collector supersedes the rows of a run from the
 * step a resumed job goes back to, but a log with no step column (DeiT's and MAE's log.txt, Keras'
 * CSVLogger, YOLO's results.csv) has only its epoch to go by: a real DeiT log.txt printed epochs 0
 * and 1, then 0 and 1 again, then 2 to 299, and all 300 rows were kept, two epochs twice.
 */
import { plural } from '../format';
import { baseName, ProblemLog, runSupersedes, setOwn } from './collector';
import { stepUnitOf } from './epochs';
import type { ParsedLog } from './types';

/**
 * The log with the rows a restart supersedes dropped: where the epoch goes back to e, the rows
 * before it from epoch e on (a row without an epoch goes with the epoch before it), said as the
 * collector says a step's restart, and a run started again from its first epoch counted among the
 * file's runs (ParseStats.runStarts). Any other log (one with a step or a run column, an epoch that
 * never goes back) is returned as it is.
 */
export function withEpochRestarts(log: ParsedLog): ParsedLog {
  if (log.kind !== 'run' || log.rows < 2 || stepUnitOf(log) !== 'epoch' || log.columns.some((c) => c.role === 'run')) return log;
  const col = log.columns.find((c) => c.role === 'epoch');
  const e = col && log.data[col.name];
  if (!e || e.length !== log.rows) return log;
  let last = -Infinity, back = false;
  for (let i = 0; i < e.length && !back; i++) {
    const v = e[i];
    if (v === v) { back = v < last; last = v; }
  }
  if (!back) return log;
  // Kept rows, in order, each with its epoch (a row without one: the epoch before it): a restart
  // pops from the end every kept row at or past the epoch it goes back to.
  const kept: number[] = [];
  const at: number[] = [];
  const problems = new ProblemLog(baseName(log.file));
  const runStarts = (log.stats.runStarts ?? []).slice();
  let superseded = 0, restarts = 0;
  last = -Infinity;
  for (let i = 0; i < e.length; i++) {
    const v = e[i];
    if (v === v && v < last) {
      const before = last;
      let gone = 0;
      while (kept.length > 0 && at[at.length - 1] >= v) { kept.pop(); at.pop(); gone++; }
      superseded += gone;
      restarts++;
      const line = log.lines[i];
      const again = kept.length === 0 && gone > 1;
      if (again) runStarts.push(line);
      problems.add('restart', line, 'info', again
        ? `a run starts again from epoch ${v} (the one before reached epoch ${before}): ${runSupersedes(gone)}`
        : `restart: the epoch goes back from ${before} to ${v}; ${plural(gone, 'earlier row')} from epoch ${v} on superseded`, 'restarts');
    }
    if (v === v) last = v;
    kept.push(i);
    at.push(last);
  }
  const data: ParsedLog['data'] = {};
  for (const name of Object.keys(log.data)) {
    const src = log.data[name];
    const out = new Float64Array(kept.length);
    for (let k = 0; k < kept.length; k++) out[k] = src[kept[k]];
    setOwn(data, name, out);
  }
  const lines = new Uint32Array(kept.length);
  for (let k = 0; k < kept.length; k++) lines[k] = log.lines[kept[k]];
  let labels: ParsedLog['labels'];
  if (log.labels) {
    labels = {};
    for (const name of Object.keys(log.labels)) setOwn(labels, name, kept.map((i) => log.labels![name][i]));
  }
  // The restarts in line order among the log's own problems, file-wide notes last.
  const key = (p: { line: number }): number => (p.line === 0 ? Infinity : p.line);
  const all = [...log.problems, ...problems.finish()].sort((a, b) => key(a) - key(b));
  const stats = { ...log.stats, superseded: log.stats.superseded + superseded, segments: Math.max(log.stats.segments, 1) + restarts };
  if (runStarts.length > 0) stats.runStarts = runStarts;
  return { ...log, rows: kept.length, data, lines, problems: all, stats, ...(labels ? { labels } : {}) };
}
