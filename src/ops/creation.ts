/**
 * Creating tensors from values: `tensor`, `zeros`, `ones`, `fill`.
 *
 * @module
 */
import { checkArity, checkFinite, checkShape, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

/** Values `tensor()` accepts: a flat array or typed array, or nested arrays of numbers. */
export type TensorLike = Float32Array | ArrayLike<number> | number | NestedArray;
/** Nested arrays of numbers, one level per dimension. */
export interface NestedArray extends ReadonlyArray<number | NestedArray> {}

function inferShape(values: unknown, fn: string): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== "number") {
        throw new TypeError(
          `Cannot run ${fn}(): argument "values" must hold numbers: got ${fmtValue(node)}`,
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
 * @param values A `Float32Array`, an array of numbers, nested arrays (shape inferred), or a number.
 * @param shape Dimensions; required for flat values of rank other than 1.
 * @returns A new float32 tensor holding a copy of the values.
 * @throws {RangeError} When the number of values does not match the shape, or a dimension is
 *   negative or fractional.
 * @throws {TypeError} When the values are not numbers.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const t = dn.tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(t.shape, [2, 3]);
 * assert.deepEqual([...t.dataSync()], [1, 2, 3, 4, 5, 6]);
 * t.dispose();
 * ```
 */
export function tensor(values: TensorLike, shape?: readonly number[]): Tensor {
  checkArity(arguments, ["values", "shape"], "tensor");
  const fn = "tensor";
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === "number") {
    flat = [values];
    inferred = [];
  } else if (values instanceof Float32Array || ArrayBuffer.isView(values)) {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values, fn);
    flat = inferred.length > 1 ? (values as unknown[]).flat(Infinity) as number[] : values;
  } else {
    throw new TypeError(
      `Cannot run ${fn}(): argument "values" must be a number, an array or a Float32Array: got ${
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
  const t = output(dims, fn);
  activeBackend().write(t.storage, flat instanceof Float32Array ? flat : Float32Array.from(flat));
  return t;
}

/**
 * Creates a tensor with every element set to `value`.
 *
 * @param shape Dimensions.
 * @param value The value; any number, NaN and infinities included.
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
export function fill(shape: readonly number[], value: number): Tensor {
  checkArity(arguments, ["shape", "value"], "fill");
  return filled(shape, value, "fill");
}

/** `fill()` named `fn` in its errors (`zeros`, `ones`). */
function filled(shape: readonly number[], value: number, fn: string): Tensor {
  const dims = checkShape(shape, "shape", fn);
  if (typeof value !== "number") checkFinite(value, "value", fn);
  const t = output(dims, fn);
  activeBackend().fill(t.storage, value, t.size);
  return t;
}

/**
 * Creates a tensor of zeros.
 *
 * @param shape Dimensions.
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
export function zeros(shape: readonly number[]): Tensor {
  checkArity(arguments, ["shape"], "zeros");
  return filled(shape, 0, "zeros");
}

/**
 * Creates a tensor of ones.
 *
 * @param shape Dimensions.
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
export function ones(shape: readonly number[]): Tensor {
  checkArity(arguments, ["shape"], "ones");
  return filled(shape, 1, "ones");
}
