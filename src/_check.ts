/**
 * Boundary checks shared by `src/ops/` and `src/layers/`: message builders in the house style
 * (action first, then `:` and what came; values quoted) so every error names the function, the
 * argument, what was expected and what came.
 *
 * @module
 */
import { type DType, Tensor } from "./tensor.ts";

/** A shape as users write it: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A value for a message: strings quoted, arrays and objects as JSON-ish text. */
export function fmtValue(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(fmtValue).join(", ")}]`;
  if (value instanceof Tensor) {
    return `a ${value.dtype} tensor of shape ${fmtShape(value.shape)}`;
  }
  if (value === null || typeof value !== "object") return String(value);
  return value.constructor?.name ?? "an object";
}

/** Float32 only: what an op takes unless it names other dtypes. */
const FLOAT32: readonly DType[] = ["float32"];

/** Every dtype: for ops that move or compare values without doing arithmetic on them. */
export const ANY_DTYPE: readonly DType[] = ["float32", "int32", "bool"];

/**
 * Throws a TypeError unless `x` is a live Tensor of one of `dtypes` (default float32 only, so an
 * op that does not name int32 or bool rejects them instead of reading their bits as floats).
 */
export function checkTensor(
  x: unknown,
  arg: string,
  fn: string,
  dtypes: readonly DType[] = FLOAT32,
): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a Tensor: got ${fmtValue(x)}`,
    );
  }
  if (x.isDisposed) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" is a disposed tensor of shape ${fmtShape(x.shape)}`,
    );
  }
  if (!dtypes.includes(x.dtype)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a ${
        dtypes.join(" or ")
      } tensor: got a ${x.dtype} tensor of shape ${fmtShape(x.shape)}${
        dtypes.length === 1 && dtypes[0] === "float32"
          ? ' (convert it with dn.cast(x, "float32"))'
          : ""
      }`,
    );
  }
}

/** Throws unless `x` has rank `rank`. */
export function checkRank(x: Tensor, rank: number, arg: string, fn: string): void {
  if (x.rank !== rank) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must have rank ${rank}: got rank ${x.rank} (shape ${
        fmtShape(x.shape)
      })`,
    );
  }
}

/** Throws unless `shape` is an array of non-negative integers; returns a copy. */
export function checkShape(shape: unknown, arg: string, fn: string): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be an array of dimensions: got ${
        fmtValue(shape)
      }`,
    );
  }
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must hold non-negative integers: got ${
          fmtValue(shape)
        }`,
      );
    }
  }
  return [...shape];
}

/** Throws a RangeError unless `value` is a finite number. */
export function checkFinite(value: unknown, arg: string, fn: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must be a finite number: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/** Throws a RangeError unless `value` is an integer >= 1. */
export function checkPositiveInt(value: unknown, arg: string, fn: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must be a positive integer: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/** `value` as `[height, width]`: a positive integer for both, or an array of two. */
export function checkPair(value: unknown, arg: string, fn: string): [number, number] {
  const pair = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => typeof v !== "number")) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a number or an array of two numbers: got ${
        fmtValue(value)
      }`,
    );
  }
  if (!pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must hold positive integers: got ${fmtValue(value)}`,
    );
  }
  return [pair[0], pair[1]];
}

/** Normalises `axis` (negative counts from the end) for a tensor of rank `rank`. */
export function checkAxis(axis: unknown, rank: number, arg: string, fn: string): number {
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must be an integer in [${-rank}, ${rank}): got ${
        fmtValue(axis)
      }`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Throws unless `value` is one of `options`. */
export function checkOneOf<T extends string>(
  value: unknown,
  options: readonly T[],
  arg: string,
  fn: string,
): T {
  if (!options.includes(value as T)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be one of ${
        options.map((o) => `"${o}"`).join(", ")
      }: got ${fmtValue(value)}`,
    );
  }
  return value as T;
}

/**
 * Throws a TypeError when a call passed more positional arguments than `names` (an untyped JS
 * call such as `gather(table, indices, 1)` would otherwise drop the extra ones silently).
 * `args` is the callee's `arguments`.
 */
export function checkArity(args: ArrayLike<unknown>, names: readonly string[], fn: string): void {
  if (args.length <= names.length) return;
  const extra = Array.from(args).slice(names.length).map(fmtValue).join(", ");
  const takes = names.length === 0
    ? "no arguments"
    : `at most ${names.length} argument${names.length === 1 ? "" : "s"} (${
      names.map((n) => `"${n}"`).join(", ")
    })`;
  throw new TypeError(
    `Cannot run ${fn}(): it takes ${takes}: got ${args.length}, the extra ${
      args.length - names.length === 1 ? "one is" : "ones are"
    } ${extra}`,
  );
}

/**
 * Throws unless `options` is undefined or a plain object whose keys are all in `known` (as Keras
 * rejects unknown keyword arguments); returns it, or `{}` for undefined. A key whose value is
 * `undefined` counts as absent, as a default parameter does.
 */
export function checkOptions(
  options: unknown,
  known: readonly string[],
  fn: string,
  arg = "options",
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be an object: got ${fmtValue(options)}`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !known.includes(key)) {
      throw new TypeError(
        `Cannot run ${fn}(): option "${key}" is not known: use one of ${
          known.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
  }
  return options as Record<string, unknown>;
}
