/**
 * A tiny, safe reader for nanoGPT-style Python config files (`n_layer = 12`,
 * `gradient_accumulation_steps = 5 * 8`). Nothing is ever executed: each top-level `name = expr`
 * is tokenised and evaluated by our own arithmetic over literals only. Anything else (calls,
 * attributes, subscripts, comprehensions, unknown names, f-strings…) makes that one assignment
 * "not a literal"; the file as a whole still reads.
 *
 * Supported: int/float literals (underscores, exponents, 0x/0o/0b), strings ('…', "…", no
 * f-/b-prefix), True/False/None, + - * / // % ** with Python precedence, unary + and -,
 * parentheses, and names assigned earlier in the same file.
 */

export type PyValue = number | string | boolean | null;

export type PyResult = { ok: true; value: PyValue } | { ok: false; reason: string };

type Tok =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string };

const OPS = ['**', '//', '+', '-', '*', '/', '%', '(', ')'];

class NotLiteral extends Error {}

/**
 * Expansion budgets: `s = s + s` 27 times would build a 268M-character string; parentheses or
 * unary signs nested 50,000 deep would overflow the stack. Config values are short.
 */
export const PY_LIMITS = { stringChars: 100_000, depth: 200, exprChars: 100_000 };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\\') { i++; continue; }
    if (c === '#') break; // comment to end (only reached on the last line of a joined expression)
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)/.exec(src.slice(i));
      const text = m ? m[0] : '';
      if (!text) throw new NotLiteral(`unexpected '${c}'`);
      if (/[jJ]/.test(src[i + text.length] ?? '')) throw new NotLiteral('complex numbers are not supported');
      const clean = text.replace(/_/g, '');
      let v: number;
      if (/^0[xX]/.test(clean)) v = parseInt(clean.slice(2), 16);
      else if (/^0[oO]/.test(clean)) v = parseInt(clean.slice(2), 8);
      else if (/^0[bB]/.test(clean)) v = parseInt(clean.slice(2), 2);
      else v = Number(clean);
      if (!Number.isFinite(v)) throw new NotLiteral(`bad number '${text}'`);
      out.push({ t: 'num', v });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      let s = '';
      for (;;) {
        if (j >= src.length) throw new NotLiteral('unterminated string');
        if (src.startsWith(q, j)) break;
        const ch = src[j];
        if (ch === '\\') {
          const n = src[j + 1] ?? '';
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
          s += map[n] ?? '\\' + n;
          j += 2;
          continue;
        }
        if (!triple && ch === '\n') throw new NotLiteral('unterminated string');
        s += ch;
        j++;
      }
      out.push({ t: 'str', v: s });
      i = j + q.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const name = m ? m[0] : c;
      // A string prefix (f'…', b'…', r'…') makes this not a plain literal.
      if (src[i + name.length] === "'" || src[i + name.length] === '"') throw new NotLiteral(`'${name}'-prefixed strings are not supported`);
      out.push({ t: 'name', v: name });
      i += name.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new NotLiteral(`'${c}' is not allowed in a literal`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** Python's semantics for the few operators we allow. */
function binop(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > PY_LIMITS.stringChars) throw new NotLiteral(`a string longer than ${PY_LIMITS.stringChars.toLocaleString('en-US')} characters`);
    return a + b;
  }
  if (typeof a !== 'number' || typeof b !== 'number') throw new NotLiteral(`'${op}' needs numbers`);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new NotLiteral('division by zero');
      return a / b;
    case '//':
      if (b === 0) throw new NotLiteral('division by zero');
      return Math.floor(a / b);
    case '%':
      if (b === 0) throw new NotLiteral('division by zero');
      return a - b * Math.floor(a / b);
    case '**': {
      const v = Math.pow(a, b);
      if (!Number.isFinite(v)) throw new NotLiteral('overflow');
      return v;
    }
    default: throw new NotLiteral(`operator '${op}'`);
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[], private readonly env: ReadonlyMap<string, PyValue>) {}

  parse(): PyValue {
    if (this.toks.length === 0) throw new NotLiteral('empty expression');
    const v = this.sum();
    if (this.i < this.toks.length) throw new NotLiteral(`unexpected '${this.toks[this.i].v}'`);
    return v;
  }

  private peekOp(...ops: string[]): string | undefined {
    const t = this.toks[this.i];
    return t && t.t === 'op' && ops.includes(t.v) ? t.v : undefined;
  }

  private sum(): PyValue {
    let v = this.term();
    for (let op = this.peekOp('+', '-'); op; op = this.peekOp('+', '-')) {
      this.i++;
      v = binop(op, v, this.term());
    }
    return v;
  }

  private term(): PyValue {
    let v = this.unary();
    for (let op = this.peekOp('*', '/', '//', '%'); op; op = this.peekOp('*', '/', '//', '%')) {
      this.i++;
      v = binop(op, v, this.unary());
    }
    return v;
  }

  private deeper(): void {
    if (++this.depth > PY_LIMITS.depth) throw new NotLiteral(`nested more than ${PY_LIMITS.depth} deep`);
  }

  private unary(): PyValue {
    const op = this.peekOp('+', '-');
    if (op) {
      this.i++;
      this.deeper();
      const v = this.unary();
      this.depth--;
      if (typeof v !== 'number') throw new NotLiteral(`unary '${op}' needs a number`);
      return op === '-' ? -v : v;
    }
    return this.power();
  }

  private power(): PyValue {
    const base = this.atom();
    if (this.peekOp('**')) {
      this.i++;
      this.deeper();
      const v = binop('**', base, this.unary()); // right-associative, binds tighter than unary on the left
      this.depth--;
      return v;
    }
    return base;
  }

  private atom(): PyValue {
    const t = this.toks[this.i++];
    if (!t) throw new NotLiteral('unexpected end');
    if (t.t === 'num' || t.t === 'str') {
      // Adjacent string literals concatenate in Python.
      if (t.t === 'str') {
        let s = t.v;
        while (this.toks[this.i]?.t === 'str') {
          s += (this.toks[this.i++] as { v: string }).v;
          if (s.length > PY_LIMITS.stringChars) throw new NotLiteral(`a string longer than ${PY_LIMITS.stringChars.toLocaleString('en-US')} characters`);
        }
        return s;
      }
      return t.v;
    }
    if (t.t === 'name') {
      if (t.v === 'True') return true;
      if (t.v === 'False') return false;
      if (t.v === 'None') return null;
      if (this.env.has(t.v)) return this.env.get(t.v) as PyValue;
      throw new NotLiteral(`'${t.v}' is not a literal or an earlier assignment`);
    }
    if (t.v === '(') {
      this.deeper();
      const v = this.sum();
      this.depth--;
      if (!this.peekOp(')')) throw new NotLiteral('tuples and calls are not supported');
      this.i++;
      return v;
    }
    throw new NotLiteral(`unexpected '${t.v}'`);
  }
}

/** Evaluates one Python expression over literals and the names in `env`. Never executes code. */
export function evalPythonLiteral(expr: string, env: ReadonlyMap<string, PyValue> = new Map()): PyResult {
  if (expr.length > PY_LIMITS.exprChars) return { ok: false, reason: `an expression longer than ${PY_LIMITS.exprChars.toLocaleString('en-US')} characters` };
  try {
    return { ok: true, value: new Parser(tokenize(expr), env).parse() };
  } catch (e) {
    if (e instanceof NotLiteral) return { ok: false, reason: e.message };
    return { ok: false, reason: 'not a literal' };
  }
}
