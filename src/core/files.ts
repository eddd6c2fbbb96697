/**
 * Opening user files safely: only regular files. A named pipe (FIFO) matching a log pattern would
 * block the read forever (and, on the extension host, an I/O thread every extension shares); a
 * device or socket is never a log or a config. The file is opened non-blocking and checked with
 * fstat on the open handle, so a file swapped for a pipe between a stat and the open is caught too.
 */
import * as fs from 'node:fs';

/** The kind of a non-regular file, in words. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'of an unknown kind';
}

export class FileError extends Error {
  constructor(message: string, readonly code?: string) { super(message); this.name = 'FileError'; }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

/** O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (0 where unsupported). */
const NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/**
 * Opens `file` for reading if, and only if, it is a regular file. Rejects with a FileError whose
 * message names the file and says why ("not a regular file: a named pipe (FIFO); not read", "cannot read (no such file)").
 */
export async function openRegular(file: string): Promise<{ fh: fs.promises.FileHandle; size: number }> {
  let fh: fs.promises.FileHandle;
  try {
    // Checked before opening too: some systems block even a non-blocking open of a pipe.
    const pre = await fs.promises.stat(file);
    if (pre.isDirectory()) throw new FileError(`${file}: is a directory, not a file`, 'EISDIR');
    if (!pre.isFile()) throw new FileError(`${file}: not a regular file: ${fileKind(pre)}; not read`, 'ENOTREG');
    fh = await fs.promises.open(file, fs.constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`${file}: cannot read (${reason(e)})`, (e as NodeJS.ErrnoException).code);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new FileError(`${file}: not a regular file: ${fileKind(st)}; not read`, 'ENOTREG');
  }
  return { fh, size: st.size };
}

/** The first `bytes` bytes of a regular file, or undefined when it is not one or cannot be read. */
export async function readHead(file: string, bytes: number): Promise<Buffer | undefined> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = (await openRegular(file)).fh;
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}

/**
 * A whole regular file as UTF-8 text, at most `maxBytes` long. Rejects with a FileError naming the
 * file: not a regular file, too large, unreadable.
 */
export async function readRegularText(file: string, maxBytes: number): Promise<string> {
  const { fh, size } = await openRegular(file);
  try {
    if (size > maxBytes) throw new FileError(`${file}: ${(size / 1048576).toFixed(1)} MB is larger than the ${(maxBytes / 1048576).toFixed(1)} MB read for a config; not read`, 'EFBIG');
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off).toString('utf8');
  } finally {
    await fh.close();
  }
}
