/**
 * `dn.cloneModel` and `setWeights(other.getWeights())`: a clone of a Sequential, of a functional
 * model with a shared layer and of a model nesting a Sequential predicts bitwise like the original
 * and is independent of it (training or disposing one leaves the other unchanged); a soft target
 * update composed of ops gives τ·w' + (1 - τ)·w.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

function data(n: number, cols: number, seed: number): dn.Tensor {
  let s = seed;
  const v = Float32Array.from({ length: n * cols }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return dn.tensor(v, [n, cols]);
}

function values(ts: dn.Tensor[]): number[][] {
  return ts.map((t) => [...t.dataSync()]);
}

function outputs(model: dn.LayersModel, x: dn.ModelData): number[][] {
  const y = model.predict(x);
  return values(Array.isArray(y) ? y : [y]);
}

function towers(): dn.Functional {
  const a = dn.input({ shape: [3], name: "a" });
  const b = dn.input({ shape: [3], name: "b" });
  const shared = dn.layers.dense({ units: 4, activation: "tanh", name: "shared" });
  const inner = dn.sequential([dn.layers.dense({ units: 3, inputShape: [4] })], { name: "inner" });
  const outA = dn.layers.dense({ units: 1, name: "outA" }).apply(inner.apply(shared.apply(a)));
  const outB = dn.layers.dense({ units: 1, name: "outB" }).apply(shared.apply(b));
  return dn.model({ inputs: [a, b], outputs: [outA, outB], name: "towers" });
}

Deno.test("a cloned Sequential predicts bitwise like the original and trains independently", async () => {
  dn.setSeed(1);
  const model = dn.sequential([
    dn.layers.dense({ units: 5, activation: "relu", inputShape: [3] }),
    dn.layers.batchNormalization(),
    dn.layers.lambda({ fn: (t) => dn.mul(t, 2) }),
    dn.layers.dense({ units: 1, trainable: false }),
  ]);
  model.compile({ optimizer: "adam", loss: "meanSquaredError" });
  const x = data(16, 3, 1), y = dn.sum(x, 1, true);
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // moves BN's statistics
  const copy = dn.cloneModel(model);
  assert(copy instanceof dn.Sequential);
  assertEquals(copy.compiled, null);
  assertEquals(copy.layers.map((l) => l.name), model.layers.map((l) => l.name));
  assertEquals(copy.layers.map((l) => l.trainable), [true, true, true, false]);
  assert(copy.layers.every((l, i) => l !== model.layers[i]));
  assertEquals(values(copy.getWeights()), values(model.getWeights()));
  assertEquals(outputs(copy, x), outputs(model, x));

  const original = values(model.getWeights());
  copy.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  await copy.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
  assertEquals(values(model.getWeights()), original);
  assert(values(copy.getWeights())[0].some((v, i) => v !== original[0][i]));
  model.dispose(); // the clone's weights are its own
  assertEquals(copy.predict(x).shape, [16, 1]);
  copy.dispose();
});

Deno.test("a cloned functional model keeps its shared layer shared and its nested Sequential", async () => {
  dn.setSeed(2);
  const model = towers();
  const x = [data(6, 3, 3), data(6, 3, 4)];
  const copy = dn.cloneModel(model);
  assert(copy instanceof dn.Functional);
  assertEquals(copy.name, "towers");
  assertEquals(copy.layers.map((l) => l.name), model.layers.map((l) => l.name));
  assertEquals(copy.countParams(), model.countParams());
  assertEquals(outputs(copy, x), outputs(model, x));
  assert(copy.getLayer("inner") instanceof dn.Sequential);
  assert(copy.getLayer("inner") !== model.getLayer("inner"));
  // One shared layer in the clone too: training moves both towers through it.
  assertEquals(copy.trainableWeights.length, model.trainableWeights.length);
  copy.compile({ optimizer: "adam", loss: ["meanSquaredError", "meanSquaredError"] });
  const before = values(model.getWeights());
  await copy.fit(x, [dn.ones([6, 1]), dn.ones([6, 1])], { epochs: 2, verbose: 0 });
  assertEquals(values(model.getWeights()), before);

  // setWeights(other.getWeights()) makes them equal again, both ways.
  model.setWeights(copy.getWeights());
  assertEquals(outputs(model, x), outputs(copy, x));
  const fresh = dn.cloneModel(model, { copyWeights: false });
  assert(
    values(fresh.getWeights()).flat().some((v, i) => v !== values(model.getWeights()).flat()[i]),
  );
  fresh.setWeights(model.getWeights());
  assertEquals(outputs(fresh, x), outputs(model, x));
  for (const m of [model, copy, fresh]) m.dispose();
});

Deno.test("setWeights(other.getWeights()) between two Sequentials of one architecture; a soft update", () => {
  dn.setSeed(5);
  const make = () => dn.sequential([dn.layers.dense({ units: 3, inputShape: [2] })]);
  const online = make(), target = make();
  const x = data(4, 2, 7);
  assert(outputs(online, x)[0].some((v, i) => v !== outputs(target, x)[0][i]));
  const tau = 0.25;
  const w = values(target.getWeights()), wOnline = values(online.getWeights());
  const [t, o] = [target.getWeights(), online.getWeights()];
  target.setWeights(t.map((ti, i) => dn.add(dn.mul(o[i], tau), dn.mul(ti, 1 - tau))));
  values(target.getWeights()).forEach((got, i) =>
    got.forEach((v, j) => assert(Math.abs(v - (tau * wOnline[i][j] + (1 - tau) * w[i][j])) < 1e-6))
  );
  target.setWeights(online.getWeights());
  assertEquals(outputs(target, x), outputs(online, x));
  assertThrows(() => target.setWeights(online.getWeights().slice(1)), RangeError, "2 tensors");
  online.dispose();
  target.dispose();
});

Deno.test("cloneModel rejects what is not a model and bad options", () => {
  const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
  assertThrows(
    () => dn.cloneModel(dn.layers.dense({ units: 1 }) as unknown as dn.Sequential),
    TypeError,
    'Cannot run cloneModel(): argument "model" must be a Sequential or functional model',
  );
  assertThrows(() => dn.cloneModel(model, { weights: true } as never), TypeError, "weights");
  assertThrows(
    () => dn.cloneModel(model, { copyWeights: 1 as unknown as boolean }),
    TypeError,
    'option "copyWeights" must be a boolean: got 1',
  );
  model.dispose();
});
