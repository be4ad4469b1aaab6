/**
 * Layers without weights: `activation`, `dropout`, `flatten`, `reshape`.
 *
 * @module
 */
import { checkShape, checkTensor, fmtShape } from "../_check.ts";
import { mul } from "../ops/arithmetic.ts";
import { dropoutMask } from "../ops/random.ts";
import { reshape } from "../ops/transform.ts";
import { generator, Random } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { activationFn, type ActivationName, checkActivation } from "./activations.ts";
import { Layer, type LayerArgs } from "./layer.ts";

/** Applies an activation function. */
export class Activation extends Layer {
  readonly className = "Activation";
  readonly activation: ActivationName;
  /** @param args `activation` and the common layer arguments. */
  constructor(args: LayerArgs & { activation: ActivationName }) {
    super(args, "activation", ["activation"]);
    this.activation = checkActivation(args?.activation, "activation");
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    return activationFn(this.activation)(x);
  }
  /** The input itself: the logits of a softmax or sigmoid, for fused cross-entropy losses. */
  callLogits(x: Tensor): Tensor {
    return x;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

/**
 * Inverted dropout: in training, zeroes each value with probability `rate` and scales the rest by
 * `1 / (1 - rate)`; at inference it passes values through.
 */
export class Dropout extends Layer {
  readonly className = "Dropout";
  readonly rate: number;
  readonly seed: number | undefined;
  readonly #rng: Random | undefined;
  /** @param args `rate` in [0, 1), optional `seed`, and the common layer arguments. */
  constructor(args: LayerArgs & { rate: number; seed?: number }) {
    super(args, "dropout", ["rate", "seed"]);
    const rate = args?.rate;
    if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) {
      throw new RangeError(`Cannot run dropout(): argument "rate" must be in [0, 1): got ${rate}`);
    }
    this.rate = rate;
    this.seed = args.seed;
    this.#rng = args.seed === undefined ? undefined : new Random(args.seed);
  }
  call(x: Tensor, training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    if (!training || this.rate === 0) return x;
    using m = dropoutMask(x.shape, this.rate, (this.#rng ?? generator()).nextUint32());
    return mul(x, m);
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rate: this.rate,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/** Flattens each sample to one dimension. */
export class Flatten extends Layer {
  readonly className = "Flatten";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "flatten", []);
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    return reshape(x, [x.shape[0], ...this.computeOutputShape(x.shape.slice(1))]);
  }
}

/** Reshapes each sample to `targetShape` (one entry may be -1). */
export class Reshape extends Layer {
  readonly className = "Reshape";
  readonly targetShape: number[];
  /** @param args `targetShape` and the common layer arguments. */
  constructor(args: LayerArgs & { targetShape: number[] }) {
    super(args, "reshape", ["targetShape"]);
    const target = args?.targetShape;
    const valid = Array.isArray(target) &&
      target.every((d) => Number.isInteger(d) && (d >= 1 || d === -1)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new RangeError(
        `Cannot run reshape(): argument "targetShape" must hold positive integers and at most one -1: got ${
          Array.isArray(target) ? fmtShape(target) : target
        }`,
      );
    }
    this.targetShape = [...target];
  }
  override computeOutputShape(inputShape: readonly number[]): number[] {
    const size = checkShape([...inputShape], "inputShape", "reshape").reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (out.reduce((a, b) => a * b, 1) !== size || out.some((d) => !Number.isInteger(d))) {
      throw new RangeError(
        `Cannot apply reshape layer "${this.name}": samples of shape ${
          fmtShape(inputShape)
        } cannot become ${fmtShape(this.targetShape)}`,
      );
    }
    return out;
  }
  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    return reshape(x, [x.shape[0], ...this.computeOutputShape(x.shape.slice(1))]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}
