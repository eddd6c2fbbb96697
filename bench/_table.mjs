// The README's log-parsing table from a bench's last JSON line (so the table is the bench's figures):
//   npm run bench -- logs --size-mb 200 | tail -n 1 | node bench/_table.mjs
//   node bench/_table.mjs saved-output.txt        (the last line that is a JSON object is used)
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2] ?? 0, 'utf8');
const line = text.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
if (!line) { console.error('bench/_table.mjs: no JSON line in the input'); process.exit(2); }
const j = JSON.parse(line);
if (j.bench !== 'logs') { console.error(`bench/_table.mjs: a '${j.bench}' line; only the logs bench has a table`); process.exit(2); }
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
// A run with --baseline has a column for the other build (before/after from the same run).
const names = ['scaling-lens', ...(j.baseline ? ['baseline'] : []), 'duckdb', 'polars', 'pandas'];
console.log(`${j.sizeMb} MB files, best of ${j.repeat}, ${j.date.slice(0, 16).replace('T', ' ')} UTC, ${j.machine.cores} cores (${j.machine.cpu}), load ${f(j.machine.load1, 1)} at the end; ratio = the reader's time / ours (> 1: Scaling Lens faster)\n`);
console.log(`| file | threads | Scaling Lens |${j.baseline ? ' before (baseline build) |' : ''} DuckDB | Polars | pandas | \`wc -l\` |`);
console.log(`|---|---|---|${j.baseline ? '---|' : ''}---|---|---|---|`);
for (const file of ['csv', 'jsonl']) {
  const rows = j.results.filter((r) => r.file === file);
  const wc = rows.find((r) => r.name === 'wc -l');
  const threads = [...new Set(rows.filter((r) => r.name !== 'wc -l').map((r) => r.threads))].sort((a, b) => a - b);
  threads.forEach((t, k) => {
    const cell = (name) => {
      const r = rows.find((x) => x.name === name && x.threads === t);
      if (!r) return '—';
      const base = `${f(r.seconds)} s (${f(r.mbPerS, 0)} MB/s), ${f(r.peakRssMb, 0)} MB`;
      return name === 'scaling-lens' ? base : `${base}, ${f(r.ratio)}×`;
    };
    const label = k === 0 ? `${file.toUpperCase()}, ${rows.find((r) => r.name === 'scaling-lens')?.rows ?? '?'} rows` : '';
    console.log(`| ${label} | ${t} | ${names.map(cell).join(' | ')} | ${k === 0 && wc ? `${f(wc.seconds)} s` : ''} |`);
  });
}
