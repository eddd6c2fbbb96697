// MMDetection 2.x (mmcv 1.x's EpochBasedRunner) runs resumed from a checkpoint: two real work dirs
// (test/fixtures/SOURCES.md `mmdet2-*-resumed`), each a launch's text log and log.json and the
// config.py beside them. The log says `resumed epoch 22, iter 21472` and counts `Epoch [23][50/976]`
// within the epoch; the log.json's first line holds the checkpoint's `"epoch": 22, "iter": 21472`.
// Both had been read from step 0: a finished run of 36 epochs taken for 39% done, its planned
// cosine rejected, and passes of 15 (log.json) or 42 (a config.py edited later) instead of 36.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseLogFile, parseLogText, withTailFacts } from '../../src/core/logs';
import { plannedEpochsOfLog, scheduleForLog } from '../../src/core/fit/schedule';
import { readLogHead } from '../../src/core/logHead';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const tmp = tmpDir('sl-mmcv-');

const RUNS = { swinb: { dir: 'mmdet2-swinb-htc-resumed', stem: '20220403_152612', py: 'htc_swin_b.py' }, detectors: { dir: 'mmdet2-detectors-resumed', stem: '20220404_024718', py: 'detectors_cascade_rcnn_r50_1x_coco.py' } };

/** The fixture's work dir as mmcv left it (the logs unzipped), and its files. */
function workDir(run: keyof typeof RUNS): { log: string; json: string; py: string; logText: string; jsonText: string } {
  const r = RUNS[run], from = path.join(FIXTURES, r.dir), dir = path.join(tmp, r.dir);
  fs.mkdirSync(dir, { recursive: true });
  const logText = zlib.gunzipSync(fs.readFileSync(path.join(from, `${r.stem}.log.gz`))).toString('utf8');
  const jsonText = zlib.gunzipSync(fs.readFileSync(path.join(from, `${r.stem}.log.json.gz`))).toString('utf8');
  fs.writeFileSync(path.join(dir, `${r.stem}.log`), logText);
  fs.writeFileSync(path.join(dir, `${r.stem}.log.json`), jsonText);
  fs.copyFileSync(path.join(from, r.py), path.join(dir, r.py));
  return { log: path.join(dir, `${r.stem}.log`), json: path.join(dir, `${r.stem}.log.json`), py: path.join(dir, r.py), logText, jsonText };
}

/** The text log's own numbers: the resume line's epoch and iteration, and each training line's epoch, iter and epoch length. */
function textFacts(text: string): { epoch: number; iter: number; lines: Array<{ e: number; i: number; per: number; loss: number }> } {
  const r = /resumed epoch (\d+), iter (\d+)/.exec(text)!;
  const lines = [...text.matchAll(/Epoch \[(\d+)\]\[(\d+)\/(\d+)\]\t[^\n]*, loss: ([\d.]+)/g)].map((m) => ({ e: Number(m[1]), i: Number(m[2]), per: Number(m[3]), loss: Number(m[4]) }));
  return { epoch: Number(r[1]), iter: Number(r[2]), lines };
}

/** The log.json's own numbers: its first line's epoch and iter, and its training rows. */
function jsonFacts(text: string): { epoch: number; iter: number; rows: Array<{ epoch: number; iter: number; loss: number; lr: number }> } {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const head = JSON.parse(lines[0]) as { epoch: number; iter: number };
  const rows = lines.slice(1).map((l) => JSON.parse(l) as { mode: string; epoch: number; iter: number; loss: number; lr: number }).filter((o) => o.mode === 'train');
  return { epoch: head.epoch, iter: head.iter, rows };
}

const lossSteps = (log: { data: Record<string, Float64Array> }): number[] => Array.from(log.data.step).filter((_, k) => Number.isFinite(log.data.loss[k]));

for (const run of ['swinb', 'detectors'] as const) {
  test(`${run}: the text log's rows are placed after the checkpoint: iter I + (epoch − R − 1) × the epoch's length + its iter`, async () => {
    const w = workDir(run);
    const f = textFacts(w.logText);
    const log = await parseLogFile(w.log);
    const expected = f.lines.map((l) => f.iter + (l.e - f.epoch - 1) * l.per + l.i);
    assert.deepEqual(lossSteps(log), expected);
    // The losses are the lines' own, in order.
    assert.deepEqual(Array.from(log.data.loss).filter(Number.isFinite), f.lines.map((l) => l.loss));
    // The passes: the run's last epoch (its epochs before the resume included), an epoch the counter's total.
    assert.equal(log.run?.epochsLogged?.count, f.lines[f.lines.length - 1].e);
    assert.equal(log.run?.epochsLogged?.stepsPerPass, f.lines[0].per);
    assert.ok(log.problems.some((p) => /resumed from a checkpoint/.test(p.message) && p.line > 0), 'the placement is said, at a line');
  });

  test(`${run}: the log.json's rows are placed after its first line's iter, an epoch being iter / epoch there`, async () => {
    const w = workDir(run);
    const f = jsonFacts(w.jsonText);
    const per = f.iter / f.epoch;
    assert.ok(Number.isInteger(per));
    // The text log beside it states the epoch's length: the same.
    assert.equal(per, textFacts(w.logText).lines[0].per);
    const log = await withTailFacts(w.json, await parseLogFile(w.json));
    const expected = f.rows.map((r) => f.iter + (r.epoch - f.epoch - 1) * per + r.iter);
    assert.deepEqual(lossSteps(log), expected);
    // The same steps as the text log's lines.
    const t = textFacts(w.logText);
    assert.deepEqual(expected, t.lines.map((l) => t.iter + (l.e - t.epoch - 1) * l.per + l.i));
    // 36 passes (the run's epochs from its first), not the 15 of its head's epoch column from 22.
    assert.equal(log.run?.epochsLogged?.count, f.rows[f.rows.length - 1].epoch);
    assert.equal(log.run?.epochsLogged?.stepsPerPass, per);
    assert.deepEqual(log.run?.resumedAt, { epoch: f.epoch, step: f.iter, line: 1 });
  });
}

test("swinb: the finished run's plan is its printed config's (36 epochs × 976, cosine), not the later-edited config.py's 42", async () => {
  const w = workDir('swinb');
  const log = await parseLogFile(w.log);
  const head = (await readLogHead(w.log))!;
  const texts = [head, { file: w.py, text: fs.readFileSync(w.py, 'utf8') }];
  const maxEpochs = (t: string) => Number(/runner = dict\(type='EpochBasedRunner', max_epochs=(\d+)\)/.exec(t)![1]);
  assert.equal(maxEpochs(head.text), 36);
  assert.equal(maxEpochs(texts[1].text), 42);
  const { schedule, planned } = scheduleForLog(log, texts);
  assert.ok(planned, 'the printed lr_config is taken');
  assert.match(planned.source, /20220403_152612\.log: lr_config/);
  assert.equal(schedule?.total, 36 * 976);
  assert.equal(plannedEpochsOfLog(log, texts)?.count, 36);
  const j = fitToJson((await analyzeFile(w.log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule: { total: number; kind: string }; trust: { reasons: string[] } };
  assert.equal(j.schedule.total, 35136);
  assert.equal(j.schedule.kind, 'cosine');
  assert.ok(!j.trust.reasons.some((r) => /42 passes/.test(r)), j.trust.reasons.join('\n'));
  assert.ok(j.trust.reasons.some((r) => /36 passes/.test(r)), j.trust.reasons.join('\n'));
});

test("swinb log.json: its first line's config plans the LR where its LR column, rounded to 5 decimals, cannot (3e-05 … 0.0 for 3.357e-05 … 1.188e-06)", async () => {
  const w = workDir('swinb');
  const f = jsonFacts(w.jsonText);
  assert.equal(f.rows[0].lr, 3e-5);
  assert.equal(f.rows[f.rows.length - 1].lr, 0);
  const j = fitToJson((await analyzeFile(w.json, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 })).state) as unknown as { schedule: { total: number; kind: string; source: string } };
  assert.equal(j.schedule.total, 35136);
  assert.equal(j.schedule.kind, 'cosine');
  assert.match(j.schedule.source, /the checkpoint's config/);
  assert.match(j.schedule.source, /written to 5 decimals/);
  const log = await withTailFacts(w.json, await parseLogFile(w.json));
  const { schedule } = scheduleForLog(log, log.run?.configs ?? []);
  // The text log printed 1.188e-06 at the last row (min_lr 1e-6 of the peak 1e-4): the schedule's is that, not 0.
  const last = lossSteps(log).pop()!;
  const printed = Number(/Epoch \[36\]\[950\/976\]\tlr: ([\d.e-]+)/.exec(w.logText)![1]);
  assert.ok(Math.abs(schedule!.lr[last] * 1e-4 - printed) < 0.05 * printed, `${schedule!.lr[last]}`);
});

test("detectors log.json: its checkpoint's config (max_epochs=24, the launch before) is not the resumed run's plan", async () => {
  const w = workDir('detectors');
  const log = await withTailFacts(w.json, await parseLogFile(w.json));
  const cfg = log.run?.configs?.[0];
  assert.ok(cfg && /max_epochs=24\)/.test(cfg.text));
  const { planned, note } = scheduleForLog(log, log.run?.configs ?? []);
  assert.equal(planned, undefined);
  assert.match(note ?? '', /ends before the log's last step 17530/);
  assert.match(note ?? '', /coarse/);
});

test('a run from its first epoch is placed as before: the text log without its resume line counts from 0, the log.json without the checkpoint\'s epoch and iter by the most iterations logged in an epoch', async () => {
  const w = workDir('swinb');
  const t = textFacts(w.logText);
  const cut = parseLogText(w.logText.split('\n').filter((l) => !/resumed epoch/.test(l)).join('\n'), '20220403_152612.log');
  assert.deepEqual(lossSteps(cut), t.lines.map((l) => (l.e - t.lines[0].e) * l.per + l.i));
  assert.ok(!cut.problems.some((p) => /resumed/.test(p.message)));
  // The log.json as a run from epoch 1 writes it: its first line without "epoch" and "iter", its epochs from 1.
  const lines = w.jsonText.split('\n').filter((l) => l.trim() !== '');
  const head = JSON.parse(lines[0]) as Record<string, unknown>;
  delete head.epoch; delete head.iter;
  const rows = lines.slice(1).map((l) => { const o = JSON.parse(l) as { epoch: number }; o.epoch -= 22; return JSON.stringify(o); });
  const fresh = parseLogText([JSON.stringify(head), ...rows].join('\n') + '\n', '20220403_152612.log.json');
  const f = jsonFacts(w.jsonText);
  const most = Math.max(...f.rows.map((r) => r.iter));
  assert.deepEqual(lossSteps(fresh), f.rows.map((r) => (r.epoch - 23) * most + r.iter));
  assert.equal(fresh.run?.configs, undefined);
  assert.equal(fresh.run?.resumedAt, undefined);
});
