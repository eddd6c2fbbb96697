/** Positions in a text, as messages name them. */

/** The 1-based line `index` is on in `text` (the line ends before it, plus one). Linear in `index`. */
export function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
