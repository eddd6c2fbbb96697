/**
 * `scaling-lens fit FILE [--law auto|run|chinchilla|isoflop|kaplan] [--drop-highest-loss K]
 *   [--bootstrap B] [--seed S] [--target-tokens D] [--budget C] [--json]`
 * plus --series NAME, --tokens-per-step T, --skip F (warm-up fraction), --x tokens|step|flops,
 * --strategy fast|grid, --threads T (grid), --curves (include chart curves in --json).
 * A fit the data cannot support prints its reason and exits 1; bad options exit 2; never a stack trace.
 */
import { parseLogFile, type ParsedLog } from '../core/logs';
import { fitLog, type FitLogOptions } from '../core/fit/fitLog';
import type { FitReport } from '../core/fit/types';
import type { ChinchillaFitOptions } from '../core/fit/chinchilla';

const USAGE = `usage: scaling-lens fit FILE [options]
  --law auto|run|chinchilla|isoflop|kaplan   law to fit (auto: sweep → chinchilla, run → run)
  --drop-highest-loss K    sweep fits: drop the K highest-loss points first
  --bootstrap B            bootstrap resamples for intervals and bands (default 200, 0 = none)
  --seed S                 RNG seed (default 42)
  --target-tokens D        run fits: extrapolate the loss to D (default 10× the last point)
  --budget C               compute budget in FLOPs for the compute-optimal allocation
  --series NAME            run fits: which loss series (default the training loss)
  --tokens-per-step T      run fits: tokens per optimizer step when the log has steps only
  --x tokens|step|flops    run fits: the x of the law (default tokens, else FLOPs, else steps)
  --skip F                 run fits: ignore the first fraction F of the points (default 0.1)
  --strategy fast|grid     Chinchilla starts: variable-projection screen (default) or the 4,500-start grid
  --threads T              with --strategy grid: threads for the grid (default: all cores; 1 = no workers)
  --json                   one JSON object on stdout
  --curves                 with --json: include the chart curves
`;

const LAWS = ['auto', 'run', 'chinchilla', 'isoflop', 'kaplan'] as const;

class UsageError extends Error {}

function num(flag: string, v: string | undefined, check: (x: number) => boolean, what: string): number {
  if (v === undefined) throw new UsageError(`${flag} needs a value`);
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`${flag} must be ${what}, got '${v}'`);
  return x;
}

export interface FitArgs {
  file: string;
  json: boolean;
  curves: boolean;
  opts: FitLogOptions & ChinchillaFitOptions;
}

export function parseFitArgs(args: string[]): FitArgs | 'help' {
  const opts: FitLogOptions & ChinchillaFitOptions = {};
  let file: string | undefined;
  let json = false, curves = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '--json': json = true; break;
      case '--curves': curves = true; break;
      case '--law': {
        const v = value();
        if (!(LAWS as readonly string[]).includes(v ?? '')) throw new UsageError(`--law must be one of ${LAWS.join(', ')}, got '${v ?? ''}'`);
        opts.law = v as FitLogOptions['law'];
        break;
      }
      case '--drop-highest-loss': opts.dropHighestLoss = num(flag, value(), (x) => Number.isInteger(x) && x >= 0, 'a whole number ≥ 0'); break;
      case '--bootstrap': opts.bootstrap = num(flag, value(), (x) => Number.isInteger(x) && x >= 0 && x <= 100000, 'a whole number from 0 to 100000'); break;
      case '--seed': opts.seed = num(flag, value(), (x) => Number.isInteger(x), 'an integer'); break;
      case '--target-tokens': opts.targetTokens = num(flag, value(), (x) => x > 0, 'a positive number'); break;
      case '--budget': opts.budget = num(flag, value(), (x) => x > 0, 'a positive number of FLOPs'); break;
      case '--tokens-per-step': opts.tokensPerStep = num(flag, value(), (x) => x > 0, 'a positive number'); break;
      case '--skip': opts.skipFraction = num(flag, value(), (x) => x >= 0 && x < 1, 'a fraction in [0, 1)'); break;
      case '--series': {
        const v = value();
        if (v === undefined) throw new UsageError('--series needs a value');
        opts.series = v;
        break;
      }
      case '--x': {
        const v = value();
        if (v !== 'tokens' && v !== 'step' && v !== 'flops') throw new UsageError(`--x must be tokens, step or flops, got '${v ?? ''}'`);
        opts.xKind = v;
        break;
      }
      case '--threads': opts.threads = num(flag, value(), (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'a whole number from 1 to 64'); break;
      case '--strategy': {
        const v = value();
        if (v !== 'fast' && v !== 'grid') throw new UsageError(`--strategy must be fast or grid, got '${v ?? ''}'`);
        opts.strategy = v;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        if (file !== undefined) throw new UsageError(`one FILE only (got '${file}' and '${a}')`);
        file = a;
    }
  }
  if (file === undefined) throw new UsageError('missing FILE');
  return { file, json, curves, opts };
}

const g = (x: number) => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? x.toExponential(4) : Number(x.toPrecision(5)).toString();
};

export function fitText(file: string, r: FitReport): string {
  const out: string[] = [];
  const names: Record<string, string> = {
    run: 'single run: L = E + B/x^β', chinchilla: 'Chinchilla Approach 3: L = E + A/N^α + B/D^β',
    isoflop: 'Chinchilla Approach 2 (isoFLOP): N_opt ∝ C^a, D_opt ∝ C^b', kaplan: 'Kaplan 2020: L = [(Nc/N)^(αN/αD) + Dc/D]^αD',
  };
  out.push(file);
  out.push(`  law: ${names[r.law]}${r.xKind && r.law === 'run' ? ` (x = ${r.xKind})` : ''}`);
  out.push(`  points: ${r.n} used, ${r.dropped} dropped`);
  const keys = Object.keys(r.params);
  if (keys.length > 0) {
    out.push('  parameters:');
    for (const k of keys) {
      const ci = r.ci[k];
      out.push(`    ${k.padEnd(8)} ${g(r.params[k]).padStart(12)}${ci ? `   [${g(ci[0])}, ${g(ci[1])}]` : ''}`);
    }
    out.push(`  objective: ${g(r.objective)}   R² (${r.law === 'isoflop' ? 'log N_opt vs log C' : 'log loss'}): ${g(r.r2)}`);
  }
  if (r.optimal) out.push(`  compute-optimal: N ∝ C^${g(r.optimal.a)}, D ∝ C^${g(r.optimal.b)}, G = ${g(r.optimal.G)}, ${g(r.optimal.tokensPerParam)} tokens/param`);
  if (r.allocation) {
    const a = r.allocation;
    out.push(`  allocation at C = ${a.budget.toExponential(3)}: N = ${a.N.toExponential(3)}, D = ${a.D.toExponential(3)}, loss ${g(a.loss)}, ${g(a.tokensPerParam)} tokens/param`);
  }
  if (r.prediction) {
    const p = r.prediction;
    const band = Number.isFinite(p.lo) ? ` [${g(p.lo)}, ${g(p.hi)}]` : '';
    out.push(`  prediction at ${p.tokens.toExponential(3)}: loss ${g(p.loss)}${band}`);
  }
  for (const m of r.messages) out.push(`  note: ${m}`);
  return out.join('\n') + '\n';
}

export function fitJson(r: FitReport, curves: boolean): string {
  const { curves: c, ...rest } = r;
  return JSON.stringify(curves ? { ...rest, curves: c } : rest) + '\n';
}

export async function runFit(args: string[]): Promise<number> {
  let parsed: FitArgs | 'help';
  try {
    parsed = parseFitArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`scaling-lens fit: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let log: ParsedLog;
  try {
    log = await parseLogFile(parsed.file);
  } catch (e) {
    process.stderr.write(`scaling-lens fit: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  let report: FitReport;
  try {
    report = fitLog(log, parsed.opts);
  } catch (e) {
    process.stderr.write(`scaling-lens fit: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const failed = Object.keys(report.params).length === 0;
  if (parsed.json) process.stdout.write(fitJson(report, parsed.curves));
  else if (!failed) process.stdout.write(fitText(parsed.file, report));
  if (failed) {
    process.stderr.write(`scaling-lens fit: ${report.messages[report.messages.length - 1] ?? 'the fit failed'}\n`);
    return 1;
  }
  return 0;
}
