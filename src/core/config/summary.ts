/**
 * The derived numbers of a config as labelled rows: what the hover's table and the CLI print.
 * Plain strings, no markup, so the editor can render them as Markdown and the CLI as text.
 */
import type { ConfigAnalysis } from './types';

export interface SummaryRow {
  label: string;
  value: string;
  /** How it was computed / where it came from. */
  detail?: string;
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** 1.23e+21 → "1.23e21"; small numbers in full. */
export function fmtSci(n: number): string {
  if (Math.abs(n) < 1e6) return fmtInt(n);
  const [m, e] = n.toExponential(2).split('e');
  return `${m}e${Number(e)}`;
}

/** 124,373,760 → "124.4M", 6.7e9 → "6.74B". */
export function fmtShort(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(Math.round(n));
}

const ARCH_NAMES: Record<ConfigAnalysis['architecture'], string> = {
  gpt2: 'GPT-2-style', llama: 'Llama-style', moe: 'mixture of experts', unknown: 'architecture unknown',
};

/** "Qwen2-MoE (qwen2_moe), mixture of experts" for a recognised family, "GPT-2-style" otherwise. */
export function architectureName(a: ConfigAnalysis): string {
  if (a.family) return `${a.family.name} (${a.family.id})${a.architecture === 'moe' ? ', mixture of experts' : ''}`;
  return ARCH_NAMES[a.architecture];
}

/** Which parameter count N the derived numbers divide by, in words. */
export function paramsUsedLabel(a: ConfigAnalysis): string {
  return a.paramsUsed === 'active' ? 'N = active parameters per token (mixture of experts)' : 'N = total parameters';
}

export function summaryRows(a: ConfigAnalysis): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const p = a.params;
  rows.push({
    label: 'Model',
    value: architectureName(a),
    detail: a.family && !p ? `as transformers' ${a.family.module} builds it, but no parameter count (see problems)`
      : a.family ? `counted exactly as transformers' ${a.family.module}${a.countComplete ? '' : '; some keys not counted (see problems)'}`
      : a.params ? `shape read from the keys${a.countComplete ? '' : '; some keys not counted (see problems)'}` : undefined,
  });
  if (p) {
    const moe = a.arch?.moe;
    if (p.active !== p.total) {
      const shared = moe && moe.sharedDff > 0 ? ' + the shared expert' : '';
      const how = moe ? `${moe.perToken} of ${moe.experts} routed experts${shared} in ${moe.layers.length} of ${a.arch!.nLayer} layers` : 'per token';
      // The input embedding is a table lookup, no matrix product: some model cards leave it out of the
      // active count (gpt-oss-20b's 3.61B), others keep it (Mixtral's 12.9B). Both are said.
      const arch = a.arch;
      const input = arch && !arch.tiedEmbeddings ? (arch.vocabSize + arch.positions) * arch.dModel : 0;
      const bare = input > 0 && input < p.active ? `; ${fmtShort(p.active - input)} without the input embedding (a table lookup), as some model cards count it` : '';
      rows.push({ label: 'Parameters (total / active)', value: `${fmtInt(p.total)} / ${fmtInt(p.active)}`, detail: `${fmtShort(p.total)} total, ${fmtShort(p.active)} active per token: ${how}${bare}; training FLOPs (6·N·D), tokens per parameter and the predicted loss use the active count` });
    } else {
      rows.push({ label: 'Parameters', value: fmtInt(p.total), detail: fmtShort(p.total) });
    }
    if (p.extra) rows.push({ label: 'Vision', value: fmtInt(p.extra), detail: `${a.arch?.extra?.label ?? 'outside the decoder'}: in the total` });
    if (p.mtp) rows.push({ label: 'MTP modules', value: fmtInt(p.mtp), detail: `${fmtShort(p.mtp)} multi-token-prediction parameters beside the model, not in the total` });
    rows.push({ label: 'Non-embedding', value: fmtInt(p.nonEmbedding), detail: "attention + MLP matrices, Kaplan's N" });
    rows.push({ label: 'Embedding', value: fmtInt(p.embedding), detail: a.arch?.tiedEmbeddings ? 'tied with the output layer' : 'input + output layers' });
  }
  const b = a.breakdown;
  if (a.tokens !== undefined) {
    let detail: string | undefined;
    if (a.sources.token_budget) detail = `from ${a.sources.token_budget.key}`;
    else if (b.steps !== undefined && b.tokensPerStep !== undefined && b.globalBatch !== undefined && b.seqLen !== undefined) {
      detail = `${fmtInt(b.steps)} steps × ${fmtInt(b.globalBatch)} sequences × ${fmtInt(b.seqLen)} tokens`;
    } else if (b.epochs !== undefined && b.datasetTokens !== undefined) detail = `${b.epochs} epochs × ${fmtInt(b.datasetTokens)} tokens`;
    rows.push({ label: 'Tokens', value: fmtInt(a.tokens), detail });
  }
  const perActive = a.paramsUsed === 'active';
  if (a.flops !== undefined) {
    rows.push({ label: 'FLOPs', value: fmtSci(a.flops), detail: `6·N·D, ${perActive ? 'N = active parameters (a token goes through only its experts)' : 'N = total parameters'}${a.flopsWithAttention !== undefined ? `; ${fmtSci(a.flopsWithAttention)} with the attention term 6·n_layer·seq·d_model·D` : ''}` });
  }
  if (a.tokensPerParam !== undefined) {
    const ref = a.reference;
    const more = ref.tokens !== undefined ? `; ≈${ref.tokensPerParam} would be ${fmtSci(ref.tokens)} tokens${ref.steps !== undefined ? ` = ${fmtInt(ref.steps)} steps` : ''}` : '';
    rows.push({
      label: 'Tokens per parameter',
      value: a.tokensPerParam >= 100 ? fmtInt(a.tokensPerParam) : String(Number(a.tokensPerParam.toPrecision(3))),
      detail: `${perActive ? 'per active parameter; ' : ''}reference ≈${ref.tokensPerParam} (Chinchilla)${more}`,
    });
  }
  if (a.predictedLoss !== undefined) rows.push({ label: 'Predicted loss', value: a.predictedLoss.toFixed(3), detail: `${a.lawName}: L = E + A/N^α + B/D^β${perActive ? ', N = active parameters' : ''}` });
  return rows;
}
