/**
 * Merge layers (Keras `Concatenate`, `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`,
 * `Minimum`, `Dot`): layers of no weights taking a list of at least two inputs, built on the ops
 * (`concat`, `add`, `maximum`, `matmul`...), so their gradients come from the tape.
 *
 * The elementwise merges follow Keras's `_Merge`: the batch sizes must be equal, the sample shapes
 * equal or broadcastable (aligned from the right; a sample of lower rank gets axes of size 1
 * after the batch axis, as Keras's `expand_dims(x, 1)`).
 *
 * @module
 */
import { checkArity, checkTensor, fmtShape, fmtValue } from "../_check.ts";
import {
  add as addOp,
  div,
  maximum as maximumOp,
  minimum as minimumOp,
  mul,
  sub,
} from "../ops/arithmetic.ts";
import { concat } from "../ops/concat.ts";
import { matmul } from "../ops/matmul.ts";
import { sum } from "../ops/reduce.ts";
import { reshape, transpose } from "../ops/transform.ts";
import { sqrt } from "../ops/unary.ts";
import type { Tensor } from "../tensor.ts";
import { Layer, type LayerArgs, type LayerShape } from "./layer.ts";

/** The sample shapes of a merge's inputs; throws unless a list of at least `min` (exactly `max`). */
function sampleShapes(layer: Layer, inputShape: LayerShape, count?: number): number[][] {
  const list = inputShape.length > 0 && inputShape.every((s) => Array.isArray(s));
  if (!list) {
    throw new TypeError(
      `Cannot apply ${layer.className} layer "${layer.name}": it must be applied to a list of inputs: got one input of shape ${
        fmtShape(inputShape as readonly number[])
      }`,
    );
  }
  const shapes = inputShape as readonly (readonly number[])[];
  if (count === undefined ? shapes.length < 2 : shapes.length !== count) {
    throw new RangeError(
      `Cannot apply ${layer.className} layer "${layer.name}": it must be applied to ${
        count === undefined ? "at least 2" : `exactly ${count}`
      } inputs: got ${shapes.length}`,
    );
  }
  return shapes.map((s) => [...s]);
}

/** A sample shape with its batch axis, as symbolic shapes print: `[null, 2, 3]`. */
function batched(shape: readonly number[]): string {
  return `[${["null", ...shape].join(", ")}]`;
}

/** The list of tensors `call` was given; throws a TypeError naming the layer otherwise. */
function tensorList(layer: Layer, x: Tensor | Tensor[]): Tensor[] {
  const fn = `${layer.name}.call`;
  if (!Array.isArray(x)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "x" must be a list of tensors: got ${fmtValue(x)}`,
    );
  }
  x.forEach((t, i) => checkTensor(t, `x[${i}]`, fn));
  const batches = new Set(x.map((t) => t.shape[0]));
  if (x.length > 0 && (x.some((t) => t.shape.length === 0) || batches.size > 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): the inputs must have the same batch size: got shapes ${
        x.map((t) => fmtShape(t.shape)).join(", ")
      }`,
    );
  }
  return x;
}

/** Base of the elementwise merges: shape checks, the rank alignment, a fold of `combine`. */
abstract class ElementwiseMerge extends Layer {
  constructor(args: LayerArgs, prefix: string, fn: string, private readonly count?: number) {
    super(args ?? {}, prefix, [], fn);
  }

  /** Combines two aligned inputs (`add`, `mul`, ...). */
  protected abstract combine(a: Tensor, b: Tensor): Tensor;

  /** The broadcast sample shape (Keras `_compute_elemwise_op_output_shape`). */
  override computeOutputShape(inputShape: LayerShape): number[] {
    const shapes = sampleShapes(this, inputShape, this.count);
    const rank = Math.max(...shapes.map((s) => s.length));
    const out = new Array<number>(rank).fill(1);
    for (const s of shapes) {
      for (let i = 1; i <= s.length; i++) {
        const d = s[s.length - i], o = out[rank - i];
        if (d !== o && d !== 1 && o !== 1) {
          throw new RangeError(
            `Cannot apply ${this.className} layer "${this.name}": the inputs have incompatible shapes ${
              shapes.map((x) => fmtShape(x)).join(", ")
            } (sample shapes, without the batch; they must be equal or broadcastable)`,
          );
        }
        if (o === 1) out[rank - i] = d;
      }
    }
    return out;
  }

  call(x: Tensor | Tensor[], _training = false): Tensor {
    const xs = tensorList(this, x);
    this.computeOutputShape(xs.map((t) => t.shape.slice(1)));
    const rank = Math.max(...xs.map((t) => t.shape.length));
    const aligned = xs.map((t) =>
      t.shape.length === rank ? t : reshape(t, [
        t.shape[0],
        ...new Array<number>(rank - t.shape.length).fill(1),
        ...t.shape.slice(1),
      ])
    );
    const y = aligned.slice(1).reduce((acc, t) => this.combine(acc, t), aligned[0]);
    return this.finish(y, xs.length);
  }

  /** The last step after the fold of `count` inputs (`average` divides by the count). */
  protected finish(y: Tensor, _count: number): Tensor {
    return y;
  }
}

/** Sums its inputs elementwise. */
export class Add extends ElementwiseMerge {
  readonly className = "Add";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "add", "add");
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return addOp(a, b);
  }
}

/** Subtracts its second input from its first (exactly two inputs). */
export class Subtract extends ElementwiseMerge {
  readonly className = "Subtract";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "subtract", "subtract", 2);
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
}

/** Multiplies its inputs elementwise. */
export class Multiply extends ElementwiseMerge {
  readonly className = "Multiply";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "multiply", "multiply");
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}

/** The elementwise mean of its inputs: their sum divided by their count. */
export class Average extends ElementwiseMerge {
  readonly className = "Average";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "average", "average");
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return addOp(a, b);
  }
  protected override finish(y: Tensor, count: number): Tensor {
    return div(y, count);
  }
}

/** The elementwise maximum of its inputs (the gradient goes to the first maximum). */
export class Maximum extends ElementwiseMerge {
  readonly className = "Maximum";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "maximum", "maximum");
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return maximumOp(a, b);
  }
}

/** The elementwise minimum of its inputs (the gradient goes to the first minimum). */
export class Minimum extends ElementwiseMerge {
  readonly className = "Minimum";
  /** @param args The common layer arguments. */
  constructor(args: LayerArgs = {}) {
    super(args, "minimum", "minimum");
  }
  protected combine(a: Tensor, b: Tensor): Tensor {
    return minimumOp(a, b);
  }
}

/** Arguments of `concatenate()`. */
export interface ConcatenateArgs extends LayerArgs {
  /**
   * The axis of the batched inputs to join along (default -1, the last); negative counts from
   * the end; the batch axis 0 is rejected.
   */
  axis?: number;
}

/** Joins its inputs along an axis; every other dimension must be equal. */
export class Concatenate extends Layer {
  readonly className = "Concatenate";
  /** The axis as given (counted over the batched shape). */
  readonly axis: number;
  /** @param args See `ConcatenateArgs`. */
  constructor(args: ConcatenateArgs = {}) {
    super(args ?? {}, "concatenate", ["axis"], "concatenate");
    const axis = args?.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new TypeError(
        `Cannot run concatenate(): argument "axis" must be a nonzero integer (axis 0 is the batch): got ${
          fmtValue(axis)
        }`,
      );
    }
    this.axis = axis;
  }

  /** The sample axis joined along, for samples of rank `rank`. */
  #sampleAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank + 1 : this.axis;
    if (a < 1 || a > rank) {
      throw new RangeError(
        `Cannot apply Concatenate layer "${this.name}": axis ${this.axis} is out of range for inputs of rank ${
          rank + 1
        } (with the batch)`,
      );
    }
    return a - 1;
  }

  override computeOutputShape(inputShape: LayerShape): number[] {
    const shapes = sampleShapes(this, inputShape);
    const rank = shapes[0].length;
    const axis = this.#sampleAxis(rank);
    const others = (s: number[]) => s.filter((_, i) => i !== axis).join();
    if (shapes.some((s) => s.length !== rank || others(s) !== others(shapes[0]))) {
      throw new RangeError(
        `Cannot apply Concatenate layer "${this.name}": the inputs must have equal shapes except along axis ${this.axis}: got ${
          shapes.map((s) => batched(s)).join(", ")
        }`,
      );
    }
    const out = [...shapes[0]];
    out[axis] = shapes.reduce((n, s) => n + s[axis], 0);
    return out;
  }

  call(x: Tensor | Tensor[], _training = false): Tensor {
    const xs = tensorList(this, x);
    const shapes = xs.map((t) => t.shape.slice(1));
    this.computeOutputShape(shapes);
    return concat(xs, this.#sampleAxis(shapes[0].length) + 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Arguments of `dot()`. */
export interface DotArgs extends LayerArgs {
  /**
   * The axis contracted in both inputs, or `[axis of the first, axis of the second]`, counted
   * over the batched shapes (the batch axis 0 is rejected; negative counts from the end).
   */
  axes: number | [number, number];
  /** Whether to L2-normalise both inputs along their axes first (the cosine similarity). */
  normalize?: boolean;
}

/**
 * The dot product of two inputs along an axis of each, per sample (Keras `Dot`, `batch_dot`):
 * the output is the first input's remaining axes then the second's, `[batch, 1]` when none
 * remain.
 */
export class Dot extends Layer {
  readonly className = "Dot";
  /** The axes as given. */
  readonly axes: number | [number, number];
  /** Whether the inputs are L2-normalised along the axes first. */
  readonly normalize: boolean;
  /** @param args See `DotArgs`. */
  constructor(args: DotArgs) {
    super(args ?? {}, "dot", ["axes", "normalize"], "dot");
    const axes = args?.axes;
    const ok = (a: unknown) => Number.isInteger(a) && a !== 0;
    if (!(ok(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(ok)))) {
      throw new TypeError(
        `Cannot run dot(): argument "axes" must be a nonzero integer or a pair of them (axis 0 is the batch): got ${
          fmtValue(axes)
        }`,
      );
    }
    const normalize = args?.normalize ?? false;
    if (typeof normalize !== "boolean") {
      throw new TypeError(
        `Cannot run dot(): argument "normalize" must be a boolean: got ${fmtValue(normalize)}`,
      );
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = normalize;
  }

  /** The contracted sample axes of samples of `shapes`, checked. */
  #sampleAxes(shapes: number[][]): [number, number] {
    const given = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const axes = given.map((a, i) => {
      const rank = shapes[i].length;
      const full = a < 0 ? a + rank + 1 : a;
      if (full < 1 || full > rank) {
        throw new RangeError(
          `Cannot apply Dot layer "${this.name}": axis ${a} is out of range for input ${i} of shape ${
            batched(shapes[i])
          }`,
        );
      }
      return full - 1;
    }) as [number, number];
    if (shapes[0][axes[0]] !== shapes[1][axes[1]]) {
      throw new RangeError(
        `Cannot apply Dot layer "${this.name}": the inputs have incompatible shapes ${
          shapes.map((s) => batched(s)).join(", ")
        }: dimension ${shapes[0][axes[0]]} of input 0 along axis ${
          axes[0] + 1
        } must equal dimension ${shapes[1][axes[1]]} of input 1 along axis ${axes[1] + 1}`,
      );
    }
    return axes;
  }

  override computeOutputShape(inputShape: LayerShape): number[] {
    const shapes = sampleShapes(this, inputShape, 2);
    const [a0, a1] = this.#sampleAxes(shapes);
    const out = [...shapes[0].filter((_, i) => i !== a0), ...shapes[1].filter((_, i) => i !== a1)];
    return out.length === 0 ? [1] : out;
  }

  call(x: Tensor | Tensor[], _training = false): Tensor {
    const xs = tensorList(this, x);
    const shapes = xs.map((t) => t.shape.slice(1));
    const out = this.computeOutputShape(shapes);
    const [a0, a1] = this.#sampleAxes(shapes);
    const n = xs[0].shape[0], k = shapes[0][a0];
    const [x0, x1] = this.normalize ? [l2Normalize(xs[0], a0 + 1), l2Normalize(xs[1], a1 + 1)] : xs;
    // [n, P, k] · [n, k, Q]: the contracted axis last in the first input, first in the second.
    const moved = (t: Tensor, from: number, to: number) => {
      const perm = t.shape.map((_, i) => i).filter((i) => i !== from);
      perm.splice(to, 0, from);
      return perm.every((p, i) => p === i) ? t : transpose(t, perm);
    };
    const rest = (s: number[], a: number) => s.reduce((p, d, i) => i === a ? p : p * d, 1);
    const left = reshape(moved(x0, a0 + 1, shapes[0].length), [n, rest(shapes[0], a0), k]);
    const right = reshape(moved(x1, a1 + 1, 1), [n, k, rest(shapes[1], a1)]);
    return reshape(matmul(left, right), [n, ...out]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axes: Array.isArray(this.axes) ? [...this.axes] : this.axes,
      normalize: this.normalize,
    };
  }
}

/** `x / sqrt(max(Σ x², 1e-12))` along `axis` (TensorFlow's `l2_normalize`). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximumOp(sum(mul(x, x), axis, true), 1e-12)));
}

/**
 * A layer joining a list of inputs along `axis` (Keras `Concatenate`); every other dimension
 * must be equal.
 *
 * @param args `axis` (default -1, counted over the batched shape; not 0, the batch), and the
 *   common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `axis` is not a nonzero integer or a key is unknown; when applied to
 *   one input rather than a list. {RangeError} When applied to fewer than 2 inputs, or to shapes
 *   that differ off the axis.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const a = dn.input({ shape: [2] }), b = dn.input({ shape: [3] });
 * assert.deepEqual(dn.layers.concatenate().apply([a, b]).shape, [null, 5]);
 * const y = dn.layers.concatenate().apply([dn.tensor([[1, 2]]), dn.tensor([[3]])]);
 * assert.deepEqual([...y.dataSync()], [1, 2, 3]);
 * ```
 */
export function concatenate(args: ConcatenateArgs = {}): Concatenate {
  checkArity(arguments, ["args"], "concatenate");
  return new Concatenate(args);
}

/**
 * A layer summing a list of inputs elementwise (Keras `Add`): equal or broadcastable sample
 * shapes, equal batch sizes.
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to fewer than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.add().apply([dn.tensor([[1, 2]]), dn.tensor([[10, 20]])]);
 * assert.deepEqual([...y.dataSync()], [11, 22]);
 * ```
 */
export function add(args: LayerArgs = {}): Add {
  checkArity(arguments, ["args"], "add");
  return new Add(args);
}

/**
 * A layer subtracting its second input from its first (Keras `Subtract`): exactly two inputs.
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to other than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.subtract().apply([dn.tensor([[5, 7]]), dn.tensor([[1, 2]])]);
 * assert.deepEqual([...y.dataSync()], [4, 5]);
 * ```
 */
export function subtract(args: LayerArgs = {}): Subtract {
  checkArity(arguments, ["args"], "subtract");
  return new Subtract(args);
}

/**
 * A layer multiplying a list of inputs elementwise (Keras `Multiply`).
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to fewer than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.multiply().apply([dn.tensor([[2, 3]]), dn.tensor([[4, 5]])]);
 * assert.deepEqual([...y.dataSync()], [8, 15]);
 * ```
 */
export function multiply(args: LayerArgs = {}): Multiply {
  checkArity(arguments, ["args"], "multiply");
  return new Multiply(args);
}

/**
 * A layer averaging a list of inputs elementwise (Keras `Average`).
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to fewer than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.average().apply([dn.tensor([[2, 3]]), dn.tensor([[4, 9]])]);
 * assert.deepEqual([...y.dataSync()], [3, 6]);
 * ```
 */
export function average(args: LayerArgs = {}): Average {
  checkArity(arguments, ["args"], "average");
  return new Average(args);
}

/**
 * A layer taking the elementwise maximum of a list of inputs (Keras `Maximum`).
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to fewer than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.maximum().apply([dn.tensor([[2, 9]]), dn.tensor([[4, 5]])]);
 * assert.deepEqual([...y.dataSync()], [4, 9]);
 * ```
 */
export function maximum(args: LayerArgs = {}): Maximum {
  checkArity(arguments, ["args"], "maximum");
  return new Maximum(args);
}

/**
 * A layer taking the elementwise minimum of a list of inputs (Keras `Minimum`).
 *
 * @param args The common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When a key is unknown; when applied to one input rather than a list.
 *   {RangeError} When applied to fewer than 2 inputs or incompatible shapes.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.minimum().apply([dn.tensor([[2, 9]]), dn.tensor([[4, 5]])]);
 * assert.deepEqual([...y.dataSync()], [2, 5]);
 * ```
 */
export function minimum(args: LayerArgs = {}): Minimum {
  checkArity(arguments, ["args"], "minimum");
  return new Minimum(args);
}

/**
 * A layer taking the per-sample dot product of two inputs along `axes` (Keras `Dot`); with
 * `normalize`, the cosine similarity.
 *
 * @param args `axes` (one axis for both inputs or a pair, counted over the batched shapes, not
 *   0), `normalize` (default false), and the common layer arguments.
 * @returns The layer.
 * @throws {TypeError} When `axes` or `normalize` is malformed or a key is unknown; when applied to
 *   one input rather than a list. {RangeError} When applied to other than 2 inputs, or the
 *   dimensions along the axes differ.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.layers.dot({ axes: 1 }).apply([dn.tensor([[1, 2]]), dn.tensor([[3, 4]])]);
 * assert.deepEqual(y.shape, [1, 1]);
 * assert.deepEqual([...y.dataSync()], [11]);
 * ```
 */
export function dot(args: DotArgs): Dot {
  checkArity(arguments, ["args"], "dot");
  return new Dot(args);
}
