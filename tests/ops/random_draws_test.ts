/**
 * The kernel-drawn random ops draw what they promise: frequencies within 5 standard errors of
 * their probabilities over many draws (Binomial(n, p): sqrt(p(1 - p) / n)), the same draws again
 * after the same `setSeed` or with the same `seed`, other draws with another seed; randomShuffle
 * gives a permutation of the rows with every row equally likely in each position. Bit-equality
 * across backends is the op suite's (tests/ops/suite/cases/random.ts).
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";

await dn.ready({ backend: "wasm" });

const within = (got: number, p: number, n: number, what: string) =>
  assert(
    Math.abs(got - p) <= 5 * Math.sqrt(p * (1 - p) / n),
    `${what}: frequency ${got}, probability ${p}, ${n} draws`,
  );

Deno.test("randomBernoulli() gives 1 with probability p, within 5 standard errors", () => {
  const n = 50_000;
  for (const p of [0.02, 0.3, 0.5, 0.97]) {
    using probs = dn.fill([n], p);
    using y = dn.randomBernoulli(probs, 17);
    within(y.dataSync().reduce((a, b) => a + b, 0) / n, p, n, `p ${p}`);
  }
});

Deno.test("multinomial() draws each outcome with its softmax probability, or its normalized one", () => {
  const n = 40_000;
  const logits = [0, Math.log(2), Math.log(3), Math.log(4)];
  using l = dn.tensor([logits, [0, 0, 0, 0]]);
  using y = dn.multinomial(l, n, 5);
  const draws = y.dataSync<"int32">();
  for (let k = 0; k < 4; k++) {
    within(draws.subarray(0, n).filter((d) => d === k).length / n, (k + 1) / 10, n, `row 0 ${k}`);
    within(draws.subarray(n).filter((d) => d === k).length / n, 0.25, n, `row 1 ${k}`);
  }
  using probs = dn.tensor([0.5, 0, 1.5]);
  using z = dn.multinomial(probs, n, 6, true);
  const picks = z.dataSync<"int32">();
  assert(!picks.includes(1), "a zero-probability outcome was drawn");
  within(picks.filter((d) => d === 2).length / n, 0.75, n, "normalized outcome 2");
});

Deno.test("randomBernoulli(), multinomial() and randomShuffle() repeat under setSeed and a seed", () => {
  using p = dn.fill([257], 0.5);
  using l = dn.zeros([3, 7]);
  using x = dn.tensor(Array.from({ length: 40 }, (_, i) => i));
  const draw = (seed?: number) => [
    [...dn.randomBernoulli(p, seed).dataSync()],
    [...dn.multinomial(l, 9, seed).dataSync()],
    [...dn.randomShuffle(x, seed).dataSync()],
  ];
  dn.setSeed(123);
  const a = draw();
  dn.setSeed(123);
  assertEquals(draw(), a);
  const differ = (u: number[][], v: number[][]) => JSON.stringify(u) !== JSON.stringify(v);
  assert(differ(draw(), a), "the global generator did not move on");
  assertEquals(draw(9), draw(9));
  assert(differ(draw(9), draw(10)), "seeds 9 and 10 drew the same");
});

Deno.test("randomShuffle() permutes rows, each row equally likely in each position", () => {
  const rows = 5, trials = 4000;
  using x = dn.tensor(Array.from({ length: rows * 2 }, (_, i) => Math.floor(i / 2)), [rows, 2]);
  const firstIs = new Array(rows).fill(0);
  dn.setSeed(7);
  for (let t = 0; t < trials; t++) {
    using y = dn.randomShuffle(x);
    const v = y.dataSync();
    assertEquals([...v].sort(), [...x.dataSync()].sort());
    for (let r = 0; r < rows; r++) assertEquals(v[2 * r], v[2 * r + 1], "a row was split");
    firstIs[v[0]]++;
  }
  firstIs.forEach((c, r) => within(c / trials, 1 / rows, trials, `row ${r} first`));
});
