// OpenNMT-py (1.x) logs `Loading dataset from data/demo.train.0.pt, number of examples: 49949` each time
// its DatasetLazyIter loads a training shard, and cycles through the shards from the first for as long as
// training runs: each load of the first shard begins a pass over the data. Two real consoles
// (test/fixtures/SOURCES.md) reload their one shard every ~800 and ~1,000 steps: 54 and 19 passes begun,
// 125 and 100 planned by their 100,000 steps. Their fits had not known it (no repeated-data handling).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, parseLogText } from '../../src/core/logs/parse';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';

/** The fixture's own lines: each load of its first training shard (line, and the step of the last step line before it), and its planned end. */
function loadsOf(name: string): { first: string; loads: Array<{ line: number; step: number }>; planned: number } {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, name))).toString('utf8').split('\n');
  let step = 0, first: string | undefined, planned = 0;
  const loads: Array<{ line: number; step: number }> = [];
  lines.forEach((l, i) => {
    const s = /INFO\] Step (\d+)\/(\d+);/.exec(l);
    if (s) { step = Number(s[1]); planned = Number(s[2]); return; }
    const d = /Loading dataset from (\S+\.train\.\d+\.pt)/.exec(l);
    if (!d) return;
    first ??= d[1];
    if (d[1] === first) loads.push({ line: i + 1, step });
  });
  return { first: first!, loads, planned };
}
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const passLength = (loads: Array<{ step: number }>) => median(loads.slice(1).map((l, i) => l.step - loads[i].step));

for (const [name, loadsSeen, per] of [['opennmt-yoruba-adr-lstm.txt.gz', 54, 800], ['opennmt-yoruba-adr-transformer.txt.gz', 19, 1000]] as const) {
  test(`OpenNMT-py's shard reloads are its passes over the data: ${name}`, async () => {
    const f = loadsOf(name);
    // (What the file's lines say, read here: checked against a count by hand with grep.)
    assert.equal(f.first, 'data/demo.train.0.pt');
    assert.equal(f.loads.length, loadsSeen);
    assert.equal(passLength(f.loads), per);
    const e = (await parseLogFile(path.join(FIXTURES, name))).run?.epochsLogged;
    assert.ok(e, 'passes read');
    assert.equal(e.stepsPerPass, passLength(f.loads));
    // The passes the planned 100,000 steps make (as a Trainer's epoch against its planned steps).
    assert.equal(f.planned, 100000);
    assert.equal(e.count, Math.round((10 * f.planned) / per) / 10);
    assert.match(e.source, new RegExp(`^OpenNMT-py's "Loading dataset from …" lines \\(line ${f.loads[0].line} the first\\): its training iterator loaded data/demo\\.train\\.0\\.pt ${f.loads.length} times`));
  });
}

type J = { trust?: { reasons?: string[] } & Record<string, unknown>; messages: string[]; backtest: Array<{ fitFraction: number; errorPct: number; heldOut?: boolean }> };
const fitOf = async (name: string, fitUntil: number) =>
  fitToJson((await analyzeFile(path.join(FIXTURES, name), { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0, fitUntil })).state) as unknown as J;

test('the real OpenNMT-py LSTM from 30%: fitted as a run over repeated data, with the reloads before the cut only', async () => {
  const f = loadsOf('opennmt-yoruba-adr-lstm.txt.gz');
  const j = await fitOf('opennmt-yoruba-adr-lstm.txt.gz', 0.3);
  const cut = Number(/^fitted up to step (\d+);/.exec(j.messages.find((m) => m.startsWith('fitted up to step'))!)![1]);
  // The prefix fit sees the loads before the cut (the cut file re-read), not the whole file's.
  const before = f.loads.filter((l) => l.step <= cut).length;
  assert.ok(before > 1 && before < f.loads.length, `${before} loads before step ${cut}`);
  const said = `its training iterator loaded data/demo.train.0.pt ${before} times`;
  assert.ok(JSON.stringify(j.trust).includes(said), JSON.stringify(j.trust));
  assert.ok(j.messages.some((m) => m.startsWith('cannot be trusted: the run makes 125 passes over its data (OpenNMT-py\'s "Loading dataset from …" lines') && m.includes(said)), j.messages.join('\n'));
  // The repeated-data skip and band: the first 10% skipped, the band open below from the next pass.
  assert.ok(j.messages.some((m) => m.startsWith('skipped the first 10% of the points too')), j.messages.join('\n'));
  const open = j.messages.find((m) => /open below to 0 from step \d+, where a new pass over the data begins/.test(m));
  assert.ok(open, j.messages.join('\n'));
  assert.equal(Number(/open below to 0 from step (\d+)/.exec(open)![1]), Math.ceil(cut / 800) * 800);
  // Its last logged loss (step 42,150) met within 5% (it was +61.65% with an early plateau fitted as the run's start).
  const held = j.backtest.find((b) => b.heldOut)!;
  assert.ok(Math.abs(held.errorPct) < 5, `held-out error ${held.errorPct}%`);
});

test('the real OpenNMT-py Transformer from half-way: its passes are in the fit\'s trust', async () => {
  const f = loadsOf('opennmt-yoruba-adr-transformer.txt.gz');
  const j = await fitOf('opennmt-yoruba-adr-transformer.txt.gz', 0.5);
  const cut = Number(/^fitted up to step (\d+);/.exec(j.messages.find((m) => m.startsWith('fitted up to step'))!)![1]);
  const before = f.loads.filter((l) => l.step <= cut).length;
  assert.ok(JSON.stringify(j.trust).includes(`its training iterator loaded data/demo.train.0.pt ${before} times`), JSON.stringify(j.trust));
  assert.ok(j.messages.some((m) => m.startsWith('cannot be trusted: the run makes 100 passes over its data')), j.messages.join('\n'));
});

test('several training shards: a pass is one cycle through them (the first shard loaded again), validation loads aside', () => {
  const lines: string[] = ['[2020-01-01 00:00:00,000 INFO] Start training loop and validate every 400 steps...'];
  const load = (p: string) => lines.push(`[2020-01-01 00:00:00,000 INFO] Loading dataset from data/demo.${p}.pt, number of examples: 1000`);
  load('train.0');
  for (let s = 50; s <= 2000; s += 50) {
    lines.push(`[2020-01-01 00:00:00,000 INFO] Step ${s}/3000; acc:  50.00; ppl: ${(10 / Math.sqrt(s)).toFixed(2)}; xent: 1.00; lr: 0.00100; 300/300 tok/s;    10 sec`);
    if (s % 400 === 0) load('valid.0');
    // Two shards of 300 steps each: shard 1 from step 300, shard 0 again from 600 (a pass of 600 steps).
    if (s % 600 === 300) load('train.1');
    else if (s % 600 === 0) load('train.0');
  }
  const e = parseLogText(lines.join('\n') + '\n', 'train.log').run?.epochsLogged;
  assert.ok(e);
  assert.equal(e.stepsPerPass, 600);
  // Four loads of train.0 (steps 0, 600, 1200, 1800), the log stopped at 2,000 of 3,000 planned steps: 5 passes planned.
  assert.equal(e.count, 5);
  assert.match(e.source, /loaded data\/demo\.train\.0\.pt 4 times, each the start of a pass over the data \(2 training shards a pass, about 600 steps a pass/);
});
