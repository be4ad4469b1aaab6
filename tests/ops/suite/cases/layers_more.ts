/**
 * The op suite's cases for the layers of issue 15: `batchNormalization` (inference with given
 * moving statistics, and training with batch statistics), `layerNormalization`, and the layers
 * without weights, applied to seeded inputs with weights set in Keras layouts, against the
 * float64 references of tests/_reference/, on every backend. Inputs are `[x, ...weights]` in the
 * layer's creation order; each run builds a fresh layer, sets the weights (copies), applies it
 * inside `tidy` and disposes it. Gradients are checked with respect to `x` (the weights are
 * copies here; tests/layers/ checks the weights' gradients).
 *
 * Tolerances (STYLE C9): normalization is a mean and variance of n terms feeding an rsqrt and a
 * few products, `Tol.dot(n + 16)`; layers that only move values are exact.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { normalizeReference } from "../../../_reference/normalization.ts";
import { Tol } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { size } from "./_values.ts";

/** Applies the layer `make()` builds (in `training` mode) with the weights `ws`, then disposes it. */
function applyLayer(
  make: () => dn.layers.Layer,
  training = false,
): (x: dn.Tensor, ...ws: dn.Tensor[]) => dn.Tensor {
  return (x, ...ws) => {
    const layer = make();
    try {
      layer.ensureBuilt(x.shape.slice(1));
      if (ws.length > 0) layer.setWeights(ws);
      return dn.tidy(() => layer.call(x, training));
    } finally {
      layer.dispose();
    }
  };
}

function batchNormalizationCases(): OpCase[] {
  /** `[shape, axis]`: channels last with a tile edge, channels first, rank 2. */
  const configs: [number[], number][] = [[[2, 3, 17], -1], [[3, 4, 2, 2], 1], [[33, 5], -1]];
  return configs.flatMap(([shape, axis]): OpCase[] => {
    const a = axis < 0 ? axis + shape.length : axis;
    const c = shape[a];
    const others = shape.map((_, i) => i).filter((i) => i !== a);
    const tol = Tol.dot(size(shape) / c + 16);
    const params = [
      { shape: [c], range: [0.5, 1.5] as [number, number] },
      { shape: [c] },
      { shape: [c] },
      { shape: [c], range: [0.5, 2] as [number, number] },
    ];
    return [
      {
        op: "layers.batchNormalization",
        label: `[${shape}] axis ${axis} inference (moving statistics)`,
        inputs: [{ shape }, ...params],
        run: applyLayer(() => dn.layers.batchNormalization({ axis })),
        reference: ([x, g, b, mean, variance]) => ({
          shape,
          values: normalizeReference(x, shape, others, [a], g, b, 1e-3, { mean, variance }).y,
        }),
        tol,
        grad: [0],
      },
      {
        op: "layers.batchNormalization",
        label: `[${shape}] axis ${axis} training (batch statistics)`,
        inputs: [{ shape }, ...params],
        run: applyLayer(() => dn.layers.batchNormalization({ axis }), true),
        reference: ([x, g, b]) => ({
          shape,
          values: normalizeReference(x, shape, others, [a], g, b, 1e-3).y,
        }),
        tol,
        grad: [0],
      },
    ];
  });
}

function layerNormalizationCases(): OpCase[] {
  const configs: [number[], number | number[]][] = [[[3, 17], -1], [[2, 3, 5], [1, 2]], [
    [4, 33],
    -1,
  ]];
  return configs.map(([shape, axis]) => {
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a));
    const pshape = axes.map((a) => shape[a]);
    return {
      op: "layers.layerNormalization",
      label: `[${shape}] axis ${JSON.stringify(axis)}`,
      inputs: [{ shape }, { shape: pshape, range: [0.5, 1.5] }, { shape: pshape }],
      run: applyLayer(() => dn.layers.layerNormalization({ axis })),
      reference: ([x, g, b]) => ({
        shape,
        values: normalizeReference(x, shape, axes, axes, g, b, 1e-3).y,
      }),
      tol: Tol.dot(size(pshape) + 16),
      grad: [0],
    };
  });
}

/** The cases. */
export const CASES: OpCase[] = [
  ...batchNormalizationCases(),
  ...layerNormalizationCases(),
];
