/**
 * MLflow's file store (`mlruns/`): an experiment folder holds `meta.yaml` and one folder per run;
 * a run folder holds `meta.yaml`, `metrics/<name>` (lines `timestamp value step`; a name with '/'
 * is a sub-folder), `params/<name>` (the value as text) and `tags/mlflow.runName`.
 * One run folder is one log; an experiment folder is a set of runs.
 */
import * as path from 'node:path';
import { baseName, ProblemLog } from './collector';
import { SeriesSet } from './series';
import { eachLine, isDir, isFile, readSmallText } from './textfiles';
import type { ParsedLog, ParseOptions } from './types';
import { walkFiles, type RunRef } from './walk';

/** A run folder: meta.yaml beside a metrics/ folder. */
export async function isMlflowRun(dir: string): Promise<boolean> {
  return (await isFile(path.join(dir, 'meta.yaml'))) && (await isDir(path.join(dir, 'metrics')));
}

/** `key: value` of a flat meta.yaml (MLflow writes simple scalars). */
function metaValue(text: string | undefined, key: string): string | undefined {
  if (!text) return undefined;
  const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text);
  const v = m?.[1].trim().replace(/^['"]|['"]$/g, '');
  return v ? v : undefined;
}

export async function mlflowRunName(dir: string): Promise<string> {
  const tag = (await readSmallText(path.join(dir, 'tags', 'mlflow.runName'), 4096))?.trim();
  return tag || metaValue(await readSmallText(path.join(dir, 'meta.yaml'), 65536), 'run_name') || baseName(dir);
}

/** The runs of an experiment folder, or of an mlruns/ folder of experiments (`.trash` left out). */
export async function listMlflowRuns(dir: string): Promise<RunRef[]> {
  if (await isMlflowRun(dir)) return [{ path: dir, name: await mlflowRunName(dir), kind: 'mlflow' }];
  const out: RunRef[] = [];
  const metas = await walkFiles(dir, (n) => n === 'meta.yaml', { depth: 2, entries: 20000, files: 2000 });
  for (const m of metas.files) {
    const run = path.dirname(m);
    if (run === dir || baseName(path.dirname(run)) === '.trash' || baseName(run) === '.trash') continue;
    if (await isDir(path.join(run, 'metrics'))) out.push({ path: run, name: await mlflowRunName(run), kind: 'mlflow' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export async function parseMlflowRun(dir: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  const problems = new ProblemLog(baseName(dir));
  const set = new SeriesSet(dir, 'mlflow', problems, opts);
  const metricsDir = path.join(dir, 'metrics');
  const files = await walkFiles(metricsDir, () => true);
  if (files.truncated) problems.add('walk', 0, 'warning', `metrics/ has more files than are read (${files.files.length}); the rest are left out`);
  let bytes = 0;
  let bad = 0;
  for (const f of files.files) {
    const name = path.relative(metricsDir, f).split(path.sep).join('/');
    const rel = `metrics/${name}`;
    const series = set.get(name);
    const points: { step: number; value: number; line: number; ts: number }[] = [];
    let allZero = true;
    const r = await eachLine(f, (line, n) => {
      if (line.trim() === '') return;
      const parts = line.trim().split(/\s+/);
      const ts = Number(parts[0]), value = Number(parts[1]), step = parts.length > 2 ? Number(parts[2]) : 0;
      if (parts.length < 2 || parts.length > 3 || !Number.isFinite(ts) || !Number.isFinite(step) || Number.isNaN(value) && !/^nan$/i.test(parts[1])) {
        bad++;
        problems.add('mlflow-line', 0, 'warning', `${rel}:${n}: not 'timestamp value step'; line skipped`, 'lines that are not metrics');
        return;
      }
      if (!Number.isFinite(value)) {
        problems.add('nan', 0, 'warning', `${rel}:${n}: value is ${parts[1]} (treated as missing)`, 'NaN or infinite values');
        return;
      }
      if (step !== 0) allZero = false;
      points.push({ step, value, line: n, ts });
    }, opts.signal);
    bytes += r.bytes;
    // Logged without a step (MLflow's default is 0): the order of logging is the step.
    if (allZero && points.length > 1) {
      problems.add('mlflow-nostep', 0, 'info', `${rel}: every point has step 0; the order of logging is used as the step`);
      points.forEach((p, i) => { p.step = i; });
    }
    for (const p of points) series.push(p.step, p.value, p.line, rel);
  }
  const params: [string, string][] = [];
  const pf = await walkFiles(path.join(dir, 'params'), () => true, { depth: 4, entries: 5000, files: 2000 });
  for (const f of pf.files) {
    const v = await readSmallText(f, 65536);
    if (v !== undefined) params.push([path.relative(path.join(dir, 'params'), f).split(path.sep).join('/'), v.trim()]);
  }
  const log = set.finish('step');
  log.stats.bytes = bytes;
  log.stats.dropped = bad;
  log.run = { ...log.run, name: await mlflowRunName(dir), params };
  if (params.length) log.run.configs = [{ file: path.join(dir, 'params'), text: paramsJson(params) }];
  if (files.files.length === 0) problems.list.push({ line: 0, severity: 'error', message: `${baseName(dir)}: the MLflow run has no metric files (metrics/ is empty)` });
  return log;
}

/** Params as a JSON object (numbers where the text is a number), for the config reader's model-size rules. */
export function paramsJson(params: [string, string][]): string {
  const o = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of params) {
    const x = Number(v);
    o[k] = v.trim() !== '' && Number.isFinite(x) ? x : v === 'True' || v === 'true' ? true : v === 'False' || v === 'false' ? false : v;
  }
  return JSON.stringify(o);
}
