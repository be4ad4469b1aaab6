/**
 * `where(condition, a, b)`: elementwise choice with three-way broadcasting.
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { SelectPlan } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { DType, Tensor } from "../tensor.ts";
import { planOf } from "./_broadcast.ts";
import { operands } from "./_operands.ts";
import { tensor } from "./creation.ts";
import { output } from "./_output.ts";
import { sumTo } from "./arithmetic.ts";

const ANY: readonly DType[] = ["float32", "int32", "bool"];

/** `cond ? a : b` broadcast to `shape`, without recording (the gradients use it too). */
function select(cond: Tensor, a: Tensor, b: Tensor, fn: string): Tensor {
  const { shape, plan } = planOf<SelectPlan>(
    [["condition", cond.shape], ["a", a.shape], ["b", b.shape]],
    fn,
  );
  const y = output(shape, fn, a.dtype);
  if (y.size > 0) {
    activeBackend().select(cond.storage, a.storage, b.storage, y.storage, plan, a.dtype);
  }
  return y;
}

/**
 * Elementwise `condition ? a : b`, broadcasting all three as NumPy does (TF.js's `where`). The
 * gradient goes to `a` where `condition` holds and to `b` elsewhere, summed over the axes each was
 * broadcast along; none flows to `condition`. A NaN or Infinity in the branch not taken never
 * reaches the result or the gradient.
 *
 * @param condition A bool tensor.
 * @param a Chosen where `condition` is true: a tensor (float32, int32 or bool) or a number.
 * @param b Chosen elsewhere: a tensor of the same dtype as `a`, or a number (which takes the
 *   other's dtype when it is an integer, else float32).
 * @returns A new tensor of the broadcast shape and the dtype of `a` and `b`.
 * @throws {TypeError} When `condition` is not a live bool tensor, `a` or `b` is not a live tensor
 *   or a number, or `a` and `b` are tensors of different dtypes.
 * @throws {RangeError} When the shapes cannot be broadcast together.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.tensor([[-1, 2], [3, -4]]);
 * const y = dn.where(dn.greater(x, 0), x, 0);
 * assert.deepEqual([...y.dataSync()], [0, 2, 3, 0]);
 * ```
 */
export function where(
  condition: Tensor,
  a: Tensor | number | boolean,
  b: Tensor | number | boolean,
): Tensor {
  const fn = "where";
  checkArity(arguments, ["condition", "a", "b"], fn);
  checkTensor(condition, "condition", fn, ["bool"]);
  if (typeof a === "object" && typeof b === "object") {
    checkTensor(a, "a", fn, ANY);
    checkTensor(b, "b", fn, ANY);
    if (a.dtype !== b.dtype) {
      throw new TypeError(
        `Cannot run ${fn}(): arguments "a" and "b" must have the same dtype: got ${a.dtype} ${
          fmtShape(a.shape)
        } and ${b.dtype} ${fmtShape(b.shape)} (convert one with dn.cast)`,
      );
    }
  }
  const { tensors: [ta, tb], owned } = operands([["a", a], ["b", b]], fn, ANY);
  try {
    const y = select(condition, ta, tb, fn);
    if (y.dtype !== "float32") return y;
    return record(y, [condition, ta, tb], (dy, [c, sa, sb]) => {
      const zero = tensor(0);
      const ga = sumTo(select(c, dy, zero, fn), sa.shape);
      const gb = sumTo(select(c, zero, dy, fn), sb.shape);
      return [null, ga, gb];
    }, [condition, ta, tb]);
  } finally {
    for (const t of owned) t.dispose();
  }
}
