/** The log layer's error for a file or folder it cannot read (a module of its own: no import cycles). */
export class LogReadError extends Error {
  constructor(message: string) { super(message); this.name = 'LogReadError'; }
}
