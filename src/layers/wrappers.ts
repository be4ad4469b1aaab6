/**
 * Layers that wrap other layers: `bidirectional` (a recurrent layer run both ways, outputs
 * merged) and `timeDistributed` (a layer applied to every time step). Their weights are the
 * wrapped layers' tensors, listed under prefixed names (`forward/kernel`, `backward/kernel`).
 *
 * @module
 */
import { checkOneOf, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import { record } from "../autograd/tape.ts";
import { output } from "../ops/_output.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { reshape } from "../ops/transform.ts";
import type { Tensor } from "../tensor.ts";
import { addActivityLoss } from "./activity.ts";
import { Layer, type LayerArgs, type LayerWeight } from "./layer.ts";
import { RecurrentLayer } from "./recurrent.ts";

/** Rebuilds a wrapped layer from `{ className, config }` (set by registry.ts, avoiding a cycle). */
let fromConfig: ((className: unknown, config: unknown, fn: string) => Layer) | null = null;

/** Installs the deserialiser wrappers use for their saved inner layer. */
export function setWrappedLayerFactory(
  factory: (className: unknown, config: unknown, fn: string) => Layer,
): void {
  fromConfig = factory;
}

/** A layer instance, or its saved form. */
export type WrappedLayer = Layer | { className: string; config: Record<string, unknown> };

function unwrap(layer: WrappedLayer, fn: string): Layer {
  if (layer instanceof Layer) return layer;
  if (layer && typeof layer === "object" && "className" in layer && fromConfig) {
    return fromConfig(layer.className, layer.config, fn);
  }
  throw new TypeError(
    `Cannot run ${fn}(): argument "layer" must be a Layer: got ${fmtValue(layer)}`,
  );
}

/** Shared weight plumbing: the weights are the inner layers', with prefixed names. */
abstract class Wrapper extends Layer {
  protected abstract get inner(): [prefix: string, layer: Layer][];

  override get weights(): readonly LayerWeight[] {
    return this.inner.flatMap(([prefix, l]) =>
      l.weights.map((w) => ({ ...w, name: prefix + w.name }))
    );
  }
  override get built(): boolean {
    return this.inner.every(([, l]) => l.built);
  }
  /** The inner layers' trainable weights; none while the wrapper is frozen. */
  override get trainableWeights(): Tensor[] {
    return this.trainable ? this.inner.flatMap(([, l]) => l.trainableWeights) : [];
  }
  override countParams(): number {
    return this.inner.reduce((n, [, l]) => n + l.countParams(), 0);
  }
  override getWeights(): Tensor[] {
    return this.inner.flatMap(([, l]) => l.getWeights());
  }
  override setWeights(weights: readonly Tensor[]): void {
    const total = this.weights.length;
    if (!Array.isArray(weights) || weights.length !== total) {
      throw new RangeError(
        `Cannot run ${this.name}.setWeights(): argument "weights" must hold ${total} tensors: got ${
          Array.isArray(weights) ? weights.length : typeof weights
        }`,
      );
    }
    let at = 0;
    for (const [, l] of this.inner) {
      l.setWeights(weights.slice(at, at + l.weights.length));
      at += l.weights.length;
    }
  }
  override dispose(): void {
    for (const [, l] of this.inner) l.dispose();
  }
  override weightShapes(inputShape: readonly number[]): { name: string; shape: number[] }[] {
    return this.inner.flatMap(([prefix, l]) =>
      l.weightShapes(this.innerShape(inputShape)).map((w) => ({ ...w, name: prefix + w.name }))
    );
  }
  /** The sample shape the inner layers see. */
  protected innerShape(inputShape: readonly number[]): readonly number[] {
    return inputShape;
  }
  override ensureBuilt(inputShape: readonly number[]): void {
    for (const [, l] of this.inner) l.ensureBuilt(this.innerShape(inputShape));
  }
}

/** How `bidirectional` merges the two directions. */
export type MergeMode = "concat" | "sum" | "mul" | "ave";
const MERGE_MODES: readonly MergeMode[] = ["concat", "sum", "mul", "ave"];

/** `[..., u]` and `[..., u]` joined along the last axis (a permute of the two stacked). */
function concatLast(a: Tensor, b: Tensor): Tensor {
  const be = activeBackend();
  const u = a.shape[a.rank - 1], rows = a.size / u;
  const stacked = output([2, rows, u]);
  be.copy(a.storage, 0, stacked.storage, 0, a.size);
  be.copy(b.storage, 0, stacked.storage, a.size, b.size);
  const y = output([...a.shape.slice(0, -1), 2 * u]);
  fused(be).sequenceTranspose(stacked.storage, y.storage, rows, 2, u, false, false);
  stacked.dispose();
  return record(y, [a, b], (dy) => {
    const both = output([2, rows, u]);
    fused(be).sequenceTranspose(dy.storage, both.storage, rows, 2, u, true, false);
    const da = output(a.shape), db = output(b.shape);
    be.copy(both.storage, 0, da.storage, 0, a.size);
    be.copy(both.storage, a.size, db.storage, 0, b.size);
    both.dispose();
    return [da, db];
  });
}

/** Arguments of `bidirectional()`. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (run forwards); a copy with `goBackwards` flipped runs backwards. */
  layer: WrappedLayer;
  /** Default `"concat"`. */
  mergeMode?: MergeMode;
}

/** A recurrent layer over the sequence in both directions, outputs merged (Keras `Bidirectional`). */
export class Bidirectional extends Wrapper {
  readonly className = "Bidirectional";
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly mergeMode: MergeMode;

  /** @param args See `BidirectionalArgs`. */
  constructor(args: BidirectionalArgs) {
    const fn = "bidirectional";
    const layer = unwrap(args?.layer, fn);
    if (!(layer instanceof RecurrentLayer)) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "layer" must be a simpleRNN, lstm or gru layer: got ${layer.className}`,
      );
    }
    super({ ...args, inputShape: args.inputShape ?? layer.inputShape }, "bidirectional", [
      "layer",
      "mergeMode",
    ]);
    this.mergeMode = checkOneOf(args.mergeMode ?? "concat", MERGE_MODES, "mergeMode", fn);
    this.forwardLayer = layer;
    const config = layer.getConfig();
    const Cls = layer.constructor as new (c: Record<string, unknown>) => RecurrentLayer;
    this.backwardLayer = new Cls({
      ...config,
      name: `backward_${layer.name}`,
      goBackwards: !layer.goBackwards,
      inputShape: undefined,
    });
  }

  protected get inner(): [string, Layer][] {
    return [["forward/", this.forwardLayer], ["backward/", this.backwardLayer]];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    const shape = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode === "concat") shape[shape.length - 1] *= 2;
    return shape;
  }

  #merge(a: Tensor, b: Tensor): Tensor {
    if (this.mergeMode === "concat") return concatLast(a, b);
    if (this.mergeMode === "sum") return add(a, b);
    if (this.mergeMode === "mul") return mul(a, b);
    return mul(add(a, b), 0.5);
  }

  /** Both directions merged; with `returnState`, `[output, ...forwardStates, ...backwardStates]`. */
  #run(x: Tensor, returnState: boolean): Tensor[] {
    checkTensor(x, "x", `${this.name}.call`);
    const f = this.forwardLayer.run(x, { returnState });
    const b = this.backwardLayer.run(x, { returnState }, true);
    // Each direction's output carries the wrapped layer's activity penalty, as in Keras, where
    // both sub-layers are called as layers.
    addActivityLoss(f.output, this.forwardLayer.activityRegularizer);
    addActivityLoss(b.output, this.backwardLayer.activityRegularizer);
    return [this.#merge(f.output, b.output), ...f.states, ...b.states];
  }

  call(x: Tensor, _training = false): Tensor {
    return this.#run(x, false)[0];
  }

  /** `[output, ...forwardStates, ...backwardStates]`. */
  callWithState(x: Tensor): Tensor[] {
    return this.#run(x, true);
  }

  override getConfig(): Record<string, unknown> {
    const { inputShape: _, ...config } = this.forwardLayer.getConfig();
    return {
      ...super.getConfig(),
      layer: { className: this.forwardLayer.className, config },
      mergeMode: this.mergeMode,
    };
  }
}

/** Applies a layer to every time step: `[batch, steps, ...]` to `[batch, steps, ...out]`. */
export class TimeDistributed extends Wrapper {
  readonly className = "TimeDistributed";
  readonly layer: Layer;

  /** @param args `layer` and the common layer arguments. */
  constructor(args: LayerArgs & { layer: WrappedLayer }) {
    const layer = unwrap(args?.layer, "timeDistributed");
    super(args, "time_distributed", ["layer"], "timeDistributed");
    this.layer = layer;
  }

  protected get inner(): [string, Layer][] {
    return [["", this.layer]];
  }

  protected override innerShape(inputShape: readonly number[]): readonly number[] {
    return inputShape.slice(1);
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    return [inputShape[0], ...this.layer.computeOutputShape(inputShape.slice(1))];
  }

  /** The inner layer's activation when it can hand out logits (fused cross-entropy). */
  get activation(): unknown {
    return "callLogits" in this.layer
      ? (this.layer as Layer & { activation?: unknown }).activation
      : undefined;
  }

  #apply(x: Tensor, f: (flat: Tensor) => Tensor): Tensor {
    checkTensor(x, "x", `${this.name}.call`);
    if (x.rank < 3) {
      throw new TypeError(
        `Cannot run ${this.name}.call(): argument "x" must have rank >= 3 [batch, steps, ...]: got ${
          fmtShape(x.shape)
        }`,
      );
    }
    const [batch, steps] = x.shape;
    const y = f(reshape(x, [batch * steps, ...x.shape.slice(2)]));
    return reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  call(x: Tensor, training = false): Tensor {
    return this.#apply(x, (flat) => this.layer.call(flat, training));
  }

  /** The inner layer's logits at every step, when it has `callLogits` (Dense, Activation). */
  callLogits(x: Tensor): Tensor {
    const inner = this.layer as Layer & { callLogits?(x: Tensor): Tensor };
    return this.#apply(
      x,
      (flat) => inner.callLogits ? inner.callLogits(flat) : inner.call(flat, true),
    );
  }

  override getConfig(): Record<string, unknown> {
    const { inputShape: _, ...config } = this.layer.getConfig();
    return { ...super.getConfig(), layer: { className: this.layer.className, config } };
  }
}
