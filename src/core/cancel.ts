/**
 * The one cancellation error of the core, the worker and the extension. Everything that stops
 * because its AbortSignal fired throws `Cancelled` (the log readers too); `isCancelled` also
 * recognises the DOM-style `AbortError` that Node's own APIs throw, so callers test one thing.
 */
export class Cancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

/** True for our `Cancelled` and for an `AbortError` (Node streams, fetch). */
export function isCancelled(e: unknown): boolean {
  return e instanceof Cancelled || (e instanceof Error && (e.name === 'Cancelled' || e.name === 'AbortError'));
}

/** Throws `Cancelled` when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Cancelled();
}
