/**
 * What a text log says about its own run in the lines it printed before training: the parameter
 * count and the tokens per optimizer step, as nanochat, nanoGPT, llm.c and the GPT-2 tutorials print
 * them. Used when no config gives them (the log's own words, not a guess from a neighbouring file).
 * Read as text; each pattern starts with a literal phrase (linear); the first match of each wins.
 */
import { readHead } from './files';
import { formatInteger } from './format';
import type { NearbyConfig } from './nearbyConfigs';

/** Bytes of a text log's head read for its printed plan (schedule, model size, batch). */
export const LOG_HEAD_BYTES = 256 * 1024;

/** The first LOG_HEAD_BYTES of a text log (a regular file only), as the pipeline's schedule texts take it. */
export async function readLogHead(file: string): Promise<NearbyConfig | undefined> {
  const buf = await readHead(file, LOG_HEAD_BYTES);
  return buf === undefined ? undefined : { file, text: buf.toString('utf8') };
}

export interface PrintedModel {
  /** Parameters the log printed, and the line (1-based). */
  params?: number;
  paramsLine?: number;
  /** The count was printed rounded (`123.59M`): approximate. */
  paramsRounded?: boolean;
  /** Tokens per optimizer step (the global batch in tokens) the log printed, and the line. */
  tokensPerStep?: number;
  tokensLine?: number;
}

/** `Number of parameters: 560,988,160` (nanochat), `number of parameters: 123.59M` (nanoGPT). */
const PARAMS_LINE = /^[ \t]*(?:number of parameters|num_parameters|total parameters)[ \t]*[:=][ \t]*(\d[\d,]*(?:\.\d+)?)[ \t]*([KMB])?[ \t]*\r?$/im;
/** llm.c's table: `| num_parameters        | 124475904                                          |`. */
const PARAMS_TABLE = /^\|[ \t]*num_parameters[ \t]*\|[ \t]*(\d+)[ \t]*\|/im;
/** Tokens per step: GPT-2 tutorials and llm.c's train_gpt2.py, nanoGPT, nanochat. */
const TOKENS_LINES = [
  /total desired batch size:[ \t]*(\d[\d,]*)[ \t]*\r?$/im,
  /tokens per iteration will be:[ \t]*(\d[\d,]*)[ \t]*\r?$/im,
  /^Total batch size[ \t]+(\d[\d,]*)[ \t]*=>/im,
];
const SCALE: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The model size and tokens per step a text log's head printed (undefined where it printed none). */
export function printedModel(head: string): PrintedModel {
  const out: PrintedModel = {};
  const p = PARAMS_LINE.exec(head) ?? PARAMS_TABLE.exec(head);
  if (p) {
    const digits = p[1].replace(/,/g, '');
    const v = Number(digits) * (p[2] ? SCALE[p[2]] : 1);
    if (Number.isFinite(v) && v >= 1) {
      out.params = Math.round(v);
      out.paramsLine = lineOf(head, p.index);
      out.paramsRounded = p[2] !== undefined || digits.includes('.');
    }
  }
  for (const re of TOKENS_LINES) {
    const t = re.exec(head);
    if (!t) continue;
    const v = Number(t[1].replace(/,/g, ''));
    if (Number.isFinite(v) && v >= 1) {
      out.tokensPerStep = v;
      out.tokensLine = lineOf(head, t.index);
      break;
    }
  }
  return out;
}

/** The words a summary uses for a printed model size. */
export function printedParamsNote(m: PrintedModel, logName: string): string {
  const n = m.params ?? 0;
  return m.paramsRounded
    ? `N ≈ ${formatInteger(n)} parameters as printed (rounded) in ${logName}, line ${m.paramsLine}`
    : `N = ${formatInteger(n)} parameters as printed in ${logName}, line ${m.paramsLine}`;
}

/** The words a summary uses for printed tokens per step. */
export function printedTokensNote(m: PrintedModel, logName: string): string {
  return `${formatInteger(m.tokensPerStep ?? 0)} tokens per step as printed in ${logName}, line ${m.tokensLine}`;
}
