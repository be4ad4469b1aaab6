/**
 * `denseTied`: a dense layer whose kernel is another dense layer's, transposed (the tied weights
 * of autoencoders: the decoder reads the encoder's kernel), with a bias of its own.
 *
 * @module
 */
import { checkArity, checkPositiveInt, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { matmul } from "../ops/matmul.ts";
import { reshape } from "../ops/transform.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { lastMade } from "./_config_refs.ts";
import { addActivityLoss } from "./activity.ts";
import { type ActivationName, checkActivation, splitActivation } from "./activations.ts";
import { checkConstraint, type Constraint, constraintConfig } from "./constraints.ts";
import { Dense } from "./dense.ts";
import { checkInitializer, type Initializer, initializerConfig } from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";

/** Arguments of `denseTied()`. */
export interface DenseTiedArgs extends LayerArgs {
  /**
   * The dense layer whose kernel `[inputDim, units]` this layer multiplies by, transposed: it
   * maps `units` values back to `inputDim`. (In a saved config: that layer's name.)
   */
  tiedTo: Dense;
  /**
   * Output size: `tiedTo`'s input size, which building checks. Optional (saved configs carry it,
   * so a loader knows the bias shape before `tiedTo` is built).
   */
  units?: number;
  /** Default `"linear"`. */
  activation?: ActivationName;
  /** Default true: a bias `[inputDim]` of this layer's own. */
  useBias?: boolean;
  /** Default `"zeros"`. */
  biasInitializer?: Initializer;
  /** Penalty on the bias (`dn.regularizers`). */
  biasRegularizer?: { l1?: number; l2?: number };
  /** Projection of the bias after each optimizer step (`dn.constraints`). */
  biasConstraint?: Constraint;
  /** Penalty on the output in training (`dn.regularizers`), divided by the batch size. */
  activityRegularizer?: { l1?: number; l2?: number };
}

const KEYS = [
  "tiedTo",
  "units",
  "activation",
  "useBias",
  "biasInitializer",
  "biasRegularizer",
  "biasConstraint",
  "activityRegularizer",
];

/** A dense layer over another dense layer's transposed kernel. */
export class DenseTied extends Layer {
  readonly className = "DenseTied";
  /** The layer whose kernel this one reads. */
  readonly tiedTo: Dense;
  /** The output size when given (or once built): `tiedTo`'s input size. */
  #units: number | undefined;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer;
  readonly biasConstraint: Constraint | null;
  readonly activityRegularizer: Regularizer;
  #bias: Tensor | null = null;

  /** @param args See `DenseTiedArgs`. */
  constructor(args: DenseTiedArgs) {
    super(args, "dense_tied", KEYS, "denseTied");
    const fn = "denseTied";
    this.tiedTo = tiedLayer(args.tiedTo, fn);
    this.#units = args.units === undefined ? undefined : checkPositiveInt(args.units, "units", fn);
    this.activation = checkActivation(args.activation, fn);
    if (args.useBias !== undefined && typeof args.useBias !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "useBias" must be a boolean: got ${fmtValue(args.useBias)}`,
      );
    }
    this.useBias = args.useBias ?? true;
    this.biasInitializer = checkInitializer(args.biasInitializer ?? "zeros", "biasInitializer", fn);
    this.biasRegularizer = checkRegularizer(args.biasRegularizer, "biasRegularizer", fn);
    this.biasConstraint = checkConstraint(args.biasConstraint, "biasConstraint", fn);
    this.activityRegularizer = checkRegularizer(
      args.activityRegularizer,
      "activityRegularizer",
      fn,
    );
  }

  /** The tied layer's kernel `[outputDim, inputDim]` of this layer; throws until it exists. */
  get kernel(): Tensor {
    const kernel = this.tiedTo.weights.find((w) => w.name === "kernel")?.value;
    if (!kernel) {
      throw new RangeError(
        `Cannot build denseTied layer "${this.name}": the layer it is tied to, "${this.tiedTo.name}", has no kernel yet: apply that layer first`,
      );
    }
    return kernel;
  }

  protected override build(inputShape: readonly number[]): void {
    const [bias] = this.weightShapes(inputShape);
    if (bias) {
      this.#bias = this.addWeight("bias", bias.shape, this.biasInitializer, {
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** The output size: `units` when given, else `tiedTo`'s input size (once it is built). */
  get units(): number {
    return this.#units ?? this.kernel.shape[0];
  }

  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim !== this.tiedTo.units) {
      throw new RangeError(
        `Cannot build denseTied layer "${this.name}": samples must have a last dimension of ${this.tiedTo.units} (the units of "${this.tiedTo.name}"): got ${
          fmtShape(inputShape)
        }`,
      );
    }
    if (this.tiedTo.built && this.#units !== undefined && this.#units !== this.kernel.shape[0]) {
      throw new RangeError(
        `Cannot build denseTied layer "${this.name}": argument "units" must be the input size of "${this.tiedTo.name}", ${
          this.kernel.shape[0]
        }: got ${this.#units}`,
      );
    }
    return this.useBias ? [{ name: "bias", shape: [this.units] }] : [];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** Builds for the last axis only, as `dense`. */
  override ensureBuilt(inputShape: readonly number[]): void {
    super.ensureBuilt(inputShape.slice(-1));
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const kernel = this.kernel;
    const y = tidy(() => {
      const flat = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]]);
      const { fused, after } = splitActivation(this.activation);
      let out = matmul(flat, kernel, {
        transposeB: true,
        bias: this.#bias ?? undefined,
        activation: fused,
      });
      if (after) out = after(out);
      return x.rank === 2 ? out : reshape(out, [...x.shape.slice(0, -1), kernel.shape[0]]);
    });
    addActivityLoss(y, this.activityRegularizer);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    const optional = (key: string, value: unknown) => value ? { [key]: value } : {};
    return {
      ...super.getConfig(),
      tiedTo: this.tiedTo.name,
      ...(this.#units !== undefined || this.tiedTo.built ? { units: this.units } : {}),
      activation: this.activation,
      useBias: this.useBias,
      biasInitializer: initializerConfig(this.biasInitializer),
      ...optional("biasRegularizer", regularizerConfig(this.biasRegularizer)),
      ...optional("biasConstraint", this.biasConstraint && constraintConfig(this.biasConstraint)),
      ...optional("activityRegularizer", regularizerConfig(this.activityRegularizer)),
    };
  }
}

/**
 * The `tiedTo` layer: a Dense layer, or in a saved config its name, found among the layers
 * `loadModel` / `cloneModel` rebuilt just before.
 */
function tiedLayer(value: unknown, fn: string): Dense {
  if (value instanceof Dense) return value;
  const found = typeof value === "string" ? lastMade(value) : undefined;
  if (found instanceof Dense) return found;
  if (typeof value === "string") {
    throw new RangeError(
      `Cannot run ${fn}(): argument "tiedTo" names "${value}", which must be a dense layer rebuilt before this one from the same model (save or clone the model holding both layers): got ${
        found ? `a ${found.className} layer` : "no such layer"
      }`,
    );
  }
  throw new TypeError(
    `Cannot run ${fn}(): argument "tiedTo" must be a Dense layer: got ${fmtValue(value)}`,
  );
}

/**
 * A dense layer that multiplies by another dense layer's kernel, transposed, and adds a bias of
 * its own: `activation(x·tiedToᵀ + bias)` (tied weights: an autoencoder's decoder reads its
 * encoder's kernel, halving the weights). The kernel stays the encoder's: training a model that
 * holds both layers sums both uses' gradients into it, and `kernelRegularizer` is set on the
 * encoder. This layer's own weight is the bias `[inputDim]`. Saved by the encoder's name: save
 * or clone a model that holds both layers, the encoder first. Not a Keras layer (Keras users
 * write it as a custom `DenseTranspose`).
 *
 * @param args `tiedTo` (a `dense` layer), `units` (optional, checked), `activation`, `useBias`, `biasInitializer`,
 *   `biasRegularizer`, `biasConstraint`, `activityRegularizer`, and the common layer arguments.
 * @returns The layer; it maps `[batch, units]` to `[batch, inputDim]` of `tiedTo`.
 * @throws {TypeError} When `tiedTo` is not a dense layer, or an argument is unknown.
 * @throws {RangeError} When applied before `tiedTo` has a kernel, or to samples whose last
 *   dimension is not `tiedTo`'s units.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const encoder = dn.layers.dense({ units: 3, activation: "sigmoid", inputShape: [8] });
 * const decoder = dn.layers.denseTied({ tiedTo: encoder, activation: "sigmoid" });
 * const autoencoder = dn.sequential([encoder, decoder]);
 * const y = autoencoder.predict(dn.ones([2, 8])) as dn.Tensor;
 * assert.deepEqual(y.shape, [2, 8]);
 * assert.equal(autoencoder.countParams(), 8 * 3 + 3 + 8); // one kernel, two biases
 * ```
 */
export function denseTied(args: DenseTiedArgs): DenseTied {
  checkArity(arguments, ["args"], "denseTied");
  return new DenseTied(args);
}
