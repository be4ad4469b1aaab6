/**
 * Softmax and log-softmax over the last axis, stable for inputs of any magnitude.
 *
 * @module
 */
import { checkArity, checkTensor, fmtValue } from "../_check.ts";
import type { SoftmaxOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";
import { record } from "../autograd/tape.ts";

function normalize(op: SoftmaxOp, x: Tensor, axis: unknown): Tensor {
  checkTensor(x, "x", op);
  if (x.rank === 0) {
    throw new TypeError(`Cannot run ${op}(): argument "x" must have rank >= 1: got a scalar`);
  }
  if (axis !== -1 && axis !== x.rank - 1) {
    throw new RangeError(
      `Cannot run ${op}(): argument "axis" must be the last axis (-1 or ${
        x.rank - 1
      } for rank ${x.rank}), the only one supported: got ${fmtValue(axis)}`,
    );
  }
  const cols = x.shape[x.rank - 1];
  const y = output(x.shape, op);
  const rows = x.size / cols;
  if (y.size > 0) activeBackend().softmax(op, x.storage, y.storage, rows, cols);
  return record(y, [x], (dy, [y]) => {
    const dx = output(dy.shape);
    if (dx.size > 0) {
      activeBackend().softmaxBackward(op, dy.storage, y.storage, dx.storage, rows, cols);
    }
    return [dx];
  }, [y]);
}

/**
 * Softmax over the last axis: `exp(x - max) / sum(exp(x - max))` per row.
 *
 * @param x Rank >= 1; rows are along the last axis.
 * @param axis The last axis: -1 (default) or `rank - 1`; no other axis is supported.
 * @returns Probabilities of the same shape; each row sums to 1.
 * @throws {TypeError} When `x` is not a live tensor of rank >= 1, or more than two arguments are
 *   passed.
 * @throws {RangeError} When `axis` is not the last axis.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const p = dn.softmax(dn.tensor([[1000, 1000], [0, -1000]])).dataSync();
 * assert.deepEqual([...p], [0.5, 0.5, 1, 0]);
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkArity(arguments, ["x", "axis"], "softmax");
  return normalize("softmax", x, axis);
}

/**
 * Log of the softmax over the last axis: `x - max - log(sum(exp(x - max)))` per row.
 *
 * @param x Rank >= 1; rows are along the last axis.
 * @param axis The last axis: -1 (default) or `rank - 1`; no other axis is supported.
 * @returns Log-probabilities of the same shape.
 * @throws {TypeError} When `x` is not a live tensor of rank >= 1, or more than two arguments are
 *   passed.
 * @throws {RangeError} When `axis` is not the last axis.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.logSoftmax(dn.tensor([0, 0])).dataSync();
 * assert.ok(Math.abs(y[0] - Math.log(0.5)) < 1e-6);
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkArity(arguments, ["x", "axis"], "logSoftmax");
  return normalize("logSoftmax", x, axis);
}
