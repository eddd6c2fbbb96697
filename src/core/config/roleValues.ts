/**
 * Stage 1 of a config's analysis: one value per role. Reads every leaf's role (roles.ts), resolves
 * `${variables.x}` interpolations, turns numeric strings ("600_000", "300B") into numbers, reports
 * non-literal and non-positive values, and keeps the best-ranked key per role.
 */
import type { Problem, SourcePos } from '../dataset';
import type { RawEntry } from './readers';
import { roleOf, kindOf, type Role } from './roles';

export interface ConfigValue {
  /** The key as written (last path segment). */
  key: string;
  /** Dotted path from the document root. */
  path: string;
  value: number | string | boolean | null;
  /** The key's range. */
  range: { start: SourcePos; end: SourcePos };
  /** The value's range (for edits). */
  valueRange: { start: SourcePos; end: SourcePos };
  /** The value's source text (`5 * 8`, `"4800ba"`). */
  raw: string;
}

/** Sizes and counts that make no sense at zero or below (steps ≤ 0 and data-parallel -1 have meanings). */
const MUST_BE_POSITIVE = new Set<Role>(['n_layer', 'd_model', 'n_head', 'n_kv_head', 'head_dim', 'vocab_size', 'd_ff', 'expansion_ratio',
  'multiple_of', 'ffn_dim_multiplier', 'seq_len', 'n_positions', 'epochs', 'dataset_tokens', 'token_budget', 'batch_size', 'global_batch_size',
  'grad_accum', 'experts', 'experts_per_token', 'moe_d_ff']);

/**
 * Counts and sizes that must be whole numbers (`n_layer = 2.5` is a typo, not a model).
 */
const WHOLE = new Set<Role>(['n_layer', 'd_model', 'n_head', 'n_kv_head', 'head_dim', 'vocab_size', 'd_ff', 'multiple_of', 'seq_len',
  'n_positions', 'max_steps', 'batch_size', 'global_batch_size', 'grad_accum', 'data_parallel', 'experts', 'experts_per_token', 'moe_d_ff',
  'shared_d_ff', 'n_shared_experts', 'first_dense', 'sparse_step', 'q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim',
  'v_head_dim', 'mtp_layers']);
/** Tokens: a budget past 10^18 is not a training run (and 6·N·D past it loses meaning). */
const TOKEN_ROLES = new Set<Role>(['token_budget', 'dataset_tokens']);
/** Upper bounds past which a value is a typo or a hostile file (`n_layer = 1e30` made FLOPs "NaNeNaN"). */
const LIMIT = { size: 1e9, count: 1e15, tokens: 1e18 };
const COUNT_ROLES = new Set<Role>(['max_steps', 'batch_size', 'global_batch_size', 'grad_accum', 'data_parallel', 'epochs']);

function limitOf(role: Role): number {
  return TOKEN_ROLES.has(role) ? LIMIT.tokens : COUNT_ROLES.has(role) ? LIMIT.count : LIMIT.size;
}

/** "600_000" (YAML 1.2 reads underscores as a string), "1e9"; with `suffixes`, "300B", "2.5T", "50M". */
export function numericString(s: string, suffixes: boolean): number | undefined {
  // `\s*(?:(x)\s*)?$`, not `\s*(x?)\s*$`: two adjacent `\s*` backtrack in squares on long runs of spaces.
  const m = /^\s*([+-]?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*(?:([kKMBGT])\s*)?$/.exec(s);
  if (!m || (m[2] && !suffixes)) return undefined;
  const scale: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12 };
  const n = Number(m[1].replace(/_/g, '')) * scale[m[2] ?? ''];
  return Number.isFinite(n) ? n : undefined;
}

/** Composer/OLMo durations: "4800ba" (batches), "2ep", "1000000tok", "500sp" (samples), "2e12T" (OLMo tokens). */
export function parseDuration(v: number | string | boolean | null): { unit: 'steps' | 'epochs' | 'tokens' | 'samples'; n: number; suffix: string } | undefined {
  if (typeof v === 'number') return { unit: 'steps', n: v, suffix: '' };
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*(?:(ba|ep|tok|sp|T)\s*)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1].replace(/_/g, ''));
  const suffix = m[2] ?? '';
  const unit = suffix === 'ep' ? 'epochs' : suffix === 'tok' || suffix === 'T' ? 'tokens' : suffix === 'sp' ? 'samples' : 'steps';
  return { unit, n, suffix };
}

export function toConfigValue(e: RawEntry): ConfigValue {
  return { key: e.key, path: e.path, value: e.value ?? null, range: e.range, valueRange: e.valueRange, raw: e.raw };
}

/** The chosen value of each role, and the roles whose key is present but unreadable. */
export class RoleValues {
  readonly best = new Map<Role, { entry: RawEntry; rank: number }>();
  /** Roles whose key is present but not a literal (or not positive): never replaced by a default. */
  readonly unreadable = new Set<Role>();
  readonly problems: Problem[] = [];
  /** Paths of every leaf that plays a role (read by the analysis, even when another key won). */
  readonly rolePaths = new Set<string>();

  constructor(entries: RawEntry[]) {
    const byPath = new Map(entries.map((e) => [e.path, e]));
    // Resolve `${variables.x}` interpolations (llm-foundry / OmegaConf) to the referenced scalar.
    const resolve = (e: RawEntry): RawEntry => {
      for (let depth = 0; depth < 8 && typeof e.value === 'string'; depth++) {
        const m = /^\$\{\s*([A-Za-z0-9_.\-]+)\s*\}$/.exec(e.value);
        const target = m ? byPath.get(m[1]) : undefined;
        if (!target) break;
        e = { ...e, value: target.value };
      }
      return e;
    };
    for (const raw of entries) {
      const r = roleOf(raw);
      if (!r) continue;
      const role = r.spec.role;
      this.rolePaths.add(raw.path);
      if (raw.value === undefined) {
        this.unreadable.add(role);
        this.problems.push({
          line: raw.valueRange.start.line, column: raw.valueRange.start.column, severity: 'warning',
          message: `${raw.key}: not a literal (${raw.notLiteral ?? 'unsupported expression'}); Scaling Lens never runs config code, so this value is ignored.`,
        });
        continue;
      }
      let e = resolve(raw);
      const kind = kindOf(role);
      if (kind === 'number' && typeof e.value === 'string') {
        const n = numericString(e.value, role === 'token_budget' || role === 'dataset_tokens');
        if (n !== undefined) e = { ...e, value: n };
      }
      const v = e.value;
      const ok =
        kind === 'number' ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'boolean' ? typeof v === 'boolean'
        : kind === 'string' ? typeof v === 'string'
        : parseDuration(v ?? null) !== undefined;
      if (!ok) continue;
      if (typeof v === 'number' && MUST_BE_POSITIVE.has(role) && !(v > 0)) {
        this.problems.push({ line: e.valueRange.start.line, column: e.valueRange.start.column, severity: 'warning', message: `${e.key} = ${v}: must be positive; ignored.` });
        this.unreadable.add(role);
        continue;
      }
      // (The layer count's upper bound is model.ts's MAX_LAYERS, with its own message.)
      const tooBig = role !== 'n_layer' && Math.abs(v as number) > limitOf(role);
      if (typeof v === 'number' && (tooBig || (WHOLE.has(role) && !Number.isInteger(v)))) {
        const why = tooBig
          ? `implausibly large (over ${limitOf(role).toExponential(0).replace('e+', 'e')})`
          : 'must be a whole number';
        this.problems.push({ line: e.valueRange.start.line, column: e.valueRange.start.column, severity: 'warning', message: `${e.key} = ${e.raw.trim() || v}: ${why}; ignored.` });
        this.unreadable.add(role);
        continue;
      }
      const prev = this.best.get(role);
      if (!prev || r.rank < prev.rank) this.best.set(role, { entry: e, rank: r.rank });
    }
  }

  num(role: Role): number | undefined {
    const v = this.best.get(role)?.entry.value;
    return typeof v === 'number' ? v : undefined;
  }
  bool(role: Role): boolean | undefined {
    const v = this.best.get(role)?.entry.value;
    return typeof v === 'boolean' ? v : undefined;
  }
  str(role: Role): string | undefined {
    const v = this.best.get(role)?.entry.value;
    return typeof v === 'string' ? v : undefined;
  }
  /** Present, readable or not. */
  has(role: Role): boolean {
    return this.best.has(role) || this.unreadable.has(role);
  }
  sources(): Partial<Record<Role, ConfigValue>> {
    const out: Partial<Record<Role, ConfigValue>> = {};
    for (const [role, b] of this.best) out[role] = toConfigValue(b.entry);
    return out;
  }
}
