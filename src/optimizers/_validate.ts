/**
 * Option checks shared by the optimizer and schedule factories (STYLE C14): every message names
 * the function and the option, what was expected and what came.
 *
 * @module
 */
import { fmtValue } from "../_check.ts";

export { checkOptions } from "../_check.ts";

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** A finite number >= 0 (`value` undefined gives `fallback`). */
export function nonNegative(value: unknown, fallback: number, arg: string, fn: string): number {
  if (value === undefined) return fallback;
  if (!isNumber(value) || value < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be a finite number >= 0: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/** A finite number > 0; `undefined` stays undefined when `fallback` is undefined. */
export function positive<F extends number | undefined>(
  value: unknown,
  fallback: F,
  arg: string,
  fn: string,
): number | F {
  if (value === undefined) return fallback;
  if (!isNumber(value) || value <= 0) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be a finite number > 0: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/** A number in `[0, 1)` (decay rates: momentum, beta1, beta2, rho) or in `[0, 1]` if `closed`. */
export function unit(
  value: unknown,
  fallback: number,
  arg: string,
  fn: string,
  closed = false,
): number {
  if (value === undefined) return fallback;
  if (!isNumber(value) || value < 0 || (closed ? value > 1 : value >= 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be in [0, 1${closed ? "]" : ")"}: got ${
        fmtValue(value)
      }`,
    );
  }
  return value;
}

/** A boolean (`undefined` gives `fallback`). */
export function boolean(value: unknown, fallback: boolean, arg: string, fn: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "${arg}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value;
}
