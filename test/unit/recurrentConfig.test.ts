// Real dumped configs of PaddleSpeechTask's punctuation-restoration runs (PaddleSpeech's trainer; test/fixtures/SOURCES.md
// `paddlespeechtask-punc-lstm/`, `paddlespeechtask-punc-blstm/`): one-line Python dict reprs, `'model_type': 'lstm'`
// with `'vocab_size'`, `'hidden_size'`, `'num_layers'` (and `'blstm'`). Before, they were counted as a GPT-2-style
// transformer ("Architecture not named": N = 2,688,768 for the LSTM, whose own code, nn.Embedding + nn.LSTM +
// nn.Linear, has 2,137,350), and the fit beside them took that N; the run folder, read as one log, did not look at
// the config inside it. Now a recurrent model type gets no count, said, and a run folder's own config is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { analyzeConfig } from '../../src/core/config';
import { analyzeFile } from '../../src/core/pipeline';
import { DEFAULT_ANALYZE_OPTIONS } from '../../src/core/options';
import { fitToJson } from '../../src/core/summary';
import { FIXTURES } from './fixtureUtil';
import { tmpDir } from './tmpUtil';

const LSTM = path.join(FIXTURES, 'paddlespeechtask-punc-lstm');
const BLSTM = path.join(FIXTURES, 'paddlespeechtask-punc-blstm');

test('a dumped config naming a recurrent model type (lstm, blstm) gets no transformer count, and says why on its line', () => {
  for (const dir of [LSTM, BLSTM]) {
    const text = fs.readFileSync(path.join(dir, 'config.yaml'), 'utf8');
    const type = /'model_type': '(\w+)'/.exec(text)![1];
    assert.match(type, /^b?lstm$/);
    // The file has the sizes a transformer count would take.
    assert.match(text, /'hidden_size': \d+/);
    assert.match(text, /'num_layers': \d+/);
    const a = analyzeConfig(text, 'config.yaml')!;
    assert.ok(a, dir);
    assert.equal(a.params, undefined, `${dir}: ${a.params?.total}`);
    assert.equal(a.architecture, 'unknown');
    assert.equal(a.notTransformer?.line, 1);
    assert.match(a.notTransformer!.message, new RegExp(`^model_type "${type}" is a recurrent network \\(LSTM, GRU or RNN\\), not a transformer`));
    assert.ok(a.problems.includes(a.notTransformer!));
  }
});

test('the fit beside that config takes no model size from it, and says why (the LSTM run\'s own event files)', async () => {
  const tmp = tmpDir('sl-rnn-');
  try {
    for (const f of fs.readdirSync(LSTM)) {
      const to = path.join(tmp, f.replace(/\.gz$/, ''));
      const buf = fs.readFileSync(path.join(LSTM, f));
      fs.writeFileSync(to, f.endsWith('.gz') ? zlib.gunzipSync(buf) : buf);
    }
    // The run's event file, and the run folder (read as one log: its own config.yaml is the run's,
    // where before the folder around it was searched).
    for (const log of [path.join(tmp, 'events.out.tfevents.1627878709.localhost.localdomain'), tmp]) {
      const a = await analyzeFile(log, { ...DEFAULT_ANALYZE_OPTIONS, bootstrap: 0 });
      const j = fitToJson(a.state) as unknown as { configNote?: string };
      assert.match(j.configNote ?? '', /^no model size from config\.yaml: model_type "lstm" is a recurrent network .* \(line 1\)$/, log);
      assert.ok(!(a.state.options.params > 0));
      assert.equal(a.state.fit?.xKind, 'step');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
