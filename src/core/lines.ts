/** Positions in a text, as messages name them. */

/** The 1-based line `index` is on in `text` (the line ends before it, plus one). Linear in `index`. */
export function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The lines of `text` as `[start, end, n]`: `text.slice(start, end)` is the line without its '\n' (a
 * '\r' before it stays), `n` its 1-based number. Stops at the line that would start at or past
 * `maxChars`, or after `maxLines` lines (the readers of configs and console heads bound their work
 * so). Linear: one indexOf a line; each caller bounds the length of a line it reads.
 */
export function* lineSpans(text: string, maxChars = Infinity, maxLines = Infinity): Generator<[number, number, number]> {
  const max = Math.min(text.length, maxChars);
  let start = 0, n = 0;
  while (start < max && n < maxLines) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield [start, end, ++n];
    start = end + 1;
  }
}
