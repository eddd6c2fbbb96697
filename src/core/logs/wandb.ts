/**
 * W&B local runs (`wandb/run-<date>-<id>/`): the history is read from the binary transaction log
 * `run-<id>.wandb` when present, else from `files/wandb-history.jsonl` (older clients); without
 * either only `files/wandb-summary.json` (final values) is there, and the log says so. The config
 * comes from `files/config.yaml` (or the run record in the .wandb log), the name from the run record.
 *
 * The .wandb file (wandb/sdk/internal/datastore.py): a 7-byte header (':W&B', magic 0xBEE1, version
 * 0), then LevelDB log framing: 32 KB blocks of records with 7-byte headers (CRC-32 of type + data,
 * uint16 length, type FULL=1 / FIRST=2 / MIDDLE=3 / LAST=4), a block's last < 7 bytes zero padding.
 * Each assembled record is a `wandb_internal.Record` protobuf: history (2) with items (1: key 1,
 * nested_key 2, value_json 16) and step (2: num 1); run (17) with config (4) and display_name (8).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { baseName, ProblemLog } from './collector';
import { crc32 } from './crc';
import { ProtoError, ProtoReader } from './protobuf';
import { SeriesSet, type Series } from './series';
import { eachLine, isFile, readSmallText } from './textfiles';
import type { ParsedLog, ParseOptions } from './types';
import type { RunRef } from './walk';
import { wandbRunFiles } from './runFiles';
export { wandbRunFiles } from './runFiles';
import { Cancelled } from '../cancel';

const BLOCK = 32768;
const HEADER = 7;
const MAX_RECORD = 64 << 20;


export async function listWandbRuns(dir: string): Promise<RunRef[]> {
  const one = await wandbRunFiles(dir);
  if (one) return [{ path: one.run, name: baseName(one.run), kind: 'wandb' }];
  const out: RunRef[] = [];
  try {
    const list = await fs.promises.readdir(dir, { withFileTypes: true });
    for (const e of list.sort((a, b) => (a.name < b.name ? -1 : 1)).slice(0, 2000)) {
      if (!e.isDirectory() || !/^(offline-)?run-/.test(e.name)) continue; // latest-run is a link: not followed
      const r = await wandbRunFiles(path.join(dir, e.name));
      if (r) out.push({ path: r.run, name: e.name, kind: 'wandb' });
    }
  } catch { /* not a folder */ }
  return out;
}

function jsonNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === 'NaN' || t === 'Infinity' || t === '-Infinity') return NaN;
  if (!/^[-+0-9.]/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Config as written in config.yaml (`key: {desc, value}`) → flat [key, value] pairs, `_wandb` left out. */
function configPairs(doc: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (k === '_wandb' || k === 'wandb_version') continue;
    const val = v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, 'value') ? (v as { value: unknown }).value : v;
    out.push([k, val]);
  }
  return out;
}

function pairsJson(pairs: [string, unknown][]): string {
  const o = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of pairs) o[k] = v;
  return JSON.stringify(o);
}

class HistoryRows {
  private series = new Map<string, Series>();
  rows = 0;
  constructor(private set: SeriesSet) {}
  /** One history row: numeric values of its keys at `step` (`_step` when no step is given). */
  add(values: [string, number][], step: number | undefined, ref: number, source: string): void {
    let st = step;
    if (st === undefined) for (const [k, v] of values) if (k === '_step') st = v;
    if (st === undefined || !Number.isFinite(st)) st = this.rows;
    this.rows++;
    for (const [k, v] of values) {
      if (k.startsWith('_')) continue; // _step, _runtime, _timestamp
      let s = this.series.get(k);
      if (!s) { s = this.set.get(k); this.series.set(k, s); }
      s.push(st, v, ref, source);
    }
  }
}

/** Reads the .wandb log: history rows into `rows`; the run's name and config when present. */
async function readWandbLog(file: string, rows: HistoryRows, problems: ProblemLog, opts: ParseOptions): Promise<{ bytes: number; name?: string; config: [string, unknown][]; bad: number }> {
  const source = baseName(file);
  const fh = await fs.promises.open(file, 'r');
  const out: { bytes: number; name?: string; config: [string, unknown][]; bad: number } = { bytes: 0, config: [], bad: 0 };
  const buf = Buffer.allocUnsafe(32 * BLOCK);
  let assembling: Buffer[] | undefined;
  let assembled = 0;
  let recNo = 0;
  let fileOff = 0;
  let reports = 0;
  const warn = (msg: string): void => { out.bad++; if (reports++ < 20) problems.add('wandb-bad', 0, 'warning', `${source}: ${msg}`); };
  try {
    const { bytesRead: h } = await fh.read(buf, 0, HEADER, 0);
    if (h < HEADER || buf.toString('latin1', 0, 4) !== ':W&B' || buf.readUInt16LE(4) !== 0xbee1) {
      problems.add('wandb-header', 0, 'warning', `${source}: not a W&B transaction log (bad header); not read`);
      return out;
    }
    fileOff = HEADER;
    out.bytes = HEADER;
    let tail = 0; // bytes of an incomplete record at EOF
    for (;;) {
      if (opts.signal?.aborted) throw new Cancelled('parsing was cancelled');
      // Read whole blocks from a block boundary (the first block starts after the file header).
      const blockStart = fileOff - (fileOff % BLOCK);
      const { bytesRead } = await fh.read(buf, 0, buf.length, blockStart);
      if (bytesRead <= fileOff - blockStart) break;
      out.bytes = blockStart + bytesRead;
      opts.onProgress?.(out.bytes, 0);
      let p = fileOff - blockStart;
      const end = bytesRead;
      tail = 0;
      while (p < end) {
        const inBlock = BLOCK - (p % BLOCK);
        if (inBlock < HEADER) { p += inBlock; continue; } // trailer padding
        if (end - p < HEADER) { tail = end - p; break; }
        const crc = buf.readUInt32LE(p), len = buf.readUInt16LE(p + 4), type = buf[p + 6];
        if (type === 0 && len === 0) { p += inBlock; continue; } // zero-filled rest of block
        if (HEADER + len > inBlock || type < 1 || type > 4) {
          warn(`bad record header at byte ${blockStart + p}; rest of the block skipped`);
          assembling = undefined;
          p += inBlock;
          continue;
        }
        if (end - p < HEADER + len) { tail = end - p; break; }
        const ds = p + HEADER, de = ds + len;
        if (crc32(buf, ds, de, crc32(Uint8Array.of(type))) !== crc) {
          warn(`checksum mismatch at byte ${blockStart + p}; record skipped`);
          assembling = undefined;
          p = de;
          continue;
        }
        p = de;
        if (type === 1) {
          recNo++;
          onRecord(buf.subarray(ds, de));
        } else if (type === 2) {
          assembling = [Buffer.from(buf.subarray(ds, de))];
          assembled = len;
        } else if (assembling) {
          assembled += len;
          if (assembled > MAX_RECORD) { warn(`a record over ${MAX_RECORD >> 20} MB at byte ${blockStart + p}; skipped`); assembling = undefined; continue; }
          assembling.push(Buffer.from(buf.subarray(ds, de)));
          if (type === 4) {
            recNo++;
            const whole = Buffer.concat(assembling);
            assembling = undefined;
            onRecord(whole);
          }
        }
      }
      fileOff = blockStart + p;
      if (bytesRead < buf.length) break;
    }
    if (tail > 0 || assembling) problems.add('wandb-tail', 0, 'info', `${source}: last record is cut short (a run still writing); read up to byte ${fileOff}`);
    return out;
  } finally {
    await fh.close();
  }

  function onRecord(data: Uint8Array): void {
    try {
      const r = new ProtoReader(data, 0, data.length);
      for (let t = r.tag(); t !== 0; t = r.tag()) {
        if (t === 0x12) { const [s, e] = r.bytes(); history(r.sub(s, e)); }
        else if (t === (17 << 3 | 2)) { const [s, e] = r.bytes(); runRecord(r.sub(s, e)); }
        else if (t === 0x2a) { const [s, e] = r.bytes(); configRecord(r.sub(s, e)); }
        else r.skip(t & 7);
      }
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e;
      warn(`record ${recNo} is not a valid W&B record (${e.message}); skipped`);
    }
  }
  function item(r: ProtoReader): [string, string] {
    let key = '';
    const nested: string[] = [];
    let value = '';
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      if (t === 0x0a) key = r.string();
      else if (t === 0x12) nested.push(r.string());
      else if (t === (16 << 3 | 2)) value = r.string();
      else r.skip(t & 7);
    }
    return [key || nested.join('.'), value];
  }
  function history(r: ProtoReader): void {
    const values: [string, number][] = [];
    let step: number | undefined;
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      if (t === 0x0a) {
        const [s, e] = r.bytes();
        const [k, v] = item(r.sub(s, e));
        const x = jsonNumber(v);
        if (x !== undefined && k) values.push([k, x]);
      } else if (t === 0x12) {
        const [s, e] = r.bytes();
        const st = r.sub(s, e);
        for (let u = st.tag(); u !== 0; u = st.tag()) { if (u === 0x08) step = st.varint(); else st.skip(u & 7); }
      } else r.skip(t & 7);
    }
    rows.add(values, step, recNo, source);
  }
  function configRecord(r: ProtoReader): void {
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      if (t === 0x0a) {
        const [s, e] = r.bytes();
        const [k, v] = item(r.sub(s, e));
        if (k === '_wandb') continue;
        let val: unknown = v;
        try { val = JSON.parse(v); } catch { /* keep the text */ }
        const i = out.config.findIndex((c) => c[0] === k);
        if (i >= 0) out.config[i] = [k, val]; else out.config.push([k, val]);
      } else r.skip(t & 7);
    }
  }
  function runRecord(r: ProtoReader): void {
    for (let t = r.tag(); t !== 0; t = r.tag()) {
      if (t === 0x42) out.name = r.string() || out.name;
      else if (t === 0x22) { const [s, e] = r.bytes(); configRecord(r.sub(s, e)); }
      else r.skip(t & 7);
    }
  }
}

export async function parseWandbRun(dir: string, opts: ParseOptions = {}): Promise<ParsedLog | undefined> {
  const found = await wandbRunFiles(dir);
  if (!found) return undefined;
  const problems = new ProblemLog(baseName(found.run));
  const set = new SeriesSet(found.run, 'wandb', problems, opts);
  const rows = new HistoryRows(set);
  let bytes = 0, bad = 0;
  let name: string | undefined;
  let config: [string, unknown][] = [];
  const historyJsonl = path.join(found.files, 'wandb-history.jsonl');
  if (found.log) {
    const r = await readWandbLog(found.log, rows, problems, opts);
    bytes += r.bytes; bad += r.bad; name = r.name; config = r.config;
    problems.add('wandb-read', 0, 'info', `history read from ${baseName(found.log)} (${rows.rows} rows)`);
  } else if (await isFile(historyJsonl)) {
    const r = await eachLine(historyJsonl, (line, n) => {
      if (line.trim() === '') return;
      let obj: unknown;
      try { obj = JSON.parse(line.replace(/(:\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1null')); } catch {
        bad++;
        problems.add('json', 0, 'warning', `files/wandb-history.jsonl:${n}: not JSON; line skipped`, 'lines that are not JSON');
        return;
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
      const vals: [string, number][] = [];
      for (const [k, v] of Object.entries(obj as Record<string, unknown>)) if (typeof v === 'number') vals.push([k, v]);
      rows.add(vals, undefined, n, 'files/wandb-history.jsonl');
    }, opts.signal);
    bytes += r.bytes;
  }
  const summary: [string, number][] = [];
  const sumText = await readSmallText(path.join(found.files, 'wandb-summary.json'), 16 << 20);
  if (sumText !== undefined) {
    try {
      const doc = JSON.parse(sumText) as unknown;
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
        for (const [k, v] of Object.entries(doc as Record<string, unknown>)) if (typeof v === 'number') summary.push([k, v]);
      }
    } catch {
      problems.add('json', 0, 'warning', 'files/wandb-summary.json is not valid JSON; not read');
    }
  }
  if (rows.rows === 0) {
    if (summary.length) {
      const step = summary.find(([k]) => k === '_step')?.[1];
      rows.add(summary, step, 1, 'files/wandb-summary.json');
      problems.add('wandb-summary', 0, 'warning', found.log
        ? 'the .wandb log holds no history rows: only the final values of wandb-summary.json are read (one point)'
        : 'no history on disk (no .wandb log, no wandb-history.jsonl): only the final values of wandb-summary.json are read (one point)');
    } else problems.add('wandb-empty', 0, 'error', 'no history and no summary in this W&B run folder');
  }
  const cfgText = await readSmallText(path.join(found.files, 'config.yaml'), 4 << 20);
  if (cfgText !== undefined) {
    try {
      const fromFile = configPairs(YAML.parse(cfgText, { maxAliasCount: 100 }));
      if (fromFile.length) config = fromFile;
    } catch (e) {
      problems.add('yaml', 0, 'warning', `files/config.yaml is not valid YAML (${(e as Error).message.split('\n')[0]}); not read`);
    }
  }
  const log = set.finish('step');
  log.stats.bytes = bytes;
  log.stats.dropped = bad;
  log.run = {
    ...log.run,
    name: name ?? baseName(found.run),
    params: config.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)]),
    summary,
  };
  if (config.length) log.run.configs = [{ file: path.join(found.files, 'config.json'), text: pairsJson(config) }];
  return log;
}
