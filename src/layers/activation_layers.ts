/**
 * Activation layers with parameters (Keras `ReLU`, `LeakyReLU`, `ELU`, `Softmax`; TF.js
 * factory names `reLU`, `leakyReLU`, `elu`, `softmax`), composed from the unary ops and `where`
 * with their gradients.
 *
 * @module
 */
import { checkArity, checkFinite, checkTensor, fmtValue } from "../_check.ts";
import { minimum, mul, sub } from "../ops/arithmetic.ts";
import { greater, greaterEqual } from "../ops/compare.ts";
import { elu as eluOp, leakyRelu } from "../ops/activations.ts";
import { softmax as softmaxOp } from "../ops/softmax.ts";
import { transpose } from "../ops/transform.ts";
import { relu } from "../ops/unary.ts";
import { where } from "../ops/where.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** Arguments of `reLU()`. */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output; default none. */
  maxValue?: number | null;
  /** Slope below `threshold`; default 0. */
  negativeSlope?: number;
  /** Where the slope changes; default 0. */
  threshold?: number;
}

function checkNumber(value: unknown, fallback: number, arg: string, fn: string, min = -Infinity) {
  const v = checkFinite(value ?? fallback, arg, fn);
  if (v < min) {
    throw new RangeError(`Cannot run ${fn}(): argument "${arg}" must be >= ${min}: got ${v}`);
  }
  return v;
}

/**
 * Keras's rectifier: `x` for `threshold <= x`, `negativeSlope · (x - threshold)` below, capped
 * at `maxValue`.
 */
export class ReLU extends Layer {
  readonly className = "ReLU";
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  /** @param args See `ReLUArgs`. */
  constructor(args: ReLUArgs = {}) {
    super(args ?? {}, "re_lu", ["maxValue", "negativeSlope", "threshold"], "reLU");
    this.maxValue = args?.maxValue == null
      ? null
      : checkNumber(args.maxValue, 0, "maxValue", "reLU", 0);
    this.negativeSlope = checkNumber(args?.negativeSlope, 0, "negativeSlope", "reLU", 0);
    this.threshold = checkNumber(args?.threshold, 0, "threshold", "reLU");
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const y = this.negativeSlope === 0 && this.threshold === 0 ? relu(x) : where(
      greaterEqual(x, this.threshold),
      x,
      mul(sub(x, this.threshold), this.negativeSlope),
    );
    return this.maxValue === null ? y : minimum(y, this.maxValue);
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}

/** `x` for x > 0, `alpha · x` below (Keras default `alpha` 0.3). */
export class LeakyReLU extends Layer {
  readonly className = "LeakyReLU";
  readonly alpha: number;
  /** @param args `alpha` (default 0.3), and the common layer arguments. */
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args ?? {}, "leaky_re_lu", ["alpha"], "leakyReLU");
    this.alpha = checkNumber(args?.alpha, 0.3, "alpha", "leakyReLU");
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    return leakyRelu(x, this.alpha);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** `x` for x > 0, `alpha · (exp(x) - 1)` below (default `alpha` 1). */
export class ELU extends Layer {
  readonly className = "ELU";
  readonly alpha: number;
  /** @param args `alpha` (default 1), and the common layer arguments. */
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args ?? {}, "elu", ["alpha"], "elu");
    this.alpha = checkNumber(args?.alpha, 1, "alpha", "elu");
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const y = eluOp(x);
    return this.alpha === 1 ? y : where(greater(x, 0), x, mul(y, this.alpha));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Softmax along `axis` (default -1). */
export class Softmax extends Layer {
  readonly className = "Softmax";
  readonly axis: number;
  /** @param args `axis` (default -1), and the common layer arguments. */
  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args ?? {}, "softmax", ["axis"], "softmax");
    const axis = args?.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new TypeError(
        `Cannot run softmax(): argument "axis" must be an integer: got ${fmtValue(axis)}`,
      );
    }
    this.axis = axis;
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    const axis = this.axis < 0 ? this.axis + x.rank : this.axis;
    if (axis === x.rank - 1 || axis < 0 || axis >= x.rank) return softmaxOp(x, this.axis);
    // The softmax op takes the last axis: swap `axis` there and back (transposes are copies).
    const perm = x.shape.map((_, i) => (i === axis ? x.rank - 1 : i === x.rank - 1 ? axis : i));
    return transpose(softmaxOp(transpose(x, perm)), perm);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * A rectifier layer (Keras `ReLU`): `x` for `threshold <= x`, `negativeSlope · (x - threshold)`
 * below, capped at `maxValue` (`maxValue: 6` is ReLU6).
 *
 * @param args `maxValue` (default none, >= 0), `negativeSlope` (default 0, >= 0), `threshold`
 *   (default 0), and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When a value is not finite, or `maxValue`/`negativeSlope` is negative.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.reLU({ maxValue: 6 }).call(dn.tensor([[-1, 3, 9]]));
 * assert.deepEqual([...y.dataSync()], [0, 3, 6]);
 * ```
 */
export function reLU(args: ReLUArgs = {}): ReLU {
  checkArity(arguments, ["args"], "reLU");
  return new ReLU(args);
}

/**
 * A leaky rectifier layer (Keras `LeakyReLU`): `x` for x > 0, `alpha · x` below.
 *
 * @param args `alpha` (default 0.3, Keras's), and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `alpha` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.leakyReLU({ alpha: 0.5 }).call(dn.tensor([[-2, 3]]));
 * assert.deepEqual([...y.dataSync()], [-1, 3]);
 * ```
 */
export function leakyReLU(args: LayerArgs & { alpha?: number } = {}): LeakyReLU {
  checkArity(arguments, ["args"], "leakyReLU");
  return new LeakyReLU(args);
}

/**
 * An exponential linear unit layer (Keras `ELU`): `x` for x > 0, `alpha · (exp(x) - 1)` below.
 *
 * @param args `alpha` (default 1), and the common layer arguments.
 * @returns The layer.
 * @throws {RangeError} When `alpha` is not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.elu({ alpha: 2 }).call(dn.tensor([[0.5, -100]]));
 * assert.deepEqual([...y.dataSync()], [0.5, -2]);
 * ```
 */
export function elu(args: LayerArgs & { alpha?: number } = {}): ELU {
  checkArity(arguments, ["args"], "elu");
  return new ELU(args);
}

/**
 * A softmax layer (Keras `Softmax`) along `axis`.
 *
 * @param args `axis` (default -1), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `axis` is not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.softmax().call(dn.tensor([[0, 0, 0, 0]]));
 * assert.deepEqual([...y.dataSync()], [0.25, 0.25, 0.25, 0.25]);
 * ```
 */
export function softmax(args: LayerArgs & { axis?: number } = {}): Softmax {
  checkArity(arguments, ["args"], "softmax");
  return new Softmax(args);
}
