/**
 * Keras / TF.js Layers topologies (`model.json`'s `modelTopology`) to the topology `getConfig()`
 * writes, and back. Keras JSON spells keys and enum values in snake_case (`use_bias`,
 * `"channels_last"`, `"hard_sigmoid"`); TF.js converts them to camelCase on load and back on save
 * (`convertPythonicToTs`), and so do {@linkcode fromPythonic} / {@linkcode toPythonic}: names of
 * layers stay as written. Each layer's config is then mapped key by key: a Keras key we have no
 * use for is accepted only at the value that changes nothing (`dtype: "float32"`, `dropout: 0`,
 * `stateful: false` ...), anything else is left for the layer, whose constructor rejects a key it
 * does not know with a TypeError naming it.
 *
 * @module
 */
import { fmtValue } from "../_check.ts";

/** Failure of a Keras topology; `fn` is the public function named in the message. */
export type Fail = (Err: typeof TypeError | typeof RangeError, what: string) => never;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function toCamel(s: string): string {
  return s.length <= 1 || !s.includes("_")
    ? s
    : s.replace(/_+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

function toSnake(s: string): string {
  return s.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2").replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** Layer names sit at index 0 of the arrays under these keys and are never converted. */
const NAME_LISTS = new Set(["inboundNodes", "inputLayers", "outputLayers"]);

function convert(
  value: unknown,
  key: string,
  keyFn: (s: string) => string,
  toTs: boolean,
): unknown {
  if (typeof value === "string") return keyFn(value);
  if (Array.isArray(value)) {
    return value.map((v, i) =>
      NAME_LISTS.has(key) && i === 0 && typeof v === "string" ? v : convert(v, key, keyFn, toTs)
    );
  }
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const nk = keyFn(k);
    const name = (k === "name" || (!toTs && k === "className")) && typeof v === "string";
    out[nk] = name ? v : convert(v, toTs ? nk : k, keyFn, toTs);
  }
  return out;
}

/** Keras JSON to camelCase keys and string values, as TF.js reads it; names stay. */
export function fromPythonic(value: unknown): unknown {
  return convert(value, "", toCamel, true);
}

/** camelCase to Keras's snake_case keys and string values, as TF.js writes; names stay. */
export function toPythonic(value: unknown): unknown {
  return convert(value, "", toSnake, false);
}

/** Keras keys we have no use for, and the values at which dropping them changes nothing. */
const NEUTRAL: Record<string, (v: unknown) => boolean> = {
  dtype: (v) => v === "float32",
  dataFormat: (v) => v === "channelsLast",
  dropout: (v) => v === 0,
  recurrentDropout: (v) => v === 0,
  stateful: (v) => v === false,
  timeMajor: (v) => v === false,
  unroll: (v) => typeof v === "boolean", // a speed choice: same outputs
  implementation: (v) => typeof v === "number", // a speed choice: same outputs
  maskZero: (v) => v === false,
  inputLength: () => true, // informational: the input shape decides
  sparse: (v) => v === false,
  ragged: (v) => v === false,
  synchronized: (v) => v === false,
  batchSize: () => true, // predict takes any batch
};

/** Conv1D options Keras writes as one-element lists. */
const ONE_D = ["kernelSize", "strides", "dilationRate"];

/** Keras class names of initialisers that are spelled differently here. */
const INITIALIZER_CLASSES: Record<string, string> = {
  LeCunNormal: "LecunNormal",
  LeCunUniform: "LecunUniform",
};

function regularizerFromKeras(v: unknown, key: string, fail: Fail): unknown {
  if (!isObject(v) || !("className" in v)) return v;
  if (!["L1L2", "L1", "L2"].includes(v.className as string) || !isObject(v.config ?? {})) {
    fail(TypeError, `"${key}" must be an L1L2, L1 or L2 regularizer: got ${fmtValue(v.className)}`);
  }
  return objectFromKeras(v) && { ...((objectFromKeras(v) as Json).config as Json) };
}

/** A Keras `{ className, config }` object (initialiser, constraint) without its null entries. */
function objectFromKeras(v: unknown): unknown {
  if (!isObject(v) || typeof v.className !== "string") return v;
  const config = isObject(v.config)
    ? Object.fromEntries(Object.entries(v.config).filter(([, x]) => x !== null))
    : v.config;
  return { ...v, className: INITIALIZER_CLASSES[v.className] ?? v.className, config };
}

/** Keras's `embeddings_initializer` as our `initScale`: a symmetric uniform only. */
function initScale(v: unknown, fail: Fail): number {
  if (v === "uniform" || v === "randomUniform") return 0.05;
  const c = isObject(v) && v.className === "RandomUniform" && isObject(v.config) ? v.config : null;
  const min = c?.minval ?? -0.05, max = c?.maxval ?? 0.05;
  if (c && typeof max === "number" && min === -max && max >= 0) return max;
  return fail(
    TypeError,
    `"embeddingsInitializer" must be a RandomUniform symmetric about 0: got ${fmtValue(v)}`,
  );
}

/** The sample shape of a Keras `batch_input_shape`: every dimension but the batch given. */
function sampleShape(v: unknown, fail: Fail): number[] {
  if (!Array.isArray(v) || v.length < 2 || v.slice(1).some((d) => typeof d !== "number")) {
    fail(
      TypeError,
      `"batch_input_shape" must be [batch, ...dims] with every dimension but the batch given (dynamic dimensions are not supported): got ${
        fmtValue(v)
      }`,
    );
  }
  return v.slice(1) as number[];
}

/**
 * A Keras layer's `{ className, config }` (camelCase, from {@linkcode fromPythonic}) as ours.
 * Wrapped layers (Bidirectional, TimeDistributed) are mapped too.
 */
export function layerFromKeras(className: unknown, config: unknown, fail: Fail): Json {
  if (typeof className !== "string" || !isObject(config)) {
    fail(TypeError, `a layer must be { class_name, config }: got ${fmtValue(className)}`);
  }
  const where = `layer "${config.name ?? className}" (${className})`;
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue; // Keras's "not set"
    if (key === "batchInputShape") out.inputShape = sampleShape(value, fail);
    else if (key === "dtype" && className === "InputLayer") out.dtype = value;
    else if (className === "Conv1D" && ONE_D.includes(key) && Array.isArray(value)) {
      out[key] = value.length === 1 ? value[0] : value; // Keras writes [k]; ours takes k
    } else if (Object.hasOwn(NEUTRAL, key)) {
      if (!NEUTRAL[key](value)) {
        fail(TypeError, `${where} option "${key}" is not supported: got ${fmtValue(value)}`);
      }
    } else if (key === "embeddingsInitializer") out.initScale = initScale(value, fail);
    else if (key.endsWith("Regularizer")) out[key] = regularizerFromKeras(value, key, fail);
    else if (key.endsWith("Initializer") || key.endsWith("Constraint")) {
      out[key] = objectFromKeras(value);
    } else if (key === "layer" && isObject(value)) {
      out.layer = layerFromKeras(value.className, value.config, fail);
    } else out[key] = value;
  }
  return { className, config: out };
}

const PASCAL: Record<string, string> = { lecunNormal: "LeCunNormal", lecunUniform: "LeCunUniform" };

/** Our layer `{ className, config }` (from `getConfig()`) as Keras's, still camelCase. */
export function layerToKeras(className: string, config: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "inputShape") out.batchInputShape = [null, ...(value as number[])];
    else if (key === "truncate") continue; // a training setting TF.js lacks; outputs unchanged
    else if (key === "initScale") {
      const s = value as number;
      out.embeddingsInitializer = {
        className: "RandomUniform",
        config: { minval: -s, maxval: s, seed: null },
      };
    } else if (key.endsWith("Regularizer")) {
      const r = value as { l1?: number; l2?: number };
      out[key] = { className: "L1L2", config: { l1: r.l1 ?? 0, l2: r.l2 ?? 0 } };
    } else if (key.endsWith("Initializer") && typeof value === "string") {
      out[key] = {
        className: PASCAL[value] ?? value[0].toUpperCase() + value.slice(1),
        config: {},
      };
    } else if (key === "layer" && isObject(value)) {
      out.layer = layerToKeras(value.className as string, value.config as Json);
    } else out[key] = value;
  }
  if (!("dtype" in out)) out.dtype = "float32";
  return { className, config: out };
}

type KerasRef = [string, number, number?, unknown?];

function nodeRef(ref: unknown, where: string, fail: Fail): [string, number] {
  const r = ref as KerasRef;
  if (!Array.isArray(r) || typeof r[0] !== "string" || !Number.isInteger(r[1])) {
    fail(TypeError, `${where} must be [layer, node, tensor, kwargs]: got ${fmtValue(ref)}`);
  }
  if ((r[2] ?? 0) !== 0) {
    fail(TypeError, `${where} reads output ${r[2]} of layer "${r[0]}": layers have one output`);
  }
  if (r[3] !== undefined && !(isObject(r[3]) && Object.keys(r[3]).length === 0)) {
    fail(TypeError, `${where} call arguments are not supported: got ${fmtValue(r[3])}`);
  }
  return [r[0], r[1]];
}

/**
 * A Keras model topology (camelCase: `{ className, config }`, or Keras's older
 * `{ modelConfig }`) as ours: Sequential `{ className, name, layers }` (an input layer folded into
 * the first layer's `inputShape`), Functional with nodes `{ inputs, list }`.
 */
export function topologyFromKeras(topology: unknown, fail: Fail): Json {
  const t = isObject(topology) && isObject(topology.modelConfig) ? topology.modelConfig : topology;
  if (!isObject(t) || typeof t.className !== "string") {
    fail(TypeError, `"modelTopology" must be { class_name, config }: got ${fmtValue(t)}`);
  }
  const config = Array.isArray(t.config) ? { layers: t.config } : t.config;
  if (!isObject(config) || !Array.isArray(config.layers)) {
    fail(TypeError, `"modelTopology.config" must list "layers"`);
  }
  const name = typeof config.name === "string" ? { name: config.name } : {};
  const entries = config.layers as Json[];
  if (t.className === "Sequential") {
    let shape: unknown;
    const layers = entries.flatMap((l) => {
      const mapped = layerFromKeras(l?.className, l?.config, fail);
      if (l.className !== "InputLayer") return [mapped];
      shape = (mapped.config as Json).inputShape;
      return [];
    });
    if (shape !== undefined && layers[0]) {
      layers[0].config = { inputShape: shape, ...(layers[0].config as Json) };
    }
    return { className: "Sequential", ...name, layers };
  }
  if (t.className !== "Model" && t.className !== "Functional") {
    fail(TypeError, `the model class must be Sequential, Model or Functional: got ${t.className}`);
  }
  const layers = entries.map((l) => {
    const mapped = layerFromKeras(l?.className, l?.config, fail);
    const nodes = Array.isArray(l.inboundNodes) ? l.inboundNodes : [];
    const where = `an inbound node of layer "${l.name}"`;
    const inboundNodes = nodes.map((node) => {
      if (!Array.isArray(node)) fail(TypeError, `${where} must be a list: got ${fmtValue(node)}`);
      const inputs = node.map((r) => nodeRef(r, where, fail));
      return { inputs, list: inputs.length > 1 };
    });
    return { ...mapped, name: l.name, inboundNodes };
  });
  const refs = (list: unknown, what: string) =>
    Array.isArray(list) ? list.map((r) => nodeRef(r, `"${what}"`, fail)) : list;
  return {
    className: "Functional",
    ...name,
    layers,
    inputLayers: refs(config.inputLayers, "inputLayers"),
    outputLayers: refs(config.outputLayers, "outputLayers"),
  };
}

/** Our topology (`{ className, ...model.getConfig() }`) as Keras's `{ className, config }`. */
export function topologyToKeras(topology: Json): Json {
  const layers = topology.layers as Json[];
  if (topology.className === "Sequential") {
    return {
      className: "Sequential",
      config: {
        name: topology.name,
        layers: layers.map((l) => layerToKeras(l.className as string, l.config as Json)),
      },
    };
  }
  const ref = ([n, i]: [string, number]) => [n, i, 0];
  return {
    className: "Functional",
    config: {
      name: topology.name,
      layers: layers.map((l) => {
        const nodes = l.inboundNodes as { inputs: [string, number][] }[];
        return {
          name: l.name,
          ...layerToKeras(l.className as string, l.config as Json),
          inboundNodes: nodes.map((n) => n.inputs.map((r) => [...ref(r), {}])),
        };
      }),
      inputLayers: (topology.inputLayers as [string, number][]).map(ref),
      outputLayers: (topology.outputLayers as [string, number][]).map(ref),
    },
  };
}
