/** Shapes of run discovery and sweep assembly. Plain data: crosses worker_threads and postMessage. */
import type { ScheduleKind } from './schedule';

/** How a run folder is laid out (what its config and log are). */
export type RunLayout = 'hf-trainer' | 'lightning' | 'nanogpt' | 'torchtitan' | 'yaml-config' | 'json-config' | 'mlflow' | 'wandb' | 'dvclive' | 'allennlp' | 'sacred' | 'log-only';

/** A run folder: its config, its log and what they say. */
export interface RunInfo {
  /** The run folder (absolute). For a Hugging Face output dir holding only checkpoints, the output dir. */
  path: string;
  /** `path` relative to the discovery root, with forward slashes ('.' for the root itself). */
  rel: string;
  /** The folder the run is grouped under in the runs view: `rel`'s parent ('.' at the top). */
  group: string;
  layout: RunLayout;
  /** The training log read (absolute). */
  log: string;
  logFormat: string;
  /** The config that gave the model size (absolute), when one did. */
  config?: string;
  /** Model size: from the config (exact; total and active, active = total for dense models), else as the log printed it (`paramsSource`). */
  params?: { total: number; active: number };
  /** Where the model size came from when no config gave it (the log's printed preamble). */
  paramsSource?: string;
  architecture?: string;
  /** Tokens trained so far (the last logged point). */
  tokens?: number;
  /** Where `tokens` came from, in words. */
  tokensSource?: string;
  /** Tokens the config plans for the whole run, when it says. */
  plannedTokens?: number;
  /** Last logged optimizer step (or epoch, when `stepUnit` says the log's steps are its epochs). */
  steps?: number;
  /** `epoch` when the log's steps are its epochs (one row per epoch, no step column). */
  stepUnit?: 'epoch';
  /** Final loss (see FINAL_LOSS_RULE). */
  loss?: number;
  /** The loss series used. */
  lossSeries?: string;
  /** tokens / active parameters (Chinchilla's convention). */
  tokensPerParam?: number;
  schedule: ScheduleKind;
  scheduleNote: string;
  /** Logged points of the loss series. */
  points: number;
  /** Intermediate points valid as sweep points (constant or WSD learning rate), log-spaced, ≤ 16. */
  curvePoints?: { tokens: number[]; loss: number[]; step: number[]; lines: number[] };
  /** Its held-out loss has turned up (src/core/overfit.ts): the series, its lowest and where, the rise since, the training loss's change meanwhile. */
  heldOutRise?: { series: string; best: number; bestStep: number; rise: number; trainChange?: number };
  /** Why the run is left out of fits, or what to know about its numbers. */
  problems: string[];
  /** Model size, tokens and a final loss are all known: the run can enter a sweep. */
  usable: boolean;
  /** Size and modification time of the log, for refresh and caching. */
  logSize: number;
  logMtimeMs: number;
}

export interface DiscoverResult {
  root: string;
  runs: RunInfo[];
  /** Whole-walk notes: limits hit, unreadable folders, files that could not be read. */
  problems: string[];
}

/** One row of an assembled sweep. */
export interface SweepRow {
  /** The run folder, relative to the discovery root. */
  run: string;
  /** The run's log (absolute): each row's source. */
  source: string;
  /** 1-based line of the point in the log (0 when unknown). */
  line: number;
  /** Parameters used in the fit: active (= total for dense models). */
  N: number;
  totalParams: number;
  D: number;
  /** 6·N·D. */
  C: number;
  loss: number;
  step?: number;
  /** The run's final point, or an intermediate point of a constant/WSD schedule. */
  point: 'final' | 'curve';
}

export interface AssembledSweep {
  rows: SweepRow[];
  /** Runs left out, with the reason. */
  excluded: { run: string; reason: string }[];
  /** How the rows were chosen. */
  notes: string[];
}
