/**
 * Recurrent layers `simpleRNN`, `lstm` and `gru` over `[batch, steps, features]` inputs, with the
 * Keras weight layouts and names (`kernel` `[features, g·units]`, `recurrent_kernel`
 * `[units, g·units]`, `bias` `[g·units]`, GRU `[2, 3·units]` with `resetAfter: true`), so Keras
 * weights load unchanged. Each layer is one fused sequence op (`src/ops/recurrent.ts`).
 *
 * States: `call(x, training, { initialState })` returns the output tensor (what a Sequential
 * passes on, also when `returnState` is set); `callWithState(x, ...)` returns
 * `[output, ...finalStates]` (`[h, c]` for the LSTM) for encoder-decoder wiring outside a
 * Sequential.
 *
 * @module
 */
import { checkOneOf, checkPositiveInt, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { ACTIVATIONS as FUSED } from "../backend/activations.ts";
import type { Activation } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import { sequenceOp, type SequenceResult } from "../ops/recurrent.ts";
import type { CellKind } from "../ops/_recurrent.ts";
import { generator, type Random } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkInitializer,
  type Initializer,
  initializerConfig,
  initialValues,
} from "./initializers.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import { type ActivationName, ACTIVATIONS } from "./activations.ts";
import { composedRnn } from "./_rnn_composed.ts";
import { addActivityLoss } from "./activity.ts";
import type { Constraint } from "./constraints.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";
import {
  checkWeightPenalties,
  type WeightPenalty,
  weightPenaltyConfig,
  weightPenaltyKeys,
} from "./_weight_penalties.ts";

/**
 * Activations of a recurrent layer: any layer activation. The recurrent kernel fuses linear, relu,
 * sigmoid and tanh for a simple RNN and the pair tanh/sigmoid for an LSTM or GRU; the others run
 * composed from ops (without `truncate`).
 */
export type RnnActivation = ActivationName;
/** Initialisers of recurrent kernels: any initialiser (Keras's default `"orthogonal"`). */
export type RecurrentInitializer = Initializer;

/** Arguments of `simpleRNN()`, `lstm()` and `gru()`. */
export interface RecurrentArgs extends LayerArgs {
  /** State size. */
  units: number;
  /** Any layer activation (default `"tanh"`); the LSTM/GRU candidate and cell output. */
  activation?: RnnActivation;
  /** LSTM/GRU gate activation: any layer activation (default `"sigmoid"`, Keras's). */
  recurrentActivation?: RnnActivation;
  /** Default true. */
  useBias?: boolean;
  /** Output every step `[steps, units]` (default false: the last step `[units]`). */
  returnSequences?: boolean;
  /** Final states available from `callWithState()` (default false). */
  returnState?: boolean;
  /** Process the sequence backwards; outputs in processing order (default false). */
  goBackwards?: boolean;
  /** Truncated BPTT length in steps (see `RecurrentOptions.truncate`); default: full BPTT. */
  truncate?: number;
  /** Default `"glorotUniform"`. */
  kernelInitializer?: Initializer;
  /** Default `"orthogonal"`. */
  recurrentInitializer?: RecurrentInitializer;
  /** Default `"zeros"`. */
  biasInitializer?: Initializer;
  /** Penalty on `kernel` (`dn.regularizers.l1/l2/l1l2`), added to the training loss. */
  kernelRegularizer?: { l1?: number; l2?: number };
  /** Penalty on `recurrent_kernel`. */
  recurrentRegularizer?: { l1?: number; l2?: number };
  /** Penalty on `bias`. */
  biasRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the output in training (`dn.regularizers`), divided by the batch size. */
  activityRegularizer?: { l1?: number; l2?: number };
  /** Projection of `kernel` after each optimizer step (`dn.constraints`). */
  kernelConstraint?: Constraint;
  /** Projection of `recurrent_kernel` after each optimizer step. */
  recurrentConstraint?: Constraint;
  /** Projection of `bias` after each optimizer step. */
  biasConstraint?: Constraint;
  /** LSTM: initialise the forget-gate bias to 1 (default true, as Keras). */
  unitForgetBias?: boolean;
  /**
   * GRU: reset gate after the recurrent product (default true, Keras's since TF 2, the fused
   * kernel's layout, bias `[2, 3·units]`); false is the original GRU (TF.js's, bias `[3·units]`),
   * run composed from ops.
   */
  resetAfter?: boolean;
}

/** Options of `call()` and `callWithState()`. */
export interface RecurrentCallOptions {
  /** Initial states `[h0]` (LSTM `[h0, c0]`), each `[batch, units]`; default zeros. */
  initialState?: Tensor[];
}

/** Keys of {@linkcode RecurrentArgs} every recurrent layer reads (LSTM and GRU add theirs). */
const RECURRENT_KEYS = [
  "units",
  "activation",
  "useBias",
  "returnSequences",
  "returnState",
  "goBackwards",
  "truncate",
  "kernelInitializer",
  "recurrentInitializer",
  "biasInitializer",
  ...weightPenaltyKeys(["kernel", "recurrent", "bias"]),
  "activityRegularizer",
];

/** The factory of each layer kind, named in the unknown-key error. */
const FACTORIES: Record<string, string> = { simple_rnn: "simpleRNN", lstm: "lstm", gru: "gru" };

/** The shared machinery of the three recurrent layers. */
export abstract class RecurrentLayer extends Layer {
  abstract readonly cell: CellKind;
  readonly units: number;
  readonly activation: RnnActivation;
  /** The LSTM/GRU gate activation (`null` for a simple RNN). */
  readonly recurrentActivation: RnnActivation | null;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly truncate: number | undefined;
  /** GRU: reset gate after the recurrent product (true for the other cells). */
  readonly resetAfter: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: RecurrentInitializer;
  readonly biasInitializer: Initializer;
  /** The regularisers and constraints of `kernel`, `recurrent_kernel` and `bias`. */
  readonly penalties: Record<"kernel" | "recurrent" | "bias", WeightPenalty>;
  /** Penalty on the output in training. */
  readonly activityRegularizer: Regularizer;
  #kernel: Tensor | null = null;
  #recurrent: Tensor | null = null;
  #bias: Tensor | null = null;

  /** @param args See `RecurrentArgs`; `prefix` names the layer kind. */
  constructor(args: RecurrentArgs, prefix: string, gated: boolean, keys: readonly string[] = []) {
    const own = gated ? ["recurrentActivation", ...keys] : keys;
    super(args, prefix, [...RECURRENT_KEYS, ...own], FACTORIES[prefix] ?? prefix);
    const fn = prefix;
    this.units = checkPositiveInt(args?.units, "units", fn);
    this.activation = checkOneOf(args.activation ?? "tanh", ACTIVATIONS, "activation", fn);
    this.recurrentActivation = gated
      ? checkOneOf(args.recurrentActivation ?? "sigmoid", ACTIVATIONS, "recurrentActivation", fn)
      : null;
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.resetAfter = args.resetAfter ?? true;
    if (typeof this.resetAfter !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "resetAfter" must be a boolean: got ${
          fmtValue(args.resetAfter)
        }`,
      );
    }
    this.truncate = args.truncate === undefined
      ? undefined
      : checkPositiveInt(args.truncate, "truncate", fn);
    if (this.truncate !== undefined && !this.fused) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "truncate" needs ${
          gated
            ? 'the activations of the fused kernel ("tanh" and recurrentActivation "sigmoid")'
            : 'an activation of the fused kernel ("linear", "relu", "sigmoid", "tanh")'
        }: got "${this.activation}"${gated ? ` and "${this.recurrentActivation}"` : ""}`,
      );
    }
    const init = (v: unknown, d: Initializer, arg: string) => checkInitializer(v ?? d, arg, fn);
    this.kernelInitializer = init(args.kernelInitializer, "glorotUniform", "kernelInitializer");
    this.recurrentInitializer = init(
      args.recurrentInitializer,
      "orthogonal",
      "recurrentInitializer",
    );
    this.biasInitializer = init(args.biasInitializer, "zeros", "biasInitializer");
    const penaltyArgs = args as unknown as Record<string, unknown>;
    this.penalties = checkWeightPenalties(penaltyArgs, ["kernel", "recurrent", "bias"], fn);
    this.activityRegularizer = checkRegularizer(
      args.activityRegularizer,
      "activityRegularizer",
      fn,
    );
  }

  /** Whether the fused recurrent kernel runs the activations (else they are composed from ops). */
  get fused(): boolean {
    return this.recurrentActivation === null
      ? (FUSED as readonly string[]).includes(this.activation)
      : this.activation === "tanh" && this.recurrentActivation === "sigmoid" && this.resetAfter;
  }

  /** Gate blocks: LSTM 4, GRU 3, simple RNN 1. */
  protected abstract get gates(): number;

  /** Bias values for a fresh layer (the LSTM's unit forget bias overrides this). */
  protected biasValues(shape: number[], rng: Random): Float32Array {
    return initialValues(this.biasInitializer, shape, rng, this.className);
  }

  /** `kernel [features, g·units]`, `recurrent_kernel [units, g·units]`, bias (GRU `[2, 3·units]`). */
  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    const features = inputShape[inputShape.length - 1];
    if (!(features > 0)) {
      throw new RangeError(
        `Cannot build ${this.className} layer "${this.name}": samples must be [steps, features] with features >= 1: got ${
          fmtShape(inputShape)
        }`,
      );
    }
    const g = this.gates * this.units;
    const shapes = [
      { name: "kernel", shape: [features, g] },
      { name: "recurrent_kernel", shape: [this.units, g] },
    ];
    const bias = { name: "bias", shape: this.cell === "gru" && this.resetAfter ? [2, g] : [g] };
    return this.useBias ? [...shapes, bias] : shapes;
  }

  protected override build(inputShape: readonly number[]): void {
    const [kernel, recurrent, bias] = this.weightShapes(inputShape);
    const rng = generator();
    const p = this.penalties;
    this.#kernel = this.addWeight("kernel", kernel.shape, this.kernelInitializer, p.kernel);
    this.#recurrent = this.addWeight(
      "recurrent_kernel",
      recurrent.shape,
      this.recurrentInitializer,
      p.recurrent,
    );
    if (bias) {
      this.#bias = this.addWeight("bias", bias.shape, "zeros", p.bias);
      activeBackend().write(this.#bias.storage, this.biasValues(bias.shape, rng));
    }
  }

  /** Builds for the feature axis only, so sequences of any length can be fed. */
  override ensureBuilt(inputShape: readonly number[]): void {
    super.ensureBuilt(inputShape.slice(-1));
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    return this.returnSequences ? [inputShape[0], this.units] : [this.units];
  }

  /** Runs the sequence op (for wrappers: `inputOrder` keeps a goBackwards output in input order). */
  run(
    x: Tensor,
    options: RecurrentCallOptions & { returnState?: boolean },
    inputOrder = false,
  ): SequenceResult {
    const fn = `${this.name}.call`;
    checkTensor(x, "x", fn);
    if (x.rank !== 3) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "x" must have rank 3 [batch, steps, features]: got rank ${x.rank} (shape ${
          fmtShape(x.shape)
        })`,
      );
    }
    this.ensureBuilt(x.shape.slice(1));
    if (!this.fused) {
      return composedRnn({
        cell: this.cell,
        x,
        kernel: this.#kernel!,
        recurrentKernel: this.#recurrent!,
        bias: this.#bias ?? undefined,
        initialState: options.initialState,
        activation: this.activation,
        recurrentActivation: this.recurrentActivation ?? "sigmoid",
        returnSequences: this.returnSequences,
        returnState: options.returnState ?? false,
        goBackwards: this.goBackwards,
        resetAfter: this.resetAfter,
        inputOrder,
      }, fn);
    }
    return sequenceOp(this.cell, fn, x, this.#kernel!, this.#recurrent!, {
      bias: this.#bias ?? undefined,
      initialState: options.initialState,
      activation: this.activation as Activation,
      returnSequences: this.returnSequences,
      returnState: options.returnState ?? false,
      goBackwards: this.goBackwards,
      truncate: this.truncate,
    }, inputOrder);
  }

  /** The output `[batch, units]` or `[batch, steps, units]`; states via `callWithState()`. */
  call(x: Tensor, _training = false, options: RecurrentCallOptions = {}): Tensor {
    const { output } = this.run(x, options);
    addActivityLoss(output, this.activityRegularizer);
    return output;
  }

  /** `[output, ...finalStates]` (LSTM `[output, h, c]`, others `[output, h]`). */
  callWithState(x: Tensor, options: RecurrentCallOptions & { training?: boolean } = {}): Tensor[] {
    const { output, states } = this.run(x, { ...options, returnState: true });
    addActivityLoss(output, this.activityRegularizer);
    return [output, ...states];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      ...(this.recurrentActivation === null
        ? {}
        : { recurrentActivation: this.recurrentActivation }),
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      ...(this.truncate !== undefined ? { truncate: this.truncate } : {}),
      kernelInitializer: initializerConfig(this.kernelInitializer),
      recurrentInitializer: initializerConfig(this.recurrentInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...weightPenaltyConfig(this.penalties),
      ...(regularizerConfig(this.activityRegularizer)
        ? { activityRegularizer: regularizerConfig(this.activityRegularizer) }
        : {}),
    };
  }
}

/** Fully connected RNN: `h = activation(x·kernel + h·recurrentKernel + bias)`. */
export class SimpleRNN extends RecurrentLayer {
  readonly className = "SimpleRNN";
  readonly cell = "simpleRnn" as const;
  /** @param args See `RecurrentArgs`. */
  constructor(args: RecurrentArgs) {
    super(args, "simple_rnn", false);
  }
  protected get gates(): number {
    return 1;
  }
}

/** Long short-term memory (Keras gate order i, f, c, o). */
export class LSTM extends RecurrentLayer {
  readonly className = "LSTM";
  readonly cell = "lstm" as const;
  readonly unitForgetBias: boolean;
  /** @param args See `RecurrentArgs`. */
  constructor(args: RecurrentArgs) {
    super(args, "lstm", true, ["unitForgetBias"]);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }
  protected get gates(): number {
    return 4;
  }
  protected override biasValues(shape: number[], rng: Random): Float32Array {
    const values = super.biasValues(shape, rng);
    if (this.unitForgetBias) values.fill(1, this.units, 2 * this.units);
    return values;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}

/**
 * Gated recurrent unit (Keras gate order z, r, h; reset gate after the recurrent product, or
 * before it with `resetAfter: false`).
 */
export class GRU extends RecurrentLayer {
  readonly className = "GRU";
  readonly cell = "gru" as const;
  /** @param args See `RecurrentArgs`. */
  constructor(args: RecurrentArgs) {
    super(args, "gru", true, ["resetAfter"]);
  }
  protected get gates(): number {
    return 3;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
