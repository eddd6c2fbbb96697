/** JSON as Python's json module writes it. */

/**
 * Python's json writes NaN / Infinity / -Infinity bare; turn them into strings we then report (a
 * JSONL row's cell, an AllenNLP metric, a Ray Tune param), instead of refusing the whole document.
 */
export function parseJsonLenient(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    if (/NaN|Infinity/.test(line)) return JSON.parse(line.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"'));
    throw e;
  }
}
