/**
 * Rosenblatt's perceptron: it separates a linearly separable set perfectly (Novikoff's theorem
 * bounds the number of mistakes by (R/γ)²) and cannot represent XOR (Minsky and Papert).
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";

/**
 * `n` seeded 2-D points in [-1, 1]² labelled by the line 0.6·x0 - 0.8·x1 + 0.1 = 0 (unit normal),
 * keeping only points at distance >= `margin` from it.
 */
function separable(n: number, margin: number, seed: number): { x: number[][]; y: number[] } {
  const r = rng(seed);
  const x: number[][] = [], y: number[] = [];
  while (x.length < n) {
    const p = [r(), r()];
    const d = 0.6 * p[0] - 0.8 * p[1] + 0.1;
    if (Math.abs(d) < margin) continue;
    x.push(p);
    y.push(d > 0 ? 1 : 0);
  }
  return { x, y };
}

Deno.test("perceptron() converges on 200 separable points and classifies all of them", () => {
  const { x, y } = separable(200, 0.05, 1);
  assert(y.includes(0) && y.includes(1));
  using xt = dn.tensor(x);
  using yt = dn.tensor(y);
  const p = dn.perceptron(2);
  // Novikoff: at most (R/γ)² mistakes, R <= sqrt(2 + 1) with the bias input, γ >= 0.05/sqrt(1.01).
  const history = p.fit(xt, yt, { epochs: 1_000 });
  assert(history.converged, `not converged after ${history.errors.length} passes`);
  assertEquals(history.errors.at(-1), 0);
  const mistakes = history.errors.reduce((a, b) => a + b, 0);
  assert(mistakes <= 3 / (0.05 ** 2 / 1.01), `${mistakes} mistakes exceed Novikoff's bound`);
  using pred = p.predict(xt);
  assertEquals([...pred.dataSync()], y);
  // A fresh sample from the same distribution is classified by the learned line too.
  const test = separable(500, 0.2, 2);
  using xTest = dn.tensor(test.x);
  using predTest = p.predict(xTest);
  assertEquals([...predTest.dataSync()], test.y);
});

Deno.test("perceptron() does not converge on XOR and misclassifies at least one point", () => {
  using x = dn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  using y = dn.tensor([0, 1, 1, 0]);
  const p = dn.perceptron(2);
  const history = p.fit(x, y, { epochs: 500 });
  assertEquals(history.converged, false);
  assertEquals(history.errors.length, 500);
  assert(history.errors.every((e) => e > 0));
  using pred = p.predict(x);
  const correct = [...pred.dataSync()].filter((v, i) => v === [0, 1, 1, 0][i]).length;
  assert(correct < 4, `accuracy ${correct}/4 on XOR`);
});

Deno.test("perceptron() rejects bad arguments with typed errors", () => {
  for (const d of [0, 1.5, -2]) {
    assertThrows(
      () => dn.perceptron(d),
      RangeError,
      'argument "inputDim" must be a positive integer',
    );
  }
  const p = dn.perceptron(2);
  using x3 = dn.zeros([4, 3]);
  using x = dn.zeros([4, 2]);
  using bad = dn.tensor([0, 1, 2, 0]);
  using short = dn.tensor([0, 1]);
  assertThrows(
    () => p.fit(x3, bad),
    RangeError,
    'argument "x" must have shape [samples, 2]: got [4, 3]',
  );
  assertThrows(() => p.fit(x, bad), RangeError, 'argument "y" must hold 4 labels, each 0 or 1');
  assertThrows(() => p.fit(x, short), RangeError, 'argument "y" must hold 4 labels');
});
