/**
 * randomBernoulli(), multinomial() and randomShuffle() reject bad input at the boundary
 * (STYLE C14).
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

const untyped = (f: unknown) => f as (...a: unknown[]) => dn.Tensor;

Deno.test("randomBernoulli() rejects int32 probabilities, a non-finite seed and an extra argument", () => {
  using i = dn.tensor([0, 1], [2], "int32");
  assertThrows(() => dn.randomBernoulli(i), TypeError, 'argument "probs" must be a float32 tensor');
  using p = dn.tensor([0.5]);
  assertThrows(
    () => dn.randomBernoulli(p, NaN),
    RangeError,
    'Cannot run randomBernoulli(): argument "seed"',
  );
  assertThrows(() => untyped(dn.bernoulli)(p, 1, 2), TypeError, "it takes at most 2");
});

Deno.test("multinomial() rejects rank 3, one outcome, a bad sample count and a non-boolean flag", () => {
  using c = dn.zeros([1, 2, 2]);
  assertThrows(
    () => dn.multinomial(c, 1),
    TypeError,
    'argument "logits" must have rank 1 or 2: got rank 3',
  );
  using one = dn.zeros([2, 1]);
  assertThrows(
    () => dn.multinomial(one, 1),
    RangeError,
    "at least 2 outcomes in its last dimension: got 1",
  );
  using l = dn.zeros([3]);
  assertThrows(
    () => dn.multinomial(l, -1),
    RangeError,
    '"numSamples" must be an integer >= 0: got -1',
  );
  assertThrows(() => dn.multinomial(l, 1.5), RangeError, "got 1.5");
  assertThrows(
    () => untyped(dn.multinomial)(l, 1, 0, "yes"),
    TypeError,
    '"normalized" must be a boolean',
  );
  assertThrows(() => untyped(dn.multinomial)(l, 1, 0, true, 1), TypeError, "it takes at most 4");
});

Deno.test("randomShuffle() rejects a scalar and a non-tensor", () => {
  using s = dn.tensor(1);
  assertThrows(
    () => dn.randomShuffle(s),
    TypeError,
    'argument "x" must have rank >= 1: got a scalar',
  );
  assertThrows(() => untyped(dn.randomShuffle)([1, 2]), TypeError, 'argument "x" must be a Tensor');
});
