/**
 * `embedding`: integer indices (as float32) to rows of a trainable `[inputDim, outputDim]` table
 * (Keras `Embedding`, weight name `embeddings`); the gradient is a scatter-add into the table.
 *
 * @module
 */
import { checkPositiveInt, checkTensor, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { gather } from "../ops/gather.ts";
import { generator } from "../random.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs } from "./layer.ts";
import { addActivityLoss } from "./activity.ts";
import type { Constraint } from "./constraints.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";
import {
  checkWeightPenalties,
  type WeightPenalty,
  weightPenaltyConfig,
  weightPenaltyKeys,
} from "./_weight_penalties.ts";

/** Arguments of `embedding()`. */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices are in `[0, inputDim)`. */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Half-width of the uniform initialisation (Keras `"uniform"`: 0.05). */
  initScale?: number;
  /** Penalty on the table (`dn.regularizers.l1/l2/l1l2`), added to the training loss. */
  embeddingsRegularizer?: { l1?: number; l2?: number };
  /** Penalty on the output in training (`dn.regularizers`), divided by the batch size. */
  activityRegularizer?: { l1?: number; l2?: number };
  /** Projection of the table after each optimizer step (`dn.constraints`). */
  embeddingsConstraint?: Constraint;
}

/** Looks up a vector per index. */
export class Embedding extends Layer {
  readonly className = "Embedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly initScale: number;
  /** The regulariser and constraint of the table. */
  readonly penalties: Record<"embeddings", WeightPenalty>;
  /** Penalty on the output in training. */
  readonly activityRegularizer: Regularizer;
  #table: Tensor | null = null;

  /** @param args See `EmbeddingArgs`. */
  constructor(args: EmbeddingArgs) {
    super(args, "embedding", [
      "inputDim",
      "outputDim",
      "initScale",
      ...weightPenaltyKeys(["embeddings"]),
      "activityRegularizer",
    ]);
    this.inputDim = checkPositiveInt(args?.inputDim, "inputDim", "embedding");
    this.outputDim = checkPositiveInt(args?.outputDim, "outputDim", "embedding");
    const scale = args.initScale ?? 0.05;
    if (!(Number.isFinite(scale) && scale >= 0)) {
      throw new RangeError(
        `Cannot run embedding(): argument "initScale" must be a finite number >= 0: got ${
          fmtValue(scale)
        }`,
      );
    }
    this.initScale = scale;
    const penaltyArgs = args as unknown as Record<string, unknown>;
    this.penalties = checkWeightPenalties(penaltyArgs, ["embeddings"], "embedding");
    this.activityRegularizer = checkRegularizer(
      args.activityRegularizer,
      "activityRegularizer",
      "embedding",
    );
  }

  protected override build(inputShape: readonly number[]): void {
    const [table] = this.weightShapes(inputShape);
    this.#table = this.addWeight(
      "embeddings",
      table.shape,
      "zeros",
      this.penalties.embeddings,
    );
    const rng = generator();
    const values = new Float32Array(this.inputDim * this.outputDim);
    for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * this.initScale;
    activeBackend().write(this.#table.storage, values);
  }

  /** The table does not depend on the sample shape. */
  override ensureBuilt(_inputShape: readonly number[]): void {
    super.ensureBuilt([]);
  }

  override weightShapes(_inputShape: readonly number[]): { name: string; shape: number[] }[] {
    return [{ name: "embeddings", shape: [this.inputDim, this.outputDim] }];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  call(x: Tensor, _training = false): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    this.ensureBuilt(x.shape.slice(1));
    const y = gather(this.#table!, x);
    addActivityLoss(y, this.activityRegularizer);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      initScale: this.initScale,
      ...weightPenaltyConfig(this.penalties),
      ...(regularizerConfig(this.activityRegularizer)
        ? { activityRegularizer: regularizerConfig(this.activityRegularizer) }
        : {}),
    };
  }
}
