/**
 * Initialisers by name and as objects (`dn.initializers`): sample moments within stated standard
 * errors, bounds, orthogonality, seeding through `dn.setSeed` and their own `seed`, use in every
 * kind of layer, saved configs, and bad input.
 *
 * Moments: for n independent draws of standard deviation σ, the sample mean has standard error
 * σ/√n and the sample standard deviation about σ/√(2n); both are asserted within 5 standard
 * errors (a false failure about once in 3.5 million runs per assertion; the draws are seeded, so
 * a pass is reproducible). A truncated normal at ±2 of unit spread has σ = 0.87962566.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

const TRUNC = 0.87962566103423978;

/** The kernel `[fanIn, units]` a dense layer draws with `init`. */
function kernel(init: unknown, fanIn: number, units: number): Float32Array {
  const layer = dn.layers.dense({ units, kernelInitializer: init as dn.Initializer });
  layer.ensureBuilt([fanIn]);
  const values = layer.weights[0].value.dataSync() as Float32Array;
  layer.dispose();
  return values;
}

function assertMoments(x: Float32Array, mean: number, std: number, what: string): void {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  s = Math.sqrt(s / (n - 1));
  assert(
    Math.abs(m - mean) <= 5 * std / Math.sqrt(n),
    `${what}: mean ${m}, want ${mean} ± ${5 * std / Math.sqrt(n)}`,
  );
  assert(
    Math.abs(s - std) <= 5 * std / Math.sqrt(2 * n),
    `${what}: std ${s}, want ${std} ± ${5 * std / Math.sqrt(2 * n)}`,
  );
}

const assertWithin = (x: Float32Array, lo: number, hi: number, what: string) =>
  assert(
    x.every((v) => v >= lo - 1e-7 && v <= hi + 1e-7),
    `${what}: values outside [${lo}, ${hi}]`,
  );

Deno.test("initializers have Keras's moments and bounds, by name and as objects", () => {
  dn.setSeed(11);
  const [fanIn, fanOut] = [150, 200];
  const glorot = Math.sqrt(2 / (fanIn + fanOut)),
    he = Math.sqrt(2 / fanIn),
    lecun = Math.sqrt(1 / fanIn);
  const cases: [unknown, number, number, [number, number] | null][] = [
    ["glorotUniform", 0, glorot, [-glorot * Math.sqrt(3), glorot * Math.sqrt(3)]],
    ["glorotNormal", 0, glorot, [-2 * glorot / TRUNC, 2 * glorot / TRUNC]],
    ["heNormal", 0, he, [-2 * he / TRUNC, 2 * he / TRUNC]],
    ["heUniform", 0, he, [-he * Math.sqrt(3), he * Math.sqrt(3)]],
    ["lecunNormal", 0, lecun, [-2 * lecun / TRUNC, 2 * lecun / TRUNC]],
    ["leCunUniform", 0, lecun, [-lecun * Math.sqrt(3), lecun * Math.sqrt(3)]],
    ["randomNormal", 0, 0.05, null],
    ["randomUniform", 0, 0.1 / Math.sqrt(12), [-0.05, 0.05]],
    ["truncatedNormal", 0, 0.05 * TRUNC, [-0.1, 0.1]],
    ["varianceScaling", 0, lecun, [-2 * lecun / TRUNC, 2 * lecun / TRUNC]],
    [dn.initializers.randomNormal({ mean: 1, stddev: 0.5 }), 1, 0.5, null],
    [dn.initializers.randomUniform({ minval: 2, maxval: 5 }), 3.5, 3 / Math.sqrt(12), [2, 5]],
    [dn.initializers.truncatedNormal({ mean: -1, stddev: 2 }), -1, 2 * TRUNC, [-5, 3]],
    [
      dn.initializers.varianceScaling({ scale: 3, mode: "fanOut", distribution: "uniform" }),
      0,
      Math.sqrt(3 / fanOut),
      [-3 / Math.sqrt(fanOut), 3 / Math.sqrt(fanOut)],
    ],
    [
      dn.initializers.varianceScaling({ mode: "fanAvg", distribution: "untruncatedNormal" }),
      0,
      Math.sqrt(1 / 175),
      null,
    ],
    [dn.initializers.varianceScaling({ scale: 2, distribution: "normal" }), 0, he, [
      -2 * he / TRUNC,
      2 * he / TRUNC,
    ]],
  ];
  for (const [init, mean, std, bounds] of cases) {
    const what = typeof init === "string"
      ? init
      : JSON.stringify((init as dn.initializers.InitializerSpec).getConfig());
    const x = kernel(init, fanIn, fanOut);
    assertMoments(x, mean, std, what);
    if (bounds) assertWithin(x, bounds[0], bounds[1], what);
  }
});

Deno.test("constant, zeros and ones fill exactly", () => {
  assert(kernel(dn.initializers.constant({ value: -0.25 }), 3, 5).every((v) => v === -0.25));
  assert(kernel("constant", 3, 5).every((v) => v === 0));
  assert(kernel("ones", 3, 5).every((v) => v === 1));
  assert(kernel(dn.initializers.zeros(), 3, 5).every((v) => v === 0));
});

Deno.test("orthogonal() gives orthonormal rows or columns times gain, on any rank >= 2", () => {
  const cases: [dn.layers.Layer, number[], [number, number], number][] = [
    [
      dn.layers.dense({ units: 5, kernelInitializer: dn.initializers.orthogonal() }),
      [17],
      [17, 5],
      1,
    ],
    [
      dn.layers.dense({ units: 33, kernelInitializer: dn.initializers.orthogonal({ gain: 2 }) }),
      [3],
      [3, 33],
      2,
    ],
    [
      dn.layers.conv2d({
        filters: 6,
        kernelSize: [2, 3],
        kernelInitializer: dn.initializers.orthogonal({ gain: 0.5 }),
      }),
      [5, 5, 4],
      [24, 6],
      0.5,
    ],
  ];
  for (const [layer, inputShape, [rows, cols], gain] of cases) {
    layer.ensureBuilt(inputShape);
    using k = dn.reshape(layer.weights[0].value, [rows, cols]);
    using p = rows >= cols
      ? dn.matmul(k, k, { transposeA: true })
      : dn.matmul(k, k, { transposeB: true });
    const n = Math.min(rows, cols), got = p.dataSync();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = i === j ? gain * gain : 0;
        assert(
          Math.abs(got[i * n + j] - want) < 1e-5,
          `[${rows}, ${cols}] gain ${gain}: (${i}, ${j}) = ${got[i * n + j]}`,
        );
      }
    }
    layer.dispose();
  }
});

Deno.test("initializers draw from dn.setSeed's generator, or from their own seed", () => {
  dn.setSeed(5);
  const a = kernel("heNormal", 4, 6);
  dn.setSeed(5);
  assertEquals(kernel("heNormal", 4, 6), a);
  const seeded = dn.initializers.heNormal({ seed: 9 });
  const b = kernel(seeded, 4, 6);
  assertEquals(kernel(seeded, 4, 6), b, "an own seed draws the same at every build");
  assert(b.some((v, i) => v !== a[i]));
});

Deno.test("every layer kind takes initializers by object and saves them as Keras configs", async () => {
  dn.setSeed(2);
  const model = dn.sequential([
    dn.layers.conv2d({
      filters: 2,
      kernelSize: 2,
      inputShape: [4, 4, 1],
      kernelInitializer: dn.initializers.heUniform(),
      biasInitializer: dn.initializers.constant({ value: 0.1 }),
    }),
    dn.layers.reshape({ targetShape: [9, 2] }),
    dn.layers.lstm({
      units: 3,
      kernelInitializer: "lecunNormal",
      recurrentInitializer: dn.initializers.orthogonal({ gain: 2 }),
    }),
    dn.layers.dense({
      units: 1,
      kernelInitializer: dn.initializers.randomNormal({ stddev: 0.1, seed: 4 }),
    }),
  ]);
  using x = dn.zeros([1, 4, 4, 1]);
  using y = model.predict(x) as dn.Tensor;
  const copy = await dn.loadModel(model.toBytes());
  const configs = copy.layers.map((l) => l.getConfig() as Record<string, unknown>);
  assertEquals(configs[0].kernelInitializer, { className: "HeUniform", config: {} });
  assertEquals(configs[0].biasInitializer, { className: "Constant", config: { value: 0.1 } });
  assertEquals(configs[2].kernelInitializer, "lecunNormal");
  assertEquals(configs[2].recurrentInitializer, { className: "Orthogonal", config: { gain: 2 } });
  assertEquals(configs[3].kernelInitializer, {
    className: "RandomNormal",
    config: { mean: 0, stddev: 0.1, seed: 4 },
  });
  using z = copy.predict(x) as dn.Tensor;
  assertEquals([...z.dataSync()], [...y.dataSync()]);
  model.dispose();
  copy.dispose();
});

Deno.test("initializers reject bad names, options and shapes with typed errors", () => {
  assertThrows(
    () => dn.layers.dense({ units: 2, kernelInitializer: "xavier" as never }),
    TypeError,
    'Cannot run dense(): argument "kernelInitializer" must be one of "glorotUniform"',
  );
  assertThrows(
    () =>
      dn.layers.dense({
        units: 2,
        biasInitializer: { className: "Identity", config: {} } as never,
      }),
    TypeError,
    'Cannot run dense(): argument "biasInitializer.className" must be one of "GlorotUniform"',
  );
  assertThrows(
    () => dn.initializers.randomNormal({ stddev: 0 }),
    RangeError,
    'Cannot run randomNormal(): option "stddev" must be > 0: got 0',
  );
  assertThrows(
    () => dn.initializers.randomUniform({ minval: 1, maxval: 1 }),
    RangeError,
    'option "maxval" must be > "minval" (1): got 1',
  );
  assertThrows(
    () => dn.initializers.varianceScaling({ mode: "fan_in" as never }),
    TypeError,
    'Cannot run varianceScaling(): argument "mode" must be one of "fanIn", "fanOut", "fanAvg"',
  );
  assertThrows(() => dn.initializers.glorotUniform({ gain: 1 } as never), TypeError, '"gain"');
  assertThrows(
    () => dn.initializers.heNormal({ seed: 1.5 }),
    TypeError,
    'option "seed" must be an integer: got 1.5',
  );
  assertThrows(
    () => dn.initializers.constant({ value: Infinity }),
    RangeError,
    'option "value" must be a finite number',
  );
  const layer = dn.layers.dense({ units: 2, biasInitializer: dn.initializers.orthogonal() });
  assertThrows(
    () => layer.ensureBuilt([3]),
    RangeError,
    "Cannot run orthogonal(): the weight must have rank >= 2: got shape [2]",
  );
});
