/**
 * Config readers: turn YAML, JSON(C), TOML and nanoGPT-style Python text into a flat list of scalar
 * leaves, each with its dotted path and the source range of its key and of its value.
 * Nothing here understands training; see roles.ts for that. Readers never throw on bad input:
 * syntax errors become Problems and whatever could be read is still returned.
 */
import { parseAllDocuments, isMap, isScalar, isSeq, isAlias, visit, type Node as YamlNode } from 'yaml';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Problem, SourcePos } from '../dataset';
import { evalPythonLiteral, type PyValue } from './pyeval';

export type ConfigFormat = 'yaml' | 'json' | 'toml' | 'python';

export interface SourceRange {
  start: SourcePos;
  end: SourcePos;
}

/** One scalar leaf of a config file. */
export interface RawEntry {
  /** The last path segment, as written. */
  key: string;
  /** Dotted path from the document root (`model.n_layers`, `training.steps`). */
  path: string;
  segments: string[];
  /** The value; `undefined` when it was not a literal (Python expressions we refuse to evaluate). */
  value: PyValue | undefined;
  /** Why the value could not be read, when `value` is undefined. */
  notLiteral?: string;
  /** The value's source text. */
  raw: string;
  range: SourceRange;
  valueRange: SourceRange;
}

export interface ReadResult {
  entries: RawEntry[];
  problems: Problem[];
}

/** Offset → 1-based line, 0-based column. */
export class Positions {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] };
  }
  range(start: number, end: number): SourceRange {
    return { start: this.at(start), end: this.at(end) };
  }
}

/**
 * Budgets that keep reading a hostile config bounded in time, memory and stack (issue 10): a YAML
 * "billion laughs" expands through aliases of aliases, a self-referencing alias never ends, a
 * 170 KB `[[[[…` overflows a recursive parser's stack.
 */
export const CONFIG_LIMITS = {
  /** Nesting of maps/tables/arrays walked (and of brackets accepted before a parser is called). */
  depth: 64,
  /** Brackets nested deeper than this are refused before parsing (recursive parsers). */
  brackets: 256,
  /** Keys visited in one file, aliases expanded included. */
  entries: 20_000,
};

/**
 * Deepest bracket nesting in `text` ([ { and ( outside strings), stopping once past `limit`.
 * Linear; strings are "…" and '…' with backslash escapes (enough for JSON, TOML and YAML flow).
 */
export function bracketDepth(text: string, limit = CONFIG_LIMITS.brackets): number {
  let depth = 0;
  let max = 0;
  let q = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (q) {
      if (c === 92 && q === 34) i++;
      else if (c === q || c === 10) q = 0;
      continue;
    }
    if (c === 34 || c === 39) q = c;
    else if (c === 91 || c === 123 || c === 40) {
      if (++depth > max) { max = depth; if (max > limit) return max; }
    } else if (c === 93 || c === 125 || c === 41) depth = Math.max(0, depth - 1);
  }
  return max;
}

function tooDeep(format: string, text: string): Problem | undefined {
  const d = bracketDepth(text);
  if (d <= CONFIG_LIMITS.brackets) return undefined;
  return { line: 0, severity: 'error', message: `${format}: brackets nested more than ${CONFIG_LIMITS.brackets} deep; not read` };
}

export function detectConfigFormat(fileName: string, text: string): ConfigFormat | undefined {
  const lower = fileName.toLowerCase();
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (/\.(json|jsonc|json5)$/.test(lower)) return 'json';
  if (/\.toml$/.test(lower)) return 'toml';
  if (/\.py$/.test(lower)) return 'python';
  // No telling extension: sniff the text.
  const t = text.trimStart();
  if (t.startsWith('{')) return 'json';
  // `[ \t]*`, not `\s*`: with the m flag `\s*` runs on through every blank line after each line
  // start, which made sniffing quadratic in blank lines (80k blank lines: 7 s).
  if (/^[ \t]*\[[A-Za-z0-9_.\- "]+\][ \t]*$/m.test(text) && /^[ \t]*[A-Za-z0-9_-]+[ \t]*=[ \t]*\S/m.test(text)) return 'toml';
  if (/^[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*\S/m.test(text)) return 'python';
  if (/^[A-Za-z_][A-Za-z0-9_-]*[ \t]*:([ \t\r]|$)/m.test(text)) return 'yaml';
  return undefined;
}

export function readConfig(text: string, format: ConfigFormat): ReadResult {
  switch (format) {
    case 'yaml': return readYaml(text);
    case 'json': return readJson(text);
    case 'toml': return readToml(text);
    case 'python': return readPython(text);
  }
}

// ---------------------------------------------------------------- YAML

function readYaml(text: string): ReadResult {
  const pos = new Positions(text);
  const entries: RawEntry[] = [];
  const problems: Problem[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  const deep = tooDeep('YAML', text);
  if (deep) return { entries, problems: [deep] };
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    problems.push({ line: 0, severity: 'error', message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
    return { entries, problems };
  }
  const list = Array.isArray(docs) ? docs : [];
  // One budget for the whole file: aliases of aliases (a "billion laughs") stop here.
  let budget = CONFIG_LIMITS.entries;
  /** Stops the walk; `line`: the alias whose expansion ran out (0: none on the path). */
  const stop = (message: string, line: number): void => {
    if (budget === -Infinity) return;
    budget = -Infinity;
    problems.push({ line, severity: 'error', message: `YAML: ${message}${line > 0 ? ` (expanding the alias on line ${line})` : ''}; the rest is not read` });
  };
  for (const doc of list) {
    for (const err of doc.errors.slice(0, 100)) {
      const p = pos.at(err.pos[0]);
      problems.push({ line: p.line, column: p.column, severity: 'error', message: `YAML: ${err.message.split('\n')[0]}` });
    }
    if (budget < 0) break;
    // Each alias → the last node anchored with its name before it, found in one pass (the
    // library's `alias.resolve(doc)` walks the whole document for every alias).
    const target = new Map<unknown, unknown>();
    const anchored = new Map<string, unknown>();
    visit(doc, {
      Node: (_k, node) => {
        if (isAlias(node)) target.set(node, anchored.get(node.source));
        else if ((node as { anchor?: string }).anchor) anchored.set((node as { anchor: string }).anchor, node);
      },
    });
    /** Maps on the path being walked: an alias back to one of them is a cycle. */
    const onPath = new Set<unknown>();
    // `via`: the line of the first alias on the path from the top (where an expansion began), 0 if none.
    const walk = (node: unknown, segments: string[], via: number): void => {
      if (isAlias(node)) node = target.get(node);
      if (!isMap(node)) return;
      if (segments.length > CONFIG_LIMITS.depth) return stop(`maps nested more than ${CONFIG_LIMITS.depth} deep`, via);
      if (onPath.has(node)) {
        const at = (node.range ? pos.at(node.range[0]).line : 0);
        problems.push({ line: at, severity: 'warning', message: `YAML: an alias refers to a map that contains it (a cycle at ${segments.join('.')}); not followed` });
        return;
      }
      onPath.add(node);
      for (const pair of node.items) {
        if (--budget < 0) { stop(`more than ${CONFIG_LIMITS.entries.toLocaleString('en-US')} keys once aliases are expanded (an alias bomb?)`, via); break; }
        const k = pair.key;
        if (!isScalar(k) || !k.range) continue;
        const key = String(k.value);
        const segs = [...segments, key];
        let v: unknown = pair.value;
        const alias = isAlias(v);
        if (alias) v = target.get(v);
        if (isScalar(v)) {
          const val = v.value;
          if (!(val === null || typeof val === 'number' || typeof val === 'string' || typeof val === 'boolean')) continue;
          const vr = (alias ? (pair.value as YamlNode).range : v.range) ?? [k.range[1], k.range[1], k.range[1]];
          entries.push({
            key, path: segs.join('.'), segments: segs, value: val, raw: text.slice(vr[0], vr[1]),
            range: pos.range(k.range[0], k.range[1]), valueRange: pos.range(vr[0], vr[1]),
          });
        } else if (isMap(v)) {
          walk(v, segs, via || (alias ? pos.at(k.range[0]).line : 0));
        } else if (isSeq(v)) {
          // Lists of maps (e.g. `callbacks: [- name: …]`) are not training quantities; skip.
        }
      }
      onPath.delete(node);
    };
    walk(doc.contents, [], 0);
  }
  return { entries, problems };
}

// ---------------------------------------------------------------- JSON

function readJson(text: string): ReadResult {
  const pos = new Positions(text);
  const entries: RawEntry[] = [];
  const problems: Problem[] = [];
  const errors: ParseError[] = [];
  // The parser recurses per bracket: a 170 KB `[[[[…` would overflow the stack.
  const deep = tooDeep('JSON', text);
  if (deep) return { entries, problems: [deep] };
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors.slice(0, 100)) {
    const p = pos.at(e.offset);
    problems.push({ line: p.line, column: p.column, severity: 'error', message: `JSON: ${printParseErrorCode(e.error)}` });
  }
  let budget = CONFIG_LIMITS.entries;
  const walk = (node: JsonNode | undefined, segments: string[]): void => {
    if (!node || node.type !== 'object' || !node.children || segments.length > CONFIG_LIMITS.depth) return;
    for (const prop of node.children) {
      if (--budget < 0) return;
      const [k, v] = prop.children ?? [];
      if (!k || !v || typeof k.value !== 'string') continue;
      const segs = [...segments, k.value];
      if (v.type === 'object') { walk(v, segs); continue; }
      if (v.type === 'array') {
        // `"architectures": ["LlamaForCausalLM"]`: keep a single string element as the value.
        const only = v.children?.length === 1 ? v.children[0] : undefined;
        if (only && only.type === 'string') {
          entries.push({
            key: k.value, path: segs.join('.'), segments: segs, value: only.value as string, raw: text.slice(v.offset, v.offset + v.length),
            range: pos.range(k.offset, k.offset + k.length), valueRange: pos.range(v.offset, v.offset + v.length),
          });
        } else {
          // Lists of scalars (`"mlp_only_layers": [0, 3]`, `"layer_types": [...]`): one leaf per element,
          // `key.0`, `key.1`…, each at the list's key (as the TOML reader does); the first 1024 only.
          (v.children ?? []).slice(0, 1024).forEach((el, i) => {
            if (el.type !== 'number' && el.type !== 'string' && el.type !== 'boolean') return;
            entries.push({
              key: String(i), path: [...segs, String(i)].join('.'), segments: [...segs, String(i)], value: el.value as PyValue, raw: text.slice(el.offset, el.offset + el.length),
              range: pos.range(k.offset, k.offset + k.length), valueRange: pos.range(el.offset, el.offset + el.length),
            });
          });
        }
        continue;
      }
      const val = v.type === 'null' ? null : (v.value as PyValue);
      entries.push({
        key: k.value, path: segs.join('.'), segments: segs, value: val, raw: text.slice(v.offset, v.offset + v.length),
        range: pos.range(k.offset, k.offset + k.length), valueRange: pos.range(v.offset, v.offset + v.length),
      });
    }
  };
  walk(root, []);
  return { entries, problems };
}

// ---------------------------------------------------------------- TOML

interface TomlLine { segments: string[]; keyStart: number; keyEnd: number; valStart: number; valEnd: number; raw: string }

/** Splits a TOML key (`a."b.c".d`) into segments. */
function splitTomlKey(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === '"' || s[i] === "'") {
      const q = s[i];
      const j = s.indexOf(q, i + 1);
      if (j < 0) return undefined;
      out.push(s.slice(i + 1, j));
      i = j + 1;
    } else {
      const m = /^[A-Za-z0-9_\-]+/.exec(s.slice(i));
      if (!m) return undefined;
      out.push(m[0]);
      i += m[0].length;
    }
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i < s.length) {
      if (s[i] !== '.') return undefined;
      i++;
    }
  }
  return out;
}

/** End of a TOML value on its line, before a trailing comment (string-aware). */
function tomlValueEnd(line: string, start: number): number {
  let q: string | undefined;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '\\' && q === '"') { i++; continue; }
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return trimEnd(line, i);
  }
  return trimEnd(line, line.length);
}

function trimEnd(line: string, end: number): number {
  while (end > 0 && /\s/.test(line[end - 1])) end--;
  return end;
}

/**
 * A table header line, `[a.b]` or `[[a.b]]` (an optional comment after it), or undefined. A loop,
 * not a regex: `\s*([^\]]+?)\s*\]` backtracks in squares on a long line of spaces.
 */
function tomlHeader(line: string): { array: boolean; key: string } | undefined {
  const t = line.trim();
  if (t.charCodeAt(0) !== 91) return undefined;
  const array = t.charCodeAt(1) === 91;
  const open = array ? 2 : 1;
  const close = t.indexOf(']', open);
  if (close < 0) return undefined;
  let j = close + 1;
  if (t.charCodeAt(j) === 93) j++;
  const after = t.slice(j).trimStart();
  if (after !== '' && after[0] !== '#') return undefined;
  const key = t.slice(open, close).trim();
  return key === '' ? undefined : { array, key };
}

/** A line scan for key positions (smol-toml gives values but no positions). */
function scanToml(text: string): Map<string, TomlLine & { line: number }> {
  const out = new Map<string, TomlLine & { line: number }>();
  const lines = text.split('\n');
  let table: string[] = [];
  const arrayCounts = new Map<string, number>();
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, '');
    const header = tomlHeader(line);
    if (header) {
      const segs = splitTomlKey(header.key) ?? [header.key];
      if (header.array) {
        const key = segs.join('.');
        const idx = arrayCounts.get(key) ?? 0;
        arrayCounts.set(key, idx + 1);
        table = [...segs, String(idx)];
      } else table = segs;
      continue;
    }
    const m = /^(\s*)((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=\s*/.exec(line);
    if (!m) continue;
    const segs = splitTomlKey(m[2]);
    if (!segs) continue;
    const keyStart = m[1].length;
    const keyEnd = keyStart + m[2].length;
    const valStart = m[0].length;
    const valEnd = Math.max(valStart, tomlValueEnd(line, valStart));
    // Keys under a table nested past the depth limit are not read (a 10,000-key header).
    if (table.length + segs.length > CONFIG_LIMITS.depth) continue;
    const full = [...table, ...segs];
    out.set(full.join('.'), { segments: full, keyStart, keyEnd, valStart, valEnd, raw: line.slice(valStart, valEnd), line: n + 1 });
  }
  return out;
}

function tomlScalar(raw: string): PyValue | undefined {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^[+-]?(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(s)) return Number(s.replace(/_/g, ''));
  const q = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(s);
  if (q) return q[1] ?? q[2];
  return undefined;
}

function readToml(text: string): ReadResult {
  const entries: RawEntry[] = [];
  const problems: Problem[] = [];
  const deep = tooDeep('TOML', text);
  if (deep) return { entries, problems: [deep] };
  const scan = scanToml(text);
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      problems.push({ line: e.line, column: Math.max(0, e.column - 1), severity: 'error', message: `TOML: ${e.message.split('\n')[0]}` });
    } else {
      problems.push({ line: 0, severity: 'error', message: `TOML: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  const push = (path: string, segs: string[], value: PyValue): void => {
    // Keys inside an inline table (`model = { dim = 2048 }`) take the position of the table's key.
    let at = scan.get(path);
    for (let n = segs.length - 1; !at && n > 0; n--) at = scan.get(segs.slice(0, n).join('.'));
    if (!at) return;
    entries.push({
      key: segs[segs.length - 1], path, segments: segs, value, raw: at.raw,
      range: { start: { line: at.line, column: at.keyStart }, end: { line: at.line, column: at.keyEnd } },
      valueRange: { start: { line: at.line, column: at.valStart }, end: { line: at.line, column: at.valEnd } },
    });
  };
  if (parsed) {
    let budget = CONFIG_LIMITS.entries;
    const walk = (obj: unknown, segs: string[]): void => {
      // A header `[a.a.a.…]` 10,000 keys deep: tables past the depth limit hold no training keys.
      if (segs.length > CONFIG_LIMITS.depth || budget < 0) return;
      if (Array.isArray(obj)) { obj.slice(0, 1024).forEach((x, i) => walk(x, [...segs, String(i)])); return; }
      if (obj === null || typeof obj !== 'object' || obj instanceof Date) return;
      for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
        if (--budget < 0) return;
        const s = [...segs, k];
        if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') push(s.join('.'), s, v);
        else if (typeof v === 'bigint') push(s.join('.'), s, Number(v));
        else walk(v, s);
      }
    };
    walk(parsed, []);
  } else {
    // Malformed: fall back to the line scan's simple scalars so the rest of the file still helps.
    for (const [path, at] of scan) {
      const v = tomlScalar(at.raw);
      if (v !== undefined) push(path, at.segments, v);
    }
  }
  return { entries, problems };
}

// ---------------------------------------------------------------- Python (nanoGPT style)

/** Bracket depth change and comment start of one physical line, string-aware. */
function pyLineInfo(line: string): { depth: number; commentAt: number } {
  let depth = 0;
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '\\') { i++; continue; }
      if (c === q) q = undefined;
      continue;
    }
    if (c === '"' || c === "'") q = c;
    else if (c === '#') return { depth, commentAt: i };
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return { depth, commentAt: line.length };
}

function readPython(text: string): ReadResult {
  const entries: RawEntry[] = [];
  const problems: Problem[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const env = new Map<string, PyValue>();
  const refused = new Map<string, string>();
  const byName = new Map<string, number>();
  let n = 0;
  let inTriple: string | undefined;
  while (n < lines.length) {
    const line = lines[n];
    // Skip module docstrings / triple-quoted blocks.
    if (inTriple) {
      if (line.includes(inTriple)) inTriple = undefined;
      n++;
      continue;
    }
    const tq = /^\s*[rRbBuU]?("""|''')/.exec(line);
    if (tq && line.split(tq[1]).length === 2) { inTriple = tq[1]; n++; continue; }

    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?=(?!=)\s*/.exec(line);
    if (!m) { n++; continue; }
    const name = m[1];
    // Join continuation lines while brackets are open or the line ends with a backslash.
    // Each piece is one physical line with its comment cut off.
    const startLine = n;
    const valStart = m[0].length;
    const pieces: string[] = [];
    let depth = 0;
    let lastLine = n;
    let lastEnd = valStart;
    for (let k = n, from = valStart; k < lines.length; k++, from = 0) {
      const body = lines[k].slice(from);
      const info = pyLineInfo(body);
      depth += info.depth;
      const piece = body.slice(0, info.commentAt);
      pieces.push(piece.replace(/\\\s*$/, ''));
      lastLine = k;
      lastEnd = from + trimEnd(body, info.commentAt);
      if (depth <= 0 && !/\\\s*$/.test(piece)) break;
    }
    const expr = pieces.join('\n');
    const raw = startLine === lastLine ? line.slice(valStart, lastEnd) : expr.trim();
    let result = evalPythonLiteral(expr, env);
    // A name whose value was refused says why (`s = s + s` past the string budget), not "unknown".
    let rootReason = result.ok ? '' : result.reason;
    if (!result.ok) {
      const m = /^'([A-Za-z_][A-Za-z0-9_]*)' is not a literal or an earlier assignment$/.exec(result.reason);
      const why = m ? refused.get(m[1]) : undefined;
      if (m && why) { result = { ok: false, reason: `${m[1]} was not read: ${why}` }; rootReason = why; }
    }
    const entry: RawEntry = {
      key: name, path: name, segments: [name],
      value: result.ok ? result.value : undefined,
      notLiteral: result.ok ? undefined : result.reason,
      raw,
      range: { start: { line: startLine + 1, column: 0 }, end: { line: startLine + 1, column: name.length } },
      valueRange: { start: { line: startLine + 1, column: valStart }, end: { line: lastLine + 1, column: lastEnd } },
    };
    if (result.ok) { env.set(name, result.value); refused.delete(name); }
    else { env.delete(name); refused.set(name, rootReason); }
    // A later assignment replaces an earlier one, as when nanoGPT's configurator execs the file.
    const prev = byName.get(name);
    if (prev !== undefined) entries[prev] = entry;
    else { byName.set(name, entries.length); entries.push(entry); }
    n = lastLine + 1;
  }
  return { entries, problems };
}

