/**
 * The monitored value of the callbacks that watch one (`modelCheckpoint`, `reduceLROnPlateau`):
 * its direction from `mode`, and its value read from an epoch's logs.
 *
 * @module
 */
import { checkOneOf } from "../_check.ts";
import type { Logs } from "./callbacks.ts";

/**
 * `1` when smaller is better, `-1` when larger is: `mode` `"min"`, `"max"`, or `"auto"` (larger
 * for accuracies and AUC, as Keras's auto mode, else smaller).
 */
export function monitorSign(mode: unknown, monitor: string, fn: string): 1 | -1 {
  const m = checkOneOf(mode ?? "auto", ["auto", "min", "max"] as const, "mode", fn);
  return m === "max" || (m === "auto" && /acc|auc/.test(monitor)) ? -1 : 1;
}

/** `logs[monitor]`, or a RangeError listing what is logged (a typo must not pass silently). */
export function monitoredValue(logs: Logs, monitor: string, fn: string): number {
  const value = logs[monitor];
  if (value === undefined) {
    throw new RangeError(
      `Cannot run ${fn}(): monitored value "${monitor}" is not logged: got ${
        Object.keys(logs).join(", ")
      }`,
    );
  }
  return value;
}
