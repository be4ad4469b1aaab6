/**
 * loadLayersModel() on malformed and hostile model.json files: each fails with a typed error
 * naming what is wrong, before a shard is read or a weight allocated; Keras options we lack are
 * errors, never skipped; Python Keras's weight names and input layers load.
 */
import * as dn from "../../mod.ts";
import { encodeLayersModel, type LayersModelFiles, loadLayersModel } from "../../interop.ts";
import { assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const SHARD = "group1-shard1of1.bin";

function files(): { json: Json; data: Uint8Array } {
  const model = dn.sequential([dn.layers.dense({ units: 3, inputShape: [2], name: "d1" })]);
  const { modelJson, weightData } = encodeLayersModel(model);
  model.dispose();
  return { json: structuredClone(modelJson) as Json, data: weightData };
}

const load = (json: unknown, data: Uint8Array, shard = SHARD) =>
  loadLayersModel({ modelJson: json, weights: { [shard]: data } } as LayersModelFiles);

function layerConfig(json: Json, i = 0): Json {
  return json.modelTopology.config.layers[i].config;
}

Deno.test("loadLayersModel() rejects a shard shorter or longer than its manifest before reading it", async () => {
  const { json, data } = files();
  await assertRejects(() => load(json, data.subarray(0, 20)), RangeError, "must hold the 36 bytes");
  await assertRejects(
    () => load(json, new Uint8Array(40)),
    RangeError,
    "must hold the 36 bytes its weights take: got 40",
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify(json));
    await Deno.writeFile(`${dir}/${SHARD}`, data.subarray(0, 8));
    await assertRejects(() => loadLayersModel(`${dir}/model.json`), RangeError, "got 8");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadLayersModel() rejects weights whose dims do not match the topology, and huge dims, without allocating them", async () => {
  const { json, data } = files();
  const bad = structuredClone(json);
  bad.weightsManifest[0].weights[0].shape = [3, 2];
  await assertRejects(
    () => load(bad, data),
    RangeError,
    'weight "d1/kernel" must have shape [2, 3]',
  );
  const overflow = structuredClone(json);
  overflow.weightsManifest[0].weights[0].shape = [2 ** 40, 2 ** 40];
  await assertRejects(() => load(overflow, data), RangeError, "is too large");
  const negative = structuredClone(json);
  negative.weightsManifest[0].weights[0].shape = [2, -3];
  await assertRejects(() => load(negative, data), RangeError, "non-negative integers");
  // A 40 GB kernel that topology and manifest agree on: refused on the 36-byte shard's size.
  const huge = structuredClone(json);
  layerConfig(huge).units = 1e5;
  layerConfig(huge).batch_input_shape = [null, 1e5];
  huge.weightsManifest[0].weights = [
    { name: "d1/kernel", shape: [1e5, 1e5], dtype: "float32" },
    { name: "d1/bias", shape: [1e5], dtype: "float32" },
  ];
  await assertRejects(() => load(huge, data), RangeError, "must hold the 40000400000 bytes");
  // A functional model builds its layers as it connects them: no more than the shards hold.
  const a = dn.input({ shape: [2], name: "a" });
  const f = dn.model({ inputs: a, outputs: dn.layers.dense({ units: 3, name: "d1" }).apply(a) });
  const functional = structuredClone(encodeLayersModel(f).modelJson) as Json;
  f.dispose();
  const [input, dense] = functional.modelTopology.config.layers;
  input.config.batch_input_shape = [null, 1e5];
  dense.config.units = 1e5;
  await assertRejects(
    () => load(functional, data),
    RangeError,
    'Cannot build Dense layer "d1": weight "kernel" of shape [100000, 100000] needs 10000000000 values: the file holds 9 more',
  );
});

Deno.test("loadLayersModel() rejects unknown dtypes, quantized weights, repeated, missing and extra weights", async () => {
  const { json, data } = files();
  const f16 = structuredClone(json);
  f16.weightsManifest[0].weights[0].dtype = "float16";
  await assertRejects(() => load(f16, data), TypeError, '"dtype" must be "float32": got "float16"');
  const quantized = structuredClone(json);
  quantized.weightsManifest[0].weights[0].quantization = { dtype: "uint8", scale: 1, min: 0 };
  await assertRejects(
    () => load(quantized, data),
    TypeError,
    'key "quantization" is not supported',
  );
  const twice = structuredClone(json);
  twice.weightsManifest[0].weights[1].name = "d1/kernel";
  await assertRejects(() => load(twice, data), RangeError, 'weight "d1/kernel" is listed twice');
  const missing = structuredClone(json);
  missing.weightsManifest[0].weights[1].name = "d1/other";
  await assertRejects(() => load(missing, data), RangeError, 'weight "d1/bias" of shape [3]');
  const extra = structuredClone(json);
  extra.weightsManifest[0].weights.push({ name: "x/y", shape: [0], dtype: "float32" });
  await assertRejects(() => load(extra, data), RangeError, 'weight "x/y" is not a weight');
});

Deno.test("loadLayersModel() rejects shard paths outside the model's folder, missing shards and non-JSON", async () => {
  const { json, data } = files();
  for (const path of ["../secret.bin", "/etc/passwd", "https://example.com/x.bin", "a//b"]) {
    const bad = structuredClone(json);
    bad.weightsManifest[0].paths = [path];
    await assertRejects(() => load(bad, data, path), TypeError, "must be a relative path");
  }
  await assertRejects(() => load(json, data, "other.bin"), TypeError, `shard "${SHARD}"`);
  await assertRejects(() => load("{not json", data), SyntaxError, "must be UTF-8 JSON");
  await assertRejects(() => load([], data), TypeError, '"model.json" must be an object');
});

Deno.test("loadLayersModel() rejects a functional topology with a cycle", async () => {
  const a = dn.input({ shape: [2], name: "a" });
  const h = dn.layers.dense({ units: 2, name: "h" }).apply(a);
  const model = dn.model({ inputs: a, outputs: dn.layers.dense({ units: 2, name: "o" }).apply(h) });
  const { modelJson, weightData } = encodeLayersModel(model);
  const json = structuredClone(modelJson) as Json;
  json.modelTopology.config.layers[1].inbound_nodes = [[["o", 0, 0, {}]]]; // h reads o, o reads h
  await assertRejects(() => load(json, weightData), RangeError, "(a cycle or a missing layer)");
});

Deno.test("loadLayersModel() names Keras options, values and classes it does not implement", async () => {
  const { json, data } = files();
  const cases: [string, unknown, string][] = [
    ["stateful", true, 'option "stateful" is not supported: got true'],
    ["dtype", "float16", 'option "dtype" is not supported: got "float16"'],
    ["kernel_regularizer", { class_name: "Orthogonal", config: {} }, '"kernelRegularizer" must be'],
    ["fancy_option", 1, '"fancyOption"'],
    ["batch_input_shape", [null, null], "dynamic dimensions are not supported"],
  ];
  for (const [key, value, message] of cases) {
    const bad = structuredClone(json);
    layerConfig(bad)[key] = value;
    await assertRejects(() => load(bad, data), TypeError, message);
  }
  const cls = structuredClone(json);
  cls.modelTopology.config.layers[0].class_name = "Attention";
  await assertRejects(() => load(cls, data), TypeError, 'got "Attention"');
  const channelsFirst = structuredClone(json);
  channelsFirst.modelTopology.config.layers.push({
    class_name: "Flatten",
    config: { name: "f", data_format: "channels_first" },
  });
  await assertRejects(
    () => load(channelsFirst, data),
    TypeError,
    'option "dataFormat" is not supported: got "channelsFirst"',
  );
});

Deno.test("loadLayersModel() reads Python Keras names (':0', the lstm_cell scope), an InputLayer in a Sequential and the converter's model_config wrapper", async () => {
  const model = dn.sequential([
    dn.layers.lstm({ units: 2, inputShape: [3, 4], name: "lstm" }),
    dn.layers.dense({ units: 1, name: "dense" }),
  ]);
  const { modelJson, weightData } = encodeLayersModel(model);
  const json = structuredClone(modelJson) as Json;
  const layers = json.modelTopology.config.layers;
  const shape = layers[0].config.batch_input_shape;
  delete layers[0].config.batch_input_shape;
  layers.unshift({ class_name: "InputLayer", config: { batch_input_shape: shape, name: "in" } });
  for (const w of json.weightsManifest[0].weights) {
    w.name = w.name.replace("lstm/", "lstm/lstm_cell/") + ":0";
  }
  const x = dn.ones([2, 3, 4]);
  const copy = await load(json, weightData);
  assertEquals([...copy.predict(x).dataSync()], [...model.predict(x).dataSync()]);
  // tensorflowjs_converter's Keras wrapper: { keras_version, backend, model_config, training_config }
  const { class_name, config } = json.modelTopology;
  json.modelTopology = {
    keras_version: "2.15.0",
    backend: "tensorflow",
    model_config: { class_name, config },
    training_config: { loss: "mse" },
  };
  const converted = await load(json, weightData);
  assertEquals([...converted.predict(x).dataSync()], [...model.predict(x).dataSync()]);
});

Deno.test("loadLayersModel() fetches model.json and its shards beside it from an http URL, and names a failed shard", async () => {
  const { json, data } = files();
  const moved = structuredClone(json);
  moved.weightsManifest[0].paths = ["missing.bin"];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/m/model.json") return Response.json(json);
    if (path === "/n/model.json") return Response.json(moved);
    if (path === `/m/${SHARD}` || path === `/n/${SHARD}`) return new Response(data.slice());
    return new Response("no", { status: 404 });
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const model = await loadLayersModel(`${base}/m/model.json`);
    assertEquals(model.weights.map((w) => w.value.shape), [[2, 3], [3]]);
    await assertRejects(
      () => loadLayersModel(`${base}/n/model.json`),
      TypeError,
      `fetching "${base}/n/missing.bin" must answer an HTTP status in 200-299: got 404`,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("encodeLayersModel() rejects nested models and a Sequential without an input shape", () => {
  const inner = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
  const outer = dn.sequential([inner, dn.layers.dense({ units: 1 })]);
  assertThrows(() => encodeLayersModel(outer), TypeError, "nested models are not supported");
  const shapeless = dn.sequential([dn.layers.dense({ units: 2 })]);
  assertThrows(() => encodeLayersModel(shapeless), TypeError, 'must have an "inputShape"');
});
