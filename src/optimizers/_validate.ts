/**
 * Option checks shared by the optimizer and schedule factories (STYLE C14): every message names
 * the function and the option, what was expected and what came.
 *
 * @module
 */
import { fmtValue } from "../_check.ts";

/** Throws unless `options` is undefined or a plain object whose keys are all in `known`. */
export function checkOptions(
  options: unknown,
  known: readonly string[],
  fn: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "options" must be an object: got ${fmtValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `Cannot run ${fn}(): option "${key}" is not known: use one of ${
          known.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
  }
  return options as Record<string, unknown>;
}

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
