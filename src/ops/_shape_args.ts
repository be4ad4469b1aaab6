/** Argument checks shared by the shape ops (slice, pad, tile, transpose ...). */
import { fmtShape, fmtValue } from "../_check.ts";

/** Throws a TypeError unless `value` is an array of integers; returns a copy. */
export function checkIntArray(value: unknown, arg: string, fn: string): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isInteger(v))) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be an array of integers: got ${fmtValue(value)}`,
    );
  }
  return [...value];
}

/** A number or an array of integers, as an array (a number becomes `[value]`). */
export function checkIntOrArray(value: unknown, arg: string, fn: string): number[] {
  return typeof value === "number"
    ? checkIntArray([value], arg, fn)
    : checkIntArray(value, arg, fn);
}

/** Throws a RangeError unless `values` has `rank` entries (or at most `rank` with `atMost`). */
export function checkLength(
  values: readonly number[],
  rank: number,
  arg: string,
  fn: string,
  shape: readonly number[],
  atMost = false,
): void {
  if (atMost ? values.length <= rank : values.length === rank) return;
  throw new RangeError(
    `Cannot run ${fn}(): argument "${arg}" must have ${atMost ? "at most " : ""}${rank} entr${
      rank === 1 ? "y" : "ies"
    }, one per dimension of x ${fmtShape(shape)}: got ${fmtValue(values)}`,
  );
}

/** Normalises each axis of `axes` (negative from the end) and rejects duplicates. */
export function checkAxes(
  axes: readonly number[],
  rank: number,
  arg: string,
  fn: string,
): number[] {
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must hold integers in [${-rank}, ${rank}): got ${
          fmtValue(axes)
        }`,
      );
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must not repeat an axis: got ${fmtValue(axes)}`,
    );
  }
  return out;
}
