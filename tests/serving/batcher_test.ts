/**
 * The dynamic batcher: each concurrent call gets its own row (equal to predicting it alone),
 * calls coalesce into few `model.predict` calls within the window and the size limit, a bad
 * sample rejects only its own call, closing drains or rejects, and no tensor leaks.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

/** A small MLP and a wrapper that records the batch size of every `predict` call. */
function counted(seed = 1): { model: dn.BatchModel & dn.Sequential; sizes: number[] } {
  dn.setSeed(seed);
  const inner = dn.sequential([
    dn.layers.dense({ units: 16, activation: "relu", inputShape: [12] }),
    dn.layers.dense({ units: 5, activation: "softmax" }),
  ]);
  const sizes: number[] = [];
  const predict = inner.predict.bind(inner);
  inner.predict = (x, options) => {
    sizes.push(x.shape[0]);
    return predict(x, options);
  };
  return { model: inner, sizes };
}

function samples(n: number, seed: number): Float32Array[] {
  const all = Float32Array.from(randomF32(n * 12, seed));
  return Array.from({ length: n }, (_, i) => all.slice(i * 12, (i + 1) * 12));
}

function alone(model: dn.Sequential, sample: Float32Array): Float32Array {
  return dn.tidy(() => model.predict(dn.tensor(sample, [1, 12])).dataSync());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("batcher() gives each concurrent call its own row, equal to predicting it alone", async () => {
  const { model, sizes } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 16, maxQueueDelayMs: 5 });
  const xs = samples(40, 2);
  const rows = await Promise.all(xs.map((x, i) => b.predict(i % 2 ? x : Array.from(x))));
  sizes.length = 0;
  xs.forEach((x, i) => {
    const want = alone(model, x);
    assertEquals(rows[i].length, 5);
    for (let j = 0; j < 5; j++) {
      assert(Math.abs(rows[i][j] - want[j]) <= 1e-6, `row ${i}[${j}]: ${rows[i][j]} vs ${want[j]}`);
    }
  });
  model.dispose();
});

Deno.test("batcher() runs concurrent calls in ceil(n / maxBatchSize) batches", async () => {
  const { model, sizes } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 16, maxQueueDelayMs: 50 });
  await Promise.all(samples(40, 3).map((x) => b.predict(x)));
  assertEquals(sizes, [16, 16, 8]);
  assertEquals(b.stats, { batches: 3, samples: 40, largestBatch: 16 });
  sizes.length = 0;
  await Promise.all(samples(7, 4).map((x) => b.predict(x)));
  assertEquals(sizes, [7]);
  model.dispose();
});

Deno.test("batcher() runs a lone call after maxQueueDelayMs and joins calls within it", async () => {
  const { model, sizes } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 64, maxQueueDelayMs: 40 });
  const [x, y, z] = samples(3, 5);
  const started = performance.now();
  const first = b.predict(x);
  await sleep(5);
  assertEquals(sizes, []);
  const second = b.predict(y);
  await first;
  const waited = performance.now() - started;
  await second;
  assert(waited >= 35, `the lone call ran after ${waited} ms, before the 40 ms window`);
  assertEquals(sizes, [2]);
  await sleep(60);
  await b.predict(z);
  assertEquals(sizes, [2, 1]);
  model.dispose();
});

Deno.test("batcher() with maxQueueDelayMs 0 still joins calls made in the same turn", async () => {
  const { model, sizes } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 64, maxQueueDelayMs: 0 });
  await Promise.all(samples(5, 6).map((x) => b.predict(x)));
  assertEquals(sizes, [5]);
  model.dispose();
});

Deno.test("batcher() rejects only the calls with bad samples, with typed errors", async () => {
  const { model, sizes } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 64, maxQueueDelayMs: 1 });
  const [good, other] = samples(2, 7);
  const nan = good.slice();
  nan[3] = NaN;
  const inf = Array.from(good);
  inf[11] = -Infinity;
  using wrongShape = dn.zeros([2, 12]);
  const calls = [
    b.predict(good),
    b.predict(new Float32Array(11)),
    b.predict(nan),
    b.predict(inf),
    b.predict([..."abcdefghijkl"] as unknown as number[]),
    b.predict("x" as unknown as number[]),
    b.predict(wrongShape),
    b.predict(other),
  ];
  const results = await Promise.allSettled(calls);
  const reasons = results.map((r) => r.status === "rejected" ? r.reason as Error : undefined);
  assert(results[0].status === "fulfilled" && results[7].status === "fulfilled");
  assert(reasons[1] instanceof RangeError && reasons[1].message.includes("must hold 12 values"));
  assert(reasons[1].message.includes("got 11"));
  assert(reasons[2] instanceof RangeError && reasons[2].message.includes("got NaN at index 3"));
  assert(reasons[3] instanceof RangeError && reasons[3].message.includes("-Infinity at index 11"));
  assert(reasons[4] instanceof TypeError && reasons[4].message.includes('"a" at index 0'));
  assert(reasons[5] instanceof TypeError && reasons[5].message.includes("must be a Float32Array"));
  assert(reasons[6] instanceof RangeError && reasons[6].message.includes("got [2, 12]"));
  assertEquals(sizes, [2]);
  model.dispose();
});

Deno.test("batcher() accepts Tensor samples of shape inputShape or [1, ...inputShape]", async () => {
  const { model } = counted();
  await using b = dn.serving.batcher(model);
  const [x] = samples(1, 8);
  using a = dn.tensor(x, [12]);
  using c = dn.tensor(x, [1, 12]);
  const [ra, rc] = await Promise.all([b.predict(a), b.predict(c)]);
  assertEquals([...ra], [...alone(model, x)]);
  assertEquals([...rc], [...ra]);
  model.dispose();
});

Deno.test("batcher() rejects every call of a batch whose model.predict throws", async () => {
  let calls = 0;
  const model: dn.BatchModel = {
    inputShape: [2],
    predict(x) {
      if (calls++ === 0) throw new RangeError("boom");
      return dn.add(x, dn.ones([2]));
    },
  };
  await using b = dn.serving.batcher(model, { maxQueueDelayMs: 0 });
  const before = dn.memory().numTensors;
  const failed = await Promise.allSettled([b.predict([1, 2]), b.predict([3, 4])]);
  assert(failed.every((r) => r.status === "rejected" && r.reason.message === "boom"));
  const [r] = await Promise.all([b.predict([1, 2])]);
  assertEquals([...r], [2, 3]);
  assertEquals(dn.memory().numTensors, before);
});

Deno.test("batcher() keeps dn.memory().numTensors flat across rounds", async () => {
  const { model } = counted();
  await using b = dn.serving.batcher(model, { maxBatchSize: 8, maxQueueDelayMs: 0 });
  const xs = samples(30, 9);
  const counts: number[] = [];
  for (let round = 0; round < 4; round++) {
    await Promise.all(xs.map((x) => b.predict(x)));
    counts.push(dn.memory().numTensors);
  }
  assertEquals(new Set(counts).size, 1, `numTensors per round: ${counts}`);
  model.dispose();
});

Deno.test("batcher().close() runs queued calls, then rejects new ones", async () => {
  const { model, sizes } = counted();
  const b = dn.serving.batcher(model, { maxBatchSize: 64, maxQueueDelayMs: 10_000 });
  const queued = samples(3, 10).map((x) => b.predict(x));
  assertEquals(b.pending, 3);
  await b.close();
  assertEquals((await Promise.all(queued)).length, 3);
  assertEquals(sizes, [3]);
  await assertRejects(() => b.predict(new Float32Array(12)), TypeError, "the batcher is closed");
  model.dispose();
});

Deno.test("batcher().close({ drain: false }) rejects queued calls", async () => {
  const { model, sizes } = counted();
  const b = dn.serving.batcher(model, { maxBatchSize: 64, maxQueueDelayMs: 10_000 });
  const queued = b.predict(new Float32Array(12));
  await b.close({ drain: false });
  await assertRejects(() => queued, TypeError, "closed before this call ran");
  assertEquals(sizes, []);
  await assertRejects(() => b.close({ dran: true } as never), TypeError, 'option "dran"');
  model.dispose();
});

Deno.test("batcher() rejects unknown options and bad values with typed errors", () => {
  const { model } = counted();
  assertThrows(
    () => dn.serving.batcher(model, { maxDelayMs: 3 } as never),
    TypeError,
    'option "maxDelayMs" is not known: use one of "maxBatchSize", "maxQueueDelayMs"',
  );
  assertThrows(() => dn.serving.batcher(model, { maxBatchSize: 0 }), RangeError, "maxBatchSize");
  assertThrows(
    () => dn.serving.batcher(model, { maxQueueDelayMs: -1 }),
    RangeError,
    '"maxQueueDelayMs" must be >= 0: got -1',
  );
  assertThrows(
    () => dn.serving.batcher(model, { inputShape: [13] }),
    RangeError,
    "must match the model's [12]: got [13]",
  );
  assertThrows(
    () => dn.serving.batcher({ predict: (x: dn.Tensor) => x }),
    TypeError,
    '"inputShape" is needed',
  );
  assertThrows(() => dn.serving.batcher({} as never), TypeError, "must have a predict() method");
  model.dispose();
});
