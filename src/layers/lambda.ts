/**
 * A layer over a user function (Keras `Lambda`): `call(x) = fn(x)`, differentiated through the
 * ops `fn` runs. A function cannot be serialised: models with a lambda layer do not save (its
 * `getConfig` throws); for a saveable custom layer, subclass `Layer`.
 *
 * @module
 */
import { checkArity, checkShape, checkTensor, fmtValue } from "../_check.ts";
import { zeros } from "../ops/creation.ts";
import { tidy } from "../scope.ts";
import { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** Arguments of `lambda()`. */
export interface LambdaArgs extends LayerArgs {
  /** The function of a batch, built from Dendrite ops. */
  fn: (x: Tensor) => Tensor;
  /** Output shape of one sample; default: found by running `fn` on one sample of zeros. */
  outputShape?: number[];
}

/** Applies a user function. */
export class Lambda extends Layer {
  readonly className = "Lambda";
  readonly fn: (x: Tensor) => Tensor;
  readonly outputShape: number[] | undefined;
  /** @param args See `LambdaArgs`. */
  constructor(args: LambdaArgs) {
    super(args ?? {}, "lambda", ["fn", "outputShape"], "lambda");
    if (typeof args?.fn !== "function") {
      throw new TypeError(
        `Cannot run lambda(): argument "fn" must be a function: got ${fmtValue(args?.fn)}`,
      );
    }
    this.fn = args.fn;
    this.outputShape = args.outputShape === undefined
      ? undefined
      : checkShape(args.outputShape, "outputShape", "lambda");
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (this.outputShape) return [...this.outputShape];
    return tidy(() => this.call(zeros([1, ...inputShape]), false).shape.slice(1));
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const y = this.fn(x);
    if (!(y instanceof Tensor)) {
      throw new TypeError(
        `Cannot apply lambda layer "${this.name}": its function must return a tensor: got ${
          fmtValue(y)
        }`,
      );
    }
    return y;
  }
  /** Throws: a function cannot be saved. */
  override getConfig(): Record<string, unknown> {
    throw new TypeError(
      `Cannot save lambda layer "${this.name}": its function cannot be serialised; subclass Layer for a saveable custom layer`,
    );
  }
}

/**
 * A layer over a function of the batch (Keras `Lambda`), for custom steps without weights; the
 * gradient flows through the ops the function runs. A model holding one does not save (a
 * function cannot be serialised): subclass `Layer` for a layer that must reload.
 *
 * @param args `fn` (a batch to a batch), `outputShape` (of one sample; default: found by running
 *   `fn` once on one sample of zeros), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `fn` is not a function, or (on call) returns no tensor.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.lambda({ fn: (x) => dn.mul(x, 2) });
 * assert.deepEqual([...layer.call(dn.tensor([[1, 2]])).dataSync()], [2, 4]);
 * assert.deepEqual(layer.computeOutputShape([2]), [2]);
 * assert.throws(() => layer.getConfig(), TypeError);
 * ```
 */
export function lambda(args: LambdaArgs): Lambda {
  checkArity(arguments, ["args"], "lambda");
  return new Lambda(args);
}
