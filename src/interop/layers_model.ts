/**
 * TF.js Layers models (`model.json` + `.bin` shards, as `tf.loadLayersModel` reads and
 * `model.save` writes them; Keras models converted by `tensorflowjs_converter` too): loading into
 * a `Sequential` or `Functional`, and saving one in that format.
 *
 * Weights are matched by name: `<layer>/<weight>` (`<bidirectional>/forward_<lstm>/kernel`), a
 * `:0` suffix and the `lstm_cell` scope of Python Keras names ignored. The layouts are Keras's on
 * both sides (Dense `[in, out]`, Conv2D `[kh, kw, in, out]`, LSTM gates i, f, c, o, GRU z, r, h),
 * so values are copied unchanged.
 *
 * @module
 */
import { checkArity, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { withoutDraws } from "../layers/initializers.ts";
import { type Layer, withWeightBudget } from "../layers/layer.ts";
import { Bidirectional } from "../layers/wrappers.ts";
import type { LoadModelOptions } from "../models/io.ts";
import { modelFromTopology, readSource } from "../models/io.ts";
import type { LayersModel } from "../models/layers_model.ts";
import { Sequential } from "../models/sequential.ts";
import {
  type Fail,
  fromPythonic,
  topologyFromKeras,
  topologyToKeras,
  toPythonic,
} from "./keras_config.ts";
import { groupBytes, type Manifest, parseManifest } from "./weights_manifest.ts";

const LOAD = "loadLayersModel";
const failLoad: Fail = (Err, what) => {
  throw new Err(`Cannot load layers model in ${LOAD}(): ${what}`);
};

/** A TF.js Layers model held in memory: `model.json`'s content and the shards by path. */
export interface LayersModelFiles {
  /** The parsed `model.json`, its text, or its bytes. */
  modelJson: unknown;
  /** Each shard's bytes under the path `weightsManifest` names (`"group1-shard1of1.bin"`). */
  weights: Readonly<Record<string, Uint8Array>>;
}

/** A weight of our model under its Keras name (`<layer>/forward_<lstm>/kernel` ...). */
function kerasName(model: LayersModel, ours: string): string {
  const slash = ours.indexOf("/");
  const layerName = ours.slice(0, slash), local = ours.slice(slash + 1);
  const layer = model.layers.find((l) => l.name === layerName);
  if (layer instanceof Bidirectional) {
    const [dir, ...rest] = local.split("/");
    const inner = dir === "forward"
      ? `forward_${layer.forwardLayer.name}`
      : layer.backwardLayer.name;
    return `${layerName}/${inner}/${rest.join("/")}`;
  }
  return ours;
}

/** A manifest name without Python Keras's `:0` suffix and recurrent cell scope. */
function normalName(name: string): string {
  return name.replace(/:\d+$/, "").split("/").filter((s) => !/^[a-z_]*_cell(_\d+)?$/.test(s))
    .join("/");
}

function parseModelJson(value: unknown): Record<string, unknown> {
  let json = value;
  if (value instanceof Uint8Array || typeof value === "string") {
    try {
      const text = typeof value === "string" ? value : new TextDecoder("utf-8", { fatal: true })
        .decode(value);
      json = JSON.parse(text);
    } catch (e) {
      throw new SyntaxError(
        `Cannot load layers model in ${LOAD}(): "model.json" must be UTF-8 JSON: ${
          (e as Error).message
        }`,
      );
    }
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    failLoad(TypeError, `"model.json" must be an object: got ${fmtValue(json)}`);
  }
  return json as Record<string, unknown>;
}

/** Our expected weights (name, Keras name, shape), without building a Sequential. */
function expectedWeights(model: LayersModel): { ours: string; keras: string; shape: number[] }[] {
  if (model instanceof Sequential && !model.layers[0]?.inputShape) {
    failLoad(TypeError, `the first layer must have a "batch_input_shape": got none`);
  }
  const shapes = model instanceof Sequential
    ? model.weightShapes(model.inputShapes[0])
    : model.weights.map((w) => ({ name: w.name, shape: [...w.value.shape] }));
  return shapes.map((w) => ({ ours: w.name, keras: kerasName(model, w.name), shape: w.shape }));
}

/** Writes the shards' values into the model: names and shapes all checked before building. */
function assignWeights(model: LayersModel, manifest: Manifest, groups: Uint8Array[]): void {
  const byName = new Map(manifest.weights.map((w) => [normalName(w.name), w]));
  const expected = expectedWeights(model);
  for (const e of expected) {
    const spec = byName.get(e.keras);
    if (!spec) {
      failLoad(
        RangeError,
        `weight "${e.keras}" of shape ${fmtShape(e.shape)} is missing from "weightsManifest"`,
      );
    }
    if (spec.shape.join() !== e.shape.join()) {
      failLoad(
        RangeError,
        `weight "${spec.name}" must have shape ${fmtShape(e.shape)}: got ${fmtShape(spec.shape)}`,
      );
    }
  }
  const used = new Set(expected.map((e) => e.keras));
  const extra = [...byName.keys()].find((n) => !used.has(n));
  if (extra !== undefined) {
    failLoad(RangeError, `weight "${byName.get(extra)!.name}" is not a weight of the topology`);
  }
  model.buildAll(); // every weight is written next
  const values = new Map(model.weights.map((w) => [w.name, w.value]));
  const backend = activeBackend();
  for (const e of expected) {
    const spec = byName.get(e.keras)!;
    const data = new Float32Array(spec.bytes / 4);
    new Uint8Array(data.buffer).set(
      groups[spec.group].subarray(spec.offset, spec.offset + spec.bytes),
    );
    backend.write(values.get(e.ours)!.storage, data);
  }
}

/**
 * Loads a TF.js Layers model (`model.json` and its weight shards), as written by TF.js's
 * `model.save()` or by `tensorflowjs_converter` from a Keras model, into a `Sequential` or a
 * `Functional` (`Model`).
 *
 * Every layer class of `dn.layers` loads; Keras options are mapped to ours, and a class, option or
 * value we do not implement (`stateful: true`, `mask_zero: true`, `data_format: "channels_first"`,
 * quantized weights ...) is an error naming it, never skipped. A saved `training_config` is not
 * read: compile the model to train it. Shard files are checked against the manifest before they
 * are read, and the layers may allocate no more weight values than the shards hold.
 *
 * @param source A path or `file:`/`http(s):` URL of `model.json` (shards are read beside it;
 *   needs read or net permission), or the files in memory (`{ modelJson, weights }`).
 * @param options `signal` to cancel, `timeoutMs` to give up after that many milliseconds.
 * @typeParam M `Sequential` (the default) or `Functional`, for the type of `predict`.
 * @returns The model with its weights, not compiled.
 * @throws {TypeError} When a layer class, option, dtype or topology entry is unsupported or
 *   malformed, or a shard path leaves the model's folder. {RangeError} When a shard holds fewer or
 *   more bytes than its manifest, a weight is missing, extra, or of the wrong shape, or a
 *   functional topology has a cycle. {SyntaxError} When `model.json` is not JSON.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { encodeLayersModel, loadLayersModel } from "@dendrite/dendrite/interop";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
 * const { modelJson, weightData } = encodeLayersModel(model);
 * const copy = await loadLayersModel({ modelJson, weights: { "group1-shard1of1.bin": weightData } });
 * const x = dn.ones([1, 3]);
 * assert.deepEqual(copy.predict(x).dataSync(), model.predict(x).dataSync());
 * ```
 */
export async function loadLayersModel<M extends LayersModel = Sequential>(
  source: string | URL | LayersModelFiles,
  options: LoadModelOptions = {},
): Promise<M> {
  checkArity(arguments, ["source", "options"], LOAD);
  const o = checkOptions(options, ["signal", "timeoutMs"], LOAD) as LoadModelOptions;
  let json: Record<string, unknown>;
  let read: (path: string) => Promise<Uint8Array>;
  let size: ((path: string) => Promise<number>) | undefined;
  if (typeof source === "string" || source instanceof URL) {
    json = parseModelJson(await readSource(source, o.signal, o.timeoutMs, LOAD));
    // A shard sits beside model.json: resolved against its URL, or joined to its folder's path.
    const url = source instanceof URL || /^[a-z][a-z0-9+.-]+:/i.test(source)
      ? new URL(source)
      : null;
    const shard = (p: string) =>
      url ? new URL(p, url) : `${(source as string).replace(/[^/]*$/, "") || "./"}${p}`;
    read = (p) => readSource(shard(p), o.signal, o.timeoutMs, LOAD);
    if (!url || url.protocol === "file:") size = async (p) => (await Deno.stat(shard(p))).size;
  } else if (source !== null && typeof source === "object" && "modelJson" in source) {
    checkOptions(source, ["modelJson", "weights"], LOAD, "source");
    json = parseModelJson(source.modelJson);
    const files = source.weights ?? {};
    const get = (p: string) =>
      Object.hasOwn(files, p) && files[p] instanceof Uint8Array
        ? files[p]
        : failLoad(TypeError, `"source.weights" must hold shard "${p}" as a Uint8Array`);
    read = (p) => Promise.resolve(get(p));
    size = (p) => Promise.resolve(get(p).length);
  } else {
    return failLoad(
      TypeError,
      `argument "source" must be a path, a URL or { modelJson, weights }: got ${fmtValue(source)}`,
    );
  }
  const manifest = parseManifest(json.weightsManifest ?? [], failLoad);
  const topology = topologyFromKeras(fromPythonic(json.modelTopology), failLoad);
  const groups: Uint8Array[] = [];
  for (const [gi, g] of manifest.groups.entries()) {
    groups.push(await groupBytes(g, gi, read, size, failLoad));
  }
  // The layers (a functional model's as they are connected) may allocate no more weight values
  // than the shards hold, and draw none: every weight is written from the shards.
  const values = groups.reduce((n, g) => n + g.length / 4, 0);
  return withWeightBudget(values, () =>
    withoutDraws(() => {
      const model = modelFromTopology(topology, LOAD);
      try {
        assignWeights(model, manifest, groups);
      } catch (e) {
        model.dispose();
        throw e;
      }
      return model as M;
    }));
}

/** What {@linkcode encodeLayersModel} returns: `model.json`'s content and its one shard. */
export interface EncodedLayersModel {
  /** The `model.json` object (`modelTopology`, `weightsManifest`, `format`, ...). */
  modelJson: Record<string, unknown>;
  /** The weights, little-endian float32, in manifest order: `group1-shard1of1.bin`. */
  weightData: Uint8Array;
}

const SHARD = "group1-shard1of1.bin";

function checkSavable(layers: readonly Layer[], fn: string): void {
  const nested = layers.find((l) => l.className === "Sequential" || l.className === "Functional");
  if (nested) {
    throw new TypeError(
      `Cannot save layers model in ${fn}(): layer "${nested.name}" is a model: nested models are not supported`,
    );
  }
}

/**
 * Encodes a model in the TF.js Layers format: `model.json` (Keras topology, weights manifest)
 * and one weight shard, which `tf.loadLayersModel` of `@tensorflow/tfjs-layers` reads.
 *
 * @param model A `Sequential` (its first layer with an `inputShape`) or a `Functional` model.
 * @returns `modelJson` and `weightData` (the shard `group1-shard1of1.bin`).
 * @throws {TypeError} When the model nests another model, or a Sequential has no input shape.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { encodeLayersModel } from "@dendrite/dendrite/interop";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3], name: "d" })]);
 * const { modelJson, weightData } = encodeLayersModel(model);
 * assert.equal(weightData.length, 4 * (3 * 2 + 2));
 * assert.deepEqual(
 *   (modelJson.weightsManifest as { weights: { name: string }[] }[])[0].weights.map((w) => w.name),
 *   ["d/kernel", "d/bias"],
 * );
 * ```
 */
export function encodeLayersModel(model: LayersModel): EncodedLayersModel {
  const fn = "encodeLayersModel";
  checkArity(arguments, ["model"], fn);
  checkSavable(model.layers, fn);
  if (model instanceof Sequential && !model.layers[0]?.inputShape) {
    throw new TypeError(
      `Cannot save layers model in ${fn}(): the first layer must have an "inputShape": got none`,
    );
  }
  model.buildAll();
  const weights = model.weights.map((w) => ({
    name: kerasName(model, w.name),
    shape: [...w.value.shape],
    dtype: "float32",
    data: w.value.dataSync() as Float32Array,
  }));
  const weightData = new Uint8Array(weights.reduce((n, w) => n + 4 * w.data.length, 0));
  let at = 0;
  for (const w of weights) {
    weightData.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    at += w.data.byteLength;
  }
  const keras = topologyToKeras({ className: model.className, ...model.getConfig() });
  return {
    modelJson: {
      modelTopology: {
        ...(toPythonic(keras) as Record<string, unknown>),
        keras_version: "tfjs-layers 4.22.0",
        backend: "tensor_flow.js",
      },
      format: "layers-model",
      generatedBy: "Dendrite",
      convertedBy: null,
      weightsManifest: [{
        paths: [SHARD],
        weights: weights.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      }],
    },
    weightData,
  };
}

/**
 * Saves a model in the TF.js Layers format: `model.json` and `group1-shard1of1.bin` in `dir`
 * (created when missing), which `tf.loadLayersModel("file://.../model.json")` reads.
 *
 * @param model A `Sequential` (its first layer with an `inputShape`) or a `Functional` model.
 * @param dir The folder, as a path or `file:` URL (needs write permission).
 * @returns Resolves once both files are written.
 * @throws {TypeError} As {@linkcode encodeLayersModel}.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { loadLayersModel, saveLayersModel } from "@dendrite/dendrite/interop";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
 * const dir = await Deno.makeTempDir();
 * await saveLayersModel(model, dir);
 * const copy = await loadLayersModel(`${dir}/model.json`);
 * const x = dn.ones([1, 3]);
 * assert.deepEqual(copy.predict(x).dataSync(), model.predict(x).dataSync());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveLayersModel(model: LayersModel, dir: string | URL): Promise<void> {
  checkArity(arguments, ["model", "dir"], "saveLayersModel");
  if (typeof dir !== "string" && !(dir instanceof URL)) {
    throw new TypeError(
      `Cannot save layers model in saveLayersModel(): argument "dir" must be a path or a URL: got ${
        fmtValue(dir)
      }`,
    );
  }
  const { modelJson, weightData } = encodeLayersModel(model);
  const file = (name: string) =>
    dir instanceof URL
      ? new URL(name, dir.href.endsWith("/") ? dir : `${dir.href}/`)
      : `${dir.replace(/\/+$/, "")}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(file("model.json"), JSON.stringify(modelJson));
  await Deno.writeFile(file(SHARD), weightData);
}
