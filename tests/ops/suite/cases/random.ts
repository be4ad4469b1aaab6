/**
 * The op suite's cases for the kernel-drawn random ops: randomBernoulli and multinomial (on
 * probabilities) with explicit seeds, checked bit for bit against the JS definitions of
 * tests/_reference/random.ts, so every backend is shown to give the same draws. The seed an op
 * hands its kernel is the first u32 of the generator seeded with the op's `seed`. Sizes straddle
 * the kernels' 4-lane body and tail (1, 3, 17, 33). Distributions are checked in
 * tests/ops/random_draws_test.ts.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import * as ref from "../../../_reference/random.ts";
import { Random } from "../../../../src/random.ts";
import type { OpCase } from "../case.ts";

const kernelSeed = (seed: number) => new Random(seed).nextUint32();

function bernoulliCases(): OpCase[] {
  return [[1], [3], [17], [5, 33]].map((shape, c): OpCase => ({
    op: "randomBernoulli",
    label: `[${shape}] seed ${c + 1}`,
    inputs: [{ shape, range: [-0.1, 1.1] }],
    run: (p) => dn.randomBernoulli(p, c + 1),
    reference: ([p]) => ({ shape, values: ref.bernoulli(p, kernelSeed(c + 1)) }),
  }));
}

function multinomialCases(): OpCase[] {
  const specs: [shape: number[], samples: number][] = [[[2], 1], [[3, 5], 17], [[4, 33], 3], [
    [2, 17],
    0,
  ]];
  return specs.map(([shape, samples], c): OpCase => {
    const rows = shape.length === 2 ? shape[0] : 1, outcomes = shape[shape.length - 1];
    return {
      op: "multinomial",
      label: `probabilities [${shape}], ${samples} samples, seed ${c + 7}`,
      inputs: [{ shape, range: [0, 1] }],
      run: (p) => dn.multinomial(p, samples, c + 7, true),
      reference: ([p]) => ({
        shape: shape.length === 2 ? [rows, samples] : [samples],
        dtype: "int32",
        values: ref.multinomial(p, rows, outcomes, samples, kernelSeed(c + 7)),
      }),
    };
  });
}

export const CASES: OpCase[] = [...bernoulliCases(), ...multinomialCases()];
