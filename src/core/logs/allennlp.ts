/**
 * AllenNLP's serialization folder (`allennlp train … -s output/`): one `metrics_epoch_N.json` a
 * finished epoch (N from 0: `training_loss`, `validation_loss`, the model's metrics as
 * `training_*` / `validation_*`, running bests as `best_validation_*`, memory as `*_memory_MB`),
 * `config.json` (the experiment: `trainer.num_epochs`, `trainer.patience`), and `metrics.json`,
 * written once training has ended (by `num_epochs` or early stopping). One folder is one run: a
 * row an epoch, at its epoch (0-based, as AllenNLP counts them); its config the run's config.
 */
import * as path from 'node:path';
import { parseJsonLenient } from './json';
import { baseName, Collector, ProblemLog } from './collector';
import { inferRoles } from './roles';
import { dict } from './series';
import { decideKind } from './kind';
import { isFile, readSmallText } from './textfiles';
import type { ColumnRole, ParsedLog, ParseOptions, SampleValue } from './types';
import { Cancelled } from '../cancel';
import { epochFiles } from './allennlpFiles';

/** Epoch files read of one folder (a run of more epochs is read to here, said). */
const MAX_EPOCH_FILES = 100_000;
/** One epoch file's size at most (AllenNLP writes a few KB). */
const MAX_EPOCH_BYTES = 1 << 20;
/** Values that are no per-epoch metric: running bests, memory, the run's bookkeeping. */
const NOT_A_METRIC = /^(best_|peak_)|_memory_MB$|^training_(start_epoch|epochs)$|^best_epoch$/;

/** A JSON object's own numeric values (a key `__proto__` is a name like any other). */
function numericEntries(v: unknown): Array<[string, number]> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Array<[string, number]> = [];
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'number' && Number.isFinite(x) && !NOT_A_METRIC.test(k)) out.push([k, x]);
  }
  return out;
}

/** `trainer.num_epochs` and `trainer.patience` of an AllenNLP config.json. */
function trainerPlan(text: string | undefined): { epochs?: number; patience?: number } {
  if (text === undefined) return {};
  try {
    const c = JSON.parse(text) as unknown;
    const t = typeof c === 'object' && c !== null && Object.prototype.hasOwnProperty.call(c, 'trainer') ? (c as { trainer: unknown }).trainer : undefined;
    if (typeof t !== 'object' || t === null) return {};
    const own = (k: string) => (Object.prototype.hasOwnProperty.call(t, k) ? (t as Record<string, unknown>)[k] : undefined);
    const e = own('num_epochs'), p = own('patience');
    return {
      epochs: typeof e === 'number' && Number.isInteger(e) && e >= 1 && e <= MAX_EPOCH_FILES ? e : undefined,
      patience: typeof p === 'number' && Number.isInteger(p) && p >= 1 ? p : undefined,
    };
  } catch {
    return {};
  }
}

export async function parseAllennlpRun(dir: string, opts: ParseOptions = {}): Promise<ParsedLog> {
  const name = baseName(dir);
  const problems = new ProblemLog(name);
  const files = (await epochFiles(dir)) ?? [];
  if (files.length > MAX_EPOCH_FILES) problems.add('walk', 0, 'warning', `${files.length} metrics_epoch files; the first ${MAX_EPOCH_FILES} are read`);
  const rows: Array<{ epoch: number; values: Array<[string, number]> }> = [];
  const names: string[] = [];
  const seen = new Set<string>();
  let bytes = 0, bad = 0;
  for (const { epoch, file } of files.slice(0, MAX_EPOCH_FILES)) {
    if (opts.signal?.aborted) throw new Cancelled('parsing was cancelled');
    const fname = baseName(file);
    const text = await readSmallText(file, MAX_EPOCH_BYTES);
    if (text === undefined) { bad++; problems.add('allennlp-file', 0, 'warning', `${fname}: unreadable or over ${MAX_EPOCH_BYTES >> 20} MB; epoch ${epoch} left out`, 'epoch files left out'); continue; }
    bytes += Buffer.byteLength(text);
    let values: Array<[string, number]> | undefined;
    try { values = numericEntries(parseJsonLenient(text)); } catch (e) {
      bad++;
      problems.add('allennlp-file', 0, 'warning', `${fname}: not JSON (${(e as Error).message.slice(0, 120)}); epoch ${epoch} left out`, 'epoch files left out');
      continue;
    }
    if (!values) { bad++; problems.add('allennlp-file', 0, 'warning', `${fname}: not a JSON object of metrics; epoch ${epoch} left out`, 'epoch files left out'); continue; }
    // The file's name is its epoch; an `epoch` inside that says otherwise is the name's (a copied file).
    const own = values.find(([k]) => k === 'epoch');
    if (own && own[1] !== epoch) problems.add('allennlp-epoch', 0, 'warning', `${fname}: says epoch ${own[1]}; read as epoch ${epoch}, its file name's`, 'epoch files whose epoch differs from the name');
    const kept = values.filter(([k]) => k !== 'epoch');
    for (const [k] of kept) if (!seen.has(k)) { seen.add(k); names.push(k); }
    rows.push({ epoch, values: kept });
  }
  // Roles from the names and the first values, as for a CSV header; the epoch column first.
  const sample: Record<string, SampleValue[]> = Object.create(null) as Record<string, SampleValue[]>;
  sample.epoch = rows.slice(0, 20).map((r) => r.epoch);
  for (const n of names) sample[n] = [];
  for (const r of rows.slice(0, 20)) for (const [k, v] of r.values) sample[k].push(v);
  const columns = inferRoles(['epoch', ...names], sample, dict<ColumnRole>([['epoch', 'epoch'], ...Object.entries(opts.roleOverrides ?? {})]))
    .map((c) => (c.name === 'epoch' && !(opts.roleOverrides && Object.prototype.hasOwnProperty.call(opts.roleOverrides, 'epoch')) ? { ...c, confidence: 1, reason: 'the epoch of each metrics_epoch_N.json' } : c));
  const c = new Collector(dir, 'allennlp', decideKind(columns, sample), problems);
  const at = new Map<string, number>();
  for (const col of columns) at.set(col.name, c.addColumn(col.name, col.role));
  const epochJ = at.get('epoch')!;
  for (const r of rows) {
    c.scratch[epochJ] = r.epoch;
    for (const [k, v] of r.values) c.scratch[at.get(k)!] = v;
    c.commit(1);
  }
  c.stats.rowsRead = rows.length;
  c.stats.dropped = bad;
  c.stats.bytes = bytes;
  c.stats.segments = rows.length ? 1 : 0;
  if (rows.length) problems.add('allennlp', 0, 'info', `an AllenNLP serialization folder: ${rows.length} metrics_epoch_N.json file(s), epochs ${rows[0].epoch}–${rows[rows.length - 1].epoch}, a row each at its epoch (counted from 0)`);
  else problems.list.push({ line: 0, severity: 'error', message: `${name}: the AllenNLP folder has no readable metrics_epoch_N.json file` });
  const log = c.finish(columns);
  log.run = { name };
  const configFile = path.join(dir, 'config.json');
  const config = await readSmallText(configFile, 512 * 1024);
  if (config !== undefined) log.run.configs = [{ file: configFile, text: config }];
  if (rows.length) {
    const last = rows[rows.length - 1].epoch;
    const plan = trainerPlan(config);
    log.run.epochsLogged = { count: last + 1, source: `the metrics_epoch_N.json files (epochs 0–${last})`, stepsPerPass: 1 };
    // metrics.json is written once training has ended: the last epoch is the run's end.
    if (await isFile(path.join(dir, 'metrics.json'))) {
      log.run.plannedSteps = { steps: last, source: `metrics.json: AllenNLP wrote it when training ended${plan.epochs !== undefined && last + 1 < plan.epochs ? `, after ${last + 1} of trainer.num_epochs = ${plan.epochs} in config.json${plan.patience ? ` (early stopping, patience ${plan.patience})` : ''}` : ''}` };
    } else if (plan.epochs !== undefined && plan.epochs - 1 >= last) {
      log.run.plannedSteps = { steps: plan.epochs - 1, source: `trainer.num_epochs = ${plan.epochs} in config.json (epochs 0–${plan.epochs - 1}${plan.patience ? `; early stopping, patience ${plan.patience}, may end it sooner` : ''})` };
    }
  }
  return log;
}
