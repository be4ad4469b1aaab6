/**
 * The forward and gradient of the unary ops that one kernel runs by op code (`Backend.unary` with
 * a `UnaryMathOp`), shared by src/ops/math.ts and src/ops/activations.ts.
 *
 * @module
 */
import { checkTensor } from "../_check.ts";
import { record } from "../autograd/tape.ts";
import type { UnaryMathGradOp, UnaryMathOp } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

/** Piecewise-constant ops: their gradient is zero (as TF.js's), so none flows. */
const STEP: ReadonlySet<UnaryMathOp> = new Set(["sign", "floor", "ceil", "round"]);

/**
 * `op(x)` on a float32 tensor, recorded with `dy · op'(x)` from the derivative kernel (none for
 * the step functions); `fn` names the public op in errors, `alpha` is the kernel's parameter.
 */
export function unaryMath(op: UnaryMathOp, x: Tensor, fn: string, alpha = 0): Tensor {
  checkTensor(x, "x", fn);
  const y = output(x.shape, fn);
  if (y.size > 0) activeBackend().unary(op, x.storage, y.storage, x.size, alpha);
  if (STEP.has(op)) return record(y, [x], () => [null]);
  const gradOp = op as UnaryMathGradOp;
  return record(y, [x], (dy, [x]) => {
    const dx = output(dy.shape);
    if (dx.size > 0) {
      activeBackend().unaryBackward(gradOp, dy.storage, x.storage, dx.storage, dy.size, alpha);
    }
    return [dx];
  }, [x]);
}
