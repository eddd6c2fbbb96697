/**
 * A runs-table export (the W&B "Export CSV" of a project's runs table): one row per run, its name,
 * state and timing columns, its config (`model.n_layers`, `batch_size`, `steps`, …) and its summary
 * metrics (`train/step`, `optim/n_tokens`, `eval/…`). It is a sweep of runs, not one run with a
 * one-point series per run. Recognised from the header alone, so every reader (serial, parallel
 * parts, incremental) decides the same way.
 */
import type { ColumnInfo, ColumnRole } from './types';
import { normalizeName } from './roles';
import { own } from './collector';

/** Columns W&B writes before the config and summary columns of a runs-table export. */
const META = new Set(['state', 'notes', 'user', 'tags', 'created', 'runtime', 'sweep', 'updated', 'id', 'group', 'job_type', 'hostname']);

/** Most config/summary columns kept beside the role columns of a runs export (their values, for model size and tokens). */
export const MAX_RUNS_EXPORT_EXTRA = 2000;

export interface RunsExportShape {
  /** The column naming each run (`Name`). */
  name: string;
  /** The W&B meta columns found (State, Created, Runtime, …). */
  meta: string[];
}

/** The shape of a runs-table export, from the header: `Name` and at least two of W&B's meta columns. */
export function runsExportShape(names: readonly string[]): RunsExportShape | undefined {
  let name: string | undefined;
  const meta: string[] = [];
  for (const raw of names.slice(0, 64)) {
    const n = normalizeName(raw);
    if (n === 'name' && name === undefined) name = raw;
    else if (META.has(n)) meta.push(raw);
  }
  return name !== undefined && meta.length >= 2 ? { name, meta } : undefined;
}

/** Config keys giving a run's length in steps. */
const CONFIGURED_STEPS = /(^|[_/])(steps|max_steps|num_steps|total_steps|train_steps|training_steps|iters|max_iters|iterations|num_updates|max_updates)$/;

/**
 * A summary metric logged by the run (`train/step`, `trainer/global_step`), not a configured count.
 * W&B's own `_step` counts logging calls, not optimizer steps: not taken.
 */
function loggedStep(n: string): boolean {
  return /\//.test(n) && /\/(step|global_step)$/.test(n);
}

/**
 * The roles of a runs export, adjusted where a run's summary differs from a log: the logged step
 * (`train/step`) beats a configured `steps`; the run label is `Name`. User overrides are kept.
 */
export function runsExportRoles(columns: ColumnInfo[], shape: RunsExportShape, overrides?: Record<string, ColumnRole>): ColumnInfo[] {
  const user = (c: ColumnInfo): boolean => own(overrides, c.name) !== undefined;
  const out = columns.map((c) => ({ ...c }));
  if (!out.some((c) => c.role === 'step' && user(c))) {
    // The step each run reached (`train/step`), else a configured count (`steps`, `max_steps`);
    // never W&B's `_step` (its count of logging calls).
    const wandb = (c: ColumnInfo): boolean => c.name.trim().startsWith('_');
    const logged = out.find((c) => !user(c) && c.numeric && !wandb(c) && loggedStep(normalizeName(c.name)));
    const configured = out.find((c) => !user(c) && c.numeric && !wandb(c) && c !== logged && CONFIGURED_STEPS.test(normalizeName(c.name)));
    const chosen = logged ?? configured;
    for (const c of out) {
      if (c.role !== 'step' || c === chosen || user(c)) continue;
      c.role = 'other';
      c.confidence = 0.6;
      c.reason = wandb(c) ? `W&B's count of logging calls, not optimizer steps`
        : `a configured step count; the step each run reached ('${chosen?.name}') is used`;
    }
    if (chosen && chosen.role !== 'step') {
      chosen.role = 'step';
      chosen.confidence = 0.8;
      chosen.reason = chosen === logged
        ? `the step each run reached (runs-table summary)${configured ? `, preferred over the configured '${configured.name}'` : ''}`
        : `each run's configured step count (no logged step in the table)`;
    }
  }
  // `optim.lr`, `train.lr`: the configured learning rate of each run.
  if (!out.some((c) => c.role === 'lr')) {
    const lr = out.find((c) => !user(c) && c.role === 'other' && c.numeric && /(^|_|\/)lr$/.test(normalizeName(c.name)));
    if (lr) {
      lr.role = 'lr';
      lr.confidence = 0.8;
      lr.reason = `'${lr.name}' is each run's configured learning rate`;
    }
  }
  const name = out.find((c) => c.name === shape.name);
  if (name && !user(name) && !out.some((c) => c.role === 'run' && c !== name)) {
    name.role = 'run';
    name.reason = `'${name.name}' names each run of a runs-table export`;
  }
  return out;
}

/**
 * Which extra columns a runs export keeps besides its role columns: numeric config and summary
 * columns (model size, batch, sequence length, perplexities), at most MAX_RUNS_EXPORT_EXTRA.
 */
export function runsExportExtra(columns: readonly ColumnInfo[]): Set<string> {
  const out = new Set<string>();
  for (const c of columns) {
    if (out.size >= MAX_RUNS_EXPORT_EXTRA) break;
    if (c.role === 'other' && c.numeric) out.add(c.name);
  }
  return out;
}
