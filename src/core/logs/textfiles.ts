/** Small text files of run folders (MLflow metric files, W&B JSON/YAML), read with size limits. */
import * as fs from 'node:fs';
import { Cancelled } from '../cancel';

/** A regular file's text, or undefined when it is absent, not a regular file, or over `max` bytes. */
export async function readSmallText(file: string, max = 1 << 20): Promise<string | undefined> {
  try {
    const st = await fs.promises.lstat(file);
    if (!st.isFile() || st.size > max) return undefined;
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function isFile(p: string): Promise<boolean> {
  try { return (await fs.promises.lstat(p)).isFile(); } catch { return false; }
}

export async function isDir(p: string): Promise<boolean> {
  try { return (await fs.promises.lstat(p)).isDirectory(); } catch { return false; }
}

/**
 * Calls `onLine(text, lineNumber)` for each line of a regular file, streaming (bounded memory).
 * Returns the bytes read and whether the file ended without a newline.
 */
export async function eachLine(file: string, onLine: (line: string, n: number) => void, signal?: AbortSignal): Promise<{ bytes: number; noFinalNewline: boolean }> {
  const fh = await fs.promises.open(file, 'r');
  const decoder = new TextDecoder('utf-8');
  const buf = Buffer.allocUnsafe(1 << 20);
  let partial = '';
  let n = 0;
  let bytes = 0;
  /** Inside an over-long line already handed on (its head): the rest of it is skipped, never a line of its own. */
  let skipping = false;
  try {
    for (;;) {
      if (signal?.aborted) throw new Cancelled('parsing was cancelled');
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      let text = partial + decoder.decode(buf.subarray(0, bytesRead), { stream: true });
      if (skipping) {
        const k = text.indexOf('\n');
        if (k < 0) continue;
        skipping = false;
        text = text.slice(k + 1);
      }
      let i = 0;
      for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', i)) {
        onLine(text.charCodeAt(j - 1) === 13 ? text.slice(i, j - 1) : text.slice(i, j), ++n);
        i = j + 1;
      }
      partial = text.slice(i);
      // A line past 4 MB: its head goes on (the caller reports it as unreadable), its tail is dropped
      // up to the line end, so the end of a long line never becomes a fabricated row.
      if (partial.length > 4 << 20) { onLine(partial.slice(0, 200), ++n); partial = ''; skipping = true; }
    }
    partial += decoder.decode();
    if (skipping) partial = '';
    if (partial.length) onLine(partial, ++n);
    return { bytes, noFinalNewline: partial.length > 0 };
  } finally {
    await fh.close();
  }
}
