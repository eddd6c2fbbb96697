/**
 * The options pytorch-CycleGAN-and-pix2pix (and CUT, pix2pixHD) writes beside its loss_log.txt at each
 * launch, `checkpoints/<name>/train_opt.txt` (options/base_options.py print_options): a line
 * `----------------- Options ---------------`, then one `key: value` a line, padded, with `\t[default: …]`
 * after a value that is not the default, then `----------------- End -------------------`. Its training
 * runs epochs epoch_count … n_epochs + n_epochs_decay (`niter` + `niter_decay` before 2020): the planned
 * passes, which with the images an epoch takes (inferred from the log by its reader) give the planned end.
 */
import * as path from 'node:path';
import { formatInteger } from '../format';
import { readSmallText } from './textfiles';
import type { ParsedLog } from './types';

/** Its head line. Anchored, bounded. */
const OPTIONS_HEAD_RE = /^-{5,40} Options -{5,40}[ \t]*$/;
/** One option line (after trimming): groups 1 the key, 2 the value and what follows it. Bounded. */
const OPTION_RE = /^([A-Za-z_]\w{0,60}):[ \t]{0,200}(.{0,400})$/;

/** The epochs a train_opt.txt plans (n_epochs + n_epochs_decay), and how it says so; undefined when it is not one or does not say. */
export function trainOptEpochs(text: string): { epochs: number; said: string } | undefined {
  const lines = text.split('\n', 400).map((l) => l.replace(/\r$/, ''));
  if (!lines.length || !OPTIONS_HEAD_RE.test(lines[0])) return undefined;
  const opts = new Map<string, number>();
  for (const raw of lines.slice(1)) {
    if (raw.length > 1000) return undefined;
    const line = raw.trim();
    if (line.startsWith('-----')) break;
    const m = OPTION_RE.exec(line);
    if (!m) continue;
    // (The value before the default the line may show: `n_epochs: 5    \t[default: 100]`.)
    const value = m[2].split('\t')[0].trim();
    if (/^\d{1,7}$/.test(value)) opts.set(m[1], Number(value));
  }
  for (const [a, b] of [['n_epochs', 'n_epochs_decay'], ['niter', 'niter_decay']]) {
    const x = opts.get(a), y = opts.get(b);
    if (x !== undefined && y !== undefined && x + y > 0) return { epochs: x + y, said: `${a}: ${x} + ${b}: ${y}` };
  }
  return undefined;
}

/**
 * A pytorch-CycleGAN-and-pix2pix loss_log.txt's plan from the train_opt.txt beside it (the last
 * launch's: each launch writes it again, and the log's last run is the one read): its epochs, and
 * with the images an epoch takes the planned last step. The log as it is otherwise.
 */
export async function withTrainOpt(file: string, log: ParsedLog): Promise<ParsedLog> {
  if (log.format !== 'text' || log.kind !== 'run' || log.rows === 0 || path.basename(file) !== 'loss_log.txt') return log;
  const optFile = path.join(path.dirname(file), 'train_opt.txt');
  const text = await readSmallText(optFile, 64 * 1024);
  const plan = text === undefined ? undefined : trainOptEpochs(text);
  if (!plan) return log;
  // (Fewer epochs than the log reached: the options of some other launch.)
  if (plan.epochs < (log.run?.epochsLogged?.count ?? 0)) return log;
  const per = log.run?.epochsLogged?.stepsPerPass;
  const said = `train_opt.txt beside the log (${plan.said} = ${plan.epochs} epochs)`;
  const run = { ...(log.run ?? {}) };
  run.epochsLogged = { count: plan.epochs, source: per ? `${said}, ${formatInteger(per)} images each (inferred from the log)` : said, ...(per ? { stepsPerPass: per } : {}) };
  if (per && !run.plannedSteps) run.plannedSteps = { steps: plan.epochs * per, source: `${said} × ${formatInteger(per)} images an epoch (inferred from the log)` };
  return { ...log, run };
}
