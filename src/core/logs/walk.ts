/**
 * Bounded folder walks and the run references the run-folder readers (runs.ts, mlflow.ts,
 * wandb.ts) share: a module of its own so those readers do not import each other in a circle.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const WALK_LIMITS = { depth: 4, entries: 20000, files: 512 };

export type RunKind = 'tfevents' | 'mlflow' | 'wandb' | 'dvclive' | 'allennlp' | 'raytune';

export interface RunRef {
  /** The run's folder (or file). */
  path: string;
  /** A display name: the run name when the store has one, else the folder name. */
  name: string;
  kind: RunKind;
}

export interface WalkResult { files: string[]; truncated: boolean }

/** Regular files under `dir` whose name passes `match`, breadth-first, within WALK_LIMITS. */
export async function walkFiles(dir: string, match: (name: string) => boolean, limits = WALK_LIMITS): Promise<WalkResult> {
  const files: string[] = [];
  let entries = 0;
  let truncated = false;
  let level = [dir];
  for (let depth = 0; depth <= limits.depth && level.length; depth++) {
    const next: string[] = [];
    for (const d of level) {
      let list: fs.Dirent[];
      try {
        list = await fs.promises.readdir(d, { withFileTypes: true });
      } catch {
        continue;
      }
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of list) {
        if (++entries > limits.entries) { truncated = true; break; }
        if (e.isFile() && match(e.name)) {
          if (files.length >= limits.files) { truncated = true; break; }
          files.push(path.join(d, e.name));
        } else if (e.isDirectory() && !/^(node_modules|\.git|\.venv|__pycache__)$/.test(e.name)) next.push(path.join(d, e.name));
      }
      if (truncated) break;
    }
    if (truncated) break;
    if (depth === limits.depth && next.length) truncated = true;
    level = next;
  }
  return { files, truncated };
}
