// Issue 15 (twenty-sixth session), in the editor: a real OpenNMT-py LSTM console (test/fixtures/SOURCES.md
// `opennmt-yoruba-adr-lstm.txt.gz`, constant LR) whose loss stays near 6 for its first ~1,000 steps, then
// falls off a cliff. No run law can bend that way; the fit leaves the plateau out, the summary says which
// points, and the backtests meet the run's later loss within a few percent. A skip typed in is the
// user's, used alone: no plateau is looked for. (5% starts the fit at step 2,100, inside the fall's
// bend, and its backtests miss by far more; the law's fit is that sensitive to where it starts.)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'an LSTM log with an early plateau: the plateau is left out and said, a skip typed in is used alone';

/** The backtests' errors (%) in the trust table, fitted-on rows only (not the held-out one). */
async function backtestErrors(frame) {
  const rows = await frame.locator('#sl-backtest tbody tr').allInnerTexts();
  return rows.filter((r) => /first \d+%/.test(r) && !/held out/i.test(r)).map((r) => Number(/([+-−]?[\d.]+)%\s*$/.exec(r.trim())[1].replace('−', '-')));
}

export default async function ({ wb, shot, assert, workspace }) {
  // (Its folder named to sort first among the runs earlier scenarios left, so the explorer shows it.)
  mkdirSync(join(workspace, 'runs', 'a-opennmt-lstm'), { recursive: true });
  // (Without its `Loading dataset from data/demo.train.0.pt` lines, as a log that does not print its
  // passes: with them, since the thirty-sixth session, the run is read as repeating its data and the
  // repeated-data skip, 10% of the points to step 4,200, already covers the plateau. test/unit/
  // opennmtPasses.test.ts fits the file as it is.)
  const text = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'opennmt-yoruba-adr-lstm.txt.gz'))).toString('utf8');
  writeFileSync(join(workspace, 'runs', 'a-opennmt-lstm', 'train.log'), text.split('\n').filter((l) => !/Loading dataset from \S+\.train\./.test(l)).join('\n'));
  await wb.runCommand('View: Close All Editors');
  const frame = await wb.fitFromExplorer('runs/a-opennmt-lstm/train.log', { timeout: 120_000, trust: true });
  const summary = await frame.locator('#sl-summary').innerText();
  assert.match(summary, /skipped an early plateau: \d+ more point\(s\), up to step 3750, where the loss fell slowly \(log–log slope -0\.04\) before falling far faster \(-1\.14\), a bend no run law can follow/);
  // The "Skip first %" field says what is skipped (this run has no warm-up), and its tooltip why.
  const skipField = frame.locator('#sl-warmup');
  assert.match(await skipField.getAttribute('placeholder'), /^plateau \(to 3\.75k\)$/);
  assert.match(await skipField.getAttribute('title'), /An early plateau, 74 points to 3\.75k, is left out too/);
  assert.match(await frame.locator('#sl-goodness').innerText(), /Dropped\s+75 \(74 an early plateau\)/);
  const errs = await backtestErrors(frame);
  assert.ok(errs.length >= 3 && errs.every((e) => Math.abs(e) < 3), `backtests ${errs}`);
  await shot('lstm-plateau-left-out');

  // "Skip first %" typed in (5%): the user's skip alone, no plateau looked for; the backtests miss by far more.
  const skip = frame.locator('#sl-warmup');
  await skip.fill('5');
  await skip.press('Enter');
  await frame.locator('#sl-summary').filter({ hasText: 'skipped the first 5% of the points as asked' }).waitFor({ timeout: 90_000 });
  await wb.waitForTrust(frame, 60_000);
  assert.doesNotMatch(await frame.locator('#sl-summary').innerText(), /early plateau/);
  const kept = await backtestErrors(frame);
  assert.ok(kept.length >= 3 && Math.max(...kept.map(Math.abs)) > 20, `backtests from the user's skip ${kept}`);
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('lstm-users-skip-used-alone');

  // The file as it is (thirty-sixth session): its shard reloads are its passes over the data, said in the trust.
  const real = await wb.fitFixture(workspace, 'opennmt-yoruba-adr-lstm.txt.gz', 'b-opennmt-passes', 'train.log', { trust: true });
  const said = await real.locator('body').innerText();
  assert.match(said, /passes over its data \(OpenNMT-py's "Loading dataset from …" lines \(line 12 the first\)/);
  assert.doesNotMatch(said, /NaN|Infinity|undefined/);
  await shot('lstm-passes-from-reloads');
  // (Its folder removed again: the scenarios after this one find their runs' rows in a short explorer.)
  await wb.runCommand('View: Close All Editors');
  rmSync(join(workspace, 'runs', '0-b-opennmt-passes'), { recursive: true, force: true });
}
