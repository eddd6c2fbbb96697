/**
 * Lookups in tables keyed by user text (column names, config values, settings): own properties
 * only. `table['constructor']` on a plain object is Object's constructor, and assigning
 * `table['__proto__']` replaces the prototype; a Map, or these helpers, avoid both.
 */

/** The own property `key` of `table` (never one inherited from Object.prototype). */
export function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Sets `table[key]` as an own property, even for `__proto__`. */
export function setOwn<T>(table: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
}
