/**
 * Binary arithmetic with broadcasting: `add`, `sub`, `mul`, `div`.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import type { BinaryOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { broadcastPlan, broadcastShape } from "./_broadcast.ts";
import { tensor } from "./creation.ts";
import { output } from "./_output.ts";
import { record } from "../autograd/tape.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./transform.ts";

function binary(op: BinaryOp, a: Tensor | number, b: Tensor | number): Tensor {
  const fn = op;
  const [ta, ownA] = operand(a, "a", fn);
  const [tb, ownB] = operand(b, "b", fn);
  try {
    const shape = broadcastShape(ta.shape, tb.shape, fn);
    const plan = broadcastPlan(ta.shape, tb.shape, shape);
    if (!plan) {
      throw new RangeError(
        `Cannot broadcast in ${fn}(): shapes of "a" ${fmtShape(ta.shape)} and "b" ${
          fmtShape(tb.shape)
        } must collapse to at most 4 alternating broadcast dimensions: got more`,
      );
    }
    const y = output(shape, fn);
    if (y.size > 0) activeBackend().binary(op, ta.storage, tb.storage, y.storage, plan);
    return record(y, [ta, tb], (dy, [sa, sb]) => {
      const [ga, gb] = BACKWARD[op](dy, sa, sb);
      return [ga && sumTo(ga, sa.shape), gb && sumTo(gb, sb.shape)];
    }, [ta, tb]);
  } finally {
    if (ownA) ta.dispose();
    if (ownB) tb.dispose();
  }
}

/** Gradients of `a op b` before summing over broadcast axes; null where not needed. */
const BACKWARD: Record<
  BinaryOp,
  (dy: Tensor, a: Tensor, b: Tensor) => [Tensor | null, Tensor | null]
> = {
  equal: () => [null, null],
  add: (dy) => [dy, dy],
  sub: (dy) => [dy, binary("mul", dy, -1)],
  mul: (dy, a, b) => [binary("mul", dy, b), binary("mul", dy, a)],
  div: (dy, a, b) => {
    const da = binary("div", dy, b);
    return [da, binary("mul", binary("div", da, b), binary("mul", a, -1))];
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

function operand(x: Tensor | number, arg: string, fn: string): [Tensor, boolean] {
  if (typeof x === "number") return [tensor(x), true];
  if (typeof x !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a Tensor or a number: got ${fmtValue(x)}`,
    );
  }
  checkTensor(x, arg, fn);
  return [x, false];
}

/**
 * Elementwise `a + b`, broadcasting as NumPy does.
 *
 * @param a A tensor or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape.
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
 * @param a A tensor or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape.
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
 * @param a A tensor or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape.
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
 * Elementwise `a / b`, broadcasting as NumPy does (IEEE division: `x / 0` is ±Infinity or NaN).
 *
 * @param a A tensor or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.div(dn.tensor([1, 3]), 2).dataSync()], [0.5, 1.5]);
 * ```
 */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "div");
  return binary("div", a, b);
}

/**
 * Elementwise `a == b` as 1 or 0 (float32), broadcasting as NumPy does; not differentiable.
 *
 * @param a A tensor or a number.
 * @param b A tensor or a number.
 * @returns A new tensor of the broadcast shape holding 1 where equal, else 0 (NaN equals nothing).
 * @throws {TypeError} When an argument is not a live tensor or a number.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...dn.equal(dn.tensor([1, 2, 3]), 2).dataSync()], [0, 1, 0]);
 * ```
 */
export function equal(a: Tensor | number, b: Tensor | number): Tensor {
  checkArity(arguments, ["a", "b"], "equal");
  return binary("equal", a, b);
}
