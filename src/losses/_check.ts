/**
 * Argument checks shared by the losses and the metrics (STYLE C14).
 *
 * @module
 */
import { checkOptions, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import type { Tensor } from "../tensor.ts";

/** Throws unless `yTrue` and `yPred` are live tensors of the same, non-empty shape. */
export function checkPair(yTrue: Tensor, yPred: Tensor, fn: string): void {
  checkTensor(yTrue, "yTrue", fn);
  checkTensor(yPred, "yPred", fn);
  if (!sameShape(yTrue.shape, yPred.shape)) {
    throw new RangeError(
      `Cannot run ${fn}(): shapes of "yTrue" ${fmtShape(yTrue.shape)} and "yPred" ${
        fmtShape(yPred.shape)
      } must match`,
    );
  }
  checkNonEmpty(yPred, fn);
}

/**
 * Throws unless `yTrue` holds one class index per row of `yPred`: its shape is `yPred`'s without
 * the last axis, optionally followed by 1 (Keras accepts `[batch]` and `[batch, 1]`).
 */
export function checkSparsePair(yTrue: Tensor, yPred: Tensor, fn: string): void {
  checkTensor(yTrue, "yTrue", fn);
  checkTensor(yPred, "yPred", fn);
  checkRankAtLeast1(yPred, fn);
  const rows = yPred.shape.slice(0, -1);
  if (!sameShape(yTrue.shape, rows) && !sameShape(yTrue.shape, [...rows, 1])) {
    throw new RangeError(
      `Cannot run ${fn}(): shape of "yTrue" ${fmtShape(yTrue.shape)} must be ${fmtShape(rows)} or ${
        fmtShape([...rows, 1])
      } (one class index per row of "yPred" ${fmtShape(yPred.shape)}): got ${
        fmtShape(yTrue.shape)
      }`,
    );
  }
  checkNonEmpty(yPred, fn);
}

/** Throws unless `y` has a last (class) axis. */
export function checkRankAtLeast1(y: Tensor, fn: string): void {
  if (y.rank === 0) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "yPred" must have rank >= 1 (classes on the last axis): got a scalar`,
    );
  }
}

/** Reads the `fromLogits` option, checking its type. */
export function fromLogitsOption(options: unknown, fn: string): boolean {
  const fromLogits = checkOptions(options, ["fromLogits"], fn).fromLogits ?? false;
  if (typeof fromLogits !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "fromLogits" must be a boolean: got ${fmtValue(fromLogits)}`,
    );
  }
  return fromLogits;
}

function checkNonEmpty(yPred: Tensor, fn: string): void {
  if (yPred.size === 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "yPred" must not be empty: got shape ${fmtShape(yPred.shape)}`,
    );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
