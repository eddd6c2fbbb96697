/**
 * A bounded directory walk for run discovery: breadth-first and iterative (no recursion), limited
 * in depth, folders and files, regular files and real folders only (symbolic links, pipes, sockets
 * and devices are never followed or opened), tool and hidden folders skipped.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export interface WalkLimits {
  /** Deepest folder level below the root that is read (root = 0). Default 8. */
  maxDepth: number;
  /** Most folders read. Default 5,000. */
  maxDirs: number;
  /** Most files listed in total. Default 50,000. */
  maxFiles: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDepth: 8, maxDirs: 5000, maxFiles: 50_000 };

export interface WalkedDir {
  dir: string;
  /** Depth below the root (root = 0). */
  depth: number;
  /** Names of the regular files in the folder, sorted. */
  files: string[];
  /** Names of the sub-folders that were (or would have been) walked, sorted. */
  dirs: string[];
}

export interface WalkResult {
  dirs: WalkedDir[];
  /** Why the walk stopped early, when it did. */
  truncated?: string;
  /** Folders that could not be read (permission denied…), with the reason. */
  unreadable: { dir: string; reason: string }[];
}

/** Folders never entered: version control, environments, caches, build output. */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', '.venv', 'env', 'dist', 'out', 'build', '.git', '.hg', '.svn']);

export function skipDir(name: string): boolean {
  return name.startsWith('.') || SKIP_DIRS.has(name);
}

export async function walk(root: string, limits: Partial<WalkLimits> = {}, signal?: AbortSignal): Promise<WalkResult> {
  const lim = { ...DEFAULT_WALK_LIMITS, ...limits };
  const out: WalkResult = { dirs: [], unreadable: [] };
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  let files = 0;
  for (let qi = 0; qi < queue.length; qi++) {
    if (signal?.aborted) break;
    if (out.dirs.length >= lim.maxDirs) {
      out.truncated = `stopped after ${lim.maxDirs} folders`;
      break;
    }
    const { dir, depth } = queue[qi];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      out.unreadable.push({ dir, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      continue;
    }
    const w: WalkedDir = { dir, depth, files: [], dirs: [] };
    // Dirent types come from the directory listing itself (lstat semantics): a symbolic link is
    // neither a file nor a folder here, so it is never followed.
    for (const e of entries) {
      if (e.isFile()) {
        if (files >= lim.maxFiles) { out.truncated = `stopped after ${lim.maxFiles} files`; continue; }
        w.files.push(e.name);
        files++;
      } else if (e.isDirectory() && !skipDir(e.name)) {
        w.dirs.push(e.name);
      }
    }
    w.files.sort();
    w.dirs.sort();
    out.dirs.push(w);
    if (depth < lim.maxDepth) for (const d of w.dirs) queue.push({ dir: path.join(dir, d), depth: depth + 1 });
    else if (w.dirs.length) out.truncated ??= `folders deeper than ${lim.maxDepth} levels were not read`;
  }
  return out;
}
