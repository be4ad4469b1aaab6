/**
 * The op suite's cases for the layer activations the GEMM epilogue does not fuse (leakyRelu, elu,
 * selu, gelu, swish, softplus, softsign, hardSigmoid): `dense` with each, applied after the
 * product, the `activation` layer, and `simpleRNN` composed from ops for them (against
 * tests/_reference/recurrent.ts, `Tol.dot(T·(F + u + 9))`), against tests/_reference/activations.ts, with gradients
 * with respect to the input. Tolerance: a dot of k terms and the bias, plus a few ulps of the
 * activation (`Tol.dot(k + 9)`).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { denseWith, LAYER_ACTIVATION } from "../../../_reference/activations.ts";
import { sequenceReference } from "../../../_reference/recurrent.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { awayFrom } from "./_values.ts";

const NAMES = [
  "leakyRelu",
  "elu",
  "selu",
  "gelu",
  "swish",
  "softplus",
  "softsign",
  "hardSigmoid",
] as const;

function denseCase(activation: string, shape: [number, number], units: number): OpCase {
  const [, inDim] = shape;
  return {
    op: "layers.dense",
    label: `[${shape}] -> ${units} units "${activation}" applied after the product`,
    inputs: [
      { shape, range: [-1, 1] },
      { shape: [inDim, units], range: [-1, 1] },
      { shape: [units], range: [-1, 1] },
    ],
    run: (x, k, b) => {
      const layer = dn.layers.dense({ units, activation: activation as dn.layers.ActivationName });
      try {
        layer.ensureBuilt(x.shape.slice(1));
        layer.setWeights([k, b]);
        return dn.tidy(() => layer.call(x, false));
      } finally {
        layer.dispose();
      }
    },
    reference: ([x, k, b]) => ({
      shape: [shape[0], units],
      values: denseWith(activation, x, k, b, inDim, units),
    }),
    tol: Tol.dot(inDim + 9),
    grad: [0],
  };
}

function layerCase(activation: string, n: number, seed: number): OpCase {
  // Away from the kinks of leakyRelu (0) and hardSigmoid (±2.5).
  const values = awayFrom(n, seed, [-4, 4], [0, -2.5, 2.5]);
  return {
    op: "layers.activation",
    label: `"${activation}" on [${n}]`,
    inputs: [{ shape: [1, n], values }],
    run: (x) => {
      const layer = dn.layers.activation({ activation: activation as dn.layers.ActivationName });
      return layer.call(x, false);
    },
    reference: ([x]) => ({
      shape: [1, n],
      values: Float64Array.from(x, LAYER_ACTIVATION[activation]),
    }),
    tol: { abs: 2 ** -22, rel: 2 ** -20 },
    grad: true,
  };
}

/** `simpleRNN` with an unfused activation: composed from ops, every step on the backend. */
function rnnCase(activation: string, [b, t, f, u]: number[], goBackwards: boolean): OpCase {
  return {
    op: "layers.simpleRNN",
    label: `"${activation}" [${b}, ${t}, ${f}] -> ${u} units${goBackwards ? " goBackwards" : ""}`,
    inputs: [
      { shape: [b, t, f], range: [-1, 1] },
      { shape: [f, u], range: [-0.5, 0.5] },
      { shape: [u, u], range: [-0.5, 0.5] },
      { shape: [u], range: [-0.5, 0.5] },
    ],
    run: (x, k, r, bias) => {
      const layer = dn.layers.simpleRNN({
        units: u,
        activation: activation as dn.layers.ActivationName,
        returnSequences: true,
        goBackwards,
      });
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
        cell: "simpleRnn",
        batch: b,
        steps: t,
        features: f,
        units: u,
        activation,
        goBackwards,
        returnSequences: true,
      }).output,
    }),
    tol: Tol.dot(t * (f + u + 9)),
    grad: [0],
  };
}

export const CASES: OpCase[] = [
  ...NAMES.flatMap((name, i) => [
    denseCase(name, [3, 17], 5),
    denseCase(name, [1, 4], 33),
    layerCase(name, 33, 40 + i),
  ]),
  rnnCase("elu", [2, 5, 3, 4], false),
  rnnCase("gelu", [3, 4, 17, 5], true),
  rnnCase("softsign", [1, 1, 1, 1], false),
];
