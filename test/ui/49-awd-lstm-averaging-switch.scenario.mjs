// Issue 15, "a schedule change ahead" (twenty-fifth session), in the editor: a real Fast Weight Memory
// LSTM's Slurm log (test/fixtures/SOURCES.md `fwm-awdlstm-ptb-141.out.gz`) as it stood half-way through
// its 900 epochs. Its printed arguments plan a switch to averaged SGD after epoch 766 (`asgdtime=765`):
// the panel says so, and that the band is open below to 0 from that step (the training loss fell 8%
// after the switch; its band was open below already, from the next pass over the data); the run's real
// last training loss is inside it. The validation loss, on 900 passes over the same data, is open both
// ways: no band is drawn, and the panel says why.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const title = 'an AWD-LSTM log half-way: its planned switch to averaged SGD is said, the band open below from it';

export default async function ({ wb, shot, assert, workspace }) {
  const text = gunzipSync(readFileSync(join(process.cwd(), 'test', 'fixtures', 'fwm-awdlstm-ptb-141.out.gz'))).toString('utf8');
  const lines = text.split('\n');
  const half = lines.findIndex((l) => /^\| end of epoch 450 \|/.test(l));
  assert.ok(half > 0);
  const dir = join(workspace, 'runs', 'a-fwm-halfway');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run_fwm_ptb_141.out'), `${lines.slice(0, half + 2).join('\n')}\n`);
  // The run's real last training loss (its last batch line).
  const last = Number(/loss +([\d.]+) \|/.exec(lines.filter((l) => /^\| epoch +900 \|/.test(l)).at(-1))[1]);

  // A `.out` file is read when opened (the start-up scan reads only names that say "log"), as a user does.
  await wb.openFile('runs/a-fwm-halfway/run_fwm_ptb_141.out');
  const frame = await wb.fitFromExplorer('runs/a-fwm-halfway/run_fwm_ptb_141.out', { timeout: 120_000, trust: true });
  assert.equal(await frame.locator('#sl-series').inputValue(), 'loss');
  const trust = await frame.locator('#sl-trust').innerText();
  assert.match(trust, /the optimizer switches to averaged SGD \(ASGD\) after step 508k \(after epoch 766: optimizer='adam', asgdtime=765 in run_fwm_ptb_141\.out's printed arguments \(line 28\)\)/);
  assert.match(trust, /open below to 0 after step 508k, where the optimizer or its LR changes/);
  // Each reason on a line of its own, under the verdict that counts them.
  const reasons = await frame.locator('#sl-reasons li').allInnerTexts();
  assert.match(await frame.locator('#sl-verdict').innerText(), new RegExp(`^Not supported \\(${reasons.length} reasons\\):$`));
  assert.ok(reasons.length >= 3 && reasons.some((r) => r.startsWith('the optimizer switches to averaged SGD (ASGD) after step 508k')), reasons.join(' | '));
  const g = await frame.locator('#sl-goodness').innerText();
  const p = /(?<!Fitted )Loss at step [\d.k]+\s+([\d.e+-]+) \(([\d.e+-]+) – ([\d.e+-]+)\)/.exec(g);
  assert.ok(p, g);
  assert.equal(Number(p[2]), 0, g);
  assert.ok(Number(p[3]) >= last && Number(p[1]) > last, `band 0 – ${p[3]} around ${p[1]} holds the run's real last training loss ${last}, below the prediction`);
  await shot('awd-averaging-band');
  await frame.locator('#sl-trust').scrollIntoViewIfNeeded();
  await shot('awd-averaging-trust');

  await frame.locator('#sl-series').selectOption('valid_loss');
  await wb.waitUntil('refitted on valid_loss', async () => /series "valid_loss"/.test((await frame.locator('.sl-note').allInnerTexts()).join('\n')), 120_000);
  await wb.waitForTrust(frame, 60_000);
  const notes = (await frame.locator('.sl-note').allInnerTexts()).join('\n');
  assert.match(notes, /no band: open both ways \(down to 0 and without bound above\)/);
  assert.match(await frame.locator('#sl-trust').innerText(), /the optimizer switches to averaged SGD \(ASGD\) after step 508k/);
  await shot('awd-averaging-valid-no-band');
}
