/**
 * Saving and loading models: bitwise round trips through bytes and files, the training config,
 * the file as a plain safetensors file (read here without our decoder), and typed rejections of
 * damaged or inconsistent files.
 */
import * as dn from "../../mod.ts";
import { encodeSafetensors } from "../../src/io/safetensors.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

/** A trained model using every layer class, compiled by name (so the training config is saved). */
async function trainedModel(): Promise<{ model: dn.Sequential; x: dn.Tensor; y: dn.Tensor }> {
  dn.setSeed(3);
  const model = dn.sequential([
    dn.layers.reshape({ targetShape: [2, 3], inputShape: [6] }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 8, activation: "relu", kernelRegularizer: { l2: 1e-3 } }),
    dn.layers.dropout({ rate: 0.2, seed: 4 }),
    dn.layers.dense({ units: 3, useBias: false, kernelInitializer: "heNormal" }),
    dn.layers.activation({ activation: "softmax" }),
  ]);
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.01 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const x = dn.tensor(Float32Array.from(randomF32(40 * 6, 5)), [40, 6]);
  const labels = dn.tensor(Float32Array.from({ length: 40 }, (_, i) => i % 3));
  const y = dn.oneHot(labels, 3);
  labels.dispose();
  await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  return { model, x, y };
}

function bits(t: dn.Tensor): Uint32Array {
  const v = t.dataSync();
  return new Uint32Array(v.buffer, v.byteOffset, v.length);
}

function assertSamePredictions(a: dn.Sequential, b: dn.Sequential, x: dn.Tensor): void {
  using pa = a.predict(x);
  using pb = b.predict(x);
  assertEquals(bits(pb), bits(pa));
}

Deno.test("loadModel(toBytes()) predicts bitwise identically and keeps the topology", async () => {
  const { model, x, y } = await trainedModel();
  const copy = await dn.loadModel(model.toBytes());
  assertSamePredictions(model, copy, x);
  assertEquals(
    copy.layers.map((l) => [l.className, l.getConfig()]),
    model.layers.map((l) => [l.className, l.getConfig()]),
  );
  const [wa, wb] = [model.getWeights(), copy.getWeights()];
  wa.forEach((w, i) => assertEquals(bits(wb[i]), bits(w)));
  for (const w of [...wa, ...wb]) w.dispose();
  for (const t of [model, copy, x, y]) t.dispose();
});

Deno.test("save(path) then loadModel(path) and loadModel(file URL) predict identically", async () => {
  const { model, x, y } = await trainedModel();
  const dir = await Deno.makeTempDir({ prefix: "dendrite_save_" });
  try {
    const path = `${dir}/model.safetensors`;
    await model.save(path);
    assertEquals(await Deno.readFile(path), model.toBytes());
    const fromPath = await dn.loadModel(path);
    assertSamePredictions(model, fromPath, x);
    const fromUrl = await dn.loadModel(new URL(`file://${path}`));
    assertSamePredictions(model, fromUrl, x);
    fromPath.dispose();
    fromUrl.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (const t of [model, x, y]) t.dispose();
});

Deno.test("loadModel() restores the training config and the model can continue fit()", async () => {
  const { model, x, y } = await trainedModel();
  const copy = await dn.loadModel(model.toBytes());
  assert(copy.compiled !== null, "the loaded model is compiled");
  assertEquals(copy.compiled.heads[0].lossName, "categoricalCrossentropy");
  assertEquals(copy.compiled.metricNames, ["accuracy"]);
  assertEquals(copy.compiled.optimizer.getConfig(), model.compiled!.optimizer.getConfig());
  assertEquals(await copy.evaluate(x, y), await model.evaluate(x, y));
  const before = (await copy.evaluate(x, y))[0];
  const history = await copy.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0 });
  assertEquals(Object.keys(history.history).sort(), ["accuracy", "loss"]);
  const after = (await copy.evaluate(x, y))[0];
  assert(after < before, `loss ${before} -> ${after} after 20 more epochs`);
  // An uncompiled model saves no training config and loads uncompiled.
  const plain = dn.sequential([dn.layers.dense({ units: 2, inputShape: [6] })]);
  const plainCopy = await dn.loadModel(plain.toBytes());
  assertEquals(plainCopy.compiled, null);
  for (const t of [model, copy, plain, plainCopy, x, y]) t.dispose();
});

/** The header of a safetensors file, read from the spec: u64 LE length, then that much JSON. */
function readHeader(bytes: Uint8Array): { n: number; header: Record<string, unknown> } {
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + bytes[i];
  const header = JSON.parse(new TextDecoder().decode(bytes.slice(8, 8 + n)));
  return { n, header };
}

Deno.test("toBytes() writes a valid safetensors file (checked without our decoder)", async () => {
  const { model, x, y } = await trainedModel();
  const bytes = model.toBytes();
  const { n, header } = readHeader(bytes);
  assert(n % 8 === 0, `header length ${n} keeps the data 8-byte aligned`);
  const meta = header.__metadata__ as Record<string, string>;
  assertEquals(meta.format, "dendrite.sequential");
  assertEquals(meta.format_version, "1");
  assertEquals(JSON.parse(meta.topology).layers.length, 6);
  assertEquals(JSON.parse(meta.training_config).loss, "categoricalCrossentropy");
  const names = Object.keys(header).filter((k) => k !== "__metadata__");
  const layerNames = model.layers.map((l) => l.name);
  assertEquals(names, [
    `${layerNames[2]}/kernel`,
    `${layerNames[2]}/bias`,
    `${layerNames[4]}/kernel`,
  ]);
  const weights = model.getWeights();
  let offset = 0;
  names.forEach((name, i) => {
    const info = header[name] as { dtype: string; shape: number[]; data_offsets: number[] };
    assertEquals(info.dtype, "F32");
    assertEquals(info.shape, [...weights[i].shape]);
    assertEquals(info.data_offsets, [offset, offset + 4 * weights[i].size]);
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + offset);
    const values = weights[i].dataSync();
    values.forEach((v, j) => assertEquals(view.getFloat32(4 * j, true), v));
    offset += 4 * weights[i].size;
  });
  assertEquals(bytes.length, 8 + n + offset);
  for (const t of [...weights, model, x, y]) t.dispose();
});

/** A small saved model, its decoded parts, and a re-encoder for tampered versions. */
function smallFile() {
  const model = dn.sequential([
    dn.layers.dense({ units: 3, activation: "relu", inputShape: [2], name: "hidden" }),
    dn.layers.dense({ units: 1, name: "out" }),
  ]);
  const bytes = model.toBytes();
  const { n, header } = readHeader(bytes);
  const metadata = header.__metadata__ as Record<string, string>;
  const entries = [
    { name: "hidden/kernel", shape: [2, 3], data: new Float32Array(6) },
    { name: "hidden/bias", shape: [3], data: new Float32Array(3) },
    { name: "out/kernel", shape: [3, 1], data: new Float32Array(3) },
    { name: "out/bias", shape: [1], data: new Float32Array(1) },
  ];
  model.dispose();
  return { bytes, n, metadata, entries, topology: JSON.parse(metadata.topology) };
}

Deno.test("loadModel() accepts the re-encoded small file (control for the cases below)", async () => {
  const { metadata, entries } = smallFile();
  const model = await dn.loadModel(encodeSafetensors(entries, metadata));
  assertEquals(model.layers.map((l) => l.name), ["hidden", "out"]);
  model.dispose();
});

Deno.test("loadModel() rejects truncated files with a RangeError", async () => {
  const { bytes, n } = smallFile();
  await assertRejects(() => dn.loadModel(bytes.slice(0, 5)), RangeError, "at least the 8-byte");
  await assertRejects(() => dn.loadModel(bytes.slice(0, 8 + n - 10)), RangeError, "exceeds the");
  await assertRejects(() => dn.loadModel(bytes.slice(0, bytes.length - 4)), RangeError, "exceed");
});

Deno.test("loadModel() rejects corrupted header JSON with a SyntaxError", async () => {
  const { bytes } = smallFile();
  const bad = bytes.slice();
  bad[8] = "[".charCodeAt(0) + 1; // the opening brace becomes "\"
  await assertRejects(() => dn.loadModel(bad), SyntaxError, "header must be UTF-8 JSON");
  const notUtf8 = bytes.slice();
  notUtf8[12] = 0xff;
  await assertRejects(() => dn.loadModel(notUtf8), SyntaxError, "header must be UTF-8 JSON");
});

Deno.test("loadModel() rejects an oversized header length with a RangeError", async () => {
  const { bytes } = smallFile();
  for (const n of [2n ** 40n, 2n ** 64n - 1n, BigInt(bytes.length)]) {
    const bad = bytes.slice();
    new DataView(bad.buffer).setBigUint64(0, n, true);
    await assertRejects(() => dn.loadModel(bad), RangeError, `header length ${n} exceeds`);
  }
});

Deno.test("loadModel() rejects a tensor whose shape does not match the topology", async () => {
  const { metadata, entries } = smallFile();
  entries[0] = { name: "hidden/kernel", shape: [3, 2], data: new Float32Array(6) };
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries, metadata)),
    RangeError,
    'weight "hidden/kernel" must have shape [2, 3]: got [3, 2]',
  );
});

Deno.test("loadModel() rejects a missing weight and an extra tensor", async () => {
  const { metadata, entries } = smallFile();
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries.slice(0, 3), metadata)),
    RangeError,
    'weight "out/bias" of shape [1] is missing from the file',
  );
  const extra = [...entries, { name: "out/gamma", shape: [1], data: new Float32Array(1) }];
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(extra, metadata)),
    RangeError,
    'tensor "out/gamma" is not a weight of the topology',
  );
});

Deno.test("loadModel() rejects an unknown layer class with a TypeError", async () => {
  const { metadata, entries, topology } = smallFile();
  topology.layers[1].className = "Conv9D";
  const tampered = { ...metadata, topology: JSON.stringify(topology) };
  const e = await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries, tampered)),
    TypeError,
    "layer class must be one of Dense",
  );
  assert(e.message.endsWith(': got "Conv9D"'), e.message);
  topology.layers[1].className = "toString"; // not an own entry of the class table
  const proto = { ...metadata, topology: JSON.stringify(topology) };
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries, proto)),
    TypeError,
    'got "toString"',
  );
});

Deno.test("loadModel() rejects wrong or missing format metadata with a TypeError", async () => {
  const { metadata, entries } = smallFile();
  for (const format of ["pt", "dendrite.functional", undefined]) {
    const meta: Record<string, string> = { ...metadata };
    if (format === undefined) delete meta.format;
    else meta.format = format;
    await assertRejects(
      () => dn.loadModel(encodeSafetensors(entries, meta)),
      TypeError,
      '"__metadata__.format" must be "dendrite.sequential"',
    );
  }
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries)),
    TypeError,
    '"__metadata__.format" must be "dendrite.sequential": got undefined',
  );
  const noTopology: Record<string, string> = { ...metadata };
  delete noTopology.topology;
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries, noTopology)),
    TypeError,
    '"__metadata__" must have a "topology" entry',
  );
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries, { ...metadata, topology: "{layers" })),
    SyntaxError,
    '"__metadata__.topology" must be JSON',
  );
});

Deno.test("loadModel() rejects a source that is not a path, URL or bytes", async () => {
  await assertRejects(
    () => dn.loadModel(42 as unknown as Uint8Array),
    TypeError,
    'argument "source" must be a path, a URL or a Uint8Array: got 42',
  );
});

Deno.test("loadModel() of a bad file leaves no tensor behind", async () => {
  const { metadata, entries } = smallFile();
  const before = dn.memory();
  await assertRejects(
    () => dn.loadModel(encodeSafetensors(entries.slice(1), metadata)),
    RangeError,
    "is missing",
  );
  assertEquals(dn.memory(), before);
});

Deno.test("loadModel() rejects a bad training config with a typed error and frees the weights", async () => {
  const { metadata, entries } = smallFile();
  const sgd = '{"className":"SGD","config":{}}';
  const cases: [string, typeof TypeError | typeof SyntaxError, string][] = [
    ["{loss", SyntaxError, '"__metadata__.training_config" must be JSON'],
    ["null", TypeError, '"__metadata__.training_config" must be an object: got null'],
    [`{"loss":"hingeLoss","optimizer":${sgd}}`, TypeError, 'got "hingeLoss"'],
    ['{"loss":"mse","optimizer":{"className":"Ftrl"}}', TypeError, 'got "Ftrl"'],
  ];
  const before = dn.memory();
  for (const [config, ErrorClass, fragment] of cases) {
    const meta = { ...metadata, training_config: config };
    await assertRejects(() => dn.loadModel(encodeSafetensors(entries, meta)), ErrorClass, fragment);
  }
  assertEquals(dn.memory(), before);
});
