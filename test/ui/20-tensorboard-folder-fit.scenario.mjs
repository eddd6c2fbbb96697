// Issue 13, like a user: a TensorBoard run folder (two event files: the job was resumed) appears in
// the workspace; right-click the folder in the explorer → Fit Scaling Law; the panel draws the
// run's loss curve read from the binary event files, merged by step across the restart; the side
// view follows the folder.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'explorer: right-click a TensorBoard run folder → Fit Scaling Law → chart of its loss';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { tfRecord, fileVersionEvent, scalarEvent } = createRequire(import.meta.url)(join(root, 'out/test/helpers/runWriters.js'));

/** A GPT-like run: L(tokens) = 1.9 + 480 / tokens^0.3, 262,144 tokens per step, eval every 500 steps. */
function eventFile(from, to, wall) {
  const recs = [fileVersionEvent(wall)];
  for (let s = from; s <= to; s += 50) {
    const tokens = s * 262144;
    recs.push(scalarEvent('train/loss', s, 1.9 + 480 / Math.pow(tokens, 0.3), { wallTime: wall + s }));
    recs.push(scalarEvent('train/tokens_seen', s, tokens, { wallTime: wall + s, form: 'tensor-double' }));
    recs.push(scalarEvent('lr', s, 3e-4, { wallTime: wall + s }));
    if (s % 500 === 0) recs.push(scalarEvent('eval/loss', s, 1.95 + 480 / Math.pow(tokens, 0.3), { wallTime: wall + s }));
  }
  return Buffer.concat(recs.map((r) => tfRecord(r)));
}

export default async function ({ page, wb, shot, assert, workspace }) {
  const dir = join(workspace, 'runs', 'tb-gpt-small');
  mkdirSync(dir, { recursive: true });
  // First job: steps 50..6000; resumed from the step-5000 checkpoint: 5000..12000.
  writeFileSync(join(dir, 'events.out.tfevents.1733130000.gpu-node.101.0'), eventFile(50, 6000, 1733130000));
  writeFileSync(join(dir, 'events.out.tfevents.1733140000.gpu-node.202.0'), eventFile(5000, 12000, 1733140000));

  const row = await wb.explorerRow('runs/tb-gpt-small');
  await shot('tensorboard-folder-in-explorer');
  const items = await wb.contextMenu(row, 'Fit Scaling Law', { click: false, timeout: 90_000 });
  await shot('folder-context-menu');
  assert.ok(items.includes('Fit Scaling Law'), `menu items: ${items.join(' | ')}`);
  await page.keyboard.press('Escape');
  await wb.contextMenu(row, 'Fit Scaling Law');

  const frame = await wb.waitForWebview({ selector: 'body[data-rendered="true"]', timeout: 90_000 });
  await wb.waitUntil('the progress toast to close', async () =>
    !(await wb.notifications('Scaling Lens')).some((n) => /Fitting|Reading/.test(n.text)), 15_000);
  const painted = await wb.paintedPixels(frame);
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  const text = await frame.locator('body').innerText();
  assert.match(text, /tb-gpt-small/, 'the panel names the folder');
  assert.match(text, /train\/loss/, 'the fitted series is the train/loss tag');
  // 240 steps (50..12000 by 50): the restart's overlap is merged, not duplicated.
  const goodness = await frame.locator('#sl-goodness').innerText();
  const used = Number(/Points used\s+(\d+)/.exec(goodness)?.[1]);
  assert.ok(used > 150 && used <= 240, `points used: ${goodness}`);
  await shot('tensorboard-run-fitted');

  // The side view follows the fitted folder (it has no editor to follow) and draws it too.
  // The command focuses (and so expands) the view even when another scenario left it collapsed.
  await wb.runCommand('Scaling Lens: Show Side View');
  const side = await wb.waitForWebview({ selector: 'body.sl-sideview[data-rendered="true"]', timeout: 60_000 });
  assert.match(await side.locator('h2').innerText(), /tb-gpt-small/);
  assert.match(await side.locator('#sl-summary').innerText(), /Rows\s+240/);
  await shot('side-view-follows-folder');
}
