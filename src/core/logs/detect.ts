/** Format detection by file name AND content: the content has the last word. */
import type { LogFormat } from './types';
import { lineSpans } from '../lines';

/**
 * `step 100: …`, `step:100/5000 …`, `iter 100: …`, optionally after a rank tag (`7: `, `[default0]: `,
 * `[rank0]:` as torchrun and Megatron launchers write them), up to two `[timestamp]`s or tags, a Python
 * logging prefix (`2025-10-30 14:32:58,897 - root - INFO - `, as torchtitan writes its step lines: from
 * a digit, at most 200 characters before the level, so a line that starts with a word costs nothing
 * more) and a log prefix. Each prefix part is optional and bounded,
 * and the match is anchored: linear in the line's length.
 */
export const TEXT_STEP_RE = /^\s*(?:[\w.-]+:\s+)?(?:\[[^\]]*\]:?\s*){0,2}(?:\d[^[\]\n]{0,200}?\s-\s(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s-\s)?(?:[\w.-]+\s*[|:-]\s*)?(?:steps?|iter|iteration)\s*(?:[:=]\s*)?(\d+)(?![\d%]|[-–]\d)(?:\s*\/\s*(\d+))?\s*[:,|]?/i;
/**
 * Composer (LLM Foundry) console output: one block per logged batch, a head line `[batch=12/500]:`
 * (or `[epoch=1][batch=5/5]:`, behind a launcher's rank tag `0: `) and then one metric per line,
 * `\t Train loss/train/total: 1.8421`. Groups: 1 the batch, 2 the planned total. Anchored, bounded.
 */
export const COMPOSER_HEAD_RE = /^\s*(?:[\w.-]+:\s+)?(?:\[epoch=\d+\])?\[batch=(\d+)\/(\d+)\]:\s*$/;
/** A metric line of a Composer block. Groups: 1 the key (`loss/train/total`), 2 the value. */
export const COMPOSER_FIELD_RE = /^\s*(?:[\w.-]+:\s+)?(?:Train|Eval)\s+([A-Za-z][\w./-]{0,200}):\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|[-+]?inf)\s*$/i;

/** A Composer block head followed (within its block) by a loss metric line: the lines of a Composer log. */
function composerHits(lines: string[]): number {
  let hits = 0, open = false;
  for (const l of lines) {
    if (l.includes('[batch=') && COMPOSER_HEAD_RE.test(l)) { open = true; continue; }
    if (!open) continue;
    const m = COMPOSER_FIELD_RE.exec(l);
    if (m && /loss/i.test(m[1])) { hits++; open = false; }
  }
  return hits;
}

/**
 * A first line that starts with a bracketed tag (`[2025-08-01 07:19:37] iteration …`, `[default0]: …`,
 * `[rank0]:[titan] …`), not a JSON document: no JSON punctuation inside the brackets, and text after them.
 */
const BRACKET_TAG_RE = /^\s*\[[^\]\[{}"]*\]:?\s*\S/;
/**
 * llm.c's main.log (Karpathy's llm.c, `logger_log_train`/`logger_log_val`): `s:100 trl:3.2190 lr:0.000600 norm:0.35`
 * and `s:100 tel:3.2866`. The step, then its train (`trl`) or eval (`tel`) loss first.
 */
export const LLMC_STEP_RE = /^s:(\d+)\s+(?=t[re]l:)/;
/** llm.c's abbreviated keys, as the names the rest of the reader knows. */
export const LLMC_KEYS: ReadonlyMap<string, string> = new Map([['trl', 'train_loss'], ['tel', 'val_loss']]);
/**
 * The `log/log.txt` of Karpathy's build-nanogpt (`train_gpt2.py`, "Let's reproduce GPT-2") and its many
 * followers: `0 train 10.955010`, `250 val 3.8210`, `250 hella 0.2487`, one metric a line after its step.
 * Groups: 1 the step, 2 the word. Anchored and bounded: linear.
 */
export const NANOGPT_LOG_RE = /^(\d{1,12}) (train|val|hella) (?=[-+\d.])/;
/** Its words, as the names the rest of the reader knows (hella: HellaSwag's normalised accuracy). */
export const NANOGPT_LOG_KEYS: ReadonlyMap<string, string> = new Map([['train', 'train_loss'], ['val', 'val_loss'], ['hella', 'hellaswag_acc_norm']]);
/**
 * `key value`, `key: value`, `key=value`, keys of one or two words (`train loss`), units ms/s/%.
 * Groups: `key`, `value`, `unit`. Linear in the line's length: a key starts only where a word
 * starts (the look-behind), so 80 KB of letters are tried once, not from each letter; each key
 * word is taken whole, never given back (`(?=(w*))\N` is JavaScript's possessive `w*+`); and no
 * two adjacent quantifiers share characters (`\s*(?:[:=]\s*)?`, `\d+(?:\.\d*)?`). A `nan` or `inf`
 * value after no `:`/`=` is no value when a word follows it: GPT-NeoX's `number of nan iterations: 0`
 * is the count `nan iterations` = 0, not `number of` = NaN. A value may be a bracketed list, as Python
 * prints `scheduler.get_last_lr()` or a NumPy array (`LR: [0.001]`, `lr [3e-4, 3e-4]`): group `open` is
 * the `[`, `more` the items after the first (each after a comma: no two quantifiers share characters).
 * A key's unit written as words before its `:` (NeMo's `train_step_timing in s: 0.25`) is group
 * `inunit`, not a key `in s` of its own.
 */
export const TEXT_PAIR_RE = /(?<![\w./:-])(?<key>[A-Za-z](?=([\w./-]*))\2(?: [A-Za-z](?=([\w./-]*))\3)?)(?: in (?<inunit>ms|s|sec|secs|seconds|min|mins|minutes|h|hours)(?=[ \t]{0,8}[:=]))?\s*(?:[:=]\s*)?(?:(?<open>\[)\s*)?(?<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|(?:nan|[-+]?inf)(?:(?<=[:=][ \t]{0,8}(?:nan|[-+]?inf))|(?![ \t]+[A-Za-z])))(?<unit>ms|s|%)?(?:(?<more>(?:\s*,\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)*)\s*\])?(?=[\s,;|)]|$)/gi;

function ext(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot + 1) : '';
}

function firstLines(head: string, n: number): string[] {
  const out: string[] = [];
  for (const [i, j] of lineSpans(head)) {
    if (out.length >= n) break;
    const line = head.slice(i, j).replace(/\r$/, '');
    if (line.trim() !== '') out.push(line);
  }
  return out;
}

function isJsonObjectLine(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    const v: unknown = JSON.parse(t.replace(/(:\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1null'));
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Terminal control sequences (colours, cursor moves: ESC [ … final byte), and the same written in
 * caret notation (`^[[B`: the echo of an arrow key typed while the run printed, as `tee` saved it).
 * The classes are disjoint: linear.
 */
const ANSI_CSI = new RegExp('(?:\\u001b|\\^\\[)\\[[0-?]*[ -/]*[@-~]', 'g');

/**
 * Ray's prefix on an actor's output, `(TaskRunner pid=14640) ` (verl's console), `(main_task pid=8)`,
 * `(WorkerDict pid=9, ip=10.0.0.2)`: which process printed the line, no metric ("TaskRunner_pid" had
 * been a column). Anchored, bounded: linear.
 */
const RAY_PREFIX_RE = /^\([A-Za-z_][\w.-]{0,80} pid=\d{1,10}(?:, ip=[0-9A-Fa-f.:]{1,64})?\)[ \t]?/;

/**
 * A stdout line without its terminal control sequences: a coloured logger (`\x1b[32mINFO\x1b[0m`), or
 * arrow keys echoed before a metric line (`^[[B^[[Bstep 04354/21400 | loss: 3.04 …` in a real nanochat
 * log); and without Ray's process prefix (RAY_PREFIX_RE).
 */
export function stripAnsi(line: string): string {
  const s = line.includes('\u001b') || line.includes('^[[') ? line.replace(ANSI_CSI, '') : line;
  return s.charCodeAt(0) === 40 /* ( */ && s.includes(' pid=') ? s.replace(RAY_PREFIX_RE, '') : s;
}

/**
 * Lightning's ModelCheckpoint message (verbose, the default): `Epoch 0, global step 99: 'val_loss'
 * reached 1.61913 (best 1.61913), saving model to '….ckpt' as top 5`, or `… was not in top 5`, after an
 * optional logging prefix. Groups: 1 the step, 2 the metric, 3 its value (none: not in the top k).
 * Bounded runs, one optional prefix: linear.
 */
export const LIGHTNING_CKPT_RE = /^(?:\[[^\]]{0,200}\][ \t]{0,4}){0,3}Epoch \d{1,9}, global step (\d{1,15}): '([^']{1,200})' (?:reached ([-+]?(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][-+]?\d{1,3})?)(?![\w.])|was not in top)/;

/** A model or checkpoint file's name ends this token (its path may spell metrics: `epoch=3-val_loss=0.52.ckpt`). */
const MODEL_FILE_EXTS = 'ckpt|pth?|bin|safetensors|h5|hdf5|keras|pkl|npz|msgpack|distcp';
const MODEL_FILE_RE = new RegExp(`\\.(?:${MODEL_FILE_EXTS})['"\`)\\],;:.]{0,4}$`, 'i');
const MODEL_FILE_HINT_RE = new RegExp(`\\.(?:${MODEL_FILE_EXTS})\\b`, 'i');

/**
 * The line without the names of model files in it: a checkpoint's path spells the metrics it was
 * saved at (NeMo's `…/evo2--val_loss=0.0000-epoch=0-consumed_samples=200.0-last.ckpt`, Lightning's
 * `epoch=3-step=1000.ckpt`), which are no measurement of that line. Split on spaces: linear.
 */
export function withoutModelFiles(line: string): string {
  if (!MODEL_FILE_HINT_RE.test(line)) return line;
  return line.split(/(\s+)/).map((t) => (MODEL_FILE_RE.test(t) ? '' : t)).join('');
}

/**
 * A step counter anywhere in a line (`Epoch 1, Step 100: loss=…`, `epoch 0 iter 100: loss …`,
 * `[Epoch 1/10][Step 100/1000] loss: …`, `| epoch 1 | step 100 | loss …`), for lines the anchored
 * TEXT_STEP_RE does not read. Groups: 1 the step, 2 the total. A word of its own, linear. Neither
 * reads a range (`[Zeus] Steps 51-100: Energy=…`, a power meter's summary between Megatron's lines).
 * A PaddlePaddle loop's total behind its step, `step: 10 (total: 1060)`, is the total too (group 3).
 * A batch counter written as a pair, `batch: 20` (a hand-written loop's `ep: 0, batch: 20, time: 9.17,
 * ntokens: 485.20/513, loss: 10.98`), is one too (a bare `Batch loss: 12.13` or `batch size 32` is not).
 * A sentence's full stop may end the counter (`Finished training step 0. Batch size: 512, Loss: 10.97,
 * LR: 0.00000`, the Flax NNX examples' train.py); a decimal (`step 1.5`) is no step.
 */
const TEXT_STEP_ANY_RE = /(?<![\w./-])(?:(?:global_step|steps?|iter|iteration)\s*(?:[:=]\s*)?|batch[ \t]{0,4}[:=][ \t]{0,4})(\d{1,15})(?![\d%]|[-–]\d)(?:\s*\/\s*(\d{1,15})|[ \t]{1,2}\(total:?[ \t]{0,2}(\d{1,15})\))?(?!\w|\.\w)/i;

/** The word of a step counter as written (step, iter, iteration): it names the planned end. */
export function counterWord(match: string): string {
  // (`step: 10 (total: 1060)`: said as written.)
  if (match.includes('(total')) return `${/iteration|iter|step|batch/i.exec(match)?.[0] ?? 'step'} (total)`;
  return /iteration|iter|step|batch/i.exec(match)?.[0] ?? 'step';
}

export interface StepLine {
  step: number;
  /** The total of `N/T`, when written. */
  total?: number;
  /** The counter as matched (`step 00100/21400`; its word by counterWord, only when needed). */
  counter: string;
  /** The line without the counter: where its metrics are. */
  rest: string;
  /** What the line says before its counter (`validation loss at` of Megatron's `validation loss at iteration 100 | …`). */
  lead?: string;
}

/**
 * The step a text log line gives: at its start (behind bounded prefixes: rank tags, brackets, a
 * logging prefix), else — on a line that names a loss — anywhere in it. Undefined for other lines.
 */
export function stepOfLine(line: string): StepLine | undefined {
  return stepAtStart(line) ?? stepAnywhere(line);
}

/** stepOfLine's first half: the counter at the line's start (behind bounded prefixes). */
export function stepAtStart(line: string): StepLine | undefined {
  const m = TEXT_STEP_RE.exec(line);
  if (!m) return undefined;
  const word = /steps?|iter(?:ation)?/i.exec(m[0]);
  return { step: Number(m[1]), total: m[2] === undefined ? undefined : Number(m[2]), counter: m[0], rest: line.slice(m[0].length), lead: word ? m[0].slice(0, word.index) : '' };
}

/**
 * An epoch written just before a step counter, at the end of the text before it (the counter's
 * lead): `[Epoch 3/300][`, `Epoch: [2] [`, `epoch: [3/500], `, `epoch: 3, `, `train epoch: 0 - ` (a PaddlePaddle loop),
 * `ep: 0, ` (a hand-written loop's `ep: 0, batch: 20, …`). Groups: 1 the epoch,
 * 2 the epochs planned (when written). Bounded: linear.
 */
export const EPOCH_LEAD_RE = /\b(?:epoch|ep)\b(?:\(train\))?:?[ \t]{0,4}\[?[ \t]{0,4}(\d{1,6})(?:[ \t]{0,2}\/[ \t]{0,2}(\d{1,6}))?[ \t]{0,4}\]?[ \t]{0,4}[,\]\[|:-]?[ \t]{0,4}\[?[ \t]{0,8}$/i;
/**
 * PaddleDetection's counter, behind its epoch: `Epoch: [0] [  100/14658]`; MMCV's `Epoch [1][50/500]`
 * and MMEngine's `Epoch(train)  [1][ 50/500]`. Groups: 1 the count, 2 the total.
 */
const BRACKET_COUNTER_RE = /(?<=\bEpoch(?:\(train\))?:?[ \t]{0,4}\[[ \t]{0,4}\d{1,6}[ \t]{0,4}\][ \t]{0,4})\[[ \t]{0,12}(\d{1,12})[ \t]{0,2}\/[ \t]{0,2}(\d{1,12})\]/;

/**
 * timm's train.py console: `Train: 3 [ 150/1251 ( 12%)]  Loss: 6.984308 (6.9588)  Time: 0.690s, …  LR:
 * 1.000e-06  Data: 0.014 (1.470)`. Groups: 1 the epoch, 2 the iteration within it, 3 the epoch's
 * iterations. Anchored and bounded: linear.
 */
const TIMM_TRAIN_RE = /^Train: (\d{1,6}) \[[ \t]{0,12}(\d{1,12})\/(\d{1,12})[ \t]{0,2}\([ \t]{0,3}\d{1,3}%\)\]/;
/**
 * timm's evaluation progress: `Test: [ 390/390]  Time: 0.2 (1.1)  Loss:  6.8196 (6.8019)  Acc@1: …`
 * (`Test (EMA): [` for the averaged weights);
 * at its last batch (count = total) the mean in brackets is the evaluation's loss. Groups: 1 the
 * count, 2 the total, 3 the mean loss.
 */
export const TIMM_TEST_RE = /^Test(?: \(EMA\))?: \[[ \t]{0,12}(\d{1,12})\/(\d{1,12})\][^\n]{0,200}? Loss:[ \t]{1,4}[-+\d.eE]{1,20} \([ \t]{0,4}([-+\d.eE]{1,20})\)/;

/**
 * An OpenMMLab iteration-based run's counter (MMEngine: MMSegmentation 1.x, XTuner; MMCV 1.x):
 * `Iter(train) [  50/2000]`, `Iter [50/40000]`. Groups: 1 the iteration, 2 the planned last. An
 * evaluation's `Iter(val) [11/11]` counts its own loader, not the run: not this. Also the ReID
 * baselines' (reid-strong-baseline, TransReID, CLIP-ReID, SOLIDER-REID) and PyTorch Ignite's examples'
 * counter within an epoch, its bracket right after the word: `Epoch[1] Iteration[100/316] Loss: 7.967,
 * …, Base Lr: 3.50e-04`, `Epoch[1] Iter[20/186] Loss: 17.704, …, Lr: 4.76e-05`. And the loop of
 * yunjey's pytorch-tutorial, copied into the Udacity courses and countless scripts: `Epoch [1/3], Step
 * [100/12942], Loss: 3.2190, Perplexity: 25.0` (or `Batch [100/938]`), the step within the epoch.
 */
const MM_ITER_RE = /\b(?:Iter(?:ation)?(?:\(train\))?|[Ss]tep|[Bb]atch)[ \t]{0,4}\[[ \t]{0,12}(\d{1,12})[ \t]{0,2}\/[ \t]{0,2}(\d{1,12})\]/;
/**
 * The console of PyTorch's `examples/word_language_model`, its nn.Transformer tutorial and AWD-LSTM:
 * `| epoch   1 |   200/ 2983 batches | lr 20.00 | ms/batch 45.12 | loss  7.63 | ppl  2069.29`: the batch
 * within the epoch behind its epoch; behind a prefix without `|` of at most 80 characters (`[RANK 0]: `, a
 * timestamp). Groups: 1 the epoch, 2 the batch, 3 the epoch's batches. Anchored, bounded.
 */
const WLM_BATCH_RE = /^[^|\n]{0,80}\|[ \t]{0,4}epoch[ \t]{1,8}(\d{1,6})[ \t]{0,4}\|[ \t]{0,12}(\d{1,12})[ \t]{0,2}\/[ \t]{0,4}(\d{1,12})[ \t]{1,4}batches[ \t]{0,4}\|/i;
/**
 * Its summaries: `| end of epoch   1 | time: 140.23s | valid loss  5.80 | valid ppl   330.50` and
 * `| End of training | test loss  4.98 | test ppl   145.61` (AWD-LSTM after its switch to ASGD: `| end of epoch
 * 767 (t0 on) | …`). Groups: 1 the epoch (an epoch's end), 2 the rest.
 */
export const WLM_END_RE = /^[^|\n]{0,80}\|[ \t]{0,4}(?:end of epoch[ \t]{1,8}(\d{1,6})(?:[ \t]{1,4}\([^()\n]{0,40}\))?|end of training)[ \t]{0,4}\|(.{0,2000})$/i;

/** stepOfLine's second half: the counter anywhere in a line that names a loss. */
export function stepAnywhere(line: string): StepLine | undefined {
  if (!/loss|xent/i.test(line)) return undefined;
  // (timm's epoch and its iteration within it: read as an epoch lead and its counter, `Epoch 3 [150/1251]`.)
  const t = line.charCodeAt(0) === 84 /* 'T' */ ? TIMM_TRAIN_RE.exec(line) : null;
  if (t) return { step: Number(t[2]), total: Number(t[3]), counter: t[0], rest: line.slice(t[0].length), lead: `Epoch ${t[1]} [` };
  const w = line.includes('batches') ? WLM_BATCH_RE.exec(line) : null;
  if (w) return { step: Number(w[2]), total: Number(w[3]), counter: w[0], rest: line.slice(w[0].length - 1), lead: `Epoch ${w[1]} [` };
  const mm = line.includes('Iter') || line.includes('tep') || line.includes('atch') ? MM_ITER_RE.exec(line.slice(0, 400)) : null;
  if (mm) return { step: Number(mm[1]), total: Number(mm[2]), counter: mm[0], rest: `${line.slice(0, mm.index)} ${line.slice(mm.index + mm[0].length)}`, lead: line.slice(0, mm.index) };
  const a = TEXT_STEP_ANY_RE.exec(line) ?? (line.includes('poch') ? BRACKET_COUNTER_RE.exec(line.slice(0, 400)) : null);
  if (!a) return undefined;
  return {
    step: Number(a[1]), total: (a[2] ?? a[3]) === undefined ? undefined : Number(a[2] ?? a[3]),
    counter: a[0],
    rest: `${line.slice(0, a.index)} ${line.slice(a.index + a[0].length)}`,
    lead: line.slice(0, a.index),
  };
}

/**
 * Marian NMT's training line: `Ep. 1 : Up. 100 : Sen. 21,877 : Cost 9.69829464 : Time 204.47s : …
 * : L.r. 2.5000e-06` (groups: 1 the epoch, 2 the update); its validation line is the same head after
 * `[valid]`, then `ce-mean-words : 1.3096 : new best` (MARIAN_VALID_RE).
 */
export const MARIAN_HEAD_RE = /\bEp\. (\d{1,9}) : Up\. (\d{1,12}) : /;
export const MARIAN_COST_RE = / : Cost (-?\d{1,12}(?:\.\d{1,20})?(?:e[-+]?\d{1,3})?)\b/i;
export const MARIAN_LR_RE = / : L\.r\. (\d{1,12}(?:\.\d{1,20})?(?:e[-+]?\d{1,3})?)\b/i;
/** Groups: 1 the epoch, 2 the update, 3 the metric (`ce-mean-words`, `perplexity`, `bleu`…), 4 its value. */
export const MARIAN_VALID_RE = /\[valid\] Ep\. (\d{1,9}) : Up\. (\d{1,12}) : ([\w.-]{1,60}) : (-?\d{1,12}(?:\.\d{1,20})?(?:e[-+]?\d{1,3})?)\b/i;

/**
 * Darknet's (pjreddie's and AlexeyAB's YOLO trainer) iteration line: `5999: 1.143726, 0.822407 avg,
 * 0.000010 rate, 0.198929 seconds, 5999 images` (AlexeyAB's: `avg loss`, then `, 12.3 hours left`).
 * Groups: 1 the iteration (batch), 2 the batch's loss, 3 its running average, 4 the LR, 5 the seconds,
 * 6 the images seen. Anchored, bounded: linear.
 */
export const DARKNET_RE = /^[ \t]{0,8}(\d{1,12}): ([-+]?(?:\d{1,20}(?:\.\d{0,20})?|nan|inf)), ([-+]?(?:\d{1,20}(?:\.\d{0,20})?|nan|inf)) avg(?: loss)?, ([-+]?\d{1,20}(?:\.\d{0,20})?(?:e[-+]?\d{1,3})?) rate, (\d{1,20}(?:\.\d{0,20})?) seconds, (\d{1,15}) images/;

/**
 * RWKV-LM's (and RWKV-PEFT's) `train_log.txt`: `NEW RUN 2025-05-27-10-32-22` at each launch, the run's
 * arguments as a Python dict on the next line (`'epoch_steps': 100, 'epoch_count': 5, 'epoch_begin': 0`),
 * then a line per mini-epoch (epoch_steps steps, not a pass over the data): `4 0.174805 1.1910 0.00001000
 * 2025-05-30 18:13:28.730633 4`, the mini-epoch (from epoch_begin), its mean loss, the perplexity, the
 * LR, the time, the mini-epoch of this launch. RWKV_LINE_RE groups: 1 the mini-epoch, 2 the loss, 3 the
 * LR. Anchored, bounded: linear.
 */
export const RWKV_RUN_RE = /^NEW RUN \d{4}-\d\d-\d\d-\d\d-\d\d-\d\d[ \t]*$/;
export const RWKV_LINE_RE = /^(\d{1,9}) (\d{1,9}\.\d{1,12}|nan|inf) (?:\d{1,20}\.\d{1,12}|nan|inf) (\d{1,3}\.\d{1,12}(?:e-?\d{1,3})?) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})? \d{1,9}[ \t]*$/;

/**
 * The glog prefix Caffe (and TensorFlow's absl logging) put before each message: the level letter, the
 * month and day (newer glog: the year too), the time to the microsecond, the thread id (padded), the
 * source file and line: `I0821 09:21:15.397500  5405 solver.cpp:222] `. Fixed shapes, bounded.
 */
export const GLOG_PREFIX = '[IWEF]\\d{4}(?:\\d{4})? \\d\\d:\\d\\d:\\d\\d\\.\\d{1,9}[ \\t]{1,12}\\d{1,20} [\\w.+-]{1,120}:\\d{1,7}\\] ';
/**
 * CLU's LoggingWriter (`clu.metric_writers`, used by the Flax examples, big_vision, T5X-style code):
 * `[2000] train_accuracy=0.374, train_loss=3.729` (`logging.info("[%d] %s", step, ", ".join(…))`),
 * behind absl's glog prefix (`I0325 14:04:37.610165 130245504009792 logging_writer.py:48] `) or none.
 * Groups: 1 the step, 2 the pairs. Anchored, bounded: linear.
 */
export const CLU_LINE_RE = new RegExp(`^(?:${GLOG_PREFIX})?\\[(\\d{1,15})\\] ([A-Za-z_][\\w./-]{0,200}=.{0,8000})$`);
/** One `key=value` of a CLU line, from where the last ended (sticky). Groups: 1 the key, 2 the value. Bounded. */
export const CLU_PAIR_RE = /(?:^|, )([A-Za-z_][\w./-]{0,200})=([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?|nan|-?inf)(?=, |[ \t]*$)/y;
/** A CLU LoggingWriter line's step and its numeric pairs (CLU_LINE_RE), or undefined. */
export function cluLine(line: string): { step: number; pairs: Array<[string, string]> } | undefined {
  if (line.length > 10_000 || !line.includes('] ')) return undefined;
  const m = CLU_LINE_RE.exec(line);
  if (!m) return undefined;
  const pairs: Array<[string, string]> = [];
  CLU_PAIR_RE.lastIndex = 0;
  let p: RegExpExecArray | null;
  while (pairs.length < 1000 && (p = CLU_PAIR_RE.exec(m[2]))) pairs.push([p[1], p[2]]);
  return pairs.length > 0 ? { step: Number(m[1]), pairs } : undefined;
}
/** A number as C++'s ostream prints a float (`0.0677099`, `1e-05`, `-nan`, `inf`). Bounded. */
const CPP_NUM = '[-+]?(?:\\d{1,20}(?:\\.\\d{0,20})?|\\.\\d{1,20})(?:[eE][-+]?\\d{1,3})?|[-+]?(?:nan|inf)';
/**
 * Caffe's solver lines (glog): `Iteration 100, loss = 0.0677099` (Caffe 1.0 adds the speed, `Iteration
 * 100 (2.5 iter/s, 40s/100 iters), loss = …`), its loss the net's total (the weighted sum of its loss
 * outputs, averaged over the last `average_loss` iterations); `Iteration 100, lr = 0.003` (the LR of
 * that iteration's update). Groups: 1 the iteration, 2 `loss` or `lr`, 3 the value. Anchored, bounded.
 */
export const CAFFE_ITER_RE = new RegExp(`^${GLOG_PREFIX}Iteration (\\d{1,15})(?: \\([^()\\n]{1,80}\\))?, (loss|lr) = (${CPP_NUM})[ \\t]*$`);
/** Caffe's test phase: `Iteration 500, Testing net (#0)`, its outputs on the lines after. Groups: 1 the iteration, 2 the test net. */
export const CAFFE_TESTING_RE = new RegExp(`^${GLOG_PREFIX}Iteration (\\d{1,15}), Testing net \\(#(\\d{1,4})\\)[ \\t]*$`);
/**
 * A Caffe net's output: `    Test net output #0: loss = 2.65418 (* 1 = 2.65418 loss)`, `    Train net
 * output #2: loss1/loss = 14.2663 (* 0.3 = 4.2799 loss)`, `    Test net output #1: accuracy = 0.85`.
 * Caffe prints the bracket for an output with a loss weight only: its weighted value is that output's
 * part of the net's total loss. Groups: 1 Train or Test, 2 the output's index, 3 its blob's name, 4
 * its value, 5 the weight, 6 the weighted value. A name has no blank: linear.
 */
export const CAFFE_OUTPUT_RE = new RegExp(`^${GLOG_PREFIX}[ \\t]{0,8}(Train|Test) net output #(\\d{1,6}): (\\S{1,200}) = (${CPP_NUM})(?: \\(\\* (${CPP_NUM}) = (${CPP_NUM}) loss\\))?[ \\t]*$`);
/** Caffe's glog line that opens its printed SolverParameter (a field a line follows, `max_iter: 20000`). */
export const CAFFE_SOLVER_RE = new RegExp(`^${GLOG_PREFIX}Initializing solver from parameters:[ \\t]*$`);
/** A glog line's start (level, month, day): after it, a printed solver block is over. */
export const GLOG_START_RE = /^[IWEF]\d{4}(?:\d{4})? \d\d:\d\d:\d\d/;

/**
 * TensorFlow 1's Estimator (its default LoggingTensorHook), behind TF's Python logging prefix or
 * absl's glog one: `INFO:tensorflow:loss = 0.5186956, step = 100 (162.563 sec)` (the first line has no
 * time). The loss is the training batch's of the update whose global step, before it, is `step`.
 * Groups: 1 the loss, 2 the step. Anchored, bounded: linear.
 */
export const TF_LOSS_RE = new RegExp(`^(?:INFO:tensorflow:|${GLOG_PREFIX})loss = (${CPP_NUM}), step = (\\d{1,15})(?: \\((?:${CPP_NUM}) sec\\))?[ \\t]*$`);
/**
 * The Estimator's evaluation: `INFO:tensorflow:Saving dict for global step 5468: eval_accuracy =
 * 0.85, eval_loss = 0.72, global_step = 5468, loss = 0.72` (its metrics sorted by name; `loss` is the
 * model's loss averaged over the evaluation's batches). Groups: 1 the global step, 2 the metrics.
 */
export const TF_EVAL_RE = new RegExp(`^(?:INFO:tensorflow:|${GLOG_PREFIX})Saving dict for global step (\\d{1,15}): (.{1,8000})$`);
/** One `name = value` of TF_EVAL_RE's metrics, split at `, `. Groups: 1 the name, 2 the value. */
export const TF_PAIR_RE = new RegExp(`^([A-Za-z_][\\w./-]{0,200}) = (${CPP_NUM})$`);
/** A banner a TF script prints before training (`***** Running training *****`, BERT's). Group 1: what runs. */
export const TF_RUNNING_RE = /^INFO:tensorflow:\*{5} Running ([a-z]{1,20}) \*{5}[ \t]*$/;
/** BERT's (and scripts derived from it) planned steps in that banner: `INFO:tensorflow:  Num steps = 5468`. Group 1: the steps. */
export const TF_STEPS_RE = /^INFO:tensorflow:[ \t]{0,8}Num steps = (\d{1,15})[ \t]*$/;

/**
 * A line that sums up an epoch, with no step counter: `Epoch 3/40 - Train Loss: 2.12, Val Loss: 2.28`
 * (a hand-written loop's print or logging call), `Epoch: 3, LR: 1e-05, Train Loss: 9.37, …`,
 * SpeechBrain's train_log.txt `epoch: 3, lr: 1.00e+00 - train loss: 2.30 - valid loss: 1.34, valid
 * PER: 40.99`. The epoch at the line's start, behind a logging prefix at most (as TEXT_STEP_RE's, or
 * a date, a time and a level: `2023-05-15 22:50:17,398 INFO:Epoch 1: Train Loss=0.0717, …`).
 * Groups: 1 the epoch, 2 the epochs planned (when written). Bounded and anchored: linear.
 */
const EPOCH_LINE_RE = /^\s{0,40}(?:[A-Z]{3,8}:[\w.]{1,60}:\s{0,4})?(?:\[[^\]\n]{0,80}\]:?\s{0,4}){0,2}(?:\d[^[\]\n]{0,200}?\s-\s(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s-\s|\d{4}[-/]\d\d[-/]\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?[ \t]{1,4}(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)[ \t]{0,4}:[ \t]{0,4})?epoch\b[ \t]{0,4}:?[ \t]{0,4}\[?[ \t]{0,4}(\d{1,6})(?:[ \t]{0,2}\/[ \t]{0,2}(\d{1,6}))?[ \t]{0,4}\]?(?=[ \t]{0,4}(?:[,:|]|-[ \t]))/i;

/** An epoch's summary line (EPOCH_LINE_RE) that names a loss, as a step line at its epoch; else undefined. */
export function epochLine(line: string): StepLine | undefined {
  if (line.length > 4096 || !/poch/i.test(line) || !LOSS_KEY_RE.test(line)) return undefined;
  const m = EPOCH_LINE_RE.exec(line);
  if (!m) return undefined;
  const rest = line.slice(m[0].length);
  TEXT_PAIR_RE.lastIndex = 0;
  let pair: RegExpExecArray | null;
  while ((pair = TEXT_PAIR_RE.exec(rest))) {
    if (LOSS_KEY_RE.test(pair.groups!.key)) return { step: Number(m[1]), total: m[2] === undefined ? undefined : Number(m[2]), counter: m[0], rest, lead: '' };
  }
  return undefined;
}

/**
 * pycls' metric line, and PySlowFast's (Facebook's video models: SlowFast, MViT, and the many repos
 * built on its code): `json_stats: {"_type": "train_iter_", "epoch": "1/20", "iter": "10/316", "loss":
 * 3.55793, "lr": 0.00997, "top1_err": 81.25, …}` behind its logging prefix (`[06/21 19:35:15][INFO]
 * logging.py:   99: `, pycls' `[meters.py:  95]: `), or alone, a line each, in its `json_stats.log`.
 * Group 1: the JSON object. Bounded prefix parts, anchored: linear.
 */
const JSON_STATS_RE = /^(?:\[[^\]\n]{0,80}\]:?[ \t]{0,4}){0,4}(?:[\w.-]{1,120}:[ \t]{0,8}\d{1,7}:[ \t]{0,4})?json_stats: (\{.*\})[ \t]*$/;
/** `"epoch": "1/20"`, `"iter": "10/316"`: a count and its total. */
const COUNT_OF_RE = /^(\d{1,9})\/(\d{1,9})$/;

export interface JsonStats {
  /** `train_iter` (PySlowFast: `train_iter_`), `train_epoch`, `val_iter`, `val_epoch`, pycls' `test_epoch`, … */
  type: string;
  epoch?: number;
  epochs?: number;
  iter?: number;
  iters?: number;
  /** Its numbers, by name (texts such as `"eta": "0:31:34"` and `"gpu_mem": "19.35G"` left out). */
  values: Array<[string, number]>;
}

/** A pycls / PySlowFast `json_stats: {…}` line (JSON_STATS_RE) with its `_type`, or undefined. */
export function jsonStats(line: string): JsonStats | undefined {
  if (line.length > 100_000 || !line.includes('json_stats: {')) return undefined;
  const m = JSON_STATS_RE.exec(line);
  if (!m) return undefined;
  let o: unknown;
  try { o = JSON.parse(m[1].replace(/(:\s*)(-?Infinity|NaN)(?=\s*[,}])/g, '$1null')); } catch { return undefined; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  const type = Object.prototype.hasOwnProperty.call(rec, '_type') ? rec._type : undefined;
  if (typeof type !== 'string') return undefined;
  const out: JsonStats = { type: type.slice(0, 60), values: [] };
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'epoch' || k === 'iter') {
      const c = typeof v === 'string' ? COUNT_OF_RE.exec(v) : null;
      if (c && k === 'epoch') { out.epoch = Number(c[1]); out.epochs = Number(c[2]); }
      else if (c) { out.iter = Number(c[1]); out.iters = Number(c[2]); }
      else if (typeof v === 'number' && Number.isSafeInteger(v)) out[k] = v;
      continue;
    }
    if (typeof v === 'number' && out.values.length < 1000) out.values.push([k, v]);
    else if (v === null && out.values.length < 1000) out.values.push([k, NaN]);
  }
  return out;
}

export function textLineHasMetrics(line: string): boolean {
  line = stripAnsi(line);
  if (LLMC_STEP_RE.test(line)) return true;
  if (NANOGPT_LOG_RE.exec(line)?.[2] === 'train') return true;
  if (line.includes(' rate, ') && DARKNET_RE.test(line)) return true;
  if (line.length <= 120 && RWKV_LINE_RE.test(line)) return true;
  // (CLU's LoggingWriter: `[2000] train_loss=3.73`, a loss among its pairs.)
  if (line.includes('] ') && line.includes('loss') && cluLine(line)?.pairs.some(([k]) => LOSS_KEY_RE.test(k))) return true;
  // (pycls' and PySlowFast's json_stats lines: a training line's loss; the JSON's commas are no CSV's.)
  if (line.includes('json_stats: {')) {
    const j = jsonStats(line);
    if (j) return j.type.startsWith('train') && j.values.some(([k]) => LOSS_KEY_RE.test(k));
  }
  // (Caffe's: its file:line prefix reads as a metric's pair to the generic step counter.)
  if (line.includes('loss = ') && (CAFFE_ITER_RE.test(line) || TF_LOSS_RE.test(line))) return true;
  if (line.includes(' : Up. ') && MARIAN_HEAD_RE.test(line) && (MARIAN_COST_RE.test(line) || MARIAN_VALID_RE.test(line))) return true;
  // (A Coqui Trainer block's head: its metrics, a line each, follow it.)
  if (line.includes('GLOBAL_STEP: ') && COQUI_STEP_RE.test(line)) return true;
  // (A GAN's loss line, pytorch-CycleGAN-and-pix2pix's: its losses are named G_A, D_real, NCE…, not loss.)
  if (line.includes('(epoch: ') && ganLine(line)) return true;
  // (LeRobot's line: its step may be printed rounded, `step:1K`, which no step counter reads.)
  if (line.includes('step:') && line.includes(' loss:') && LEROBOT_LINE_RE.test(line)) return true;
  // (An MXNet Speedometer or GluonCV line, a loss among its metrics or not: a log of accuracy alone is
  // read, to be refused saying so, not taken for a CSV for the commas of the arguments it prints first.)
  if (line.includes('samples/sec') && mxBatchLine(line)) return true;
  const m = stepOfLine(line);
  if (!m) return epochLine(line) !== undefined;
  TEXT_PAIR_RE.lastIndex = 0;
  let pair: RegExpExecArray | null;
  while ((pair = TEXT_PAIR_RE.exec(m.rest))) if (LOSS_KEY_RE.test(pair.groups!.key)) return true;
  return false;
}

/** A metric's name that says it is a loss: `loss`, or OpenNMT-py's `xent` (its per-token cross-entropy). */
export const LOSS_KEY_RE = /loss|(?:^|_)xent$/i;

/** A `key: value` or `key=value` cell, a number its value. Anchored, bounded: linear. */
const PAIR_CELL_RE = /^[ \t]{0,8}[A-Za-z_][\w./ -]{0,60}?[ \t]{0,4}[:=][ \t]{0,4}[-+]?(?:\d|\.\d)[^,;\t]{0,60}$/;
/** A line whose every comma-separated cell (two or more) is a `key: value` pair: a metric line, no CSV header. */
function pairsLine(line: string): boolean {
  if (line.length > 4096) return false;
  const cells = line.split(',');
  return cells.length >= 2 && cells.every((c) => PAIR_CELL_RE.test(c));
}

/** Delimiter of a CSV header line: the most frequent of , \t ; (outside quotes), or undefined. */
export function csvDelimiter(line: string): string | undefined {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  let best: string | undefined;
  for (const d of [',', '\t', ';']) if (counts[d] > 0 && (best === undefined || counts[d] > counts[best])) best = d;
  return best;
}

/**
 * Ludwig's `training_statistics.json`: `{"evaluation_frequency": {…}, "test": {"combined": {"loss":
 * [per-evaluation values], …}, "<output feature>": {…}}, "training": …, "validation": …}` (older
 * Ludwig: without `evaluation_frequency`). Keys of at most 200 characters; bounded, linear.
 */
export const LUDWIG_HEAD_RE = /^\s*\{\s*(?:"evaluation_frequency"\s*:\s*\{[^{}]{0,400}\}\s*,\s*)?"(?:test|training|validation)"\s*:\s*\{\s*"[^"\n\\]{1,200}"\s*:\s*\{\s*"[^"\n\\]{1,200}"\s*:\s*\[/;

/** Sacred's metrics.json: `{"<metric>": {"steps": [`, its first metric opening the document. Bounded, linear. */
/**
 * CatBoost's `catboost_info/catboost_training.json` (written by every fit): `{"meta":{…"learn_metrics":[…],
 * …"iteration_count":N,…}, "iterations":[{"learn":[…],"iteration":0,…}, …]}`. Its head: the meta object
 * first, its learn metrics, iteration count and iterations list (plain searches of the first 64 KB).
 */
export function catboostHead(head: string): boolean {
  const h = head.slice(0, 65536);
  return /^\s*\{\s*"meta"\s*:\s*\{/.test(h) && h.includes('"learn_metrics"') && /"iteration_count"\s*:\s*\d/.test(h) && /"iterations"\s*:\s*\[/.test(h);
}
const SACRED_HEAD_RE = /^\s*\{\s*"[^"\n\\]{1,200}"\s*:\s*\{\s*"steps"\s*:\s*\[/;
/** A Sacred metric's name in the head (keys of at most 200 characters). */
const SACRED_METRIC_RE = /"([^"\n\\]{1,200})"\s*:\s*\{\s*"steps"\s*:\s*\[/g;

/**
 * Whether a JSON document's head is Sacred's metrics.json (its FileStorageObserver's name), or shaped
 * like one with a loss-named metric in the head: one metric's lists can fill the whole head, so the
 * file's name decides where the loss may come later.
 */
function sacredMetricsHead(fileName: string, head: string): boolean {
  const h = head.slice(0, 65536);
  if (!SACRED_HEAD_RE.test(h)) return false;
  if (/(^|[\\/])metrics\.json$/i.test(fileName)) return true;
  SACRED_METRIC_RE.lastIndex = 0;
  let k = 0;
  for (let m = SACRED_METRIC_RE.exec(h); m && k < 1000; m = SACRED_METRIC_RE.exec(h), k++) if (/loss/i.test(m[1])) return true;
  return false;
}

/**
 * Whether a JSON document's head is a training history: an object whose values are lists, one of
 * them under a loss-named key (Keras's `History.history` saved with json.dump), or a list of
 * records with an "epoch" and a loss-named number (skorch's `history.json`), or Ludwig's (LUDWIG_HEAD_RE).
 */
function jsonHistoryHead(head: string): boolean {
  const h = head.slice(0, 65536);
  const start = /^\s*([[{])\s*([[{"]?)/.exec(h);
  if (!start) return false;
  if (start[1] === '{') {
    if (start[2] !== '"') return false;
    // Keys whose value opens a list; a key of at most 200 characters (a bounded, linear scan).
    const re = /"([^"\n\\]{1,200})"\s*:\s*\[/g;
    let lists = 0, loss = false;
    for (let m = re.exec(h); m && lists < 1000; m = re.exec(h)) {
      lists++;
      if (/loss/i.test(m[1])) loss = true;
    }
    // The document opens with a list value (its first key's), and a loss is one of them; or it is
    // Ludwig's training_statistics.json (LUDWIG_HEAD_RE), its lists nested by split and feature.
    return loss && (/^\s*\{\s*"[^"\n\\]{1,200}"\s*:\s*\[/.test(h) || LUDWIG_HEAD_RE.test(h));
  }
  // A list of records: skorch's (`"epoch"`, `"train_loss"`), Chainer's LogReport (`result/log`:
  // `"iteration"`, `"main/loss"`, `"validation/main/loss"`; ESPnet1's `results/log` too), a loop's json.dump.
  return start[2] === '{' && /"(?:epoch|iteration|step|global_step)"\s*:\s*\d/.test(h) && /"[\w/.-]{0,60}loss"\s*:\s*-?\d/i.test(h);
}

/**
 * The format of a log, from its name and the first part of its text (64 KB is plenty), or
 * undefined when the content is not a log this layer reads. `laterWindow`: `head` is a window of a
 * text log past its preamble (decideFormat), judged only as a text log.
 */
export function detectFormat(fileName: string, head: string, laterWindow = false): LogFormat | undefined {
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  if (head.slice(0, 8192).includes('\0')) return undefined;
  const e = ext(fileName);
  const lines = firstLines(head, 20);
  if (lines.length === 0) return undefined;
  const first = lines[0].trim();
  // (A later window of a text log, past its preamble: only a text log's lines can be found there.)
  if (!laterWindow && (first.startsWith('{') || (first.startsWith('[') && !BRACKET_TAG_RE.test(first)))) {
    if (/"log_history"\s*:/.test(head) && !isJsonObjectLine(lines[0])) return 'trainer_state';
    // A .json training history (Keras's History dict of per-epoch lists, skorch's list of per-epoch
    // records): one document, even on one line.
    if (e === 'json' && (jsonHistoryHead(head) || sacredMetricsHead(fileName, head) || catboostHead(head))) return 'json';
    // Chainer's LogReport writes its list of records to a file named `log`, with no extension.
    if (e === '' && first.startsWith('[') && jsonHistoryHead(head)) return 'json';
    if (isJsonObjectLine(lines[0])) {
      // One object per line (the second may be cut off by the head).
      const okLines = lines.slice(0, -1).filter(isJsonObjectLine).length;
      if (okLines >= Math.min(lines.length - 1, 1) || e === 'jsonl' || e === 'ndjson') {
        return /"log_history"\s*:/.test(lines[0]) && lines.length === 1 ? 'trainer_state' : 'jsonl';
      }
    }
    if (/"log_history"\s*:/.test(head)) return 'trainer_state';
    // Hugging Face Trainer console dicts from the first line (a capture of the script's stdout alone:
    // tqdm's bars went to stderr): Python dicts, not JSON.
    if (first.startsWith("{'") && hfConsole(firstLines(head, 200)) !== undefined) return 'text';
    // One record longer than the head (a 100 KB line): a .jsonl file by its name; the reader judges each line.
    if ((e === 'jsonl' || e === 'ndjson') && lines.length === 1 && first.startsWith('{')) return 'jsonl';
    // A text log's first line may just start with a brace or a bracket (a note pasted above a real
    // OpenNMT-py console: `{corpus, corpus, …}`): its metric lines decide, below.
    // (A JSON document's start, `{"`, `[{`, a brace alone on its line, is no such note.)
    if ((e !== 'log' && e !== 'txt' && e !== 'out') || /^[[{]\s*(?:$|["{[\d-])/.test(first)) return undefined;
  }
  const textHits = lines.filter(textLineHasMetrics).length + composerHits(lines);
  if (textHits > 0 && (e !== 'csv' && e !== 'tsv')) return 'text';
  // Hugging Face Trainer console output (`{'loss': 2.3, 'grad_norm': …, 'epoch': 0.1}`, after tqdm
  // bars or without them) is not a CSV for the commas in its lines: a text log. Without bars the
  // steps come from the printed epoch, when the Trainer's banner or a final bar gives the steps per
  // epoch (the reader; else consoleHint says why not).
  // The head's lines as far as the long checks below look (a console or a preamble before the metrics).
  const textual = e !== 'csv' && e !== 'tsv' && e !== 'json' && e !== 'jsonl';
  const long = textual ? firstLines(head, 20000) : [];
  if (textual) {
    const hf = hfConsole(long);
    if (hf !== undefined) return 'text';
    // fairseq's console (its commas are a config dump's and a metric line's, not a CSV's).
    if (long.some((l) => l.length <= 100000 && fairseqLine(l))) return 'text';
    // OLMo's (its lines are tab-separated: not a TSV).
    if (long.filter((l) => l.length <= 4096 && l.includes('[step=') && OLMO_HEAD_RE.test(l)).length >= 2) return 'text';
    // Progress bars whose postfix carries the loss (Lightning, the diffusers scripts): not a CSV for their commas.
    if (tqdmPostfixHits(long) >= 2) return 'text';
    // Keras' console (its ` - ` separated metrics are no CSV).
    if (kerasConsole(long)) return 'text';
    if (nnunetConsole(long)) return 'text';
    // fastai's tables (a console whose other lines may hold commas: not a CSV).
    if (fastaiConsole(long)) return 'text';
    if (spacyConsole(long)) return 'text';
    if (yoloResults(long)) return 'text';
    if (dschatConsole(long)) return 'text';
    // MLPerf's MLLOG events (their JSON's commas are no CSV's).
    if (long.some((l) => l.length <= 100_000 && l.includes(':::MLLOG {'))) return 'text';
  }
  // (A .log/.txt whose first line is a logging line, `[INFO]: …, ip: …` or `2022-04-13 11:23:38 …`,
  // is no table for a comma in it: PaddleSeg's launcher prints 1,200 such lines before its metrics.
  // Nor is one that opens a Python dict, `{'checkpoint_dir': PosixPath('checkpoints/…'),`: the run's
  // arguments pprint'ed over many lines, as LitGPT's scripts print them first.)
  // Nor one that opens with a Python warning (`/…/inpaint.py:6: DeprecationWarning: Please use …, the …`,
  // a real PaddleOCR workerlog's first line).
  // Nor is a first line of `key: value` pairs, `ep: 0, batch: 20, time: 9.17, …, loss: 10.98` (a
  // hand-written loop's print): its cells are pairs, not a header's names.
  const d = laterWindow || (textual && (LOGGING_LINE_RE.test(lines[0]) || PPRINT_HEAD_RE.test(first) || PY_WARNING_RE.test(lines[0]))) || pairsLine(lines[0]) ? undefined : csvDelimiter(lines[0]);
  if (d !== undefined) {
    const cols = lines[0].split(d).length;
    const body = lines.slice(1, -1);
    const consistent = body.length === 0 || body.filter((l) => l.split(d).length === cols).length >= body.length / 2 || /"/.test(head);
    if (consistent) return 'csv';
  }
  if (textHits > 0) return 'text';
  // A training script printed before the first metric line (the nanoGPT speedrun logs print 900+
  // lines of code): metric lines further down the head still make it a text log.
  if (textual) {
    let hits = 0;
    for (const line of long.slice(20)) if (line.length <= 4096 && textLineHasMetrics(line) && ++hits >= 2) return 'text';
    // LLM Foundry prints its whole resolved config before the first Composer block.
    if (composerHits(long.filter((l) => l.length <= 4096)) >= 2) return 'text';
  }
  return undefined;
}

/**
 * AI2 OLMo's console: a logging line ending in `[step=1/7630,epoch=0]` (tab-separated date, host:rank,
 * module:line, INFO before it), then one metric per indented line, `    train/CrossEntropyLoss=11.28`,
 * counts with thousands separators (`throughput/total_tokens=131,072`). Groups: 1 the step, 2 the
 * planned total. Tries start at a `[`, each bounded: linear.
 */
export const OLMO_HEAD_RE = /\[step=(\d{1,15})\/(\d{1,15})(?:,epoch=\d{1,6})?\]\s{0,8}$/;
/** An OLMo metric line. Groups: 1 the key (`System/Peak GPU Memory (MB)`), 2 the value. The key stops at the first `=`: linear. */
export const OLMO_FIELD_RE = /^[ \t]{2,16}([A-Za-z][^=\n]{0,200})=([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|-?inf)[ \t]*$/;

/**
 * The Coqui 🐸TTS / coqui-ai Trainer's training block head (its `trainer_0_log.txt` and console, ANSI
 * colours stripped): `   --> STEP: 24/36 -- GLOBAL_STEP: 1000025`, newer `   --> TIME: 2023-11-02
 * 10:47:31 -- STEP: 24/35 -- GLOBAL_STEP: 1000025`; one metric a line follows (COQUI_FIELD_RE).
 * Groups: 1 the step within the epoch, 2 the epoch's total as printed, 3 the global step. Anchored, bounded.
 */
export const COQUI_STEP_RE = /^[ \t]{0,16}--> (?:TIME: [\d:. T/-]{1,40}? -- )?STEP: (\d{1,12})\/(\d{1,12}) -- GLOBAL_STEP: (\d{1,15})[ \t]*$/;
/**
 * A metric line of a Coqui block: `     | > loss_1: 26.92974  (35.54205)` (the bracket: a running
 * average), `     | > current_lr_0: 0.00020 `, an evaluation's `     | > avg_loss_1: 26.36956 (+0.00000)` (the
 * bracket: the change since the last evaluation). Neither bracket is a metric. Groups: 1 the key, 2 the
 * value. Bounded: linear.
 */
export const COQUI_FIELD_RE = /^[ \t]{0,16}\| > ([A-Za-z][\w./-]{0,200}):[ \t]{0,8}([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?|nan|[-+]?inf)(?:[ \t]{1,8}\([^()\n]{0,80}\))?[ \t]*$/i;
/** A Coqui evaluation's summary head, `  --> EVAL PERFORMANCE`: its `avg_*` lines follow. */
export const COQUI_EVAL_RE = /^[ \t]{0,16}--> EVAL PERFORMANCE[ \t]*$/;
/** A Coqui epoch's head, ` > EPOCH: 0/1000`. Groups: 1 the epoch, 2 the epochs as printed. */
export const COQUI_EPOCH_RE = /^[ \t]{0,16}> EPOCH: (\d{1,6})\/(\d{1,6})[ \t]*$/;
/** A Coqui run started from a checkpoint, ` > Model restored from step 1000000`. Group 1: the checkpoint's step. */
export const COQUI_RESTORED_RE = /^[ \t]{0,16}> Model restored from step (\d{1,15})[ \t]*$/;

/** A number as Python's f-strings print it (`:.3f`, `:.2f`, `:.4f`), or nan / inf. Bounded. */
const PY_NUM = '[-+]?(?:\\d{1,20}(?:\\.\\d{0,20})?|\\.\\d{1,20})(?:[eE][-+]?\\d{1,3})?|nan|[-+]?inf';
/**
 * LitGPT's training line (`litgpt finetune lora|full|adapter`, `litgpt pretrain`, since March 2024),
 * printed every `log_interval` iterations: `Epoch 1 | iter 10 step 5 | loss train: 1.524, val: n/a |
 * iter time: 603.03 ms (step)` (pretraining adds ` remaining time: 0:01:23`). An iteration is one
 * micro-batch; `step` counts the optimizer steps done so far, and `(step)` marks the iteration that
 * made one. The loss is the mean over the last gradient-accumulation window of micro-batches; `val`
 * the last validation's loss (`n/a` before any), printed again on every line until the next one.
 * Groups: 1 the epoch (from 1), 2 the iteration, 3 the step, 4 the loss, 5 val, 6 the iteration's
 * time in ms, 7 the `(step)` mark, 8 the remaining time. Anchored, bounded: linear.
 */
export const LITGPT_LINE_RE = new RegExp(`^[ \\t]{0,8}Epoch (\\d{1,9}) \\| iter (\\d{1,15}) step (\\d{1,15}) \\| loss train: (${PY_NUM}), val: (${PY_NUM}|n/a) \\| iter time: (${PY_NUM}) ms( \\(step\\))?(?: remaining time: ([\\d:, a-z]{1,40}))?[ \\t]*$`);
/** LitGPT's validation line, `iter 100: val loss 1.2345, val time: 2031.42 ms` (its iteration, not its step). Groups: 1 the iteration, 2 the loss. */
export const LITGPT_VAL_RE = new RegExp(`^[ \\t]{0,8}iter (\\d{1,15}): val loss (${PY_NUM}), val time: (?:${PY_NUM}) ?ms[ \\t]*$`);
/** LitGPT's validation after training (`final_validation`): `Final evaluation | val loss: 1.234 | val ppl: 3.435`. Group 1: the loss. */
export const LITGPT_FINAL_RE = new RegExp(`^[ \\t]{0,8}Final evaluation \\| val loss: (${PY_NUM}) \\| val ppl: (?:${PY_NUM})[ \\t]*$`);
/** One `key=value` of LitGPT's `TrainArgs(…)` as pprint prints it (a line each). Groups: 1 the key, 2 the value. */
export const LITGPT_ARG_RE = /(?<![\w.])([a-z][a-z_]{0,39})=([-+\w.]{1,40})/g;
/**
 * lit-gpt's training line of 2023 (its pretrain/ and finetune/ scripts, and TinyLlama's
 * pretrain/tinyllama.py with its forks): `iter 16 step 1: loss 11.0188, iter time: 280.17ms
 * (optimizer.step) remaining time: 129.59 hours.  or 5.40 days. ` (TinyLlama), `iter 0 step 1: loss
 * 11.1288, LR: 0.000000, iter time: 2820.98ms (optimizer.step)` (a pretraining script that prints its
 * LR). An iteration is one micro-batch, its loss that micro-batch's (`loss.item()`); `step` counts the
 * optimizer steps done, `(optimizer.step)` marks the iteration that made one. Groups: 1 the iteration,
 * 2 the step, 3 the loss, 4 the LR, 5 the iteration's time in ms, 6 the mark. Anchored, bounded: linear.
 */
export const LITGPT23_LINE_RE = new RegExp(`^[ \\t]{0,8}iter (\\d{1,15}) step (\\d{1,15}): loss (${PY_NUM})(?:, LR: (${PY_NUM}))?, iter time: (${PY_NUM}) ?ms( \\(optimizer\\.step\\))?(?: remaining time: \\d{1,12}(?:\\.\\d{1,6})? hours\\.(?:[ \\t]{1,4}or \\d{1,12}(?:\\.\\d{1,6})? days\\.)?)?[ \\t]*$`);

/**
 * LeRobot's logging prefix (its `init_logging` formatter): the level, `[PID: n] ` when asked for, the
 * date and time, and the caller's `file.py:line` cut to its last 15 characters and right-aligned in
 * 15 (`ot_train.py:357` is lerobot_train.py's line 357). Fixed widths: linear.
 */
const LEROBOT_PREFIX = '(?:(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) (?:\\[PID: \\d{1,10}\\] )?\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .{15} )';
/**
 * LeRobot's training line (`lerobot-train`, its MetricsTracker printed every `log_freq` steps):
 * `step:1K smpl:32K ep:101 epch:2.53 loss:1.226 grdn:34.825 lr:1.0e-05 updt_s:0.502 data_s:0.010`
 * behind its logging prefix. The step, samples and episodes are printed by format_big_number (a whole
 * number below 1,000, else rounded to K, M, B …: `step:1K` is any step from 500 to 1,500), the epoch
 * (samples over the dataset's frames) to 2 decimals; the meters (`key:value`) follow. Groups: 1 the
 * step as printed, 2 samples, 3 episodes, 4 the epoch, 5 the meters. Anchored: linear.
 */
export const LEROBOT_LINE_RE = new RegExp(`^${LEROBOT_PREFIX}?step:(\\d{1,15}[KMBTQ]?) smpl:(\\S{1,24}) ep:(\\S{1,24}) epch:(\\d{1,15}\\.\\d\\d)(?: (.*))?$`);
/** LeRobot's evaluation on its held-out split (2026): `step 400: eval_loss=0.1234` behind its prefix. Groups: 1 the step, 2 the loss. */
export const LEROBOT_EVAL_RE = new RegExp(`^${LEROBOT_PREFIX}step (\\d{1,15}): eval_loss=(${PY_NUM})[ \\t]*$`);
/** LeRobot's `Checkpoint policy after step 5000` (its step exact). Group 1: the step. */
export const LEROBOT_CKPT_RE = new RegExp(`^${LEROBOT_PREFIX}Checkpoint policy after step (\\d{1,15})[ \\t]*$`);
/** LeRobot's `End of training`, after the loop over its planned steps (its last checkpoint is the last step's). */
export const LEROBOT_END_RE = new RegExp(`^${LEROBOT_PREFIX}End of training[ \\t]*$`);
/** LeRobot's planned steps before training: `cfg.steps=100000 (100K)`. Group 1: the steps. */
export const LEROBOT_STEPS_RE = new RegExp(`^${LEROBOT_PREFIX}cfg\\.steps=(\\d{1,15}) \\(`);

/**
 * LeRobot's format_big_number (precision 0): below 1,000 the number itself, else divided by 1,000
 * until it is below and suffixed K, M, B, T, Q; rounded as Python's `:.0f` does, half to even
 * (`1.5` → `2`, `2.5` → `2`).
 */
export function bigNumber(num: number): string {
  for (const suffix of ['', 'K', 'M', 'B', 'T', 'Q']) {
    if (Math.abs(num) < 1000) {
      const f = Math.floor(num);
      const r = num - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(num);
      return `${r}${suffix}`;
    }
    num /= 1000;
  }
  return String(num);
}

/** A number as format_big_number printed it: its value and the scale of its suffix (1 for none). */
export function bigNumberValue(printed: string): { value: number; scale: number } {
  const i = 'KMBTQ'.indexOf(printed.charAt(printed.length - 1));
  return i < 0 ? { value: Number(printed), scale: 1 } : { value: Number(printed.slice(0, -1)), scale: Math.pow(1000, i + 1) };
}

/**
 * Flair's training log (`training.log`, its ModelTrainer's logger: `%(asctime)-15s %(message)s`):
 * `epoch 2 - iter 1/4 - loss 0.71299613 - samples/sec: 795.10`, printed every tenth of an epoch. The
 * counter is within the epoch: Flair up to 0.5 prints the batch's index (`iter 0/4` to `iter 3/4`,
 * from 0, after that batch's optimizer step), later versions the batches done (`iter 4/4`), and add
 * ` - lr: 0.100000`. The loss is the running mean over the epoch so far. Groups: 1 the epoch (from
 * 1), 2 the counter, 3 the batches an epoch takes, 4 the loss, 5 the rest (` - key: value` pairs).
 * Anchored, bounded: linear.
 */
const FLAIR_PREFIX = '^(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d{1,6})?[ \\t]{1,4})?';
export const FLAIR_ITER_RE = new RegExp(`${FLAIR_PREFIX}epoch (\\d{1,9}) - iter (\\d{1,15})\\/(\\d{1,15}) - loss (${PY_NUM})(?:[ \\t]{0,8}|( - .{0,4000}))$`);
/** Flair's epoch's end: `EPOCH 2 done: loss 0.5965 - lr 0.1000` (the epoch's mean loss, its LR; `lr: 0.1` in some versions). Groups: 1 the epoch, 2 the loss, 3 the LR. */
export const FLAIR_DONE_RE = new RegExp(`${FLAIR_PREFIX}EPOCH (\\d{1,9}) done: loss (${PY_NUM})(?: - lr:? (${PY_NUM}))?`);
/**
 * Flair's evaluation on its dev split after each epoch: `DEV : loss 0.9560748934745789 - score 0.7667`
 * (newer: `- f1-score (micro avg)  0.9572`). Groups: 1 the loss, 2 the score's name, 3 the score.
 */
export const FLAIR_DEV_RE = new RegExp(`${FLAIR_PREFIX}DEV : loss (${PY_NUM})(?: - ([A-Za-z][\\w() -]{0,40}?)[ \\t]{1,4}(${PY_NUM}))?[ \\t]*$`);
/** A line of Flair's `Parameters:` block: ` - max_epochs: "15"`. Groups: 1 the parameter, 2 its value. */
export const FLAIR_PARAM_RE = new RegExp(`${FLAIR_PREFIX}[ \\t]{0,4}- ([a-z_]{1,40}): "?([\\w.-]{1,40})"?[ \\t]*$`);

/**
 * MXNet's Speedometer (the Module API's `fit`, and scripts that copy it): `Epoch[5] Batch [0-20]\tSpeed:
 * 25.77 samples/sec\tM0_RPNAcc=0.996745\t…` behind a logging prefix. `Batch [0-N]`: its metrics are
 * the means since the epoch began (auto_reset=False); `Batch [N-20-N]`, and older MXNet's `Batch
 * [N]`, the means over the batches since the last line. N is the index of the batch just done (from
 * 0). GluonCV's training scripts print `[Epoch 0][Batch 50], Speed: 6.896 samples/sec,
 * CrossEntropy=8.60e-01, SmoothL1=3.74e-03` (YOLOv3's with `LR: 1.00E-03, ` before its speed). Read
 * from the first `Epoch[` or `[Epoch `, sticky and bounded: linear.
 */
const MXNET_NUM = '[-+]?(?:\\d{1,20}(?:\\.\\d{0,20})?|\\.\\d{1,20})(?:[eE][-+]?\\d{1,3})?|nan|-?inf';
const MXNET_BATCH_RE = new RegExp(`Epoch\\[(\\d{1,9})\\] Batch \\[(\\d{1,12})(?:-(\\d{1,12}))?\\][\\t ]{1,8}Speed: (${MXNET_NUM}) samples\\/sec`, 'y');
const GLUON_BATCH_RE = new RegExp(`\\[Epoch (\\d{1,9})\\]\\[Batch (\\d{1,12})\\],[ \\t]{0,4}(?:LR: (${MXNET_NUM}),[ \\t]{0,4})?Speed: (${MXNET_NUM}) samples\\/sec`, 'y');
/** One metric after the speed: tab-separated (MXNet) or comma-separated (GluonCV). Groups: 1 the name, 2 the value. */
const MXNET_PAIR_RE = new RegExp(`[\\t ]{1,8}([A-Za-z_][\\w.:/@-]{0,100})=(${MXNET_NUM})(?![\\w.])`, 'y');
const GLUON_PAIR_RE = new RegExp(`,[ \\t]{0,4}([A-Za-z_][\\w.:/@-]{0,100})=(${MXNET_NUM})(?![\\w.])`, 'y');
/** Most metrics read from one line (a hostile line of a million pairs is not a row of a million columns). */
const MXNET_MAX_PAIRS = 256;

export interface MxBatchLine {
  /** `module`: MXNet's Speedometer; `gluon`: GluonCV's scripts. */
  shape: 'module' | 'gluon';
  epoch: number;
  /** The index of the batch just done within the epoch (from 0), and the first of the range `[a-b]` when printed. */
  batch: number;
  from?: number;
  speed: string;
  lr?: string;
  /** The metrics in order, name and value as printed. */
  pairs: Array<[string, string]>;
}

/** An MXNet Speedometer or GluonCV training line (MXNET_BATCH_RE, GLUON_BATCH_RE), or undefined. */
export function mxBatchLine(line: string): MxBatchLine | undefined {
  if (line.length > 100_000 || !line.includes('samples/sec')) return undefined;
  let at = line.indexOf('Epoch[');
  let shape: MxBatchLine['shape'] = 'module';
  let re = MXNET_BATCH_RE, pair = MXNET_PAIR_RE;
  if (at < 0 || (at > 0 && /\w/.test(line.charAt(at - 1)))) {
    at = line.indexOf('[Epoch ');
    if (at < 0) return undefined;
    shape = 'gluon'; re = GLUON_BATCH_RE; pair = GLUON_PAIR_RE;
  }
  re.lastIndex = at;
  const m = re.exec(line);
  if (!m) return undefined;
  const out: MxBatchLine = { shape, epoch: Number(m[1]), batch: Number(m[2]), speed: m[4], pairs: [] };
  if (shape === 'module' && m[3] !== undefined) { out.from = Number(m[2]); out.batch = Number(m[3]); }
  if (shape === 'gluon' && m[3] !== undefined) out.lr = m[3];
  pair.lastIndex = re.lastIndex;
  let p: RegExpExecArray | null;
  while (out.pairs.length < MXNET_MAX_PAIRS && (p = pair.exec(line))) out.pairs.push([p[1], p[2]]);
  return out;
}

/**
 * MXNet's epoch-end lines: `Epoch[5] Train-M0_RPNL1BboxLoss=0.065628` (a metric's mean over the
 * epoch), `Epoch[0] Validation-accuracy=0.710788` (its evaluation after the epoch), `Epoch[5] Time
 * cost=1029.713`. Groups: 1 the epoch, 2 `Train`, `Validation` or undefined (the time), 3 the metric,
 * 4 its value. Sticky from `Epoch[`, bounded: linear.
 */
export const MXNET_EPOCH_RE = new RegExp(`Epoch\\[(\\d{1,9})\\] (?:(Train|Validation)-([A-Za-z_][\\w.:/@-]{0,100})=(${MXNET_NUM})|Time cost=[\\d.]{1,30})[ \\t]*$`, 'y');
/**
 * An LR an MXNet detection script prints between its Speedometer lines (mx-rcnn and its offspring:
 * `lr 0.000500 lr_epoch_diff [45, 95] lr_iters [72427, 152902]` before training, `lr: 0.000500`),
 * behind a logging prefix ending in a blank. Group 1: the LR. Bounded: linear.
 */
export const MXNET_LR_RE = new RegExp(`(?:^|[ \\t])lr:? (${MXNET_NUM})(?: lr_epoch_diff \\[[\\d, ]{0,400}\\] lr_iters \\[[\\d, ]{0,400}\\])?[ \\t]*$`);
/** GluonCV's epoch summary, `[Epoch 0] Training cost: 300.123, CrossEntropy=…`: the epoch's means, no step. */
export const GLUON_EPOCH_RE = /\[Epoch \d{1,9}\] (?:Training cost: |Validation: ?$)/;

/**
 * pytorch-CycleGAN-and-pix2pix's loss line (util/visualizer.py print_current_losses, written to
 * `checkpoints/<name>/loss_log.txt` and stdout; CUT/contrastive-unpaired-translation and pix2pixHD print
 * the same): `(epoch: 1, iters: 100, time: 0.857, data: 2.929) D_A: 0.111 G_A: 0.660 … ` (pix2pixHD and
 * the 2017 code print no `data`). Groups: 1 the epoch, 2 the images into it (epoch_iter), 3 the seconds
 * of compute per image, 4 the seconds of data loading. Anchored and bounded; the losses after it are
 * read by ganLine.
 */
const GAN_HEAD_RE = /^[ \t]{0,8}\(epoch: (\d{1,9}), iters: (\d{1,15})(?:, time: ([-+]?\d{1,20}(?:\.\d{0,20})?|nan|inf))?(?:, data: ([-+]?\d{1,20}(?:\.\d{0,20})?|nan|inf))?\)/;
/** One `key: value` of a loss line, from where the last ended (sticky). Groups: 1 the key, 2 the value. Bounded. */
const GAN_PAIR_RE = /[ \t]{1,8}([A-Za-z][\w.-]{0,80}): {0,4}([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?|nan|[-+]?inf)(?=[ \t\r]|$)/y;
/** Most losses read from one line (a hostile line of a million pairs is not a row of a million columns). */
const GAN_MAX_PAIRS = 256;
/** The head print_current_losses' log file gets at each launch: `================ Training Loss (Thu Jun 10 10:26:25 2021) ================`. */
export const GAN_LAUNCH_RE = /^={4,40} Training Loss \([^()\n]{0,80}\) ={4,40}[ \t]*$/;
/** Its training script's epoch end on stdout: `End of epoch 1 / 200 \t Time Taken: 7 sec`. Groups: 1 the epoch, 2 the last planned. */
export const GAN_EPOCH_END_RE = /^End of epoch (\d{1,9}) \/ (\d{1,9})(?![\d])/;

export interface GanLine {
  epoch: number;
  iters: number;
  /** The `time` and `data` seconds as printed (absent: not printed). */
  time?: string;
  data?: string;
  /** The losses in order, key and value as printed. */
  pairs: Array<[string, string]>;
}

/**
 * A pytorch-CycleGAN-and-pix2pix loss line (GAN_HEAD_RE, then its losses to the line's end), or
 * undefined: a line with no loss after its head, or with anything but losses after it, is not one.
 */
export function ganLine(line: string): GanLine | undefined {
  const h = GAN_HEAD_RE.exec(line);
  if (!h) return undefined;
  const pairs: Array<[string, string]> = [];
  let at = h[0].length;
  for (;;) {
    GAN_PAIR_RE.lastIndex = at;
    const p = GAN_PAIR_RE.exec(line);
    if (!p) break;
    at = GAN_PAIR_RE.lastIndex;
    if (pairs.length < GAN_MAX_PAIRS) pairs.push([p[1], p[2]]);
  }
  if (pairs.length === 0 || line.slice(at).trim() !== '') return undefined;
  return { epoch: Number(h[1]), iters: Number(h[2]), time: h[3], data: h[4], pairs };
}

/**
 * fairseq's console, its default "simple" format: a training line every log_interval updates,
 * `… | train_inner | epoch 001:    100 / 1132 loss=12.426, nll_loss=12.248, …, num_updates=100, lr=1.25e-05, …`
 * (older versions: `| epoch 001:    100 / 1132 loss=…`). Groups: 1 the epoch, 2 the update within it,
 * 3 the updates an epoch takes, 4 the `key=value, …` pairs. Linear: a try ends at the next `|`.
 */
export const FAIRSEQ_INNER_RE = /\|\s{0,4}epoch\s{1,4}(\d{1,6}):\s{1,20}(\d{1,12})\s{0,4}\/\s{0,4}(\d{1,12})\s{1,4}([A-Za-z_][^|]*)$/;
/**
 * fairseq's epoch summary and validation lines, simple format: `… | train | epoch 001 | loss 9.34 | … |
 * num_updates 1132`, `… | valid | epoch 001 | valid on 'valid' subset | loss 11.059 | … | num_updates 100`.
 * Groups: 1 the tag (train, valid; absent in older versions), 2 the epoch, 3 the `key value | …` pairs
 * (to the line's end: the first try that gets there matches, so linear).
 */
export const FAIRSEQ_SUMMARY_RE = /(?:\|\s{0,4}(train|valid)\s{0,4})?\|\s{0,4}epoch\s{1,4}(\d{1,6})\s{1,4}\|\s{1,4}([A-Za-z_].*)/;
/**
 * fairseq's console in hydra's json format: `[2022-04-08 18:48:05,372][train_inner][INFO] - {"epoch": 1,
 * "update": 0.416, "loss": "9.276", …, "num_updates": "200", "lr": "3.125e-06", …}` (and `[valid]`,
 * `[train]`). Groups: 1 the tag, 2 the object. Anchored at the line's start: one try, linear.
 */
export const FAIRSEQ_JSON_RE = /^\s{0,8}\[[^\]\n]{0,64}\]\[(train_inner|train|valid)\]\[[A-Z]{1,10}\]\s-\s(\{.*\})\s*$/;
/** A fairseq metric line (either format), for detection. */
export function fairseqLine(line: string): boolean {
  if (!line.includes('epoch')) return false;
  return FAIRSEQ_INNER_RE.test(line) || FAIRSEQ_JSON_RE.test(line) || (/num_updates \d/.test(line) && FAIRSEQ_SUMMARY_RE.test(line));
}

/**
 * A Hugging Face Trainer console dict: the logged metrics as Python prints them, at a line's start,
 * after a tqdm bar's `\r`, or right after the bar (`… 4.96it/s]{'loss': 2.5609, …}`). Anchored on `{'`.
 */
export const HF_DICT_RE = /\{'(?:loss|eval_[A-Za-z_]{1,60}|train_runtime|grad_norm|learning_rate|epoch)': /;
/** A tqdm bar's count: `| 500/22184 [`. Groups: 1 the count, 2 the total. */
export const HF_BAR_RE = /\|\s{0,4}(\d{1,12})\/(\d{1,12})\s{0,4}\[/g;
/** The end of a tqdm bar's left part when it has a description: `Loading checkpoint shards: 100%`. */
const BAR_DESC_END_RE = /:\s{1,4}\d{1,3}%$/;
/**
 * Whether the tqdm bar whose `| N/T [` HF_BAR_RE found at `i` of `text` has a description (`Loading
 * checkpoint shards: 100%|████| 4/4 [`, `Map:  69%|…`, `Tokenizing train dataset: …`): tqdm writes
 * `desc: ` before the percentage. The Trainer's training and evaluation bars have none, so such a bar
 * is some other loop's (a LLaMA-Factory DPO console's shard-loading bar, 4/4, had been read as the
 * training bar of a 170-step run). The bar's opening `|` is the nearest before `i`, at most 400
 * characters back (the search stops at the `|` of the bar before: a line of refreshes costs its length).
 */
export function describedBar(text: string, i: number): boolean {
  const open = i > 0 ? text.lastIndexOf('|', i - 1) : -1;
  if (open < 0 || i - open > 400) return false;
  return BAR_DESC_END_RE.test(text.slice(Math.max(0, open - 12), open));
}
/** Whether `text` has a tqdm bar without a description (describedBar): one the Trainer's could be. */
export function plainBarIn(text: string): boolean {
  HF_BAR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HF_BAR_RE.exec(text))) if (!describedBar(text, m.index)) return true;
  return false;
}
/** One `'key': value` of a console dict (values printed bare or, by newer transformers, quoted). Groups: 1 key, 2 value. */
export const HF_PAIR_RE = /'([A-Za-z_][\w./-]{0,200})':\s{0,4}'?([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)'?(?=[,}\s])/g;

/**
 * A tqdm bar whose postfix carries metrics (`Epoch 3:  45%|████▌ | 450/1000 [05:00<06:00, 1.50it/s,
 * v_num=0, train_loss=2.340]` as Lightning draws it; `Steps:  10%|█ | 100/1000 [00:10<01:30,
 * 10.9it/s, lr=1e-05, step_loss=0.123]` as the diffusers scripts do). Groups: 1 the description,
 * 2 the count, 3 the total, 4 the bracket's content. Bounded: linear.
 */
export const TQDM_POSTFIX_RE = /^(.{0,200}?)\|\s{0,4}(\d{1,12})\/(\d{1,12})\s{0,4}\[([^\]\r\n]{0,4000})\]/;
/** One `key=value` of a tqdm postfix (keys may hold spaces: NeMo's `train_step_timing in s=1.02`). Groups: 1 key, 2 value. */
export const TQDM_PAIR_RE = /(?:^|,)\s{0,4}([A-Za-z_][\w./-]{0,100}(?: [\w./-]{1,100}){0,3})=\s{0,4}([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)(?=\s{0,4}(?:,|$))/g;

/** Whether a tqdm refresh (one `\r`-separated piece of a line) carries a loss in its postfix. */
export function tqdmLossSegment(seg: string): RegExpExecArray | undefined {
  if (!/loss/i.test(seg)) return undefined;
  const m = TQDM_POSTFIX_RE.exec(seg);
  if (!m) return undefined;
  TQDM_PAIR_RE.lastIndex = 0;
  let p: RegExpExecArray | null;
  while ((p = TQDM_PAIR_RE.exec(m[4]))) if (/loss/i.test(p[1])) return m;
  return TORCHTUNE_DESC_RE.test(m[1]) ? m : undefined;
}

/**
 * torchtune's recipes describe their bar as `{epoch}|{global step}|Loss: {loss}` (`1|25|Loss:
 * 1.9749605655670166:   5%|▌   | 25/512 [...]`): the loss is in the description, not the postfix.
 * Groups: 1 the epoch, 2 the global step, 3 the loss. Bounded: linear.
 */
export const TORCHTUNE_DESC_RE = /^\s{0,4}(\d{1,6})\|(\d{1,12})\|Loss:\s{0,4}([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)(?=[:\s])/;

/**
 * Keras' `model.fit` console: `Epoch 3/20` on a line of its own, then the epoch's progress line,
 * `1875/1875 [==============================] - 5s 2ms/step - loss: 0.2950 - val_loss: 0.1421` (Keras 2;
 * verbose=1 redraws it with `\r` or backspaces, verbose=2 prints `1875/1875 - 5s - loss: …`) or
 * `1875/1875 ━━━━━━━━━━━━━━━━━━━━ 5s 2ms/step - accuracy: 0.91 - loss: 0.29` (Keras 3).
 * KERAS_EPOCH_RE groups: 1 the epoch (from 1), 2 the epochs planned.
 */
export const KERAS_EPOCH_RE = /^[ \t]{0,4}Epoch (\d{1,6})\/(\d{1,6})[ \t]{0,4}$/;
/** The count of a Keras progress refresh. Groups: 1 the count, 2 the target (the steps an epoch takes). */
export const KERAS_COUNT_RE = /^[ \t]{0,12}(\d{1,12})\/(\d{1,12})[ \t]/;
/** One ` - key: value` metric of a Keras progress refresh. Groups: 1 key, 2 value. */
export const KERAS_PAIR_RE = /[ \t]-[ \t]{1,4}([A-Za-z_][\w./-]{0,100}):[ \t]{0,4}([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|-?inf)(?![\d:])/g;

/** The refreshes of a Keras progress line (`\r`- or backspace-separated) that carry a loss. */
export function kerasRefreshes(line: string): Array<{ count: number; target: number; text: string }> {
  const out: Array<{ count: number; target: number; text: string }> = [];
  if (!line.includes('loss')) return out;
  for (const seg of line.split(/[\r\x08]+/)) {
    const c = KERAS_COUNT_RE.exec(seg);
    if (c && / - [\w./-]*loss: /.test(seg)) out.push({ count: Number(c[1]), target: Number(c[2]), text: seg });
  }
  return out;
}

/** Whether the head holds a Keras epoch header followed by a progress line with a loss. */
function kerasConsole(lines: string[]): boolean {
  let epoch = false;
  for (const l of lines) {
    if (l.length <= 64 && KERAS_EPOCH_RE.test(l)) epoch = true;
    else if (epoch && l.length <= 1_000_000 && kerasRefreshes(l.slice(-8192)).length > 0) return true;
  }
  return false;
}

/**
 * nnU-Net's training log (`training_log_*.txt`): an epoch's head line, `2024-07-04 07:21:36.566738:
 * Epoch 0` (v2) or `epoch:  0` (v1), then its metrics a line each behind the same timestamp.
 * NNUNET_EPOCH_RE group 1: the epoch (from 0).
 */
export const NNUNET_EPOCH_RE = /^(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,6}: )?(?:Epoch|epoch:)[ \t]{1,4}(\d{1,6})[ \t]*$/;
/**
 * One nnU-Net metric line: v2 `train_loss -0.0544`, `val_loss -0.1048`, `Current learning rate: 0.00991`;
 * v1 `train loss : 0.8512`, `validation loss: 0.9701`, `lr: 0.00997`. Groups: 1 the name as printed, 2 the value.
 */
export const NNUNET_METRIC_RE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,6}: (train_loss|val_loss|train loss :|validation loss:|Current learning rate:|lr:)[ \t]{1,4}([-+]?\d{1,12}(?:\.\d{0,20})?(?:[eE][-+]?\d{1,3})?|nan)[ \t]*$/;
/** The column each nnU-Net metric becomes. */
export const NNUNET_NAMES: ReadonlyMap<string, string> = new Map([
  ['train_loss', 'train_loss'], ['train loss :', 'train_loss'], ['val_loss', 'val_loss'], ['validation loss:', 'val_loss'],
  ['Current learning rate:', 'lr'], ['lr:', 'lr'],
]);
/** An nnU-Net log: an epoch's head, then its training loss. */
/**
 * fastai's table (`learn.fit_one_cycle` in a console or a notebook's output): a header `epoch` then
 * metric names separated by spaces (`epoch     train_loss  valid_loss  accuracy  time`), then a row an
 * epoch, its numbers in the same places (`1  3.467852  2.558666  0.525457  02:25`). Names of at most
 * 60 word characters, at most 40 of them: linear.
 */
export const FASTAI_HEAD_RE = /^epoch(?:[ \t]{1,40}[A-Za-z_]\w{0,60}){2,40}[ \t]*$/;

/**
 * YOLOv5's (before v6.0, 2021) and YOLOv7's `results.txt`: no header, one row an epoch of 15 fields,
 * `epoch/last gpu_mem box obj cls total labels img_size P R mAP@.5 mAP@.5:.95 val_box val_obj val_cls`
 * (their `plot_results` reads columns 2–4, 8–14 by position; YOLOv3's archive writes mAP and F1 in
 * 10 and 11). Fixed count of bounded fields: linear.
 */
export const YOLO_RESULTS_RE = /^[ \t]{0,20}(\d{1,6})\/(\d{1,6})[ \t]{1,20}(\d{1,6}(?:\.\d{1,6})?)[GM]?((?:[ \t]{1,20}[-+]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})(?:[eE][-+]?\d{1,3})?|[ \t]{1,20}nan){13})[ \t]{0,20}$/;

/** The names of a YOLO results.txt row's fields after the epoch and the GPU memory (YOLOv5's and YOLOv7's). */
export const YOLO_RESULTS_NAMES = ['box_loss', 'obj_loss', 'cls_loss', 'loss', 'labels', 'img_size', 'precision', 'recall', 'mAP_0.5', 'mAP_0.5:0.95', 'val_box_loss', 'val_obj_loss', 'val_cls_loss'] as const;

/** A YOLO results.txt: its first two lines are rows (the file has nothing else). */
function yoloResults(lines: string[]): boolean {
  const rows = lines.filter((l) => l.trim() !== '');
  return rows.length >= 2 && rows.slice(0, 2).every((l) => l.length <= 400 && YOLO_RESULTS_RE.test(l));
}

/**
 * DeepSpeed-Chat's supervised fine-tuning (`training/step1_supervised_finetuning/main.py`): its only
 * metric is the held-out perplexity after each epoch, `***** Evaluating perplexity, Epoch 3/16 *****`
 * then `ppl: 1.93` on the next line (epoch 0 is before training). Groups: 1 the epoch, 2 the epochs planned.
 */
export const DSCHAT_EVAL_RE = /^\*{5} Evaluating perplexity, Epoch (\d{1,6})\/(\d{1,6}) \*{5}[ \t]*$/;
/** The line after DSCHAT_EVAL_RE's: group 1 the perplexity. */
export const DSCHAT_PPL_RE = /^ppl: ([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?|nan|inf)[ \t]*$/;

/**
 * DeepSpeed's engine line every `steps_per_print` steps: `[Rank 0] step=10, skipped=6, lr=[9.6e-06,
 * 9.6e-06], mom=[…]`. Groups: 1 the step (skipped steps count), 2 the first parameter group's LR.
 */
export const DS_STEP_RE = /\] step=(\d{1,12}), skipped=\d{1,12}, lr=\[([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?)[,\]]/;

/**
 * The line after DSCHAT_EVAL_RE's in DeepSpeedExamples' data-efficiency GPT fine-tuning
 * (`data_efficiency/gpt_finetuning/run_clm_no_trainer.py`), which evaluates every `eval_step` of its
 * loop: `'step':1047, 'ppl': 23.98, 'seq_len': 1024, 'consume layer-tokens': 19534848` (random-LTD) or
 * `'step': 10, 'ppl': 61.8`. Groups: 1 the script's step (its loop's micro-batches, from 0), 2 the perplexity.
 */
export const DS_PPL_DICT_RE = /^'step':[ \t]?(\d{1,12}), 'ppl': ([-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?|nan|inf)(?:,[ \t].{0,300}|[ \t]{0,20})$/;

/** A DeepSpeed-Chat console: an evaluation's head followed by its perplexity (either form). */
function dschatConsole(lines: string[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i].length <= 200 && lines[i].startsWith('*****') && DSCHAT_EVAL_RE.test(lines[i])) {
      const next = lines[i + 1].slice(0, 400);
      if (DSCHAT_PPL_RE.test(next) || DS_PPL_DICT_RE.test(next)) return true;
    }
  }
  return false;
}

/**
 * spaCy's training table (`python -m spacy train`, its console logger; wasabi's table): a header
 * `E    #       LOSS TOK2VEC  LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE`, a rule of dash groups under it
 * (one a column: the names hold spaces, so the rule tells where each is), then a row an evaluation:
 * the epoch, the step, each component's loss summed since the previous row, the scores.
 */
export const SPACY_HEAD_RE = /^[ \t]{0,8}E[ \t]{1,20}#[ \t]{1,20}LOSS[ \t]/;
/** A table's rule: groups of dashes, one a column (linear: dashes and blanks alternate). */
export const TABLE_RULE_RE = /^[ \t]{0,8}-{1,200}(?:[ \t]{1,20}-{1,200}){2,40}[ \t]*$/;

/** The names of a spaCy table's columns: the header cut where the rule's dash groups are; undefined if a name is empty. */
export function spacyNames(head: string, rule: string): string[] | undefined {
  if (head.length > 4096 || rule.length > 4096) return undefined;
  const names: string[] = [];
  const re = /-+/g;
  let m: RegExpExecArray | null;
  const inName = (i: number) => i > 0 && i < head.length && head[i - 1] !== ' ' && head[i - 1] !== '\t' && head[i] !== ' ' && head[i] !== '\t';
  while ((m = re.exec(rule)) !== null) {
    const name = head.slice(m.index, m.index + m[0].length).trim();
    // A name the rule cuts (it goes on past its dashes): the rule is not this header's.
    if (!name || inName(m.index) || inName(m.index + m[0].length)) return undefined;
    names.push(name);
  }
  return names.length >= 3 && names[0] === 'E' && names[1] === '#' ? names : undefined;
}

/** A spaCy table row of `k` cells: the epoch and step (integers), then numbers; else undefined. */
export function spacyRow(line: string, k: number): string[] | undefined {
  if (line.length > 4096 || !/^[ \t]{0,20}\d/.test(line)) return undefined;
  const cells = line.trim().split(/[ \t]+/);
  if (cells.length !== k || !/^\d{1,9}$/.test(cells[0]) || !/^\d{1,12}$/.test(cells[1])) return undefined;
  return cells.every((c, i) => i < 2 || /^[-+]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][-+]?\d{1,3})?$/.test(c)) ? cells : undefined;
}

/** A spaCy training table: its header, rule and a row. */
function spacyConsole(lines: string[]): boolean {
  for (let i = 0; i + 2 < lines.length; i++) {
    const l = lines[i];
    if (l.length > 4096 || !l.includes('LOSS') || !SPACY_HEAD_RE.test(l) || !TABLE_RULE_RE.test(lines[i + 1].slice(0, 4097))) continue;
    const names = spacyNames(l, lines[i + 1]);
    if (names && spacyRow(lines[i + 2], names.length)) return true;
  }
  return false;
}

/** A fastai table row under a header of `names` fields: the epoch and its cells, else undefined. */
export function fastaiRow(line: string, names: number): string[] | undefined {
  if (line.length > 4096 || !/^\d/.test(line)) return undefined;
  const cells = line.trim().split(/[ \t]+/);
  return cells.length === names && /^\d{1,6}$/.test(cells[0]) ? cells : undefined;
}

/** A fastai table: a header naming a loss, and a row under it. */
function fastaiConsole(lines: string[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    const l = lines[i];
    if (l.length > 4096 || !l.startsWith('epoch') || !FASTAI_HEAD_RE.test(l) || !/loss/.test(l)) continue;
    if (fastaiRow(lines[i + 1], l.trim().split(/[ \t]+/).length)) return true;
  }
  return false;
}

function nnunetConsole(lines: string[]): boolean {
  let epoch = false;
  for (const l of lines) {
    if (l.length > 200) continue;
    if (NNUNET_EPOCH_RE.test(l)) epoch = true;
    else if (epoch && l.includes('rain') && NNUNET_METRIC_RE.exec(l)?.[1].startsWith('train')) return true;
  }
  return false;
}

/** A Python warning as `warnings` prints it: `<file>.py:<line>: <Category>Warning: …`. Bounded, anchored. */
const PY_WARNING_RE = /^[^\s,]{1,400}\.py:\d{1,7}: [A-Z]\w{0,60}Warning: /;
/** A Python dict's first line as pprint prints it: `{'key': `. Bounded, anchored. */
const PPRINT_HEAD_RE = /^\{'[A-Za-z_][\w.-]{0,100}': /;
/** A logging line's start: a bracketed tag (`[INFO]`, `[2022/01/15 19:52:30]`), a date, or a level and a date (`INFO 2026-06-12 10:53:24 …`, LeRobot's). */
const LOGGING_LINE_RE = /^[ \t]{0,4}(?:\[[^\]\n]{1,40}\]|\d{4}[-/]\d{2}[-/]\d{2}[ T]|(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) (?:\[PID: \d{1,10}\] )?\d{4}-\d\d-\d\d[ T])/;

/** tqdm refreshes that carry a loss in their postfix, among the last 4 KB of each line (a whole run's bar is one line of `\r`s). */
function tqdmPostfixHits(lines: string[]): number {
  let hits = 0;
  for (const l of lines) {
    if (!(l.includes('it/s') || l.includes('s/it'))) continue;
    for (const seg of l.slice(Math.max(0, l.length - 4096)).split('\r')) if (tqdmLossSegment(seg)) hits++;
  }
  return hits;
}

/** 'bars': dicts with tqdm bars (the bar's count is the step); 'dicts': dicts only; undefined: neither. */
function hfConsole(lines: string[]): 'bars' | 'dicts' | undefined {
  let dicts = 0, bars = 0, barBefore = false;
  for (const l of lines) {
    if (l.length > 1_000_000) continue;
    const i = l.includes("{'") ? l.search(HF_DICT_RE) : -1;
    const upTo = i < 0 ? l.length : i;
    // A bar on this line before the dict, or on a line of its own before it (a described one, a
    // model's `Loading checkpoint shards:`, is not the Trainer's).
    if ((l.includes('it/s]') || l.includes('s/it]')) && plainBarIn(l.slice(Math.max(0, upTo - 4096), upTo))) barBefore = true;
    if (i < 0) continue;
    dicts++;
    if (barBefore) bars++;
    if (bars >= 1 && dicts >= 2) return 'bars';
  }
  return dicts === 0 ? undefined : bars > 0 ? 'bars' : 'dicts';
}

/**
 * Why a head that is no known log still is not read, when it can be told: Hugging Face Trainer
 * console output without progress bars (`disable_tqdm`), whose loss lines carry no step (the run's
 * trainer_state.json has them).
 */
export function consoleHint(head: string): string | undefined {
  if (hfConsole(firstLines(head, 200)) === 'dicts') return HF_NO_STEPS;
  return mmValOnlyHint(head) ?? dschatRewardHint(head);
}

/** DeepSpeed-Chat step 2's evaluation head (reward model: `reward`; DPO: `rewards`). Groups: 1 the epoch, 2 the epochs planned. */
const DSCHAT_REWARD_RE = /^\*{5} Evaluating rewards?, Epoch (\d{1,6})\/(\d{1,6}) \*{5}[ \t]*$/;

/**
 * Why a DeepSpeed-Chat step-2 console (reward model or DPO fine-tuning) is not read: it prints no loss
 * per step, only an evaluation before training and after each epoch (`***** Evaluating rewards, Epoch
 * 1/1 *****` then `chosen: 0.0, rejected: 0.0, loss: 0.693359375`; the reward model's `chosen_last_scores
 * … acc …` holds no loss) and its mean training loss once an epoch. Two real ones (DeepSpeedExamples'
 * training_log_output) were refused quoting a fp16 loss-scale line as "the line most like a metric's".
 */
function dschatRewardHint(head: string): string | undefined {
  const lines = firstLines(head, 20000);
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i].length > 200 || !lines[i].startsWith('*****')) continue;
    const h = DSCHAT_REWARD_RE.exec(lines[i]);
    const next = lines[i + 1].slice(0, 300).trim();
    if (!h || !/^chosen/.test(next)) continue;
    const epochs = Number(h[2]);
    const lossy = /\bloss: [-+\d.eE]{1,30}/.test(next);
    const evals = `an evaluation before training and one after each of its ${epochs} planned epoch${epochs === 1 ? '' : 's'}, ${epochs + 1} in all`;
    return `a DeepSpeed-Chat step-2 console (reward model or DPO training), whose metric lines are its evaluations (line ${i + 2}, after "${lines[i].trim()}": "${next.length > 120 ? `${next.slice(0, 120)}…` : next}"): ${evals}${lossy ? ', each an evaluation loss' : ', holding reward scores and accuracy, no loss'}; it prints no loss per step${lossy ? '' : ' (only the mean training loss once an epoch, "Epoch N/E with loss …")'}, so there are too few points to fit a curve`;
  }
  return undefined;
}

/** An MMCV / MMEngine evaluation line: `Epoch(val) [1][13]`, `Epoch(val) [1][13/13]`, `Iter(val) [500]`. */
const MM_VAL_RE = /\b(?:Epoch|Iter)\(val\) \[\d{1,9}\](?:\[\d{1,9}(?:\/\d{1,9})?\])?[ \t]{1,8}(.{0,400})/;
/** The logger's interval in the config an MMCV / MMEngine log prints first: `log_config = dict(interval=25`, `logger=dict(type='LoggerHook', interval=50)`. */
const MM_INTERVAL_RE = /\b(?:log_config = dict\(\s{0,8}interval=(\d{1,9})|logger=dict\(type='LoggerHook', interval=(\d{1,9}))/;

/**
 * Why an MMCV / MMEngine text log is not read when its metric lines are all evaluations: no training
 * line was printed (its logger's interval is more iterations than an epoch takes, on a small
 * dataset), so it has no loss. Two real MMDetection 2 / MMClassification logs were only told "not a
 * training log".
 */
function mmValOnlyHint(head: string): string | undefined {
  let val: RegExpExecArray | undefined, valLine = 0;
  for (const [i, j, n] of lineSpans(head)) {
    if (j - i <= 4096) {
      const l = head.slice(i, j);
      if (l.includes('Epoch') || l.includes('Iter')) {
        // A training line, by the counters the reader takes its steps from (stepAnywhere).
        if (MM_ITER_RE.test(l) || BRACKET_COUNTER_RE.test(l)) return undefined;
        if (!val) { val = MM_VAL_RE.exec(l) ?? undefined; valLine = n; }
      }
    }
  }
  if (!val) return undefined;
  const names = [...val[1].matchAll(/(?<![\w./-])([A-Za-z][\w./-]{0,40}): /g)].map((x) => x[1]);
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  const iv = MM_INTERVAL_RE.exec(head);
  const interval = iv ? Number(iv[1] ?? iv[2]) : undefined;
  return `an MMCV / MMEngine log whose metric lines are all evaluations (line ${valLine}: ${val[0].slice(0, val[0].length - val[1].length).trim()}${shown ? ` ${shown}` : ''}) and no training line with a loss: there is no loss to fit. ${interval !== undefined ? `The logger prints a training line every ${interval} iterations; an epoch of fewer iterations prints none. ` : ''}Set the logger's interval below the iterations an epoch takes to log the training loss`;
}

/** Why a Trainer console without progress bars is not read when nothing gives its steps per epoch. */
export const HF_NO_STEPS = "this looks like Hugging Face Trainer console output without progress bars, whose loss lines ({'loss': …, 'epoch': …}) carry no step, and neither the Trainer's banner (\"Total optimization steps = N\" with \"Num Epochs = E\", printed at INFO level) nor a final progress bar's total gives the steps per epoch; fit the run's trainer_state.json instead (in its output folder and in each checkpoint-N/ folder)";

/**
 * A line of the Trainer's banner (`***** Running training *****`, logged at INFO level): `Num Epochs
 * = 3`, `Total optimization steps = 1,677`; Unsloth's (`| Num Epochs = 5`, `| Total steps = 60`).
 * Groups: 1 which, 2 the number. Global (a line may hold two); bounded: linear.
 */
export const HF_BANNER_RE = /\b(Num Epochs|Total optimization steps|Total steps) = ([\d,]{1,20})(?![\d,.])/g;

/** Characters of a log's head that decide its format. */
export const DETECT_HEAD_CHARS = 65536;
/**
 * A longer head, read only when the first DETECT_HEAD_CHARS decide nothing: a text log whose metric
 * lines come after a long preamble (a printed training script) or a first line longer than the head.
 */
export const LONG_HEAD_CHARS = 262144;

/**
 * detectFormat on the first DETECT_HEAD_CHARS of `text`, then (when that decides nothing and there
 * is more) on the first LONG_HEAD_CHARS.
 */
export function detectFormatFrom(fileName: string, text: string, laterWindow = false): LogFormat | undefined {
  const f = detectFormat(fileName, text.slice(0, DETECT_HEAD_CHARS), laterWindow);
  if (f !== undefined || text.length <= DETECT_HEAD_CHARS) return f;
  return detectFormat(fileName, text.slice(0, LONG_HEAD_CHARS), laterWindow);
}

/**
 * How far into a text log its first metric line may come: past a printed config dumped again by
 * each failed start (a real PaddleOCR log: eleven starts, the first metric line at 856 KB).
 */
export const MAX_PREAMBLE_CHARS = 4 << 20;
/** A text log's name (a path or a base name): `.log`, `.txt`, `.out`, PaddlePaddle's `workerlog.N`. */
export const TEXT_LOG_NAME = /\.(log|txt|out)$|(?:^|[\\/])workerlog\.\d{1,4}$/i;

/** What `decideFormat` has dropped of a text log's preamble so far, kept by its caller across reads. */
export interface HeadState {
  /** Characters and line ends of the preamble dropped. */
  chars: number;
  lines: number;
  /** The file's own first DETECT_HEAD_CHARS (for the message when nothing is found). */
  head?: string;
}

/**
 * The format of a log from `text`, its text so far from its first non-blank line (less the preamble
 * `state` says was dropped). `more`: more text will come. Returns the format, or `wait` (read on and
 * call again with more), or neither (not a log this reader knows); and the text the reader starts
 * at, with `state` updated for the lines dropped before it.
 *
 * A text log (.log/.txt/.out) undecided by its first LONG_HEAD_CHARS, whose head is lines of text,
 * may have a long preamble: its complete lines but the last DETECT_HEAD_CHARS are dropped and the
 * next window judged, up to MAX_PREAMBLE_CHARS. A later window is judged only as a text log (its
 * first line, wherever the cut fell, is never a CSV header or a JSON document's start).
 */
export function decideFormat(fileName: string, text: string, more: boolean, state: HeadState): { format?: LogFormat; wait?: boolean; text: string } {
  if (state.chars === 0) {
    if (text.length < DETECT_HEAD_CHARS && more) return { wait: true, text };
    const f = detectFormatFrom(fileName, text.slice(0, LONG_HEAD_CHARS));
    if (f) return { format: f, text };
    if (text.length < LONG_HEAD_CHARS) return { wait: more, text };
    if (!TEXT_LOG_NAME.test(fileName) || !linesOfText(text.slice(0, LONG_HEAD_CHARS))) return { text };
    state.head = text.slice(0, DETECT_HEAD_CHARS);
  } else {
    // A later window, read on to after a wait.
    if (text.length < LONG_HEAD_CHARS && more) return { wait: true, text };
    if (detectFormatFrom(fileName, text.slice(0, LONG_HEAD_CHARS), true) === 'text') return { format: 'text', text };
    if (text.length < LONG_HEAD_CHARS) return { text };
  }
  for (;;) {
    // The window text[0, LONG_HEAD_CHARS) decided nothing: drop its lines but its last DETECT_HEAD_CHARS.
    const cut = text.lastIndexOf('\n', LONG_HEAD_CHARS - DETECT_HEAD_CHARS) + 1;
    if (cut === 0 || state.chars + cut > MAX_PREAMBLE_CHARS) return { text };
    let lines = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < cut; i = text.indexOf('\n', i + 1)) lines++;
    state.chars += cut;
    state.lines += lines;
    text = text.slice(cut);
    if (text.length < LONG_HEAD_CHARS && more) return { wait: true, text };
    if (detectFormatFrom(fileName, text.slice(0, LONG_HEAD_CHARS), true) === 'text') return { format: 'text', text };
    if (text.length < LONG_HEAD_CHARS) return { text };
  }
}

/** Many lines, none very long, no NUL: a logger's output (not one record, not binary). */
function linesOfText(window: string): boolean {
  if (window.includes('\0')) return false;
  let lines = 0;
  let last = -1;
  for (let i = window.indexOf('\n'); i >= 0; i = window.indexOf('\n', i + 1)) {
    if (i - last > 65536) return false;
    last = i;
    lines++;
  }
  return lines >= 64;
}

const LOG_EXT = new Set(['csv', 'tsv', 'jsonl', 'ndjson', 'json', 'log', 'txt', 'out']);
/**
 * Log files named without a log's extension: PaddlePaddle's distributed launcher writes each worker's
 * console to `log/workerlog.0`, `workerlog.1`, …; Chainer's (and ESPnet1's) LogReport writes `result/log`.
 */
export const LOG_FILE_NAME_RE = /(?:^|[\\/])(?:workerlog\.\d{1,4}|log)$/i;

/**
 * Cheap check for a workspace-file context key: a log-like extension, a readable format, and a
 * loss, parameter or FLOP column (or metric) in the head.
 */
export function looksLikeLog(fileName: string, head: string): boolean {
  if (!LOG_EXT.has(ext(fileName)) && !LOG_FILE_NAME_RE.test(fileName)) return false;
  const f = detectFormat(fileName, head);
  if (f === undefined) return false;
  if (f === 'trainer_state' || f === 'text') return true;
  const h = head.slice(0, 4096).toLowerCase();
  // (Sacred's metrics.json: its first metric's lists may fill the head before a loss is named.)
  return /loss|param|flop|model size|perplexity/.test(h) || (f === 'json' && sacredMetricsHead(fileName, head));
}
