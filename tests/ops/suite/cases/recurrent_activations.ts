/**
 * The op suite's cases for `lstm` and `gru` with activation pairs other than the fused kernel's
 * tanh/sigmoid (relu/hardSigmoid, elu/sigmoid, softsign/swish...): composed from ops, every step
 * on the backend, against the float64 sequence reference (tests/_reference/recurrent.ts), with
 * gradients with respect to the input. Tolerance as recurrent_test.ts: a dot per step carried
 * through T steps, `Tol.dot(T·(F + u + 9))`.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { sequenceReference } from "../../../_reference/recurrent.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";

function gatedCase(
  cell: "lstm" | "gru",
  activation: dn.layers.ActivationName,
  recurrentActivation: dn.layers.ActivationName,
  [b, t, f, u]: number[],
  goBackwards: boolean,
): OpCase {
  const g = (cell === "lstm" ? 4 : 3) * u;
  return {
    op: `layers.${cell}`,
    label: `"${activation}"/"${recurrentActivation}" [${b}, ${t}, ${f}] -> ${u} units${
      goBackwards ? " goBackwards" : ""
    }`,
    inputs: [
      { shape: [b, t, f], range: [-1, 1] },
      { shape: [f, g], range: [-0.5, 0.5] },
      { shape: [u, g], range: [-0.5, 0.5] },
      { shape: cell === "gru" ? [2, g] : [g], range: [-0.5, 0.5] },
    ],
    run: (x, k, r, bias) => {
      const args = {
        units: u,
        activation,
        recurrentActivation,
        returnSequences: true,
        goBackwards,
      };
      const layer = cell === "lstm" ? dn.layers.lstm(args) : dn.layers.gru(args);
      try {
        layer.ensureBuilt(x.shape.slice(1));
        layer.setWeights([k, r, bias]);
        return layer.call(x, false);
      } finally {
        layer.dispose();
      }
    },
    reference: ([x, k, r, bias]) => ({
      shape: [b, t, u],
      values: sequenceReference(x, { kernel: k, recurrentKernel: r, bias }, {
        cell,
        batch: b,
        steps: t,
        features: f,
        units: u,
        activation,
        recurrentActivation,
        goBackwards,
        returnSequences: true,
      }).output,
    }),
    tol: Tol.dot(t * (f + u + 9)),
    grad: [0],
  };
}

export const CASES: OpCase[] = [
  gatedCase("lstm", "relu", "hardSigmoid", [2, 5, 3, 4], false),
  gatedCase("lstm", "elu", "sigmoid", [3, 4, 17, 5], true),
  gatedCase("lstm", "softsign", "swish", [1, 1, 1, 1], false),
  gatedCase("gru", "relu", "hardSigmoid", [2, 5, 3, 4], true),
  gatedCase("gru", "tanh", "hardSigmoid", [3, 4, 17, 5], false),
  gatedCase("gru", "gelu", "softplus", [1, 1, 1, 1], false),
];
