/**
 * Creating tensors from values: `tensor`, `zeros`, `ones`, `fill`.
 *
 * @module
 */
import { ANY_DTYPE, checkArity, checkFinite, checkShape, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { type DataTypeMap, type DType, type Tensor, toUnits } from "../tensor.ts";
import { output } from "./_output.ts";

/**
 * Values `tensor()` accepts: a typed array, an array of numbers or booleans, nested arrays (one
 * level per dimension), a number or a boolean.
 */
export type TensorLike =
  | Float32Array
  | Int32Array
  | Uint8Array
  | ArrayLike<number | boolean>
  | number
  | boolean
  | NestedArray;
/** Nested arrays of numbers or booleans, one level per dimension. */
export interface NestedArray extends ReadonlyArray<number | boolean | NestedArray> {}

/** Throws a TypeError unless `dtype` is a dtype name; returns it. */
export function checkDType(dtype: unknown, arg: string, fn: string): DType {
  if (!ANY_DTYPE.includes(dtype as DType)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be "float32", "int32" or "bool": got ${
        fmtValue(dtype)
      }`,
    );
  }
  return dtype as DType;
}

/** The dtype TF.js infers: int32 for Int32Array and Uint8Array, bool for booleans, else float32. */
function inferDType(values: unknown, flat: ArrayLike<unknown>): DType {
  if (values instanceof Int32Array || values instanceof Uint8Array) return "int32";
  return flat.length > 0 && typeof flat[0] === "boolean" ? "bool" : "float32";
}

/** `flat` as the typed array of `dtype`; int32 values must be integers in range. */
function typed(flat: ArrayLike<unknown>, dtype: DType, fn: string): DataTypeMap[DType] {
  if (dtype === "float32") {
    return flat instanceof Float32Array ? flat : Float32Array.from(flat as ArrayLike<number>);
  }
  if (dtype === "bool") {
    const out = new Uint8Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      out[i] = (flat[i] as number) !== 0 && flat[i] !== false ? 1 : 0;
    }
    return out;
  }
  if (flat instanceof Int32Array) return flat;
  const out = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "values" must hold integers in [-2^31, 2^31) for dtype "int32": got ${
          fmtValue(flat[i])
        } at index ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

function inferShape(values: unknown, fn: string): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== "number" && typeof node !== "boolean") {
        throw new TypeError(
          `Cannot run ${fn}(): argument "values" must hold numbers or booleans: got ${
            fmtValue(node)
          }`,
        );
      }
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "values" must be a regular nested array: dimension ${depth} has lengths ${
          shape[depth]
        } and ${Array.isArray(node) ? node.length : "a non-array"}`,
      );
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(values, 0);
  return shape;
}

/**
 * Creates a tensor from values.
 *
 * @param values A typed array, an array of numbers or booleans, nested arrays (shape inferred), a
 *   number or a boolean.
 * @param shape Dimensions; required for flat values of rank other than 1.
 * @param dtype "float32", "int32" or "bool"; inferred when absent as TF.js does (`Int32Array` and
 *   `Uint8Array` give int32, booleans give bool, anything else float32). int32 values must be
 *   integers in range (a fraction is an error, not truncated); bool stores `value != 0`.
 * @returns A new tensor holding a copy of the values.
 * @throws {RangeError} When the number of values does not match the shape, a dimension is
 *   negative or fractional, or an int32 value is not an integer in range.
 * @throws {TypeError} When the values are not numbers or booleans, or `dtype` is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(t.shape, [2, 3]);
 * assert.deepEqual([...t.dataSync()], [1, 2, 3, 4, 5, 6]);
 * const mask = dn.tensor([true, false]);
 * assert.equal(mask.dtype, "bool");
 * assert.deepEqual([...mask.dataSync<"bool">()], [1, 0]);
 * t.dispose();
 * mask.dispose();
 * ```
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  checkArity(arguments, ["values", "shape", "dtype"], "tensor");
  const fn = "tensor";
  let flat: ArrayLike<unknown>;
  let inferred: number[];
  if (typeof values === "number" || typeof values === "boolean") {
    flat = [values];
    inferred = [];
  } else if (ArrayBuffer.isView(values)) {
    flat = values as unknown as ArrayLike<number>;
    inferred = [flat.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values, fn);
    flat = inferred.length > 1 ? (values as unknown[]).flat(Infinity) : values;
  } else {
    throw new TypeError(
      `Cannot run ${fn}(): argument "values" must be a number, a boolean, an array or a typed array: got ${
        fmtValue(values)
      }`,
    );
  }
  const dims = shape === undefined ? inferred : checkShape(shape, "shape", fn);
  const size = dims.reduce((a, b) => a * b, 1);
  if (flat.length !== size) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "values" must have ${size} elements for shape ${
        fmtShape(dims)
      }: got ${flat.length}`,
    );
  }
  const type = dtype === undefined ? inferDType(values, flat) : checkDType(dtype, "dtype", fn);
  const data = typed(flat, type, fn);
  const t = output(dims, fn, type);
  activeBackend().write(t.storage, toUnits(data));
  return t;
}

/**
 * Creates a tensor with every element set to `value`.
 *
 * @param shape Dimensions.
 * @param value The value; any number, NaN and infinities included (for int32 an integer in
 *   range; for bool, `value != 0`).
 * @param dtype "float32" (default), "int32" or "bool".
 * @returns A new tensor.
 * @throws {RangeError} When a dimension is negative or fractional.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.fill([2], 7).dataSync()], [7, 7]);
 * ```
 */
export function fill(shape: readonly number[], value: number, dtype?: DType): Tensor {
  checkArity(arguments, ["shape", "value", "dtype"], "fill");
  return filled(shape, value, dtype, "fill");
}

/** `fill()` named `fn` in its errors (`zeros`, `ones`). */
function filled(
  shape: readonly number[],
  value: number,
  dtype: DType | undefined,
  fn: string,
): Tensor {
  const dims = checkShape(shape, "shape", fn);
  if (typeof value !== "number") checkFinite(value, "value", fn);
  const type = dtype === undefined ? "float32" : checkDType(dtype, "dtype", fn);
  const t = output(dims, fn, type);
  if (type === "float32") activeBackend().fill(t.storage, value, t.size);
  else activeBackend().write(t.storage, toUnits(typed(new Array(t.size).fill(value), type, fn)));
  return t;
}

/**
 * Creates a tensor of zeros.
 *
 * @param shape Dimensions.
 * @param dtype "float32" (default), "int32" or "bool".
 * @returns A new tensor.
 * @throws {RangeError} When a dimension is negative or fractional.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.zeros([3]).dataSync()], [0, 0, 0]);
 * ```
 */
export function zeros(shape: readonly number[], dtype?: DType): Tensor {
  checkArity(arguments, ["shape", "dtype"], "zeros");
  return filled(shape, 0, dtype, "zeros");
}

/**
 * Creates a tensor of ones.
 *
 * @param shape Dimensions.
 * @param dtype "float32" (default), "int32" or "bool".
 * @returns A new tensor.
 * @throws {RangeError} When a dimension is negative or fractional.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.ones([2, 1]).dataSync()], [1, 1]);
 * ```
 */
export function ones(shape: readonly number[], dtype?: DType): Tensor {
  checkArity(arguments, ["shape", "dtype"], "ones");
  return filled(shape, 1, dtype, "ones");
}
