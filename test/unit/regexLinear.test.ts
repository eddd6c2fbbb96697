// Every regular-expression literal in src/ is tried on hostile lines (long runs of one character or pair,
// after a few heads real logs start lines with, before an ending that makes it fail) at 1,000 and 4,000
// characters: a pattern that backtracks over such a run costs 16× for 4× the length (quadratic), a linear
// one about 4×. The lines real logs and configs give are read elsewhere; this guards the "linear regexes"
// rule of hostile input for every pattern at once (an OpenNMT-py shard name, a config key line and a
// GPT-NeoX argument's padding were each quadratic before the thirty-seventh session). Patterns built at
// load time with `new RegExp` are tried too when a core module exports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', '..', 'src');

function literals(): Array<{ where: string; re: RegExp; text: string }> {
  const files: string[] = [];
  (function walk(d: string) {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  })(SRC);
  const out: Array<{ where: string; re: RegExp; text: string }> = [];
  for (const f of files) {
    const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = n.getText(sf);
        const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
        if (m) out.push({ where: `${path.relative(SRC, f)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`, re: new RegExp(m[1], m[2]), text });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  // And the patterns built at load time (`new RegExp` of constant parts) that a module of the core exports.
  const seen = new Set(out.map((r) => `${r.re.source}/${r.re.flags}`));
  const CORE = path.join(__dirname, '..', '..', 'src', 'core');
  (function walk(d: string) {
    for (const f of fs.readdirSync(d)) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) { walk(p); continue; }
      if (!p.endsWith('.js')) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(p) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) {
        if (!(v instanceof RegExp) || seen.has(`${v.source}/${v.flags}`)) continue;
        seen.add(`${v.source}/${v.flags}`);
        out.push({ where: `${path.relative(CORE, p)} ${name}`, re: new RegExp(v.source, v.flags), text: `/${v.source}/${v.flags}` });
      }
    }
  })(CORE);
  return out;
}

/** Milliseconds one exec (a global or sticky pattern: every match) takes on `s`. */
function cost(re: RegExp, s: string): number {
  re.lastIndex = 0;
  const t = performance.now();
  if (re.global || re.sticky) {
    for (let k = 0; k < 100_000 && re.exec(s); k++) if (re.lastIndex === 0) break;
  } else re.exec(s);
  return performance.now() - t;
}

const UNITS = [' ', '.', 'a', '1', ':', '=', '|', '/', '[', '{', "'", '"', ',', '-', '\t', 'a ', '1.', '1,', 'a.', 'a:', 'a=', ': ', '= ', '| ', '1 ', 'a1', 'a_', '. ', '/ ', ', ', '[1', "{'", 'e-', 'x ', '1e', '%', '(', ')', '* ', '<', '>', '#'];
const HEADS = ['', 'step 1 ', 'loss: ', 'Epoch [1]', 'a: ', '--a ', 'Step 1/2; ', "{'loss': 1, ", 'iter 1 '];
const TAILS = ['', 'x', '\u0001', ' x'];

test('every regular expression in src/ is linear on long runs of one character or pair', () => {
  const all = literals();
  // (The walk finds the patterns: hundreds, among them the ones this test was written for.)
  assert.ok(all.length > 300, `${all.length} patterns found`);
  assert.ok(all.some((r) => r.text.includes('[A-Za-z0-9_-]*(?:\\.+[A-Za-z0-9_-]+)*')), 'the config key pattern is among them');
  const slow: string[] = [];
  for (const { where, re, text } of all) {
    for (const head of HEADS) {
      for (const unit of UNITS) {
        for (const tail of TAILS) {
          const line = (n: number) => head + unit.repeat(Math.ceil(n / unit.length)) + tail;
          if (cost(re, line(1000)) < 0.3) continue;
          // A suspect: best of three at both lengths (a busy machine only ever slows a run down).
          let t1 = Infinity, t4 = Infinity;
          for (let k = 0; k < 3; k++) { t1 = Math.min(t1, cost(re, line(1000))); t4 = Math.min(t4, cost(re, line(4000))); }
          if (t4 > 8 * t1 && t4 > 3) slow.push(`${where} ${text.slice(0, 100)}: ${t1.toFixed(1)} ms at 1,000 characters, ${t4.toFixed(1)} ms at 4,000 (${JSON.stringify(head)} + ${JSON.stringify(unit)}… + ${JSON.stringify(tail)})`);
        }
      }
    }
  }
  assert.deepEqual(slow, []);
});
