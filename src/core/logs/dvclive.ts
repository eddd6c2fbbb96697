/**
 * DVCLive's output folder (`dvclive/` by default, any name with `Live(dir=…)`): `metrics.json` (the
 * latest values), `params.yaml` (what the script logged with `log_params`), and one TSV a metric under
 * `plots/metrics/`, its path the metric's name (`train/loss.tsv`, `eval/loss.tsv`, `learning_rate.tsv`;
 * header `step<TAB><name>`, older DVCLive `timestamp<TAB>step<TAB><name>`). One folder is one run: its
 * metrics joined by step, each named by its path (`eval/loss`: an evaluation loss), params.yaml its
 * config. DVCLive's step counts the script's calls to `next_step()` (said in the log's notes).
 */
import * as path from 'node:path';
import { baseName, ProblemLog } from './collector';
import { SeriesSet } from './series';
import { eachLine, isDir, isFile, readSmallText } from './textfiles';
import type { ParsedLog, ParseOptions } from './types';
import { walkFiles } from './walk';

const METRICS = ['plots', 'metrics'];

/**
 * A DVCLive metric file's path (slash-separated): `…/plots/metrics/<name>.tsv`, group 1 the metric's
 * name (`eval/loss`); where the match starts, the run folder ends. Bounded: at most 9 parts of 200.
 */
export const DVCLIVE_METRIC_RE = /(?:^|\/)plots\/metrics\/((?:[^/]{1,200}\/){0,8}[^/]{1,200})\.tsv$/i;

/** A DVCLive folder: `plots/metrics/` beside DVCLive's `metrics.json` or `params.yaml`. */
export async function isDvcliveRun(dir: string): Promise<boolean> {
  if (!(await isDir(path.join(dir, ...METRICS)))) return false;
  return (await isFile(path.join(dir, 'metrics.json'))) || (await isFile(path.join(dir, 'params.yaml'))) || (await isFile(path.join(dir, 'dvc.yaml')));
}

/** The DVCLive folder a file belongs to (a metric TSV under plots/metrics/, or its metrics.json / params.yaml), else undefined. */
export async function dvcliveRunOf(file: string): Promise<string | undefined> {
  const norm = file.split(path.sep).join('/');
  const m = DVCLIVE_METRIC_RE.exec(norm);
  const dir = m ? norm.slice(0, m.index) : /\/(metrics\.json|params\.yaml)$/.test(norm) ? path.dirname(file) : undefined;
  if (!dir) return undefined;
  const d = dir.split('/').join(path.sep);
  return (await isDvcliveRun(d)) ? d : undefined;
}

export async function parseDvcliveRun(dir: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  const problems = new ProblemLog(baseName(dir));
  const set = new SeriesSet(dir, 'dvclive', problems, opts);
  const metricsDir = path.join(dir, ...METRICS);
  const files = await walkFiles(metricsDir, (n) => /\.tsv$/i.test(n));
  if (files.truncated) problems.add('walk', 0, 'warning', `plots/metrics/ has more files than are read (${files.files.length}); the rest are left out`);
  let bytes = 0;
  let bad = 0;
  for (const f of files.files.sort()) {
    const name = path.relative(metricsDir, f).split(path.sep).join('/').replace(/\.tsv$/i, '');
    const rel = `plots/metrics/${name}.tsv`;
    const series = set.get(name);
    let stepAt = -1, valueAt = -1, width = 0;
    const r = await eachLine(f, (line, n) => {
      if (line.trim() === '') return;
      const cells = line.split('\t');
      if (stepAt < 0 && width === 0) {
        // The header: `step` and the value's column (the last that is neither the step nor a timestamp).
        width = cells.length;
        stepAt = cells.findIndex((c) => c.trim() === 'step');
        for (let j = cells.length - 1; j >= 0; j--) if (j !== stepAt && cells[j].trim() !== 'timestamp') { valueAt = j; break; }
        if (stepAt < 0 || valueAt < 0) problems.add('dvclive-header', 0, 'warning', `${rel}:${n}: no 'step' column and value in the header; file left out`);
        return;
      }
      if (stepAt < 0 || valueAt < 0) return;
      const step = Number(cells[stepAt]), value = Number(cells[valueAt]);
      if (cells.length !== width || !Number.isFinite(step) || cells[valueAt].trim() === '' || Number.isNaN(value) && !/^\s*nan\s*$/i.test(cells[valueAt])) {
        bad++;
        problems.add('dvclive-line', 0, 'warning', `${rel}:${n}: not 'step<TAB>value'; line skipped`, 'lines that are not metrics');
        return;
      }
      if (!Number.isFinite(value)) {
        problems.add('nan', 0, 'warning', `${rel}:${n}: value is ${cells[valueAt].trim()} (treated as missing)`, 'NaN or infinite values');
        return;
      }
      series.push(step, value, n, rel);
    }, opts.signal);
    bytes += r.bytes;
  }
  if (files.files.length) problems.add('dvclive', 0, 'info', `a DVCLive folder: ${files.files.length} metric file(s) under plots/metrics/, each named by its path there; DVCLive's step counts the script's calls to next_step(), the optimizer's step only where the script makes it so`);
  const log = set.finish('step');
  log.stats.bytes = bytes;
  log.stats.dropped = bad;
  log.run = { ...log.run, name: baseName(dir) };
  const params = path.join(dir, 'params.yaml');
  const text = await readSmallText(params, 512 * 1024);
  if (text !== undefined) log.run.configs = [{ file: params, text }];
  if (files.files.length === 0) problems.list.push({ line: 0, severity: 'error', message: `${baseName(dir)}: the DVCLive folder has no metric files (plots/metrics/ is empty)` });
  return log;
}
