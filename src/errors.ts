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

/**
 * Thrown by a kernel call when a worker stopped answering, or died, in the middle of one of the
 * call's pieces: the piece's output may be partly written and nothing proves the worker will not
 * write it again, so it cannot be re-run. The workers are terminated; later calls run on the
 * calling thread, so the op can be run again.
 */
export class WorkerStalledError extends Error {
  /** The kernel export whose piece was lost. */
  readonly kernel: string;
  /** The worker (1-based; the calling thread is 0) that held it. */
  readonly worker: number;

  /**
   * Creates the error.
   *
   * @param message What failed, where, and what runs next.
   * @param kernel The kernel export whose piece was lost.
   * @param worker The worker (1-based, the calling thread is 0) that held it.
   */
  constructor(message: string, kernel: string, worker: number) {
    super(message);
    this.kernel = kernel;
    this.worker = worker;
    this.name = "WorkerStalledError";
  }
}
