/**
 * `fit()` end to end on the webgpu backend for the CNN and RNN layer families: a tiny CNN
 * (conv2d + maxPooling2d + averagePooling2d + dense) and a tiny LSTM and GRU classifier train a few
 * steps from the same seed on wasm and on webgpu, and their per-epoch losses agree.
 *
 * Tolerance: the two backends run the same math in f32 and differ only in summation order, fma
 * contraction and the activations (WGSL's exp, within 3 + 2·|x| ulp, about 23 ulp ≈ 2.7e-6 for
 * the |x| <= 10 these models see, vs the wasm polynomials' 3 ulp). The losses are a few such
 * layers deep and only 9 steps (3 epochs of 3 batches) are taken, so they agree to 1e-5 relative
 * (measured: <= 3e-7); `Tol.gpu`'s 1e-4 bounds single primitives over wide input ranges and would
 * let real bugs through here: shifting the LSTM forget gate's preactivation by 0.01 moves the loss
 * by 3.5e-5, a wrong index or gate order by percents. Small models and data keep each test to
 * about a second on llvmpipe.
 * Skipped without an adapter, failed instead under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();
const REL = 1e-5;

/** Per-epoch training losses of the model `build()` makes, on `backend`. */
async function losses(
  backend: "wasm" | "webgpu",
  build: () => dn.Sequential,
  optimizer: () => Parameters<dn.Sequential["compile"]>[0]["optimizer"],
  loss: string,
  data: { x: Float32Array; xShape: number[]; y: Float32Array; yShape: number[] },
): Promise<number[]> {
  await dn.ready({ backend });
  dn.setSeed(5);
  const model = build();
  model.compile({ optimizer: optimizer(), loss });
  const x = dn.tensor(data.x, data.xShape), y = dn.tensor(data.y, data.yShape);
  try {
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    return history.history.loss;
  } finally {
    for (const t of [model, x, y]) t.dispose();
  }
}

function assertSameLosses(what: string, wasm: number[], webgpu: number[]): void {
  assert(wasm.every(Number.isFinite), `${what}: wasm losses ${wasm}`);
  assert(wasm[wasm.length - 1] < wasm[0], `${what}: wasm loss fell: ${wasm}`);
  for (const [i, l] of wasm.entries()) {
    const diff = Math.abs(webgpu[i] - l);
    assert(
      diff <= REL * Math.abs(l),
      `${what}: epoch ${i} loss on webgpu ${
        webgpu[i]
      }, on wasm ${l}, |diff| ${diff} > ${REL}·|loss|`,
    );
  }
}

Deno.test({
  name: "a CNN (conv2d, maxPooling2d, averagePooling2d, dense) fits on webgpu with the wasm losses",
  ignore: gpu === null,
  fn: async () => {
    const n = 24, h = 9, w = 8;
    // Class 1: a bright vertical bar; class 0: a bright horizontal bar; plus seeded noise.
    const x = new Float32Array(n * h * w * 2), y = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const cls = i % 2, at = 1 + (i % 5);
      y[i * 2 + cls] = 1;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const on = cls ? c === at : r === at;
          const base = ((i * h + r) * w + c) * 2;
          x[base] = (on ? 1 : 0) + 0.1 * Math.sin(i * 7 + r * 3 + c);
          x[base + 1] = 0.1 * Math.cos(i + r * c);
        }
      }
    }
    const build = () =>
      dn.sequential([
        dn.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          inputShape: [h, w, 2],
        }),
        dn.layers.maxPooling2d({ poolSize: 2 }),
        dn.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [1, 2], activation: "tanh" }),
        dn.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: "same" }),
        dn.layers.flatten(),
        dn.layers.dense({ units: 2, activation: "softmax" }),
      ]);
    const data = { x, xShape: [n, h, w, 2], y, yShape: [n, 2] };
    const opt = () => dn.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 });
    const wasm = await losses("wasm", build, opt, "categoricalCrossentropy", data);
    const webgpu = await losses("webgpu", build, opt, "categoricalCrossentropy", data);
    await dn.ready({ backend: "wasm" });
    assertSameLosses("CNN", wasm, webgpu);
  },
});

Deno.test({
  name: "an LSTM and a GRU classifier fit on webgpu with the wasm losses",
  ignore: gpu === null,
  fn: async () => {
    const n = 24, steps = 5, features = 3;
    const x = Float32Array.from({ length: n * steps * features }, (_, i) => Math.sin(i * 1.3));
    const y = Float32Array.from({ length: n }, (_, i) => (x[i * steps * features] > 0 ? 1 : 0));
    const data = { x, xShape: [n, steps, features], y, yShape: [n, 1] };
    const opt = () => dn.optimizers.adam({ learningRate: 0.01 });
    for (const cell of ["lstm", "gru"] as const) {
      const build = () =>
        dn.sequential([
          dn.layers[cell]({
            units: 6,
            returnSequences: cell === "gru",
            inputShape: [steps, features],
          }),
          ...(cell === "gru" ? [dn.layers.simpleRNN({ units: 4, goBackwards: true })] : []),
          dn.layers.dense({ units: 1, activation: "sigmoid" }),
        ]);
      const wasm = await losses("wasm", build, opt, "binaryCrossentropy", data);
      const webgpu = await losses("webgpu", build, opt, "binaryCrossentropy", data);
      await dn.ready({ backend: "wasm" });
      assertSameLosses(cell === "lstm" ? "LSTM" : "GRU + simpleRNN", wasm, webgpu);
    }
  },
});
