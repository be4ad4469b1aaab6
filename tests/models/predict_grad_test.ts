/**
 * `model.predict` and `model.apply` inside `dn.grad` record the gradient (as TF.js's): with
 * respect to the input and to the weights, over several prediction batches, for a Sequential and
 * a functional model; checked against central differences.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";

function data(n: number, cols: number, seed: number): dn.Tensor {
  let s = seed;
  const v = Float32Array.from({ length: n * cols }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return dn.tensor(v, [n, cols]);
}

/** Central differences of `f` at `x`, element by element. */
function numeric(f: (x: dn.Tensor) => number, x: dn.Tensor, h = 1e-2): number[] {
  const base = x.dataSync();
  return Array.from(base, (_, i) => {
    const at = (d: number) => {
      const v = Float32Array.from(base);
      v[i] += d;
      return f(dn.tensor(v, x.shape));
    };
    return (at(h) - at(-h)) / (2 * h);
  });
}

function close(got: ArrayLike<number>, want: number[], tol = 2e-2): void {
  assertEquals(got.length, want.length);
  want.forEach((w, i) =>
    assert(Math.abs(got[i] - w) <= tol * (1 + Math.abs(w)), `${i}: ${got[i]} vs ${w}`)
  );
}

Deno.test("predict inside dn.grad records the gradient to the input, across prediction batches", () => {
  dn.setSeed(7);
  const model = dn.sequential([
    dn.layers.dense({ units: 4, activation: "tanh", inputShape: [3] }),
    dn.layers.dense({ units: 1 }),
  ]);
  const x = data(5, 3, 1);
  const loss = (t: dn.Tensor) => dn.sum(dn.square(model.predict(t, { batchSize: 2 })));
  const g = dn.grad(loss)(x);
  assert([...g.dataSync()].some((v) => v !== 0));
  close(g.dataSync(), numeric((t) => loss(t).dataSync()[0], x));
  // model.apply records the same gradient in one batch.
  const viaApply = dn.grad((t: dn.Tensor) => dn.sum(dn.square(model.apply(t))))(x);
  close(viaApply.dataSync(), [...g.dataSync()], 1e-5);
  model.dispose();
});

Deno.test("predict inside valueAndGrads records the gradient to the weights of a functional model", () => {
  dn.setSeed(8);
  const x = dn.input({ shape: [2] });
  const shared = dn.layers.dense({ units: 2, activation: "tanh" });
  const h1 = shared.apply(x), h2 = shared.apply(h1); // one layer applied twice
  const model = dn.model({ inputs: x, outputs: [h1, h2] });
  const xs = data(3, 2, 2);
  const [kernel, bias] = model.trainableWeights;
  const total = () => {
    const [y1, y2] = model.predict(xs, { batchSize: 2 }) as dn.Tensor[];
    return dn.add(dn.sum(y1), dn.sum(dn.square(y2)));
  };
  const { value, grads } = dn.valueAndGrads(total)([kernel, bias]);
  assertEquals(value.shape, []);
  assert(grads.every((g) => [...g.dataSync()].some((v) => v !== 0)));
  const at = (w: dn.Tensor, i: number) => {
    const saved = model.getWeights();
    model.setWeights(i === 0 ? [w, saved[1]] : [saved[0], w]);
    const s = total().dataSync()[0];
    model.setWeights(saved);
    return s;
  };
  close(grads[0].dataSync(), numeric((w) => at(w, 0), kernel));
  close(grads[1].dataSync(), numeric((w) => at(w, 1), bias));
  model.dispose();
});
