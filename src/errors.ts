/**
 * Error classes callers are expected to catch. Everything else throws a built-in `TypeError` or
 * `RangeError` (STYLE C14).
 *
 * @module
 */

/** Thrown by `ready()` when the requested backend cannot run in this runtime. */
export class BackendUnavailableError extends Error {
  /**
   * Creates the error.
   *
   * @param message What was requested and why it cannot run.
   */
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}
