/**
 * The scenarios every backend runs (wasm in fgsm_test.ts and pgd_test.ts, threads and webgpu in
 * backends_test.ts): FGSM on a softmax-regression model against its analytic input gradient
 * `∇ₓL = (p − y)·Wᵀ / n` in float64, and PGD's iterates inside the ε-ball and the pixel range.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";

const N = 12, D = 20, C = 10;

/** A compiled softmax regression `D -> C` (seed 7), inputs in [0, 1] and one-hot labels. */
export function softmaxRegression(): { model: dn.Sequential; x: dn.Tensor; y: dn.Tensor } {
  dn.setSeed(7);
  const model = dn.sequential([
    dn.layers.dense({ units: C, activation: "softmax", inputShape: [D] }),
  ]);
  model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
  const r = rng(3);
  const x = dn.tensor(Float32Array.from({ length: N * D }, () => (r() + 1) / 2), [N, D]);
  return { model, x, y: oneHot((i) => i % C) };
}

/** One-hot labels `[N, C]` of `label(i)`. */
export function oneHot(label: (i: number) => number): dn.Tensor {
  const v = new Float32Array(N * C);
  for (let i = 0; i < N; i++) v[i * C + label(i)] = 1;
  return dn.tensor(v, [N, C]);
}

/** `(p − y)·Wᵀ` per sample in float64 (the input gradient up to the positive factor 1/N). */
export async function analyticGradient(
  model: dn.Sequential,
  x: dn.Tensor,
  y: dn.Tensor,
): Promise<Float64Array> {
  const [w, b] = await Promise.all(model.getWeights().map((t) => t.data()));
  const xs = await x.data(), ys = await y.data();
  const g = new Float64Array(N * D);
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: C }, (_, c) => {
      let s = b[c];
      for (let d = 0; d < D; d++) s += xs[i * D + d] * w[d * C + c];
      return s;
    });
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const total = e.reduce((a, v) => a + v, 0);
    const r = e.map((v, c) => v / total - ys[i * C + c]);
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += w[d * C + c] * r[c];
      g[i * D + d] = s;
    }
  }
  return g;
}

/**
 * FGSM untargeted and targeted, whole and in batches of 5, equals `x ± ε·sign(∇ₓL)` with the
 * sign from the float64 gradient, bit for bit (ε = 0.25 is a power of two: `x ± ε` rounds once).
 */
export async function checkFgsmExact(): Promise<void> {
  const { model, x, y } = softmaxRegression();
  const targets = oneHot((i) => (i * 3 + 1) % C);
  const xs = await x.data();
  for (const [labels, targeted] of [[y, false], [targets, true]] as const) {
    const g = await analyticGradient(model, x, labels);
    // Well conditioned: float32 rounding (~1e-6 relative) cannot flip any of these signs.
    assert(g.every((v) => Math.abs(v) > 1e-4), `min |g| ${Math.min(...g.map(Math.abs))}`);
    const step = targeted ? -0.25 : 0.25;
    const expected = Array.from(xs, (v, i) => Math.fround(v + step * Math.sign(g[i])));
    for (const batchSize of [32, 5]) {
      const adv = dn.adversarial.fgsm(model, x, labels, { epsilon: 0.25, targeted, batchSize });
      assertEquals(adv.shape, x.shape);
      assertEquals([...await adv.data()], expected, `targeted ${targeted}, batch ${batchSize}`);
      adv.dispose();
    }
  }
  for (const t of [model, x, y, targets]) t.dispose();
}

/** PGD (random start) and BIM stay inside the ε-ball around x and [0, 1], and raise the loss. */
export async function checkPgdBounds(): Promise<void> {
  const { model, x, y } = softmaxRegression();
  const xs = await x.data();
  const eps = 0.1;
  const options = { epsilon: eps, iterations: 6, stepSize: 0.04, clipMin: 0, clipMax: 1 };
  const [clean] = await model.evaluate(x, y);
  for (
    const adv of [
      dn.adversarial.pgd(model, x, y, options),
      dn.adversarial.bim(model, x, y, options),
    ]
  ) {
    const v = await adv.data();
    let atEdge = 0;
    v.forEach((a, i) => {
      // ε as the float32 the backend adds: the ball's faces are x ± ε rounded once.
      const e = Math.fround(eps);
      const lo = Math.max(0, Math.fround(xs[i] - e)), hi = Math.min(1, Math.fround(xs[i] + e));
      assert(a >= lo && a <= hi, `element ${i}: ${a} outside [${lo}, ${hi}] around ${xs[i]}`);
      if (a === lo || a === hi) atEdge++;
    });
    // Six steps of 0.04 cross the ball: most coordinates end on its edge or the pixel range's.
    assert(atEdge > 0.8 * v.length, `${atEdge} of ${v.length} on the edge`);
    const [attacked] = await model.evaluate(adv, y);
    assert(attacked > clean + 0.1, `loss ${attacked} under attack vs ${clean} clean`);
    adv.dispose();
  }
  for (const t of [model, x, y]) t.dispose();
}
