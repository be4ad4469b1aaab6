/**
 * The op suite's layer cases: `dense`, `conv2d`, `maxPooling2d`, `averagePooling2d`,
 * `simpleRNN`, `lstm`, `gru` and `embedding` applied (inference mode) to seeded inputs with
 * seeded weights set in Keras layouts, against the float64 references of tests/_reference/, on
 * every backend. Inputs are `[x, ...weights]` in the layer's creation order; each run builds a
 * fresh layer, sets the weights (copies), applies it and disposes it. Gradients of the layers
 * are checked in tests/layers/ (the weights are copies here, so only `x` would reach them).
 *
 * Tolerances (STYLE C9), derived as in tests/layers/: dense an f32 dot of k terms plus the bias
 * and a few ulps of activation, `Tol.dot(k + units + 9)`; conv2d `Tol.dot(fh·fw·inC + 9)`;
 * pooling as the ops; recurrent layers `Tol.dot(T·(F + u + 9))` (a dot per step, errors carried
 * linearly through contractive cells); embedding exact (a copy of rows).
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { conv2dReference, convGeometry } from "../../../_reference/conv.ts";
import { type DenseActivation, denseReference } from "../../../_reference/dense.ts";
import { avgPool, maxPool, poolGeometry } from "../../../_reference/pool.ts";
import { type Cell, GATE_COUNT, sequenceReference } from "../../../_reference/recurrent.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { size } from "./_values.ts";

/**
 * Applies the layer `make()` builds to `x` with the weights `ws` inside `tidy` (as models apply
 * their layers: `dense` on rank > 2 or with softmax frees its intermediates only there), then
 * disposes the layer.
 */
function applyLayer(make: () => dn.layers.Layer): (x: dn.Tensor, ...ws: dn.Tensor[]) => dn.Tensor {
  return (x, ...ws) => {
    const layer = make();
    try {
      layer.ensureBuilt(x.shape.slice(1));
      layer.setWeights(ws);
      return dn.tidy(() => layer.call(x, false));
    } finally {
      layer.dispose();
    }
  };
}

const W: [number, number] = [-1, 1];

function denseCases(): OpCase[] {
  const configs: [number[], number, DenseActivation][] = [
    [[5, 7], 4, "linear"],
    [[3, 17], 9, "relu"],
    [[1, 1], 1, "sigmoid"],
    [[2, 3, 33], 10, "softmax"],
    [[9, 8], 3, "tanh"],
  ];
  return configs.map(([shape, units, activation]) => {
    const inDim = shape[shape.length - 1];
    return {
      op: "layers.dense",
      label: `[${shape}] -> ${units} units "${activation}"`,
      inputs: [{ shape, range: W }, { shape: [inDim, units], range: W }, {
        shape: [units],
        range: W,
      }],
      run: applyLayer(() => dn.layers.dense({ units, activation })),
      reference: ([x, k, b]) => ({
        shape: [...shape.slice(0, -1), units],
        values: denseReference(x, k, b, inDim, units, activation),
      }),
      tol: Tol.dot(inDim + units + 9),
    };
  });
}

function conv2dCases(): OpCase[] {
  type Config = [number[], [number, number], number, number | [number, number], dn.Conv2dPadding];
  const configs: [...Config, "linear" | "relu" | "tanh"][] = [
    [[2, 5, 4, 2], [3, 2], 3, 1, "same", "linear"],
    [[1, 9, 7, 3], [3, 3], 4, 2, "valid", "relu"],
    [[3, 6, 6, 1], [2, 2], 5, [2, 1], "same", "tanh"],
  ];
  return configs.map(([shape, [fh, fw], filters, strides, padding, activation]) => {
    const g = convGeometry(shape, [fh, fw, filters], strides, 1, padding);
    const inC = shape[3];
    return {
      op: "layers.conv2d",
      label: `[${shape}] kernel [${fh}, ${fw}] x ${filters} strides ${
        JSON.stringify(strides)
      } "${padding}" "${activation}"`,
      inputs: [{ shape, range: W }, { shape: [fh, fw, inC, filters], range: W }, {
        shape: [filters],
        range: W,
      }],
      run: applyLayer(() =>
        dn.layers.conv2d({ filters, kernelSize: [fh, fw], strides, padding, activation })
      ),
      reference: ([x, w, b]) => ({
        shape: [g.batch, g.outH, g.outW, g.outC],
        values: conv2dReference(g, x, w, b, activation === "linear" ? "none" : activation).y,
      }),
      tol: Tol.dot(fh * fw * inC + 9),
    };
  });
}

function poolingCases(): OpCase[] {
  const configs: [number[], [number, number], [number, number], dn.Pool2dPadding][] = [
    [[2, 6, 6, 3], [2, 2], [2, 2], "valid"],
    [[1, 7, 9, 2], [3, 3], [2, 2], "same"],
  ];
  return configs.flatMap(([shape, poolSize, strides, padding]) => {
    const g = poolGeometry(shape, poolSize, strides, padding);
    const label = `[${shape}] pool [${poolSize}] strides [${strides}] "${padding}"`;
    const out = [g.n, g.oh, g.ow, g.c];
    return [
      {
        op: "layers.maxPooling2d",
        label,
        inputs: [{ shape, range: W }],
        run: applyLayer(() => dn.layers.maxPooling2d({ poolSize, strides, padding })),
        reference: ([x]: Float64Array[]) => ({ shape: out, values: maxPool(x, g) }),
      },
      {
        op: "layers.averagePooling2d",
        label,
        inputs: [{ shape, range: W }],
        run: applyLayer(() => dn.layers.averagePooling2d({ poolSize, strides, padding })),
        reference: ([x]: Float64Array[]) => ({ shape: out, values: avgPool(x, g) }),
        tol: Tol.dot(poolSize[0] * poolSize[1] + 1),
      },
    ];
  });
}

const FACTORY = { lstm: dn.layers.lstm, gru: dn.layers.gru, simpleRnn: dn.layers.simpleRNN };
const OP_NAME = { lstm: "layers.lstm", gru: "layers.gru", simpleRnn: "layers.simpleRNN" };

function recurrentCases(): OpCase[] {
  /** `[cell, batch, steps, features, units, returnSequences, goBackwards]`. */
  const configs: [Cell, number, number, number, number, boolean, boolean][] = [
    ["simpleRnn", 3, 5, 3, 7, true, false],
    ["simpleRnn", 1, 1, 1, 1, false, true],
    ["lstm", 2, 5, 3, 4, true, false],
    ["lstm", 3, 7, 2, 5, false, true],
    ["gru", 2, 6, 4, 5, true, true],
    ["gru", 5, 2, 3, 17, false, false],
  ];
  return configs.map(([cell, batch, steps, features, units, returnSequences, goBackwards]) => {
    const g = GATE_COUNT[cell] * units;
    const half: [number, number] = [-0.5, 0.5];
    return {
      op: OP_NAME[cell],
      label: `B ${batch} T ${steps} F ${features} u ${units}${returnSequences ? " sequences" : ""}${
        goBackwards ? " goBackwards" : ""
      }`,
      inputs: [
        { shape: [batch, steps, features], range: W },
        { shape: [features, g], range: half },
        { shape: [units, g], range: half },
        { shape: cell === "gru" ? [2, g] : [g], range: half },
      ],
      run: applyLayer(() => FACTORY[cell]({ units, returnSequences, goBackwards })),
      reference: ([x, kernel, recurrentKernel, bias]) => ({
        shape: returnSequences ? [batch, steps, units] : [batch, units],
        values: sequenceReference(x, { kernel, recurrentKernel, bias }, {
          cell,
          batch,
          steps,
          features,
          units,
          returnSequences,
          goBackwards,
        }).output,
      }),
      tol: Tol.dot(steps * (features + units + 9)),
    };
  });
}

function embeddingCases(): OpCase[] {
  return [[[4, 3], 6, 5], [[2, 9], 17, 3]].map(([shape, inputDim, outputDim]) => {
    const xs = shape as number[], n = size(xs);
    const indices = Array.from({ length: n }, (_, i) => (i * 7 + 3) % (inputDim as number));
    const d = outputDim as number;
    return {
      op: "layers.embedding",
      label: `indices [${xs}] vocabulary ${inputDim} x ${d}`,
      inputs: [{ shape: xs, values: indices }, { shape: [inputDim as number, d], range: W }],
      run: applyLayer(() => dn.layers.embedding({ inputDim: inputDim as number, outputDim: d })),
      reference: ([idx, table]) => ({
        shape: [...xs, d],
        values: Float64Array.from(
          { length: n * d },
          (_, k) => table[idx[Math.floor(k / d)] * d + k % d],
        ),
      }),
    };
  });
}

/** The cases. */
export const CASES: OpCase[] = [
  ...denseCases(),
  ...conv2dCases(),
  ...poolingCases(),
  ...recurrentCases(),
  ...embeddingCases(),
];
