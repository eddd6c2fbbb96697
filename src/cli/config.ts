/**
 * `scaling-lens config FILE [--json] [--ratio N]`: parameters, tokens, FLOPs, tokens per parameter
 * and the predicted loss of a training config, i.e. what the editor's hover shows.
 */
import * as path from 'node:path';
import { analyzeConfig, architectureName, detectConfigFormat, readConfig, summaryRows, type ConfigAnalysis } from '../core/config';
import { jsonSafe, terminalLines, terminalSafe } from '../core/escape';
import { FileError, readRegularText } from '../core/files';

/** Largest config read (a training config is a few KB). */
const MAX_CONFIG_BYTES = 8 << 20;

const USAGE = `usage: scaling-lens config FILE [--json] [--ratio N]

Reads a training config (YAML, JSON, TOML or a nanoGPT-style Python file; never executed) and
prints parameters (total/active/embedding/non-embedding; exact for the Hugging Face families it
knows, a problem for keys it does not count), tokens, FLOPs (6·N·D), tokens per
parameter and the loss predicted by the Besiroglu et al. 2024 Chinchilla replication.
  --json      one JSON object
  --ratio N   reference tokens per parameter (default 20)
`;

/** Where output goes (tests pass their own). */
export interface CliIO {
  out(s: string): void;
  err(s: string): void;
}

const STDIO: CliIO = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

export function configJson(a: ConfigAnalysis): Record<string, unknown> {
  const sources: Record<string, unknown> = {};
  for (const [role, v] of Object.entries(a.sources)) {
    if (v) sources[role] = { key: v.key, path: v.path, value: v.value, line: v.range.start.line, column: v.range.start.column };
  }
  return {
    file: a.file,
    format: a.format,
    architecture: a.architecture,
    family: a.family ?? null,
    countComplete: a.countComplete,
    params: a.params ? {
      total: a.params.total, active: a.params.active, embedding: a.params.embedding, nonEmbedding: a.params.nonEmbedding, other: a.params.other,
      ...(a.params.mtp !== undefined ? { mtp: a.params.mtp } : {}),
      ...(a.params.extra !== undefined ? { extra: a.params.extra } : {}),
    } : null,
    paramsUsed: a.paramsUsed ?? null,
    tokens: a.tokens ?? null,
    flops: a.flops ?? null,
    flopsWithAttention: a.flopsWithAttention ?? null,
    tokensPerParam: a.tokensPerParam ?? null,
    predictedLoss: a.predictedLoss ?? null,
    law: a.lawName,
    reference: a.reference,
    breakdown: a.breakdown,
    sources,
    missing: a.missing,
    notes: a.notes,
    problems: a.problems,
    ratioFinding: a.ratioFinding ?? null,
  };
}

export function configText(a: ConfigAnalysis): string {
  const out: string[] = [];
  out.push(`${a.file}: ${a.format} config, ${architectureName(a)}`);
  const rows = summaryRows(a);
  const w = Math.max(0, ...rows.map((r) => r.label.length));
  const vw = Math.max(0, ...rows.map((r) => r.value.length));
  for (const r of rows) out.push(`  ${r.label.padEnd(w)}  ${r.value.padStart(vw)}${r.detail ? `  (${r.detail})` : ''}`);
  const src = Object.entries(a.sources).filter(([, v]) => v && typeof v.value !== 'string');
  if (src.length) {
    out.push('from keys:');
    for (const [role, v] of src) if (v) out.push(`  ${v.path} = ${v.raw.replace(/\s+/g, ' ')}  (line ${v.range.start.line}, ${role})`);
  }
  if (a.missing.length) {
    out.push('missing (add these keys to get the rest):');
    for (const m of a.missing) out.push(`  ${m}`);
  }
  if (a.notes.length) {
    out.push('notes:');
    for (const n of a.notes) out.push(`  ${n}`);
  }
  for (const p of a.ratioFinding ? [...a.problems, a.ratioFinding] : a.problems) out.push(`${p.severity}: ${p.line ? `line ${p.line}: ` : ''}${p.message}`);
  // Keys, values and the file name come from the file: no control sequences reach the terminal.
  return terminalLines(out);
}

export async function runConfig(args: string[], io: CliIO = STDIO): Promise<number> {
  const fail = (message: string, code = 1): number => {
    io.err(`scaling-lens config: ${terminalSafe(message)}\n`);
    return code;
  };
  let json = false;
  let ratio: number | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') { io.out(USAGE); return 0; }
    else if (a === '--ratio') {
      const v = Number(args[++i]);
      if (!(v > 0)) return fail(`--ratio needs a positive number, got '${args[i] ?? ''}'`, 2);
      ratio = v;
    } else if (a.startsWith('-')) return fail(`unknown option '${a}'`, 2);
    else if (file === undefined) file = a;
    else return fail(`one FILE only (got '${file}' and '${a}')`, 2);
  }
  if (file === undefined) { io.err(USAGE); return 2; }
  let text: string;
  try {
    // Only a regular file: `config` on a named pipe would wait forever.
    text = await readRegularText(file, MAX_CONFIG_BYTES);
  } catch (e) {
    if (e instanceof FileError && e.code === 'ENOENT') return fail(`cannot read ${file}: no such file`);
    if (e instanceof FileError && e.code === 'EISDIR') return fail(`cannot read ${file}: is a directory`);
    return fail(e instanceof Error ? e.message : String(e));
  }
  const name = path.basename(file);
  const analysis = analyzeConfig(text, file, { referenceTokensPerParam: ratio });
  if (!analysis) {
    const format = detectConfigFormat(file, text);
    const parseErr = format ? readConfig(text, format).problems.find((p) => p.severity === 'error') : undefined;
    if (parseErr) return fail(`${name}: ${parseErr.line ? `line ${parseErr.line}: ` : ''}${parseErr.message}`);
    return fail(`${name}: not a training config (no model-size or training-length keys such as n_layer, hidden_size, max_steps, max_iters)`);
  }
  io.out(json ? jsonSafe(JSON.stringify(configJson(analysis), null, 2)) + '\n' : configText(analysis));
  return 0;
}
