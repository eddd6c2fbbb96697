/**
 * The derived numbers of a config as labelled rows: what the hover's table and the CLI print.
 * Plain strings, no markup, so the editor can render them as Markdown and the CLI as text.
 */
import type { ConfigAnalysis } from './index';

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

export function architectureName(a: ConfigAnalysis): string {
  return ARCH_NAMES[a.architecture];
}

export function summaryRows(a: ConfigAnalysis): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const p = a.params;
  if (p) {
    if (a.architecture === 'moe') {
      rows.push({ label: 'parameters (total)', value: fmtInt(p.total), detail: fmtShort(p.total) });
      rows.push({ label: 'parameters (active)', value: fmtInt(p.active), detail: `${fmtShort(p.active)} per token; used for the ratio, FLOPs and loss` });
    } else {
      rows.push({ label: 'parameters', value: fmtInt(p.total), detail: fmtShort(p.total) });
    }
    rows.push({ label: 'non-embedding', value: fmtInt(p.nonEmbedding), detail: "attention + MLP matrices (Kaplan's N)" });
    rows.push({ label: 'embedding', value: fmtInt(p.embedding), detail: a.arch?.tiedEmbeddings ? 'tied with the output layer' : 'input + output layers' });
  }
  const b = a.breakdown;
  if (a.tokens !== undefined) {
    let detail: string | undefined;
    if (a.sources.token_budget) detail = `from ${a.sources.token_budget.key}`;
    else if (b.steps !== undefined && b.tokensPerStep !== undefined && b.globalBatch !== undefined && b.seqLen !== undefined) {
      detail = `${fmtInt(b.steps)} steps × ${fmtInt(b.globalBatch)} sequences × ${fmtInt(b.seqLen)} tokens`;
    } else if (b.epochs !== undefined && b.datasetTokens !== undefined) detail = `${b.epochs} epochs × ${fmtInt(b.datasetTokens)} tokens`;
    rows.push({ label: 'tokens', value: fmtInt(a.tokens), detail });
  }
  if (a.flops !== undefined) {
    rows.push({ label: 'FLOPs', value: fmtSci(a.flops), detail: `6·N·D${a.flopsWithAttention !== undefined ? `; ${fmtSci(a.flopsWithAttention)} with the attention term 6·n_layer·seq·d_model·D` : ''}` });
  }
  if (a.tokensPerParam !== undefined) {
    const ref = a.reference;
    const more = ref.tokens !== undefined ? `; ≈${ref.tokensPerParam} would be ${fmtSci(ref.tokens)} tokens${ref.steps !== undefined ? ` = ${fmtInt(ref.steps)} steps` : ''}` : '';
    rows.push({
      label: 'tokens / parameter',
      value: a.tokensPerParam >= 100 ? fmtInt(a.tokensPerParam) : a.tokensPerParam.toFixed(a.tokensPerParam < 1 ? 4 : 1),
      detail: `reference ≈${ref.tokensPerParam} (Chinchilla)${a.architecture === 'moe' ? ', per active parameter' : ''}${more}`,
    });
  }
  if (a.predictedLoss !== undefined) rows.push({ label: 'predicted loss', value: a.predictedLoss.toFixed(3), detail: `${a.lawName}: L = E + A/N^α + B/D^β` });
  return rows;
}
