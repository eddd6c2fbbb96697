/**
 * `scaling-lens sweep DIR [--json] [--law auto|chinchilla|isoflop|kaplan] [--budget C]`: find the
 * run folders under DIR, read each one's config (model size) and log (tokens, final loss), assemble
 * the sweep and fit it through the same analysis entry as a sweep CSV.
 * JSON: {runs: [{path, config, params: {total, active}, tokens, loss, tokensPerParam, problems, …}],
 *        fit: {law, params, ci, objective, optimal, allocation, …}, isoflop?, problems}.
 * Exit 0 with a fit, 1 when no fit could be made (the reason on stderr), 2 on bad options.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { discoverRuns, sweepCsv, FINAL_LOSS_RULE, type RunInfo } from '../core/runs';
import { fitRuns, type RunsFit, type RunsLaw } from '../core/runs/fit';
import type { FitView } from '../protocol';
import type { CliIO } from './config';
import { fitReportLines } from './fit';
import { jsonSafe, terminalLines, terminalSafe } from '../core/escape';
import { plural } from '../core/format';

const USAGE = `usage: scaling-lens sweep DIR [options]

Finds the training runs under DIR (Hugging Face Trainer output dirs, Lightning version_N folders,
nanoGPT / torchtitan / LLM Foundry config + log folders), reads each run's model size from its config
and its tokens and final loss from its log, and fits a scaling law across them.
  --law auto|chinchilla|isoflop|kaplan   law (auto: Chinchilla Approach 3, plus isoFLOP when budgets repeat)
  --budget C             compute budget in FLOPs: the compute-optimal model size and tokens
  --points final|curves  one point per run (default), or also the valid intermediate points of
                         runs with a constant or warmup-stable-decay learning rate
  --bootstrap B          bootstrap resamples for intervals (default 200, 0 = none)
  --seed S               RNG seed (default 42)
  --drop-highest-loss K  drop the K highest-loss points first
  --tokens-per-step T    tokens per step for runs whose log and config give no token count
  --max-depth D          deepest folder level read (default 8)
  --csv FILE             write the assembled table (one row per point, with its source path)
  --json                 one JSON object on stdout
`;

const LAWS: RunsLaw[] = ['auto', 'chinchilla', 'isoflop', 'kaplan'];

class UsageError extends Error {}

interface SweepArgs {
  dir: string;
  json: boolean;
  law: RunsLaw;
  budget: number;
  points: 'final' | 'curves';
  bootstrap?: number;
  seed?: number;
  dropHighestLoss?: number;
  tokensPerStep?: number;
  maxDepth?: number;
  csv?: string;
}

function num(flag: string, v: string | undefined, ok: (x: number) => boolean, what: string): number {
  if (v === undefined) throw new UsageError(`${flag} needs a value`);
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new UsageError(`${flag} must be ${what}, got '${v}'`);
  return x;
}

export function parseSweepArgs(args: string[]): SweepArgs | 'help' {
  let dir: string | undefined;
  const a: Omit<SweepArgs, 'dir'> = { json: false, law: 'auto', budget: 0, points: 'final' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : args[++i]);
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '--json': a.json = true; break;
      case '--law': {
        const v = value();
        if (!LAWS.includes(v as RunsLaw)) throw new UsageError(`--law must be one of ${LAWS.join(', ')}, got '${v ?? ''}'`);
        a.law = v as RunsLaw;
        break;
      }
      case '--points': {
        const v = value();
        if (v !== 'final' && v !== 'curves') throw new UsageError(`--points must be final or curves, got '${v ?? ''}'`);
        a.points = v;
        break;
      }
      case '--budget': a.budget = num(flag, value(), (x) => x > 0, 'a positive number of FLOPs'); break;
      case '--bootstrap': a.bootstrap = num(flag, value(), (x) => Number.isInteger(x) && x >= 0 && x <= 100000, 'a whole number from 0 to 100000'); break;
      case '--seed': a.seed = num(flag, value(), (x) => Number.isInteger(x), 'an integer'); break;
      case '--drop-highest-loss': a.dropHighestLoss = num(flag, value(), (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0'); break;
      case '--tokens-per-step': a.tokensPerStep = num(flag, value(), (x) => x > 0, 'a positive number'); break;
      case '--max-depth': a.maxDepth = num(flag, value(), (x) => Number.isInteger(x) && x >= 0 && x <= 64, 'a whole number from 0 to 64'); break;
      case '--csv': {
        const v = value();
        if (!v) throw new UsageError('--csv needs a file name');
        a.csv = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        if (dir !== undefined) throw new UsageError(`one DIR only (got '${dir}' and '${arg}')`);
        dir = arg;
    }
  }
  if (dir === undefined) throw new UsageError('missing DIR');
  return { dir, ...a };
}

function runJson(r: RunInfo, root: string): Record<string, unknown> {
  return {
    path: r.rel, layout: r.layout, log: path.relative(root, r.log) || r.log,
    config: r.config ? path.relative(root, r.config) : null,
    params: r.params ? { total: r.params.total, active: r.params.active } : null,
    ...(r.paramsSource ? { paramsSource: r.paramsSource } : {}),
    tokens: r.tokens ?? null, tokensSource: r.tokensSource ?? null, steps: r.steps ?? null,
    loss: r.loss ?? null, lossSeries: r.lossSeries ?? null,
    tokensPerParam: r.tokensPerParam ?? null, schedule: r.schedule, usable: r.usable, problems: r.problems,
  };
}

function fitJson(f: FitView | undefined): Record<string, unknown> | null {
  if (!f) return null;
  return { law: f.law, n: f.n, dropped: f.dropped, params: f.params, ci: f.ci, objective: f.objective, r2: f.r2, optimal: f.optimal ?? null, allocation: f.allocation ?? null, messages: f.messages };
}

/** The JSON the CLI prints (also what tests compare with the worker's result). */
export function sweepJson(root: string, runs: RunInfo[], fit: RunsFit, walkProblems: string[]): Record<string, unknown> {
  const problems = [...walkProblems, ...fit.problems];
  if (fit.state.fitError) problems.push(fit.state.fitError);
  return {
    root,
    finalLoss: FINAL_LOSS_RULE,
    runs: runs.map((r) => runJson(r, root)),
    points: fit.sweep.rows.length,
    fit: fitJson(fit.state.fit),
    ...(fit.isoflop ? { isoflop: fitJson(fit.isoflop.fit) } : {}),
    problems,
  };
}

const fmt = (x: number | undefined, digits = 4): string => (x === undefined || !Number.isFinite(x) ? '—' : Math.abs(x) >= 1e5 ? x.toExponential(3) : Number(x.toPrecision(digits)).toString());

function sweepText(root: string, runs: RunInfo[], fit: RunsFit, walkProblems: string[]): string {
  const out: string[] = [];
  out.push(`${root}: ${plural(runs.length, 'run')} found, ${runs.filter((r) => r.usable).length} usable, ${plural(fit.sweep.rows.length, 'sweep point')}`);
  const w = Math.max(4, ...runs.map((r) => r.rel.length));
  out.push(`  ${'run'.padEnd(w)}  ${'params (total/active)'.padEnd(22)} ${'tokens'.padStart(10)} ${'tok/param'.padStart(9)} ${'loss'.padStart(7)}  schedule`);
  for (const r of runs) {
    const p = r.params ? (r.params.total === r.params.active ? fmt(r.params.total) : `${fmt(r.params.total)}/${fmt(r.params.active)}`) : '—';
    out.push(`  ${r.rel.padEnd(w)}  ${p.padEnd(22)} ${fmt(r.tokens).padStart(10)} ${fmt(r.tokensPerParam, 3).padStart(9)} ${fmt(r.loss).padStart(7)}  ${r.schedule}${r.usable ? '' : '  (left out)'}`);
    for (const pr of r.problems) out.push(`  ${' '.repeat(w)}  ! ${pr}`);
  }
  if (fit.state.fit && Object.keys(fit.state.fit.params).length) out.push(...fitReportLines('fit across runs', fit.state.fit));
  if (fit.isoflop?.fit && Object.keys(fit.isoflop.fit.params).length) out.push(...fitReportLines('isoFLOP (budgets repeat)', fit.isoflop.fit));
  for (const p of [...walkProblems, ...fit.problems]) out.push(`note: ${p}`);
  // Run and column names come from files: no control sequences reach the terminal.
  return terminalLines(out);
}

const STDIO: CliIO = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

export async function runSweep(args: string[], io: CliIO = STDIO): Promise<number> {
  let parsed: SweepArgs | 'help';
  try {
    parsed = parseSweepArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`scaling-lens sweep: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    io.out(USAGE);
    return 0;
  }
  const found = await discoverRuns(parsed.dir, { tokensPerStep: parsed.tokensPerStep, limits: parsed.maxDepth !== undefined ? { maxDepth: parsed.maxDepth } : undefined });
  if (found.runs.length === 0) {
    io.err(`scaling-lens sweep: no training runs found under ${found.root}${found.problems.length ? ` (${found.problems.join('; ')})` : ''}\n`);
    return 1;
  }
  const fit = fitRuns(found.runs, {
    law: parsed.law, points: parsed.points, budget: parsed.budget,
    ...(parsed.bootstrap !== undefined ? { bootstrap: parsed.bootstrap } : {}),
    ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
    ...(parsed.dropHighestLoss !== undefined ? { dropHighestLoss: parsed.dropHighestLoss } : {}),
  }, { explicit: new Set(parsed.dropHighestLoss !== undefined ? ['dropHighestLoss'] : []) }); // a law that ignores the drop says so
  if (parsed.csv) await writeFile(parsed.csv, sweepCsv(fit.sweep.rows));
  if (parsed.json) io.out(jsonSafe(JSON.stringify(sweepJson(found.root, found.runs, fit, found.problems))) + '\n');
  else io.out(sweepText(found.root, found.runs, fit, found.problems));
  const ok = !!fit.state.fit && Object.keys(fit.state.fit.params).length > 0;
  if (!ok) {
    io.err(`scaling-lens sweep: no fit: ${terminalSafe(fit.state.fitError ?? fit.state.fit?.messages.at(-1) ?? `${fit.sweep.rows.length} usable runs`)}\n`);
    return 1;
  }
  return 0;
}
