/**
 * Shapes shared by the log layer (src/core/logs), the fitting core (src/core/fit), the config layer
 * (src/core/config), the CLI and the extension. Plain data only: no `vscode`, no DOM.
 */

/** A position in a source file: 1-based line, 0-based column (the editor glue converts). */
export interface SourcePos {
  line: number;
  column: number;
}

/** Something wrong or noteworthy in an input file, tied to a line when there is one. */
export interface Problem {
  /** 1-based line in the file, or 0 for the file as a whole. */
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** One training run's curve, in row order after restarts/duplicates are resolved. */
export interface RunCurve {
  /** Name of the loss series (column) this curve is. */
  series: string;
  step: Float64Array;
  /** Tokens seen at each point, when known. */
  tokens?: Float64Array;
  /** Cumulative training FLOPs at each point, when known. */
  flops?: Float64Array;
  loss: Float64Array;
  /** 1-based source line of each point. */
  lines: Uint32Array;
  /** The run's label when a `run` column splits the log's rows (a folder of several runs). */
  run?: string;
}

/** A sweep table: one row per training run, its size, data and final loss. */
export interface SweepTable {
  /** Parameters N. */
  N: Float64Array;
  /** Training tokens D (C/(6N) when only FLOPs were given). */
  D: Float64Array;
  /** D came from the table's own tokens column (not C/(6N)). */
  tokensGiven?: boolean;
  /** Each row's step (a checkpoint's step) and learning rate, when the table has those columns. */
  step?: Float64Array;
  lr?: Float64Array;
  /** Training FLOPs C (6ND when not given). */
  C: Float64Array;
  loss: Float64Array;
  /** 1-based source line of each row. */
  lines: Uint32Array;
  runIds?: string[];
  /**
   * Rows left out as stray values (logs/convert.ts strayRows): a value over a million times from every
   * other row's, in a small minority of rows. Their lines, and the first found: its line, column and value.
   */
  strays?: { lines: number[]; line: number; column: 'N' | 'D' | 'C' | 'loss'; value: number };
}
