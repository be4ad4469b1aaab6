/**
 * `fit()`'s own output: one summary line per epoch. The live bar with an ETA is the
 * `progressBar()` callback of the subpath export `@dendrite/dendrite/progress`, which keeps its
 * npm package out of the core module graph.
 *
 * @module
 */

/** `loss: 0.1234 - accuracy: 0.9000`, the logs as Keras prints them. */
export function fmtLogs(logs: Record<string, number>): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(" - ");
}

/** Prints one summary line for an epoch. */
export function epochLine(
  epoch: number,
  epochs: number,
  logs: Record<string, number>,
  seconds: number,
): void {
  console.log(`Epoch ${epoch + 1}/${epochs} - ${seconds.toFixed(1)}s - ${fmtLogs(logs)}`);
}
