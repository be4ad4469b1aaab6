/**
 * adagrad(), adadelta(), adamax(), nadam() and adamw() on webgpu: six steps with seeded gradients
 * (clipNorm on, so the device-side norm runs too) against the same float64 Keras models as
 * composed_test.ts. Tolerance 1e-5 absolute and relative (weights of magnitude ~1): WGSL
 * may contract a·b + c into fma and its sqrt is bounded to a few ulp, while a wrong formula moves
 * a weight by at least a hundredth of the learning rate. Skipped without an adapter, failed instead
 * under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import * as optimizers from "../../src/optimizers/mod.ts";
import * as ref from "../_reference/optim.ts";
import { assertClose } from "../_util/assert_close.ts";
import { testWebgpu } from "../_util/backends.ts";
import { randomF32 } from "../_util/rng.ts";

const { backend: gpu } = await testWebgpu();
const f = Math.fround;
const adam = { lr: 0.01, beta1: f(0.9), beta2: f(0.999), epsilon: f(1e-7) };

const CASES: [
  () => optimizers.Optimizer,
  (w: Float64Array, g: Float64Array, s: Float64Array[], t: number) => void,
][] = [
  [() => optimizers.adagrad({ learningRate: 0.01, clipNorm: 2 }), (w, g, [acc], t) => {
    if (t === 1) acc.fill(f(0.1));
    ref.adagradStep(w, g, acc, 0.01, f(1e-7));
  }],
  [
    () => optimizers.adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-3, clipNorm: 2 }),
    (w, g, [a, d]) => ref.adadeltaStep(w, g, a, d, 1, f(0.9), f(1e-3)),
  ],
  [
    () => optimizers.adamax({ learningRate: 0.01, clipNorm: 2 }),
    (w, g, [m, u], t) => ref.adamaxStep(w, g, m, u, adam, t),
  ],
  [
    () => optimizers.nadam({ learningRate: 0.01, clipNorm: 2 }),
    (w, g, [m, v], t) => ref.nadamStep(w, g, m, v, adam, t),
  ],
  [
    () => optimizers.adamw({ learningRate: 0.01, weightDecay: 0.5, clipNorm: 2 }),
    (w, g, [m, v], t) => ref.adamwStep(w, g, m, v, { ...adam, weightDecay: 0.5 }, t),
  ],
];

Deno.test({
  name: "the composed optimizers step on webgpu as the float64 Keras formulas",
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    try {
      for (const [make, step] of CASES) {
        const opt = make();
        const w0 = randomF32(37, 1);
        const want = Float64Array.from(w0), state = [new Float64Array(37), new Float64Array(37)];
        using w = dn.tensor(Float32Array.from(w0), [37]);
        for (let k = 0; k < 6; k++) {
          const g = randomF32(37, 10 + k).map((v) => v * 2 ** ((k % 3) - 1));
          using gt = dn.tensor(Float32Array.from(g), [37]);
          opt.applyGradients([w], [gt]);
          const norm = Math.sqrt(ref.sumSquares(g));
          step(want, g.map((v) => v * 2 / Math.max(norm, 2)), state, k + 1);
        }
        assertClose(await w.data(), want, { rel: 1e-5, abs: 1e-5 }, `${opt.className} on webgpu`);
        opt.dispose();
      }
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});
