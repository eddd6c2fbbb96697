/**
 * Small pure helpers the extension host uses on runs it already holds (no parsing, no file access):
 * kept apart from discover.ts and sweep.ts so the host's bundle does not load the readers.
 */
import type { RunInfo, SweepRow } from './types';

/**
 * The runs a restored panel showed, among the runs found now: `saved` (log paths a webview kept for
 * a window reload) is untrusted, so it only selects, in its order and once each, runs the discovery
 * found itself; logs no longer found are left out.
 */
export function savedRuns(saved: readonly string[], known: readonly RunInfo[]): RunInfo[] {
  const byLog = new Map(known.map((r) => [r.log, r]));
  const out: RunInfo[] = [];
  for (const log of saved) {
    const r = byLog.get(log);
    if (r) {
      out.push(r);
      byLog.delete(log);
    }
  }
  return out;
}

/** The row a 1-based line of the exported CSV (or of sweepAsLog) stands for. */
export function rowAtLine(rows: SweepRow[], line: number): SweepRow | undefined {
  return rows[line - 2];
}
