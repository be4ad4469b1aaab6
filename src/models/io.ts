/**
 * Loading models saved as ONE safetensors file by save.ts: weights as F32 tensors named
 * `<layer>/<weight>`, the topology and the training config as JSON strings in `__metadata__`.
 * The loader checks the file against the topology before any weight is allocated.
 *
 * @module
 */
import { checkArity, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { decodeSafetensors } from "../io/safetensors.ts";
import { withoutDraws } from "../layers/initializers.ts";
import { layerFromConfig } from "../layers/registry.ts";
import type { Layer } from "../layers/layer.ts";
import type { CompileArgs } from "./compile.ts";
import type { SerializedConfig } from "../optimizers/schedules.ts";
import { fromConfig as optimizerFromConfig } from "../optimizers/from_config.ts";
import { Sequential } from "./sequential.ts";
import { Functional } from "./functional.ts";
import { InputLayer, inputOf } from "./input.ts";
import type { LayersModel } from "./layers_model.ts";
import type { SymbolicTensor } from "./symbolic.ts";
import { FORMAT } from "./save.ts";

/** The public function named in errors; `modelFromTopology` sets it for its synchronous run. */
let caller = "loadModel";

function fail(
  Err: typeof RangeError | typeof TypeError | typeof SyntaxError,
  what: string,
  fn = caller,
): never {
  throw new Err(`Cannot load model in ${fn}(): ${what}`);
}

function parseJson(text: string | undefined, key: string): unknown {
  if (text === undefined) fail(TypeError, `"__metadata__" must have a "${key}" entry: got none`);
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(SyntaxError, `"__metadata__.${key}" must be JSON: ${(e as Error).message}`);
  }
}

/** A layer, a nested model or an input layer from its saved `{ className, config }`. */
function anyLayer(className: unknown, config: unknown): Layer {
  if (className === "Sequential" || className === "Functional") {
    return modelOf({ ...(config as object), className });
  }
  if (className === "InputLayer" && config !== null && typeof config === "object") {
    return new InputLayer(config);
  }
  try {
    return layerFromConfig(className, config, caller);
  } catch (e) {
    // Name the layer: a config error deep in a large topology is otherwise hard to place.
    const name = (config as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || !(e instanceof TypeError || e instanceof RangeError)) throw e;
    const Err = e instanceof TypeError ? TypeError : RangeError;
    return fail(Err, `layer "${name}" (${fmtValue(className)}): ${e.message}`);
  }
}

function uniqueNames(layers: Layer[]): void {
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) fail(RangeError, `layer names must be unique: "${l.name}" is repeated`);
    seen.add(l.name);
  }
}

/** The model a topology describes (`{ className, name, layers, ... }`); a functional one built. */
function modelOf(topology: unknown): LayersModel {
  const t = topology as {
    className?: unknown;
    name?: string;
    trainable?: boolean;
    layers?: unknown;
  };
  if (
    !t || (t.className !== "Sequential" && t.className !== "Functional") ||
    !Array.isArray(t.layers) || t.layers.length === 0
  ) {
    fail(
      TypeError,
      `topology must be a Sequential or Functional with a non-empty "layers" list: got ${
        fmtValue(t?.className)
      }`,
    );
  }
  const entries = t.layers as { className?: unknown; config?: unknown; inboundNodes?: unknown }[];
  const layers = entries.map((l) => anyLayer(l?.className, l?.config));
  uniqueNames(layers);
  const name = {
    ...(t.name === undefined ? {} : { name: t.name }),
    ...(t.trainable === undefined ? {} : { trainable: t.trainable }),
  };
  if (t.className === "Sequential") return new Sequential(layers, name);
  return functionalOf(t as FunctionalTopology, layers, entries);
}

/**
 * The model a saved topology describes (`{ className, name, layers, ... }`, as `getConfig()`
 * writes it, functional nodes as `{ inputs: [[layer, node]], list }`), its errors naming `fn`.
 * A functional model's layers are built as they are connected.
 */
export function modelFromTopology(topology: unknown, fn: string): LayersModel {
  const saved = caller;
  caller = fn;
  try {
    return modelOf(topology);
  } finally {
    caller = saved;
  }
}

type Ref = [string, number];
interface FunctionalTopology {
  name?: string;
  trainable?: boolean;
  inputLayers: Ref[];
  outputLayers: Ref[];
}

/**
 * Applies the layers of a functional topology node by node, each once the tensors it reads
 * exist; a node that never can (a cycle, a missing layer) names its layer.
 */
function functionalOf(
  t: FunctionalTopology,
  layers: Layer[],
  entries: { inboundNodes?: unknown }[],
): Functional {
  const made = new Map<string, SymbolicTensor>();
  const key = ([name, index]: Ref) => `${name}#${index}`;
  const pending = layers.map((layer, i) => {
    if (layer instanceof InputLayer) made.set(key([layer.name, 0]), inputOf(layer));
    const nodes = layer instanceof InputLayer ? [] : entries[i].inboundNodes;
    if (!Array.isArray(nodes)) {
      fail(TypeError, `layer "${layer.name}" must list its "inboundNodes"`);
    }
    return { layer, nodes: nodes as { inputs: Ref[]; list: boolean }[], next: 0 };
  });
  for (let progress = true; progress;) {
    progress = false;
    for (const p of pending) {
      while (p.next < p.nodes.length) {
        const node = p.nodes[p.next];
        if (!Array.isArray(node?.inputs)) {
          fail(TypeError, `layer "${p.layer.name}" has an inbound node without "inputs"`);
        }
        const inputs = node.inputs.map((r) => made.get(key(r)));
        if (inputs.some((x) => x === undefined)) break;
        const args = inputs as SymbolicTensor[];
        made.set(
          key([p.layer.name, p.next]),
          p.layer.apply(node.list ? args : args[0]) as SymbolicTensor,
        );
        p.next++;
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.next < p.nodes.length);
  if (stuck) {
    fail(
      RangeError,
      `layer "${stuck.layer.name}" reads tensors that no layer makes before it (a cycle or a missing layer)`,
    );
  }
  const refs = (list: unknown, what: string) => {
    if (!Array.isArray(list)) fail(TypeError, `topology must list "${what}"`);
    return list.map((r: Ref) =>
      made.get(key(r)) ?? fail(RangeError, `"${what}" names ${fmtValue(r)}, which no layer makes`)
    );
  };
  return new Functional({
    inputs: refs(t.inputLayers, "inputLayers"),
    outputs: refs(t.outputLayers, "outputLayers"),
    ...(t.name === undefined ? {} : { name: t.name }),
    ...(t.trainable === undefined ? {} : { trainable: t.trainable }),
  });
}

/** Checks every tensor of the file against the weights the topology declares, before building. */
function checkWeights(model: LayersModel, tensors: Map<string, { shape: number[] }>): void {
  const expected = new Map<string, number[]>();
  if (model instanceof Sequential && !model.layers[0].inputShape) {
    fail(TypeError, `the first layer must have an "inputShape": got none`);
  }
  for (const w of model.weightShapes(model.inputShapes[0])) expected.set(w.name, w.shape);
  for (const [name, want] of expected) {
    const got = tensors.get(name);
    if (!got) {
      fail(RangeError, `weight "${name}" of shape ${fmtShape(want)} is missing from the file`);
    }
    if (got.shape.join() !== want.join()) {
      fail(
        RangeError,
        `weight "${name}" must have shape ${fmtShape(want)}: got ${fmtShape(got.shape)}`,
      );
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) fail(RangeError, `tensor "${name}" is not a weight of the topology`);
  }
}

/** Options of {@linkcode loadModel}. */
export interface LoadModelOptions {
  /** Cancels the download or file read; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up after this many milliseconds, rejecting with a `"TimeoutError"` DOMException. */
  timeoutMs?: number;
}

/**
 * The source's bytes: fetched for `http:`/`https:` (any non-file URL), read for a path; errors
 * name `fn`.
 */
export async function readSource(
  source: string | URL,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  fn = "loadModel",
): Promise<Uint8Array> {
  const remote = source instanceof URL ? source.protocol !== "file:" : /^https?:\/\//i.test(source);
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signals = [signal, timeout].filter((s) => s !== undefined);
  const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const where = remote ? `fetching "${source}"` : `reading "${source}"`;
  try {
    if (!remote) {
      const path = typeof source === "string" && /^file:/i.test(source) ? new URL(source) : source;
      return await Deno.readFile(path, { signal: combined });
    }
    const response = await fetch(source, { signal: combined });
    if (!response.ok) {
      await response.body?.cancel();
      fail(
        TypeError,
        `${where} must answer an HTTP status in 200-299: got ${response.status}${
          response.statusText ? ` ${response.statusText}` : ""
        }`,
        fn,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    if (timeout?.aborted && !signal?.aborted) {
      throw new DOMException(
        `Cannot load model in ${fn}(): ${where} must finish within "timeoutMs" ${timeoutMs} ms: it did not`,
        "TimeoutError",
      );
    }
    throw e;
  }
}

/**
 * Restores a model saved by `model.save()` or `model.toBytes()`.
 *
 * @param source A file path or `file:` URL (needs read permission), an `http:`/`https:` URL as a
 *   string or URL (fetched with `fetch`; needs net permission), or the bytes.
 * @param options `signal` to cancel, `timeoutMs` to give up after that many milliseconds.
 * @typeParam M The class of the saved model: `Sequential` (the default) or `Functional`
 *   (`dn.loadModel<dn.Functional>(...)`), for the type of `predict`; the file decides the class.
 * @returns The model with its weights, compiled again when it was saved compiled: a `Sequential`
 *   or a `Functional`, as saved.
 * @throws {RangeError} When the file is truncated, oversized, or its tensors do not match the
 *   topology, or `timeoutMs` is not a positive number. {SyntaxError} When the header or metadata
 *   is not JSON. {TypeError} When a dtype, layer class or topology entry is invalid, an option is
 *   unknown, the server answers a status outside 200-299 (the message names the URL and status),
 *   or the network fails. {DOMException} `"TimeoutError"` after `timeoutMs`; the signal's reason
 *   (an `"AbortError"` by default) when `signal` aborts.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
 * const copy = await dn.loadModel(model.toBytes());
 * const x = dn.ones([1, 3]);
 * assert.deepEqual(copy.predict(x).dataSync(), model.predict(x).dataSync());
 * ```
 */
export async function loadModel<M extends LayersModel = Sequential>(
  source: string | URL | Uint8Array,
  options: LoadModelOptions = {},
): Promise<M> {
  checkArity(arguments, ["source", "options"], "loadModel");
  const o = checkOptions(options, ["signal", "timeoutMs"], "loadModel");
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    fail(TypeError, `option "signal" must be an AbortSignal: got ${fmtValue(o.signal)}`);
  }
  const timeoutMs = o.timeoutMs as number | undefined;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0)) {
    fail(RangeError, `option "timeoutMs" must be a positive number: got ${fmtValue(timeoutMs)}`);
  }
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (typeof source === "string" || source instanceof URL) {
    bytes = await readSource(source, o.signal as AbortSignal | undefined, timeoutMs);
  } else {
    fail(
      TypeError,
      `argument "source" must be a path, a URL or a Uint8Array: got ${fmtValue(source)}`,
    );
  }
  const { metadata, tensors } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT) {
    fail(TypeError, `"__metadata__.format" must be "${FORMAT}": got ${fmtValue(metadata.format)}`);
  }
  // A functional topology builds its layers as it connects them: no draws, every weight is
  // written from the file below.
  const model = withoutDraws(() => modelOf(parseJson(metadata.topology, "topology")));
  try {
    checkWeights(model, tensors);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const training = metadata.training_config === undefined
    ? undefined
    : parseJson(metadata.training_config, "training_config");
  if (
    training !== undefined &&
    (training === null || typeof training !== "object" || Array.isArray(training))
  ) {
    fail(TypeError, `"__metadata__.training_config" must be an object: got ${fmtValue(training)}`);
  }
  // A bad training config is found only once compile() resolves it: free the weights then.
  try {
    withoutDraws(() => model.buildAll()); // every weight is written from the file next
    const backend = activeBackend();
    for (const w of model.weights) backend.write(w.value.storage, tensors.get(w.name)!.data);
    if (training !== undefined) {
      const config = training as Omit<CompileArgs, "optimizer"> & { optimizer: SerializedConfig };
      model.compile({ ...config, optimizer: optimizerFromConfig(config.optimizer) });
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model as M;
}
