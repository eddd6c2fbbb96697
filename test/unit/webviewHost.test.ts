// One webview host (issue 9): every webview extends src/extension/webviewHost.ts, and what a webview
// keeps for a window reload is parsed as untrusted input before the host uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SAVED_RUNS, isToCompareWebview, isToWebview, parseSavedState } from '../../src/protocol';
import { savedRuns, type RunInfo } from '../../src/core/runs';

const EXT = join(__dirname, '..', '..', '..', 'src', 'extension');

test('saved webview state: only well-formed own fields survive', () => {
  assert.deepEqual(parseSavedState({ file: '/ws/a.csv' }), { file: '/ws/a.csv' });
  assert.deepEqual(parseSavedState({ runs: ['/ws/r1/log.csv', '/ws/r2/log.csv'], budget: 1e21 }), { runs: ['/ws/r1/log.csv', '/ws/r2/log.csv'], budget: 1e21 });
  for (const bad of [undefined, null, 'x', 3, ['/ws/a.csv'], { file: 3 }, { file: '' }, { file: 'a\0b' }, { file: 'x'.repeat(5000) }, { runs: 'a' }, { runs: [] }, { runs: [1, null, ''] }, { budget: -1 }, { budget: Number.NaN }, { budget: '1e21' }]) {
    assert.deepEqual(parseSavedState(bad), {}, JSON.stringify(bad) ?? String(bad));
  }
  // Inherited keys are not the webview's state (a prototype is not data).
  assert.deepEqual(parseSavedState(Object.create({ file: '/ws/a.csv', runs: ['/ws/x'] }) as unknown), {});
  assert.deepEqual(parseSavedState(JSON.parse('{"__proto__": {"file": "/ws/a.csv"}}')), {});
  // Strings kept, the rest dropped; each once; at most MAX_SAVED_RUNS.
  assert.deepEqual(parseSavedState({ runs: ['/a', 7, '/b', '/a', { x: 1 }] }).runs, ['/a', '/b']);
  const many = Array.from({ length: MAX_SAVED_RUNS + 50 }, (_, i) => `/ws/run${i}/log.csv`);
  assert.equal(parseSavedState({ runs: many }).runs?.length, MAX_SAVED_RUNS);
});

test('the host\'s persist message reaches both kinds of webview', () => {
  const m = { type: 'persist', state: { runs: ['/a'] } };
  assert.ok(isToWebview(m));
  assert.ok(isToCompareWebview(m));
});

test('a restored panel takes only runs found now, in the saved order, once each', () => {
  const run = (log: string) => ({ log, rel: log.split('/').slice(-2, -1)[0] }) as RunInfo;
  const known = [run('/ws/a/log.csv'), run('/ws/b/log.csv'), run('/ws/c/log.csv')];
  assert.deepEqual(savedRuns(['/ws/c/log.csv', '/ws/gone/log.csv', '/ws/a/log.csv', '/ws/c/log.csv'], known).map((r) => r.rel), ['c', 'a']);
  assert.deepEqual(savedRuns(['/etc/passwd'], known), []);
  assert.deepEqual(savedRuns([], known), []);
});

test('one webview host: no other extension file builds webview HTML or wires webview messages', () => {
  const files = readdirSync(EXT).filter((f) => f.endsWith('.ts') && f !== 'webviewHost.ts');
  const hosts: string[] = [];
  for (const f of files) {
    const src = readFileSync(join(EXT, f), 'utf8');
    for (const pattern of [/\.html\s*=/, /onDidReceiveMessage/, /webview\.postMessage\(/, /\.options\s*=\s*webviewOptions/, /Content-Security-Policy/]) {
      assert.ok(!pattern.test(src), `${f} does ${pattern} itself: extend WebviewHost (src/extension/webviewHost.ts) instead`);
    }
    if (/extends (WebviewHost|PanelHost)</.test(src)) hosts.push(f);
  }
  // The chart panel, the side view, the allocation view, the compare and fit-across panels.
  assert.deepEqual(hosts.sort(), ['allocationPanel.ts', 'comparePanel.ts', 'panel.ts', 'sideView.ts']);
  const compare = readFileSync(join(EXT, 'comparePanel.ts'), 'utf8');
  assert.equal(compare.match(/extends PanelHost</g)?.length, 2, 'compare and fit-across panels');
});
