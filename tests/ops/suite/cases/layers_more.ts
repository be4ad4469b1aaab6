/**
 * The op suite's cases for the newer layers: `batchNormalization` (inference with given
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
import {
  conv2dBackwardDataReference,
  conv2dReference,
  convGeometry,
} from "../../../_reference/conv.ts";
import { depthwiseReference } from "../../../_reference/depthwise.ts";
import { normalizeReference } from "../../../_reference/normalization.ts";
import { Tol } from "../../../_util/assert_close.ts";
import { Random } from "../../../../src/random.ts";
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

/** Values of `outShape` from a function of the output coordinates. */
function fromCoords(outShape: number[], f: (c: number[]) => number): Float64Array {
  const out = new Float64Array(size(outShape));
  const c = outShape.map(() => 0);
  for (let i = 0; i < out.length; i++) {
    out[i] = f(c);
    for (let a = outShape.length - 1; a >= 0 && ++c[a] === outShape[a]; a--) c[a] = 0;
  }
  return out;
}

/** Row-major offset of coordinates `c` in `shape`. */
const at = (shape: number[], c: number[]) => c.reduce((o, ci, a) => o * shape[a] + ci, 0);

/** A case of a layer without weights, with a gradient check on `x`. */
function moveCase(
  op: string,
  label: string,
  shape: number[],
  make: () => dn.layers.Layer,
  outShape: number[],
  f: (x: Float64Array, c: number[]) => number,
): OpCase {
  return {
    op: `layers.${op}`,
    label: `[${shape}] ${label}`,
    inputs: [{ shape }],
    run: applyLayer(make),
    reference: ([x]) => ({ shape: outShape, values: fromCoords(outShape, (c) => f(x, c)) }),
    grad: [0],
  };
}

function reshapingCases(): OpCase[] {
  const ups: [number[], [number, number]][] = [[[2, 3, 2, 3], [2, 2]], [[1, 1, 17, 2], [3, 1]]];
  const pads: [number[], [[number, number], [number, number]]][] = [
    [[2, 3, 4, 2], [[1, 1], [1, 1]]],
    [[1, 5, 3, 17], [[0, 2], [3, 1]]],
  ];
  const crops: typeof pads = [[[2, 3, 4, 2], [[1, 1], [1, 1]]], [[1, 5, 6, 17], [[0, 2], [3, 1]]]];
  return [
    ...ups.map(([shape, [sh, sw]]) =>
      moveCase(
        "upSampling2d",
        `size [${sh}, ${sw}]`,
        shape,
        () => dn.layers.upSampling2d({ size: [sh, sw] }),
        [shape[0], shape[1] * sh, shape[2] * sw, shape[3]],
        (x, [n, i, j, c]) => x[at(shape, [n, Math.floor(i / sh), Math.floor(j / sw), c])],
      )
    ),
    ...pads.map(([shape, [[t, b], [l, r]]]) =>
      moveCase(
        "zeroPadding2d",
        `padding [[${t}, ${b}], [${l}, ${r}]]`,
        shape,
        () => dn.layers.zeroPadding2d({ padding: [[t, b], [l, r]] }),
        [shape[0], shape[1] + t + b, shape[2] + l + r, shape[3]],
        (x, [n, i, j, c]) =>
          i < t || i >= t + shape[1] || j < l || j >= l + shape[2]
            ? 0
            : x[at(shape, [n, i - t, j - l, c])],
      )
    ),
    ...crops.map(([shape, [[t, b], [l, r]]]) =>
      moveCase(
        "cropping2d",
        `cropping [[${t}, ${b}], [${l}, ${r}]]`,
        shape,
        () => dn.layers.cropping2d({ cropping: [[t, b], [l, r]] }),
        [shape[0], shape[1] - t - b, shape[2] - l - r, shape[3]],
        (x, [n, i, j, c]) => x[at(shape, [n, i + t, j + l, c])],
      )
    ),
    moveCase(
      "repeatVector",
      "n 4",
      [3, 17],
      () => dn.layers.repeatVector({ n: 4 }),
      [3, 4, 17],
      (x, [n, , f]) => x[n * 17 + f],
    ),
    moveCase(
      "repeatVector",
      "n 1",
      [2, 1],
      () => dn.layers.repeatVector({ n: 1 }),
      [2, 1, 1],
      (x, [n]) => x[n],
    ),
    moveCase(
      "permute",
      "dims [2, 1]",
      [2, 3, 17],
      () => dn.layers.permute({ dims: [2, 1] }),
      [2, 17, 3],
      (x, [n, i, j]) => x[at([2, 3, 17], [n, j, i])],
    ),
    moveCase(
      "permute",
      "dims [3, 1, 2]",
      [2, 3, 4, 5],
      () => dn.layers.permute({ dims: [3, 1, 2] }),
      [2, 5, 3, 4],
      (x, [n, a, b, c]) => x[at([2, 3, 4, 5], [n, b, c, a])],
    ),
  ];
}

function globalPoolingCases(): OpCase[] {
  return [[2, 3, 4, 5], [1, 17, 2, 3], [3, 1, 1, 33]].flatMap((shape): OpCase[] => {
    const [n, h, w, c] = shape;
    const over = (x: Float64Array, b: number, ch: number) =>
      Array.from({ length: h * w }, (_, k) => x[at(shape, [b, Math.floor(k / w), k % w, ch])]);
    return [
      {
        ...moveCase(
          "globalAveragePooling2d",
          "",
          shape,
          () => dn.layers.globalAveragePooling2d(),
          [n, c],
          (x, [b, ch]) => over(x, b, ch).reduce((s, v) => s + v, 0) / (h * w),
        ),
        tol: Tol.dot(h * w + 1),
      },
      moveCase(
        "globalMaxPooling2d",
        "",
        shape,
        () => dn.layers.globalMaxPooling2d(),
        [n, c],
        (x, [b, ch]) => Math.max(...over(x, b, ch)),
      ),
    ];
  });
}

/** An elementwise activation layer's case; inputs kept away from the kinks at 0 and the caps. */
function activationCase(
  op: string,
  label: string,
  make: () => dn.layers.Layer,
  f: (v: number) => number,
  tol = Tol.ulps(4),
): OpCase {
  const shape = [3, 17];
  const values = Array.from(
    { length: 51 },
    (_, i) => Math.fround((i % 2 ? 1 : -1) * (0.05 + ((i * 37) % 51) / 10)),
  );
  return {
    op: `layers.${op}`,
    label,
    inputs: [{ shape, values }],
    run: applyLayer(make),
    reference: ([x]) => ({ shape, values: x.map(f) }),
    tol,
    grad: [0],
  };
}

function activationLayerCases(): OpCase[] {
  return [
    activationCase("reLU", "defaults", () => dn.layers.reLU(), (v) => Math.max(v, 0)),
    activationCase(
      "reLU",
      "maxValue 3, negativeSlope 0.1, threshold 0.5",
      () => dn.layers.reLU({ maxValue: 3, negativeSlope: 0.1, threshold: 0.5 }),
      (v) => Math.min(v >= 0.5 ? v : 0.1 * (v - 0.5), 3),
    ),
    activationCase(
      "leakyReLU",
      "alpha 0.3 (default)",
      () => dn.layers.leakyReLU(),
      (v) => (v > 0 ? v : 0.3 * v),
    ),
    activationCase(
      "elu",
      "alpha 1",
      () => dn.layers.elu(),
      (v) => (v > 0 ? v : Math.expm1(v)),
      Tol.ulps(8),
    ),
    activationCase(
      "elu",
      "alpha 0.7",
      () => dn.layers.elu({ alpha: 0.7 }),
      (v) => (v > 0 ? v : 0.7 * Math.expm1(v)),
      Tol.ulps(8),
    ),
    {
      op: "layers.softmax",
      label: "[4, 3, 5] axis 1 (not the last)",
      inputs: [{ shape: [4, 3, 5] }],
      run: applyLayer(() => dn.layers.softmax({ axis: 1 })),
      reference: ([x]) => ({
        shape: [4, 3, 5],
        values: fromCoords([4, 3, 5], ([b, i, j]) => {
          const col = [0, 1, 2].map((k) => Math.exp(x[at([4, 3, 5], [b, k, j])]));
          return col[i] / col.reduce((s, v) => s + v, 0);
        }),
      }),
      tol: Tol.ulps(16),
      grad: [0],
    },
    activationCase(
      "lambda",
      "fn x -> 0.5·x² + x",
      () => dn.layers.lambda({ fn: (x) => dn.add(dn.mul(dn.square(x), 0.5), x) }),
      (v) => 0.5 * v * v + v,
      Tol.dot(3), // the sum cancels near x = -0.05: an absolute bound
    ),
  ];
}

/** Normal draws of the layer's first call with `seed` (as randomNormal draws them, in f32). */
function layerNoise(seed: number, n: number, mean: number, std: number): Float64Array {
  const rng = new Random(new Random(seed).nextUint32());
  return Float64Array.from({ length: n }, () => Math.fround(mean + std * rng.normal()));
}

function noiseCases(): OpCase[] {
  const shape = [3, 17];
  const std = Math.sqrt(0.2 / 0.8);
  return [
    {
      op: "layers.gaussianNoise",
      label: "stddev 0.5, seed 7, training",
      inputs: [{ shape }],
      run: applyLayer(() => dn.layers.gaussianNoise({ stddev: 0.5, seed: 7 }), true),
      reference: ([x]) => {
        const noise = layerNoise(7, x.length, 0, 0.5);
        return { shape, values: x.map((v, i) => v + noise[i]) };
      },
      tol: Tol.rounding,
      grad: [0],
    },
    {
      op: "layers.gaussianDropout",
      label: "rate 0.2, seed 3, training",
      inputs: [{ shape }],
      run: applyLayer(() => dn.layers.gaussianDropout({ rate: 0.2, seed: 3 }), true),
      reference: ([x]) => {
        const noise = layerNoise(3, x.length, 1, std);
        return { shape, values: x.map((v, i) => v * noise[i]) };
      },
      tol: Tol.rounding,
      grad: [0],
    },
    ...(["gaussianNoise", "gaussianDropout"] as const).map((op) => ({
      op: `layers.${op}`,
      label: "inference passes through",
      inputs: [{ shape }],
      run: applyLayer(() =>
        op === "gaussianNoise"
          ? dn.layers.gaussianNoise({ stddev: 1 })
          : dn.layers.gaussianDropout({ rate: 0.5 })
      ),
      reference: ([x]: Float64Array[]) => ({ shape, values: x }),
    })),
  ];
}

const W: [number, number] = [-1, 1];

function convCases(): OpCase[] {
  /** conv1d: `[shape, kernelSize, filters, strides, dilation, padding]`. */
  const c1: [number[], number, number, number, number, "valid" | "same" | "causal"][] = [
    [[2, 9, 3], 3, 4, 1, 1, "valid"],
    [[1, 17, 2], 4, 3, 2, 1, "same"],
    [[3, 7, 2], 3, 5, 1, 2, "causal"],
  ];
  const conv1dCases = c1.map(([shape, k, f, s, d, padding]): OpCase => {
    const [n, steps, ch] = shape;
    const front = padding === "causal" ? (k - 1) * d : 0;
    const g = convGeometry(
      [n, 1, steps + front, ch],
      [1, k, f],
      [1, s],
      [1, d],
      padding === "causal" ? "valid" : padding,
    );
    return {
      op: "layers.conv1d",
      label: `[${shape}] kernel ${k} x ${f} strides ${s} dilation ${d} "${padding}"`,
      inputs: [{ shape, range: W }, { shape: [k, ch, f], range: W }, { shape: [f], range: W }],
      run: applyLayer(() =>
        dn.layers.conv1d({ filters: f, kernelSize: k, strides: s, dilationRate: d, padding })
      ),
      reference: ([x, w, b]) => {
        const xp = new Float64Array(n * (steps + front) * ch);
        for (let i = 0; i < n; i++) {
          xp.set(
            x.subarray(i * steps * ch, (i + 1) * steps * ch),
            (i * (steps + front) + front) * ch,
          );
        }
        return { shape: [n, g.outW, f], values: conv2dReference(g, xp, w, b).y };
      },
      tol: Tol.dot(k * ch + 9),
      grad: [0],
    };
  });
  /** conv2dTranspose: `[shape, kernel, filters, strides, padding]`. */
  const ct: [number[], [number, number], number, [number, number], dn.Conv2dPadding][] = [
    [[2, 3, 3, 2], [3, 3], 4, [2, 2], "same"],
    [[1, 4, 2, 3], [2, 3], 2, [1, 2], "valid"],
    [[1, 2, 5, 1], [3, 1], 3, [3, 1], "valid"],
  ];
  const transposeCases = ct.map(([shape, [kh, kw], f, [sh, sw], padding]): OpCase => {
    const [n, h, w, ch] = shape;
    const size = (
      i: number,
      k: number,
      s: number,
    ) => (padding === "same" ? i * s : i * s + Math.max(k - s, 0));
    const out = [n, size(h, kh, sh), size(w, kw, sw), f];
    const g = convGeometry(out, [kh, kw, ch], [sh, sw], 1, padding);
    return {
      op: "layers.conv2dTranspose",
      label: `[${shape}] kernel [${kh}, ${kw}] x ${f} strides [${sh}, ${sw}] "${padding}"`,
      inputs: [{ shape, range: W }, { shape: [kh, kw, f, ch], range: W }, { shape: [f], range: W }],
      run: applyLayer(() =>
        dn.layers.conv2dTranspose({ filters: f, kernelSize: [kh, kw], strides: [sh, sw], padding })
      ),
      reference: ([x, k, b]) => ({
        shape: out,
        values: conv2dBackwardDataReference(g, x, k).map((v, i) => v + b[i % f]),
      }),
      tol: Tol.dot(kh * kw * ch + 9),
      grad: [0],
    };
  });
  const opCase: OpCase = {
    op: "conv2dTranspose",
    label: '[1, 3, 4, 2] filter [3, 3, 5, 2] strides 2 "same" (gradients of x and the filter)',
    inputs: [{ shape: [1, 3, 4, 2], range: W }, { shape: [3, 3, 5, 2], range: W }],
    run: (x, k) => dn.conv2dTranspose(x, k, [1, 6, 8, 5], 2, "same"),
    reference: ([x, k]) => ({
      shape: [1, 6, 8, 5],
      values: conv2dBackwardDataReference(
        convGeometry([1, 6, 8, 5], [3, 3, 2], 2, 1, "same"),
        x,
        k,
      ),
    }),
    tol: Tol.dot(9 * 2 + 9),
    grad: true,
  };
  /** depthwise / separable: `[shape, kernel, multiplier, strides, dilation, padding]`. */
  const dw: [number[], [number, number], number, number, number, dn.Conv2dPadding][] = [
    [[2, 5, 5, 3], [3, 3], 1, 1, 1, "same"],
    [[1, 7, 6, 2], [3, 2], 2, 2, 1, "valid"],
    [[1, 6, 6, 17], [2, 2], 1, 1, 2, "same"],
  ];
  const depthwiseCases = dw.flatMap(([shape, [kh, kw], m, s, d, padding]): OpCase[] => {
    const ch = shape[3];
    const g = convGeometry(shape, [kh, kw, ch * m], s, d, padding);
    const label = `[${shape}] kernel [${kh}, ${kw}] x ${m} strides ${s} dilation ${d} "${padding}"`;
    const f = 3;
    const pg = convGeometry([g.batch, g.outH, g.outW, ch * m], [1, 1, f]);
    return [
      {
        op: "layers.depthwiseConv2d",
        label,
        inputs: [{ shape, range: W }, { shape: [kh, kw, ch, m], range: W }, {
          shape: [ch * m],
          range: W,
        }],
        run: applyLayer(() =>
          dn.layers.depthwiseConv2d({
            kernelSize: [kh, kw],
            depthMultiplier: m,
            strides: s,
            dilationRate: d,
            padding,
          })
        ),
        reference: ([x, k, b]) => ({
          shape: [g.batch, g.outH, g.outW, ch * m],
          values: depthwiseReference(g, m, x, k, b),
        }),
        tol: Tol.dot(kh * kw * ch + 9),
        grad: [0],
      },
      {
        op: "layers.separableConv2d",
        label: `${label} -> ${f} "tanh"`,
        inputs: [
          { shape, range: W },
          { shape: [kh, kw, ch, m], range: W },
          { shape: [1, 1, ch * m, f], range: W },
          { shape: [f], range: W },
        ],
        run: applyLayer(() =>
          dn.layers.separableConv2d({
            filters: f,
            kernelSize: [kh, kw],
            depthMultiplier: m,
            strides: s,
            dilationRate: d,
            padding,
            activation: "tanh",
          })
        ),
        reference: ([x, k, p, b]) => ({
          shape: [g.batch, g.outH, g.outW, f],
          values: conv2dReference(pg, depthwiseReference(g, m, x, k), p, b, "tanh").y,
        }),
        tol: Tol.dot(kh * kw * ch * (ch * m) + 9),
        grad: [0],
      },
    ];
  });
  /** The depthwiseConv2d op with gradients of x and the filter: `[shape, kernel, m, s, d, pad]`. */
  const ops: [number[], [number, number], number, number, number, dn.Conv2dPadding][] = [
    [[2, 5, 4, 3], [3, 3], 1, 1, 1, "same"],
    [[1, 6, 5, 2], [2, 3], 3, 2, 1, "valid"],
    [[1, 7, 7, 5], [3, 2], 2, 1, 2, "same"],
  ];
  const depthwiseOpCases = ops.map(([shape, [kh, kw], m, s, d, padding]): OpCase => {
    const ch = shape[3];
    const g = convGeometry(shape, [kh, kw, ch * m], s, d, padding);
    return {
      op: "depthwiseConv2d",
      label:
        `[${shape}] filter [${kh}, ${kw}, ${ch}, ${m}] strides ${s} dilations ${d} "${padding}"`,
      inputs: [{ shape, range: W }, { shape: [kh, kw, ch, m], range: W }],
      run: (x, f) => dn.depthwiseConv2d(x, f, s, padding, "NHWC", d),
      reference: ([x, f]) => ({
        shape: [g.batch, g.outH, g.outW, ch * m],
        values: depthwiseReference(g, m, x, f),
      }),
      tol: Tol.dot(kh * kw + 1),
      grad: true,
    };
  });
  return [...conv1dCases, ...transposeCases, opCase, ...depthwiseCases, ...depthwiseOpCases];
}

/** The cases. */
export const CASES: OpCase[] = [
  ...convCases(),
  ...batchNormalizationCases(),
  ...layerNormalizationCases(),
  ...noiseCases(),
  ...reshapingCases(),
  ...globalPoolingCases(),
  ...activationLayerCases(),
];
