/**
 * The op suite's cases for the autoencoder layers: `maskingNoise` (identity at inference; in
 * training the input times the in-kernel mask with keep value 1, bit for bit against the JS
 * definition of tests/_reference/random.ts, gradient = the mask) and `denseTied` (a dense layer
 * over another dense layer's transposed kernel, against the float64 dense reference with the
 * kernel transposed, gradient with respect to `x`; the shared kernel's gradient is checked in
 * tests/layers/dense_tied_test.ts). Inputs are `[x, ...weights]`; each run builds fresh layers.
 *
 * Tolerances (STYLE C9): masking only moves values, exact; the tied layer is a dot product of
 * `units` terms plus a bias and an activation, `Tol.dot(units + 9)` as `layers.dense`'s cases.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { type DenseActivation, denseReference } from "../../../_reference/dense.ts";
import * as ref from "../../../_reference/random.ts";
import { Tol } from "../../../_util/assert_close.ts";
import { Random } from "../../../../src/random.ts";
import type { OpCase } from "../case.ts";

/** The u32 seed the layer hands its first draw: the first of its generator seeded with `seed`. */
const kernelSeed = (seed: number) => new Random(seed).nextUint32();

function maskingNoiseCases(): OpCase[] {
  const configs: [number[], number, number][] = [[[1, 1], 0.5, 1], [[3, 17], 0.3, 2], [
    [2, 5, 33],
    0.7,
    3,
  ], [[4, 127], 0.1, 4]];
  return configs.flatMap(([shape, rate, seed]): OpCase[] => [
    {
      op: "layers.maskingNoise",
      label: `[${shape}] rate ${rate} training, seed ${seed}`,
      inputs: [{ shape }],
      run: (x) => dn.layers.maskingNoise({ rate, seed }).call(x, true),
      reference: ([x]) => {
        const mask = ref.dropoutMask(x.length, kernelSeed(seed), rate, 1);
        return { shape, values: x.map((v, i) => v * mask[i]) };
      },
      grad: true,
    },
    {
      op: "layers.maskingNoise",
      label: `[${shape}] rate ${rate} inference (identity)`,
      inputs: [{ shape }],
      run: (x) => dn.layers.maskingNoise({ rate, seed }).call(x, false),
      reference: ([x]) => ({ shape, values: x }),
    },
  ]);
}

/** `[rows, cols]` row-major values transposed. */
function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}

function denseTiedCases(): OpCase[] {
  /** `[x shape (last = units), outputDim, activation, useBias]` */
  const configs: [number[], number, DenseActivation, boolean][] = [
    [[5, 4], 7, "linear", true],
    [[3, 9], 17, "sigmoid", true],
    [[1, 1], 1, "tanh", false],
    [[2, 3, 10], 33, "relu", true],
    [[17, 8], 5, "softmax", true],
  ];
  return configs.map(([shape, outputDim, activation, useBias]): OpCase => {
    const units = shape[shape.length - 1];
    return {
      op: "layers.denseTied",
      label: `[${shape}] -> ${outputDim} "${activation}"${useBias ? "" : " no bias"}`,
      inputs: [
        { shape, range: [-1, 1] },
        { shape: [outputDim, units], range: [-1, 1] },
        ...(useBias ? [{ shape: [outputDim], range: [-1, 1] as [number, number] }] : []),
      ],
      run: (x, kernel, bias) => {
        const encoder = dn.layers.dense({ units });
        const tied = dn.layers.denseTied({ tiedTo: encoder, activation, useBias });
        try {
          encoder.ensureBuilt([outputDim]);
          using zeros = dn.zeros([units]);
          encoder.setWeights([kernel, zeros]);
          tied.ensureBuilt([units]);
          if (bias) tied.setWeights([bias]);
          return dn.tidy(() => tied.call(x, false));
        } finally {
          encoder.dispose();
          tied.dispose();
        }
      },
      reference: ([x, k, b]) => ({
        shape: [...shape.slice(0, -1), outputDim],
        values: denseReference(
          x,
          transpose(k, outputDim, units),
          b ?? null,
          units,
          outputDim,
          activation,
        ),
      }),
      tol: Tol.dot(units + 9),
      ...(activation === "relu" ? {} : { grad: [0] }),
    };
  });
}

export const CASES: OpCase[] = [...maskingNoiseCases(), ...denseTiedCases()];
