// Makes src/core/logs/csvrowsWasm.ts (the bytes of the CSV row loop's WebAssembly module, base64)
// from src/core/logs/csvrows.wat with wabt (a development dependency: the built extension carries the
// bytes, not the assembler). `node scripts/wasm.mjs` writes it; `--check` exits 1 when the committed
// file is not this text's (test/unit/csvWasm.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wat = join(root, 'src/core/logs/csvrows.wat');
const out = join(root, 'src/core/logs/csvrowsWasm.ts');

/** The module's bytes as the TypeScript file holds them. */
export async function wasmSource() {
  const wabt = await createRequire(import.meta.url)('wabt')();
  const mod = wabt.parseWat('csvrows.wat', readFileSync(wat, 'utf8'), { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const b64 = Buffer.from(buffer).toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [];
  return `// Made by \`node scripts/wasm.mjs\` from csvrows.wat: do not edit (a unit test checks that they match).\n` +
    `export const CSV_ROWS_WASM =\n${lines.map((l) => `  '${l}'`).join(' +\n')};\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await wasmSource();
  if (process.argv.includes('--check')) {
    const same = readFileSync(out, 'utf8') === text;
    if (!same) console.error(`${out} is not csvrows.wat's: run node scripts/wasm.mjs`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
