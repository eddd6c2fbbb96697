import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli';

test('cli rejects an unknown command with exit code 2', async () => {
  const write = process.stderr.write;
  let err = '';
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    assert.equal(await main(['bogus']), 2);
  } finally {
    process.stderr.write = write;
  }
  assert.match(err, /unknown command 'bogus'/);
});
