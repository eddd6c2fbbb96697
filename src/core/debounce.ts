/**
 * A trailing debounce with a maximum wait: `poke()` on every change; `fire` runs once the changes
 * stop for `delayMs`, and at the latest `maxWaitMs` after the first change not yet served, so a file
 * that keeps changing (a run appending every second) is still refitted regularly.
 * Plain timers, no editor API: the extension's live refit uses it and the unit tests drive it.
 */
export interface DebounceTiming {
  delayMs: number;
  /** Longest time from the first unserved change to `fire` (at least delayMs; ≤ 0: no maximum). */
  maxWaitMs: number;
}

export class MaxWaitDebounce {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Time of the first change since `fire` last ran, or undefined when nothing is pending. */
  private firstAt: number | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly timing: () => DebounceTiming,
    private readonly now: () => number = Date.now,
  ) {}

  poke(): void {
    const { delayMs, maxWaitMs } = this.timing();
    const t = this.now();
    this.firstAt ??= t;
    const deadline = maxWaitMs > 0 ? this.firstAt + Math.max(delayMs, maxWaitMs) : Infinity;
    const wait = Math.max(0, Math.min(delayMs, deadline - t));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.firstAt = undefined;
      this.fire();
    }, wait);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.firstAt = undefined;
  }
}
