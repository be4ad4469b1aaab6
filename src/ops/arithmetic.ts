/**
 * Binary arithmetic with broadcasting: `add`, `sub`, `mul`, `div`, `maximum`, `minimum`, `pow`,
 * `mod`, `floorDiv`, `squaredDifference`. Operands are float32, int32 or bool (bool counts as
 * int32 0 or 1); a number takes the dtype of the tensor beside it when it is an integer
 * (_operands.ts). int32 with int32 runs the int32 kernels, wrapping on overflow as TF.js's int32
 * arithmetic does, with `div` as `floorDiv` and division by 0 giving 0. Gradients flow to
 * float32 operands.
 *
 * @module
 */
import { checkArity } from "../_check.ts";
import type { BinaryOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { planOf } from "./_broadcast.ts";
import { operands } from "./_operands.ts";
import { output } from "./_output.ts";
import { record } from "../autograd/tape.ts";
import { cast } from "./cast.ts";
import { greater, greaterEqual, less, lessEqual } from "./compare.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./transform.ts";
import { log } from "./unary.ts";
import { where } from "./where.ts";

function binary(op: BinaryOp, a: unknown, b: unknown): Tensor {
  const fn = op;
  const { tensors: [ta, tb], dtype, owned } = operands(
    [["a", a], ["b", b]],
    fn,
    ["float32", "int32", "bool"],
  );
  try {
    const { shape, plan } = planOf([["a", ta.shape], ["b", tb.shape]], fn);
    let [xa, xb] = [ta, tb];
    if (dtype === "bool") {
      xa = cast(ta, "int32");
      xb = cast(tb, "int32");
      owned.push(xa, xb);
    }
    const type = dtype === "float32" ? "float32" : "int32";
    const y = output(shape, fn, type);
    if (y.size > 0) activeBackend().binary(op, xa.storage, xb.storage, y.storage, plan, type);
    if (type !== "float32") return y;
    return record(y, [ta, tb], (dy, [sa, sb, sy]) => {
      const [ga, gb] = BACKWARD[op](dy, sa, sb, sy);
      return [ga && sumTo(ga, sa.shape), gb && sumTo(gb, sb.shape)];
    }, [ta, tb, y]);
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** Gradients of `y = a op b` before summing over broadcast axes; null where none flows. */
const BACKWARD: Record<
  BinaryOp,
  (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null]
> = {
  add: (dy) => [dy, dy],
  sub: (dy) => [dy, binary("mul", dy, -1)],
  mul: (dy, a, b) => [binary("mul", dy, b), binary("mul", dy, a)],
  div: (dy, a, b) => {
    const da = binary("div", dy, b);
    return [da, binary("mul", binary("div", da, b), binary("mul", a, -1))];
  },
  // Ties go to a, as TF.js: a where a >= b, b where a < b (NaN: to neither).
  maximum: (dy, a, b) => [where(greaterEqual(a, b), dy, 0), where(less(a, b), dy, 0)],
  minimum: (dy, a, b) => [where(lessEqual(a, b), dy, 0), where(greater(a, b), dy, 0)],
  // TF.js: da = dy·b·a^(b-1); db = dy·y·ln a where a > 0, else 0.
  pow: (dy, a, b, y) => [
    binary("mul", dy, binary("mul", b, binary("pow", a, binary("sub", b, 1)))),
    binary("mul", dy, binary("mul", y, where(greater(a, 0), log(a), 0))),
  ],
  // a mod b = a - b·floor(a/b): da = dy, db = -dy·floor(a/b) (TF.js).
  mod: (dy, a, b) => [dy, binary("mul", dy, binary("mul", binary("floorDiv", a, b), -1))],
  floorDiv: () => [null, null],
  squaredDifference: (dy, a, b) => {
    const da = binary("mul", dy, binary("mul", binary("sub", a, b), 2));
    return [da, binary("mul", da, -1)];
  },
};

/** Sums `g` over the axes that broadcasting expanded, back to `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes = g.shape.map((_, i) => i).filter((i) =>
    i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)
  );
  return reshape(sum(g, axes, { keepDims: true }), shape);
}

/**
 * Elementwise `a + b`, broadcasting as NumPy does.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.add(dn.tensor([[1, 2], [3, 4]]), dn.tensor([10, 20]));
 * assert.deepEqual([...y.dataSync()], [11, 22, 13, 24]);
 * ```
 */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "add");
  return binary("add", a, b);
}

/**
 * Elementwise `a - b`, broadcasting as NumPy does.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.sub(dn.tensor([5, 7]), 2).dataSync()], [3, 5]);
 * ```
 */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "sub");
  return binary("sub", a, b);
}

/**
 * Elementwise `a * b`, broadcasting as NumPy does.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.mul(dn.tensor([[1], [2]]), dn.tensor([3, 4])).dataSync()], [3, 4, 6, 8]);
 * ```
 */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "mul");
  return binary("mul", a, b);
}

/**
 * Elementwise `a / b`, broadcasting as NumPy does: IEEE division for float32 (`x / 0` is
 * ±Infinity or NaN); for two int32 operands it is {@linkcode floorDiv}, as in TF.js.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.div(dn.tensor([1, 3]), 2).dataSync()], [0.5, 1.5]);
 * assert.deepEqual([...dn.div(dn.tensor([7, -7], [2], "int32"), 2).dataSync()], [3, -4]);
 * ```
 */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "div");
  return binary("div", a, b);
}

/**
 * Elementwise `max(a, b)`, broadcasting as NumPy does; NaN in either gives NaN. The gradient goes
 * to `a` where `a >= b` and to `b` where `a < b` (as TF.js).
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.maximum(dn.tensor([1, 5, -2]), 2).dataSync()], [2, 5, 2]);
 * ```
 */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "maximum");
  return binary("maximum", a, b);
}

/**
 * Elementwise `min(a, b)`, broadcasting as NumPy does; NaN in either gives NaN. The gradient goes
 * to `a` where `a <= b` and to `b` where `a > b` (as TF.js).
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.minimum(dn.tensor([1, 5, -2]), 2).dataSync()], [1, 2, -2]);
 * ```
 */
export function minimum(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "minimum");
  return binary("minimum", a, b);
}

/**
 * Elementwise `a` to the power `b`, broadcasting as NumPy does, with JavaScript's `Math.pow`
 * special cases (TF.js's CPU backend): `x^0 = 1`, `0^-y = Infinity`, a negative base with an odd
 * integer exponent keeps its sign and with a non-integer exponent gives NaN, `1^NaN` is NaN. int32 powers wrap; a negative int32 exponent truncates
 * toward zero (`2^-1 = 0`). Gradients as TF.js: `b·a^(b-1)` for `a`, `y·ln a` for `b` where
 * `a > 0` (0 elsewhere).
 *
 * @param a The base: a tensor (float32, int32 or bool) or a number.
 * @param b The exponent: a tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.pow(dn.tensor([2, -2, 4]), dn.tensor([3, 3, 0.5])).dataSync()], [8, -8, 2]);
 * ```
 */
export function pow(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "pow");
  return binary("pow", a, b);
}

/**
 * Elementwise floored remainder of `a / b`, broadcasting as NumPy does: the result has the sign
 * of `b` (TF.js: `fmod(a, b)`, plus `b` then `fmod` again where the signs differ). int32 `mod` by
 * 0 gives 0. Gradients as TF.js: `dy` for `a`, `-dy·floor(a / b)` for `b`.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.mod(dn.tensor([5, -5, 5.5]), 3).dataSync()], [2, 1, 2.5]);
 * ```
 */
export function mod(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "mod");
  return binary("mod", a, b);
}

/**
 * Elementwise `floor(a / b)`, broadcasting as NumPy does; for int32 an exact floored integer
 * division, 0 where `b` is 0. Its gradient is zero (the derivative almost everywhere, as
 * TensorFlow's; TF.js reuses `div`'s).
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.floorDiv(dn.tensor([7, -7]), 2).dataSync()], [3, -4]);
 * ```
 */
export function floorDiv(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "floorDiv");
  return binary("floorDiv", a, b);
}

/**
 * Elementwise `(a - b)²`, broadcasting as NumPy does.
 *
 * @param a A tensor (float32, int32 or bool) or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape, float32 unless both operands are integers.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.squaredDifference(dn.tensor([1, 4]), 2).dataSync()], [1, 4]);
 * ```
 */
export function squaredDifference(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "squaredDifference");
  return binary("squaredDifference", a, b);
}
