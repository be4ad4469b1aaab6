/**
 * PyTorch `state_dict` tensors (from a safetensors file) onto our layers' weights, converting
 * PyTorch's layouts to Keras's:
 *
 *   nn.Linear      `weight [out, in]`               -> Dense `kernel [in, out]` (transposed)
 *   nn.Conv2d      `weight [out, in, kh, kw]`       -> Conv2D `kernel [kh, kw, in, out]`
 *   nn.Conv1d      `weight [out, in, k]`            -> Conv1D `kernel [k, in, out]`
 *   nn.Embedding   `weight [num, dim]`              -> Embedding `embeddings` (as is)
 *   nn.LSTM        `weight_ih_l0 [4u, in]`, `weight_hh_l0`, `bias_ih_l0 + bias_hh_l0`, gates
 *                  i, f, g, o                       -> LSTM gates i, f, c, o (the same order)
 *   nn.GRU         gates r, z, n, `b_hn` inside the reset -> GRU (`resetAfter: true`) z, r, h,
 *                  bias `[b_ih; b_hh]`
 *   nn.RNN         `weight_ih_l0`, `weight_hh_l0`, biases summed -> SimpleRNN
 *   `_reverse` weights of a bidirectional nn.LSTM/GRU/RNN -> Bidirectional's backward layer
 *   nn.BatchNorm*d `weight`, `bias`, `running_mean`, `running_var` -> gamma, beta, moving stats
 *   nn.LayerNorm   `weight`, `bias`                 -> gamma, beta
 *
 * @module
 */
import { fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { decodeSafetensors } from "../io/safetensors.ts";
import type { Layer } from "../layers/layer.ts";
import type { RecurrentLayer } from "../layers/recurrent.ts";
import type { Bidirectional } from "../layers/wrappers.ts";
import type { LayersModel } from "../models/layers_model.ts";
import { Sequential } from "../models/sequential.ts";

/** A tensor of a state_dict: PyTorch's shape and row-major values. */
export interface StateDictTensor {
  /** PyTorch's dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float32Array;
}

/** Where a layer's weights come from: the PyTorch module's name, or with options. */
export type StateDictModule = string | {
  /** The module's name in the state_dict (`"fc1"`, `"features.0"`). */
  module: string;
  /**
   * For a Dense layer reading a flattened image: the `[height, width, channels]` of our NHWC
   * input to the Flatten, whose PyTorch counterpart flattened NCHW (channels first). The kernel's
   * rows are reordered to match. Found by itself in a Sequential (a Flatten of a rank-3 sample
   * right before the Dense).
   */
  flattenedFrom?: readonly [number, number, number];
};

const FN = "loadStateDict";

function fail(Err: typeof TypeError | typeof RangeError, what: string): never {
  throw new Err(`Cannot load state dict in ${FN}(): ${what}`);
}

/** `[rows, cols]` row-major to `[cols, rows]`. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}

/** PyTorch `[out, in, ...k]` to Keras `[...k, in, out]`. */
function channelsLastKernel(t: StateDictTensor): Float32Array {
  const [out, inp, ...k] = t.shape;
  const taps = k.reduce((a, b) => a * b, 1);
  const dst = new Float32Array(t.data.length);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      for (let p = 0; p < taps; p++) {
        dst[(p * inp + i) * out + o] = t.data[(o * inp + i) * taps + p];
      }
    }
  }
  return dst;
}

/** Reorders the `units`-wide gate blocks of each row (`[rows, g·units]`) by `order`. */
function gates(data: Float32Array, rows: number, units: number, order: number[]): Float32Array {
  const width = order.length * units, out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    order.forEach((from, to) => {
      out.set(
        data.subarray(r * width + from * units, r * width + (from + 1) * units),
        r * width + to * units,
      );
    });
  }
  return out;
}

/** The state_dict's tensors as read, and which were used. */
class Source {
  readonly used = new Set<string>();
  constructor(readonly tensors: ReadonlyMap<string, StateDictTensor>) {}
  take(name: string, shape: number[]): StateDictTensor {
    const t = this.tensors.get(name);
    if (!t) fail(RangeError, `tensor "${name}" of shape ${fmtShape(shape)} is missing`);
    if (t.shape.join() !== shape.join()) {
      fail(
        RangeError,
        `tensor "${name}" must have shape ${fmtShape(shape)}: got ${fmtShape([...t.shape])}`,
      );
    }
    this.used.add(name);
    return t;
  }
  has(name: string): boolean {
    return this.tensors.has(name);
  }
}

type Values = Map<string, Float32Array>;

/**
 * A recurrent layer's kernel, recurrent kernel and bias from `weight_ih_l0<suffix>` etc.; `cell`
 * is the recurrent layer (inside a Bidirectional `layer`, whose weights are under `local`).
 */
function recurrent(
  layer: Layer,
  cell: RecurrentLayer,
  src: Source,
  p: string,
  suffix: string,
  local: string,
  out: Values,
): void {
  if (cell.className === "GRU" && !cell.resetAfter) {
    fail(TypeError, `layer "${cell.name}" must be a GRU with "resetAfter: true" (PyTorch's form)`);
  }
  const shapes = new Map(layer.weights.map((w) => [w.name, w.value.shape]));
  const kernel = shapes.get(`${local}kernel`)!, units = shapes.get(`${local}recurrent_kernel`)![0];
  const [features, g] = kernel;
  const count = g / units;
  const order = cell.className === "GRU" ? [1, 0, 2] : [...Array(count).keys()]; // r, z, n -> z, r, h
  const wih = src.take(`${p}.weight_ih_l0${suffix}`, [g, features]);
  const whh = src.take(`${p}.weight_hh_l0${suffix}`, [g, units]);
  out.set(`${local}kernel`, gates(transpose(wih.data, g, features), features, units, order));
  out.set(`${local}recurrent_kernel`, gates(transpose(whh.data, g, units), units, units, order));
  const bias = shapes.get(`${local}bias`);
  if (!bias) return;
  const bih = gates(src.take(`${p}.bias_ih_l0${suffix}`, [g]).data, 1, units, order);
  const bhh = gates(src.take(`${p}.bias_hh_l0${suffix}`, [g]).data, 1, units, order);
  if (bias.length === 2) {
    const both = new Float32Array(2 * g);
    both.set(bih);
    both.set(bhh, g);
    out.set(`${local}bias`, both);
  } else out.set(`${local}bias`, bih.map((v, i) => v + bhh[i]));
}

/** The NHWC flatten input of a Dense in a Sequential, or undefined. */
function flattenedInput(model: LayersModel, layer: Layer): number[] | undefined {
  if (!(model instanceof Sequential)) return undefined;
  let shape: number[] = model.inputShapes[0], prev: Layer | undefined, prevInput = shape;
  for (const l of model.layers) {
    if (l === layer) {
      return prev?.className === "Flatten" && prevInput.length === 3 ? prevInput : undefined;
    }
    [prev, prevInput, shape] = [l, shape, l.computeOutputShape(shape)];
  }
  return undefined;
}

/** Reorders a Dense kernel's `[c·h·w, out]` rows from CHW to HWC. */
function hwcRows(kernel: Float32Array, [h, w, c]: readonly number[], out: number): Float32Array {
  const dst = new Float32Array(kernel.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const from = (ch * h + y) * w + x, to = (y * w + x) * c + ch;
        dst.set(kernel.subarray(from * out, (from + 1) * out), to * out);
      }
    }
  }
  return dst;
}

/** Our weights of `layer` (local name to values) from module `p` of the state_dict. */
function layerValues(
  model: LayersModel,
  layer: Layer,
  src: Source,
  spec: Exclude<StateDictModule, string>,
): Values {
  const p = spec.module, out: Values = new Map();
  const shape = (name: string) => [...layer.weights.find((w) => w.name === name)!.value.shape];
  const bias = () => {
    if (layer.weights.some((w) => w.name === "bias")) {
      out.set("bias", src.take(`${p}.bias`, shape("bias")).data);
    }
  };
  switch (layer.className) {
    case "Dense": {
      const [inp, units] = shape("kernel");
      let kernel = transpose(src.take(`${p}.weight`, [units, inp]).data, units, inp);
      const from = spec.flattenedFrom ?? flattenedInput(model, layer);
      if (from) kernel = hwcRows(kernel, from, units);
      out.set("kernel", kernel);
      bias();
      break;
    }
    case "Conv2D":
    case "Conv1D": {
      const k = shape("kernel");
      const [o, i] = [k[k.length - 1], k[k.length - 2]];
      out.set("kernel", channelsLastKernel(src.take(`${p}.weight`, [o, i, ...k.slice(0, -2)])));
      bias();
      break;
    }
    case "Embedding":
      out.set("embeddings", src.take(`${p}.weight`, shape("embeddings")).data);
      break;
    case "LSTM":
    case "GRU":
    case "SimpleRNN":
      recurrent(layer, layer as RecurrentLayer, src, p, "", "", out);
      break;
    case "Bidirectional": {
      const bi = layer as Bidirectional;
      recurrent(bi, bi.forwardLayer, src, p, "", "forward/", out);
      recurrent(bi, bi.backwardLayer, src, p, "_reverse", "backward/", out);
      break;
    }
    case "BatchNormalization":
    case "LayerNormalization": {
      const names: [string, string][] = [["gamma", "weight"], ["beta", "bias"], [
        "moving_mean",
        "running_mean",
      ], ["moving_variance", "running_var"]];
      for (const [ours, theirs] of names) {
        if (layer.weights.some((w) => w.name === ours)) {
          out.set(ours, src.take(`${p}.${theirs}`, shape(ours)).data);
        }
      }
      if (src.has(`${p}.num_batches_tracked`)) src.used.add(`${p}.num_batches_tracked`);
      break;
    }
    default:
      fail(TypeError, `layer "${layer.name}" (${layer.className}) has no PyTorch mapping`);
  }
  return out;
}

/**
 * Copies a PyTorch model's weights (its `state_dict`, saved with `safetensors.torch.save_file`)
 * into a model built here with the same architecture, converting PyTorch's layouts to ours (see
 * the table in this module's doc): Linear, Conv1d/2d, Embedding, LSTM, GRU, RNN (one layer, and
 * bidirectional), BatchNorm, LayerNorm. Our layers must match PyTorch's settings: GRU with
 * `resetAfter: true` (the default), BatchNormalization with PyTorch's `epsilon: 1e-5`, images NHWC
 * (a Conv2D's input is PyTorch's transposed). F16, BF16 and F64 files are read as float32.
 *
 * @param model A built `Sequential` or `Functional` (its layers' weights exist).
 * @param stateDict The safetensors bytes, or tensors by name (`decodeSafetensors().tensors`).
 * @param modules Our layer name to the PyTorch module name (`{ dense_1: "fc1" }`), or to
 *   `{ module, flattenedFrom }` for a Dense after a Flatten outside a Sequential.
 * @throws {TypeError} When a layer is unknown or has no PyTorch mapping, or an argument has the
 *   wrong type. {RangeError} When a tensor is missing or of the wrong shape, or a state_dict
 *   tensor is left unused (`num_batches_tracked` aside).
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { loadStateDict } from "@dendrite/dendrite/interop";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3], name: "fc" })]);
 * model.buildAll();
 * // PyTorch's nn.Linear(3, 2): weight [out, in]
 * const weight = { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) };
 * const bias = { shape: [2], data: new Float32Array([0.5, -0.5]) };
 * loadStateDict(model, new Map([["fc1.weight", weight], ["fc1.bias", bias]]), { fc: "fc1" });
 * assert.deepEqual([...model.predict(dn.tensor([[1, 0, 0]])).dataSync()], [1.5, 3.5]);
 * ```
 */
export function loadStateDict(
  model: LayersModel,
  stateDict: Uint8Array | ReadonlyMap<string, StateDictTensor>,
  modules: Readonly<Record<string, StateDictModule>>,
): void {
  const tensors = stateDict instanceof Uint8Array
    ? decodeSafetensors(stateDict).tensors
    : stateDict;
  if (!(tensors instanceof Map)) {
    fail(
      TypeError,
      `argument "stateDict" must be safetensors bytes or a Map: got ${fmtValue(stateDict)}`,
    );
  }
  if (modules === null || typeof modules !== "object") {
    fail(TypeError, `argument "modules" must be an object: got ${fmtValue(modules)}`);
  }
  model.buildAll();
  const src = new Source(tensors);
  const writes: [Layer, Values][] = [];
  for (const [name, spec] of Object.entries(modules)) {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) fail(TypeError, `"modules" names layer "${name}", which the model does not have`);
    const s = typeof spec === "string" ? { module: spec } : spec;
    if (typeof s?.module !== "string") {
      fail(TypeError, `"modules.${name}" must be a module name: got ${fmtValue(spec)}`);
    }
    writes.push([layer, layerValues(model, layer, src, s)]);
  }
  const unused = [...tensors.keys()].find((k) => !src.used.has(k));
  if (unused !== undefined) {
    fail(
      RangeError,
      `tensor "${unused}" of the state dict is not mapped to a layer (see "modules")`,
    );
  }
  const backend = activeBackend();
  for (const [layer, values] of writes) {
    for (const w of layer.weights) {
      const v = values.get(w.name);
      if (!v) fail(RangeError, `layer "${layer.name}" weight "${w.name}" has no PyTorch tensor`);
      backend.write(w.value.storage, v);
    }
  }
}
