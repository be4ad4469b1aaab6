import assert from "node:assert/strict";
import { loadMnist } from "../../src/data/mnist.ts";

const start = performance.now();
const split = loadMnist();
const firstLoadMs = performance.now() - start;

function rowLabels(y: Float32Array): number[] {
  const labels: number[] = [];
  for (let r = 0; r < y.length / 10; r++) {
    const row = y.subarray(r * 10, r * 10 + 10);
    assert.equal(row.reduce((a, b) => a + b, 0), 1, `row ${r} sums to 1`);
    assert.ok(row.every((v) => v === 0 || v === 1), `row ${r} is one-hot`);
    labels.push(row.indexOf(1));
  }
  return labels;
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
}

Deno.test("loadMnist() loads 8,000 train and 2,000 test samples by default, quickly", () => {
  console.log(`loadMnist() first call (data already imported): ${firstLoadMs.toFixed(0)} ms`);
  const t = performance.now();
  loadMnist({ seed: 3 });
  console.log(`loadMnist() later call: ${(performance.now() - t).toFixed(0)} ms`);
  assert.equal(split.trainSize, 8_000);
  assert.equal(split.testSize, 2_000);
  assert.equal(split.xTrain.length, 8_000 * 784);
  assert.equal(split.yTrain.length, 8_000 * 10);
  assert.equal(split.xTest.length, 2_000 * 784);
  assert.equal(split.yTest.length, 2_000 * 10);
  assert.ok(firstLoadMs < 5_000, `first load took ${firstLoadMs} ms`);
});

Deno.test("loadMnist() returns byte/255 pixels in [0, 1] with ink in every image", () => {
  const levels = new Set<number>();
  for (const x of [split.xTrain, split.xTest]) {
    for (let r = 0; r < x.length / 784; r++) {
      const img = x.subarray(r * 784, r * 784 + 784);
      let ink = 0, min = 0, max = 0;
      for (const v of img) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        if (v > 0) levels.add(v);
        ink += v;
      }
      assert.ok(min >= 0 && max <= 1, `image ${r} spans [${min}, ${max}]`);
      assert.ok(ink > 10 && ink < 400, `image ${r} has ink ${ink}`);
    }
  }
  assert.ok(levels.has(1));
  for (const v of levels) assert.equal(v, Math.fround(Math.round(v * 255) / 255));
  assert.ok(levels.size > 200, `${levels.size} grey levels`);
});

Deno.test("loadMnist() gives one-hot labels with every digit at 5-15%", () => {
  for (const y of [split.yTrain, split.yTest]) {
    const labels = rowLabels(y);
    const counts = new Array(10).fill(0);
    for (const l of labels) counts[l]++;
    for (const c of counts) {
      assert.ok(c >= 0.05 * labels.length && c <= 0.15 * labels.length, `counts ${counts}`);
    }
  }
});

Deno.test("loadMnist() gives the same split bitwise for the same seed", () => {
  const again = loadMnist({ seed: 0 });
  assert.ok(bitsEqual(again.xTrain, split.xTrain) && bitsEqual(again.yTrain, split.yTrain));
  assert.ok(bitsEqual(again.xTest, split.xTest) && bitsEqual(again.yTest, split.yTest));
  assert.deepEqual(again.trainIndices, split.trainIndices);
  const small = loadMnist({ seed: 0, trainSize: 10, testSize: 5 });
  assert.deepEqual(small.trainIndices, split.trainIndices.slice(0, 10));
});

Deno.test("loadMnist() gives different splits for different seeds", () => {
  const other = loadMnist({ seed: 1 });
  assert.ok(!bitsEqual(other.xTrain, split.xTrain));
  const same = other.trainIndices.filter((v, i) => v === split.trainIndices[i]).length;
  assert.ok(same < 10, `${same} rows in the same place`);
  assert.notDeepEqual(loadMnist({ seed: 2 ** 32 - 1 }).testIndices, split.testIndices);
});

Deno.test("loadMnist() keeps train and test disjoint by index and by image", () => {
  const all = new Set([...split.trainIndices, ...split.testIndices]);
  assert.equal(all.size, 10_000);
  assert.ok([...all].every((i) => i < 10_000));
  const key = (x: Float32Array, r: number) => x.subarray(r * 784, r * 784 + 784).join(",");
  const train = new Set<string>();
  for (let r = 0; r < split.trainSize; r++) train.add(key(split.xTrain, r));
  assert.equal(train.size, split.trainSize);
  for (let r = 0; r < split.testSize; r++) assert.ok(!train.has(key(split.xTest, r)));
});

Deno.test("loadMnist() accepts empty and full-size splits", () => {
  const full = loadMnist({ trainSize: 10_000, testSize: 0 });
  assert.equal(full.xTrain.length, 10_000 * 784);
  assert.equal(full.xTest.length, 0);
  assert.equal(loadMnist({ trainSize: 0, testSize: 1 }).yTest.length, 10);
});

Deno.test("loadMnist() rejects invalid options", () => {
  const cases: [unknown, ErrorConstructor, string][] = [
    [{ trainSize: 9_000, testSize: 1_001 }, RangeError, "must be at most 10000: got 9000 + 1001"],
    [
      { trainSize: 1.5 },
      RangeError,
      `"options.trainSize" must be an integer in [0, 10000]: got 1.5`,
    ],
    [{ testSize: -1 }, RangeError, `"options.testSize" must be an integer`],
    [{ trainSize: 10_001, testSize: 0 }, RangeError, "got 10001"],
    [{ seed: -1 }, RangeError, `"options.seed" must be an integer in [0, 4294967295]: got -1`],
    [{ seed: 2 ** 32 }, RangeError, "got 4294967296"],
    [{ seed: NaN }, RangeError, "got NaN"],
    [{ seed: "1" }, TypeError, `"options.seed" must be a number: got string`],
    [null, TypeError, `"options" must be an object: got null`],
  ];
  for (const [options, cls, fragment] of cases) {
    assert.throws(() => loadMnist(options as never), (e: Error) => {
      assert.ok(e instanceof cls, `${JSON.stringify(options)}: ${e}`);
      assert.ok(e.message.startsWith("Cannot load MNIST in loadMnist(): "), e.message);
      assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
      return true;
    });
  }
});
