// One peer reading one log file in its own process (so its peak RSS is its own), for bench/logs.mjs:
//   node bench/_peer.mjs <duckdb|polars> <csv|jsonl> <file> <threads> <peers-dir>
// Every column is read into memory (as pandas does); prints {"ms", "rows", "maxRSSkB"}.
// Polars takes its thread count from POLARS_MAX_THREADS, which logs.mjs sets before this starts.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [name, kind, file, threadsArg, peersDir] = process.argv.slice(2);
const threads = Math.max(1, Number(threadsArg) | 0);
const require = createRequire(join(peersDir, 'package.json'));
const sql = (s) => `'${s.replaceAll("'", "''")}'`;

const t = process.hrtime.bigint();
let rows;
if (name === 'duckdb') {
  const { DuckDBInstance } = require('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await db.connect();
  const from = kind === 'csv' ? `read_csv(${sql(file)})` : `read_json(${sql(file)}, format = 'newline_delimited')`;
  await con.run(`CREATE TABLE t AS SELECT * FROM ${from}`);
  const r = await con.runAndReadAll('SELECT count(*) FROM t');
  rows = Number(r.getRows()[0][0]);
} else if (name === 'polars') {
  const pl = require('nodejs-polars');
  // readJSON(…, { format: 'lines' }) calls a binding 0.25.2 lacks; the NDJSON scanner, collected, reads it all.
  const df = kind === 'csv' ? pl.readCSV(file) : pl.scanJson(file, { inferSchemaLength: null }).collectSync();
  rows = df.height;
} else {
  console.error(`unknown peer ${name}`);
  process.exit(2);
}
const ms = Number(process.hrtime.bigint() - t) / 1e6;
process.stdout.write(JSON.stringify({ ms, rows, maxRSSkB: process.resourceUsage().maxRSS }));
