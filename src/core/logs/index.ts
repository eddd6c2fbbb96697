/** The log layer: detect, parse (papaparse CSV / JSONL / trainer_state.json / trainer stdout), roles. */
export type { LogFormat, ColumnRole, ColumnInfo, ParsedLog, ParseOptions, ParseStats, RunMeta } from './types';
export { isRunFileName, listRuns, parseRunPath, runFilesUnder, runFolderKind, runFoldersOf, runStamp } from './runs';
export type { RunRef, RunKind } from './runs';
export { isTfeventsName } from './tfevents';
export { COLUMN_ROLES } from './types';
export { detectFormat, looksLikeLog } from './detect';
export { inferRoles, normalizeName } from './roles';
export type { SampleValue } from './roles';
export { parseLogFile, parseLogText, decideKind, LogReadError } from './parse';
export { dropStrays, hollowLossColumns, hollowLossText, seriesColumn, sweepRowUsable, toRunCurves, toSweep, WHOLE_LOSS } from './convert';
export { readTailFacts, withTailFacts } from './tail';
