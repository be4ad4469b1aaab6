/**
 * `dn.constraints` (`maxNorm`, `nonNeg`, `unitNorm`): the projections against their float64
 * formulas (Keras's, epsilon 1e-7), applied by `fit` after each optimizer step to the weights of
 * `kernelConstraint`/`biasConstraint`, saved and reloaded; typed errors.
 */
import * as dn from "../../mod.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const W = Float32Array.from(randomF32(12, 5), (v) => 3 * v);
const f64 = Float64Array.from(W);

/** Norms of the columns of a `[4, 3]` matrix (axis 0), or of the rows (axis 1). */
function norms(axis: number): number[] {
  return Array.from({ length: axis === 0 ? 3 : 4 }, (_, j) => {
    let s = 0;
    for (let k = 0; k < (axis === 0 ? 4 : 3); k++) {
      s += f64[axis === 0 ? k * 3 + j : j * 3 + k] ** 2;
    }
    return Math.sqrt(s);
  });
}

for (const axis of [0, 1]) {
  Deno.test(`maxNorm() and unitNorm() along axis ${axis} match Keras's formulas in f64`, () => {
    using w = dn.tensor(W, [4, 3]);
    const n = norms(axis);
    const at = (i: number) => n[axis === 0 ? i % 3 : Math.floor(i / 3)];
    using capped = dn.constraints.maxNorm({ maxValue: 1.5, axis }).apply(w);
    assertClose(
      capped.dataSync(),
      f64.map((v, i) => v * Math.min(at(i), 1.5) / (at(i) + 1e-7)),
      Tol.ulps(8),
      "maxNorm",
    );
    using unit = dn.constraints.unitNorm({ axis }).apply(w);
    assertClose(unit.dataSync(), f64.map((v, i) => v / (at(i) + 1e-7)), Tol.ulps(8), "unitNorm");
  });
}

Deno.test("nonNeg() zeroes negative weights", () => {
  using w = dn.tensor(W, [4, 3]);
  using y = dn.constraints.nonNeg().apply(w);
  // w · (w >= 0), as Keras and TF.js: negative weights become -0; compare as numbers.
  assertEquals([...y.dataSync()].map((v) => v + 0), [...W].map((v) => (v < 0 ? 0 : v)));
});

Deno.test("fit applies kernelConstraint and biasConstraint after each step; they save and reload", async () => {
  const layer = dn.layers.dense({
    units: 3,
    inputShape: [4],
    kernelConstraint: dn.constraints.nonNeg(),
    biasConstraint: dn.constraints.maxNorm({ maxValue: 0.1 }),
  });
  const model = dn.sequential([layer]);
  model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0.5 }), loss: "meanSquaredError" });
  using x = dn.tensor(Float32Array.from(randomF32(32, 1)), [8, 4]);
  using y = dn.tensor(Float32Array.from(randomF32(24, 2), (v) => 5 * v), [8, 3]);
  await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  const [kernel, bias] = layer.weights.map((w) => [...w.value.dataSync()]);
  assert(kernel.every((v) => v >= 0), `kernel ${kernel}`);
  assert(kernel.some((v) => v > 0), "the kernel still trains");
  assert(Math.hypot(...bias) <= 0.1 + 1e-6, `bias norm ${Math.hypot(...bias)}`);
  const copy = await dn.loadModel(model.toBytes());
  assertEquals(copy.layers[0].getConfig().kernelConstraint, { className: "NonNeg", config: {} });
  assertEquals(copy.layers[0].getConfig().biasConstraint, {
    className: "MaxNorm",
    config: { maxValue: 0.1, axis: 0 },
  });
  model.dispose();
  copy.dispose();
});

Deno.test("constraints reject bad arguments with typed errors", () => {
  assertThrows(
    () => dn.constraints.maxNorm({ maxValue: -1 }),
    RangeError,
    'Cannot run maxNorm(): argument "maxValue" must be >= 0: got -1',
  );
  assertThrows(
    () => dn.constraints.unitNorm({ axis: 0.5 }),
    TypeError,
    'Cannot run unitNorm(): argument "axis" must be an integer: got 0.5',
  );
  assertThrows(
    () =>
      dn.layers.dense({
        units: 1,
        kernelConstraint: "nonNeg" as unknown as dn.constraints.Constraint,
      }),
    TypeError,
    'Cannot run dense(): argument "kernelConstraint" must be a constraint',
  );
});
