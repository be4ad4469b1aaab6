/**
 * Primitive calls on odd shapes for the threads-vs-wasm comparison: each case names the Backend
 * method it exercises, the data of its buffers (seeded), and how to call the method on them.
 * `large` marks shapes above the real split thresholds.
 */
import type {
  Activation,
  BinaryOp,
  BroadcastPlan,
  CompareOp,
  CompleteBackend,
  Conv2dGeometry,
  Pool2dArgs,
  SelectPlan,
  Storage,
  UnaryMathOp,
} from "../../src/backend/backend.ts";
import { MATH_CODE } from "../../src/backend/unary_codes.ts";
import { filterGradGroups } from "../../src/backend/wasm/wasm_backend.ts";
import { rng } from "../_util/rng.ts";

/** One primitive call over buffers `s[i]` initialised with `data[i]`. */
export interface KernelCase {
  name: string;
  method: string;
  data: Float32Array[];
  run(b: CompleteBackend, s: Storage[]): void;
  large?: boolean;
  /** Too small to split (a range of one). */
  whole?: boolean;
}

let seed = 1;
function rand(n: number, scale = 1): Float32Array {
  const r = rng(seed++);
  return Float32Array.from({ length: n }, () => r() * scale);
}
function positive(n: number): Float32Array {
  return rand(n).map((v) => Math.abs(v) + 0.01);
}
function zeros(n: number): Float32Array {
  return new Float32Array(n);
}

export const CASES: KernelCase[] = [];
const add = (c: KernelCase) => CASES.push(c);

// GEMM: every transpose, epilogue and beta; shapes around the 4x8 tile and the 8-column panels.
const ACTS: Activation[] = ["linear", "relu", "sigmoid", "tanh"];
const GEMMS: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 5],
  [17, 129, 33],
  [130, 9, 7],
  [5, 300, 17],
  [33, 65, 260],
];
GEMMS.forEach(([m, n, k], i) => {
  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const activation = ACTS[(i + Number(transA) + 2 * Number(transB)) % 4];
    const bias = (i + Number(transB)) % 2 === 0;
    const beta = transA ? 0.5 : 0;
    add({
      name: `gemm ${m}x${n}x${k} ${transA ? "T" : "N"}${transB ? "T" : "N"} ${activation}${
        bias ? " bias" : ""
      } beta=${beta}`,
      method: "gemm",
      whole: m * n === 1,
      data: [rand(m * k), rand(k * n), rand(m * n), rand(n)],
      run: (b, [a, bb, c, bi]) =>
        b.gemm({ a, b: bb, c, m, n, k, transA, transB, bias: bias ? bi : null, activation, beta }),
    });
  }
});
add({
  name: "gemm 256x256x256 (columns)",
  method: "gemm",
  large: true,
  data: [rand(256 * 256), rand(256 * 256), zeros(256 * 256)],
  run: (b, [a, bb, c]) =>
    b.gemm({
      a,
      b: bb,
      c,
      m: 256,
      n: 256,
      k: 256,
      transA: false,
      transB: false,
      bias: null,
      activation: "linear",
      beta: 0,
    }),
});
add({
  name: "gemm 1000x10x300 (rows)",
  method: "gemm",
  large: true,
  data: [rand(1000 * 300), rand(300 * 10), zeros(1000 * 10), rand(10)],
  run: (b, [a, bb, c, bias]) =>
    b.gemm({
      a,
      b: bb,
      c,
      m: 1000,
      n: 10,
      k: 300,
      transA: false,
      transB: true,
      bias,
      activation: "relu",
      beta: 0,
    }),
});

// Small-m GEMM (the streaming kernel: m = 1 with B stored k x n, or a B too large to pack once):
// column splits around the 32-column pieces.
for (
  const [n, k, activation, beta] of [[257, 33, "relu", 0], [1000, 70, "sigmoid", 0.5]] as const
) {
  add({
    name: `gemm 1x${n}x${k} NN ${activation} bias beta=${beta} (stream)`,
    method: "gemm",
    data: [rand(k), rand(k * n), rand(n), rand(n)],
    run: (b, [a, bb, c, bias]) =>
      b.gemm({ a, b: bb, c, m: 1, n, k, transA: false, transB: false, bias, activation, beta }),
  });
}
add({
  name: "gemm 1x4100x300 NN (stream, columns)",
  method: "gemm",
  large: true,
  data: [rand(300), rand(300 * 4100), zeros(4100)],
  run: (b, [a, bb, c]) =>
    b.gemm({
      a,
      b: bb,
      c,
      m: 1,
      n: 4100,
      k: 300,
      transA: false,
      transB: false,
      bias: null,
      activation: "linear",
      beta: 0,
    }),
});
add({
  name: "gemm 3x2050x4100 TT tanh bias (stream: B over the packing cache)",
  method: "gemm",
  large: true,
  data: [rand(4100 * 3), rand(2050 * 4100), zeros(3 * 2050), rand(2050)],
  run: (b, [a, bb, c, bias]) =>
    b.gemm({
      a,
      b: bb,
      c,
      m: 3,
      n: 2050,
      k: 4100,
      transA: true,
      transB: true,
      bias,
      activation: "tanh",
      beta: 0,
    }),
});

// Elementwise.
const SIZES = [1, 17, 1000, 4099];
for (
  const op of ["relu", "sigmoid", "tanh", "exp", "log", "neg", "sqrt", "square", "abs"] as const
) {
  for (const n of SIZES) {
    const x = op === "log" || op === "sqrt" ? positive(n) : rand(n, 4);
    add({
      name: `unary ${op} ${n}`,
      method: "unary",
      whole: n === 1,
      data: [x, zeros(n)],
      run: (b, [x, y]) => b.unary(op, x, y, n),
    });
  }
}
for (const op of ["relu", "sigmoid", "tanh"] as const) {
  add({
    name: `unaryBackward ${op}`,
    method: "unaryBackward",
    data: [rand(4099), rand(4099), zeros(4099)],
    run: (b, [dy, s, dx]) => b.unaryBackward(op, dy, s, dx, 4099),
  });
}
add({
  name: "unary exp 300000",
  method: "unary",
  large: true,
  data: [rand(300000), zeros(300000)],
  run: (b, [x, y]) => b.unary("exp", x, y, 300000),
});
// The math ops by op code (f32_vunary, f32_vunary_bwd); sin/cos over a wide range.
for (const op of Object.keys(MATH_CODE) as UnaryMathOp[]) {
  const n = 4099,
    x = op === "rsqrt" ? positive(n) : rand(n, op === "sin" || op === "cos" ? 1e3 : 4);
  add({
    name: `unary ${op} ${n}`,
    method: "unary",
    data: [x, zeros(n)],
    run: (b, [x, y]) => b.unary(op, x, y, n, 0.3),
  });
  if (op === "sign" || op === "floor" || op === "ceil" || op === "round") continue;
  add({
    name: `unaryBackward ${op}`,
    method: "unaryBackward",
    data: [rand(n), x, zeros(n)],
    run: (b, [dy, s, dx]) => b.unaryBackward(op, dy, s, dx, n, 0.3),
  });
}
add({
  name: "unary gelu 300000",
  method: "unary",
  large: true,
  data: [rand(300000, 4), zeros(300000)],
  run: (b, [x, y]) => b.unary("gelu", x, y, 300000),
});
for (const n of [17, 4099]) {
  add({
    name: `affine ${n}`,
    method: "affine",
    data: [rand(n), zeros(n)],
    run: (b, [x, y]) => b.affine(x, y, n, 1.7, -0.3),
  });
  add({
    name: `fill ${n}`,
    method: "fill",
    data: [rand(n)],
    run: (b, [y]) => b.fill(y, -2.5, n),
  });
  for (
    const [from, to] of [["float32", "int32"], ["float32", "bool"], ["bool", "float32"]] as const
  ) {
    add({
      name: `cast ${from} -> ${to} ${n}`,
      method: "cast",
      data: [rand(n, 3), zeros(n)],
      run: (b, [x, y]) => b.cast(x, from, y, to, n),
    });
  }
  add({
    name: `dropoutMask ${n}`,
    method: "dropoutMask",
    data: [rand(n)],
    run: (b, [y]) => b.dropoutMask(y, n, 0x9e3779b9, 0.3, 1 / 0.7),
  });
  add({
    name: `clip ${n}`,
    method: "clip",
    data: [rand(n, 3), zeros(n)],
    run: (b, [x, y]) => b.clip(x, y, n, -1, 1.5),
  });
  add({
    name: `axpy ${n}`,
    method: "axpy",
    data: [rand(n), rand(n)],
    run: (b, [x, y]) => b.axpy(x, y, n, 0.37),
  });
}
add({
  name: "sumSquares 4099",
  method: "sumSquares",
  data: [rand(4099), zeros(2)],
  run: (b, [x, out]) => b.write(out, new Float32Array([b.sumSquares(x, 4099), 0])),
});
add({
  name: "copy 1000",
  method: "copy",
  data: [rand(1000), zeros(1200)],
  run: (b, [x, y]) => b.copy(x, 3, y, 100, 990),
});

// Broadcast binaries over up to four dimensions.
const PLANS: [string, BroadcastPlan, number, number][] = [
  [
    "same shape",
    { dims: [1, 1, 7, 33], aStrides: [0, 0, 33, 1], bStrides: [0, 0, 33, 1] },
    231,
    231,
  ],
  [
    "row bias",
    { dims: [1, 5, 33, 17], aStrides: [0, 561, 17, 1], bStrides: [0, 0, 0, 1] },
    2805,
    17,
  ],
  ["column", { dims: [3, 4, 9, 5], aStrides: [180, 45, 5, 1], bStrides: [9, 0, 1, 0] }, 540, 27],
];
const BINARY_OPS: BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "maximum",
  "minimum",
  "pow",
  "mod",
  "floorDiv",
  "squaredDifference",
];
for (const op of BINARY_OPS) {
  for (const [label, plan, na, nb] of PLANS) {
    const size = plan.dims.reduce((p, d) => p * d, 1);
    for (const dtype of ["float32", "int32"] as const) {
      add({
        name: `binary ${op} ${dtype} ${label}`,
        method: "binary",
        // int32 reads the float bits as integers: any bits are valid operands.
        data: [rand(na, 4), positive(nb), zeros(size)],
        run: (b, [x, y, out]) => b.binary(op, x, y, out, plan, dtype),
      });
    }
  }
}
// Comparisons write bool bytes; bool operands read any byte values alike on both backends.
for (const op of ["equal", "greater", "lessEqual", "logicalXor"] as CompareOp[]) {
  for (const [label, plan, na, nb] of PLANS) {
    const size = plan.dims.reduce((p, d) => p * d, 1);
    for (const dtype of ["float32", "int32", "bool"] as const) {
      if (op === "logicalXor" && dtype !== "bool") continue;
      add({
        name: `compare ${op} ${dtype} ${label}`,
        method: "compare",
        data: [
          rand(na).map(Math.round),
          rand(nb).map(Math.round),
          zeros(Math.ceil(size / 4)),
        ],
        run: (b, [x, y, out]) => b.compare(op, x, y, out, plan, dtype),
      });
    }
  }
}
for (const [label, plan, na, nb] of PLANS) {
  const size = plan.dims.reduce((p, d) => p * d, 1);
  const cond: SelectPlan = { ...plan, condStrides: plan.aStrides };
  for (const dtype of ["float32", "bool"] as const) {
    const units = (n: number) => (dtype === "bool" ? Math.ceil(n / 4) : n);
    add({
      name: `select ${dtype} ${label}`,
      method: "select",
      data: [rand(Math.ceil(na / 4)), rand(units(na)), rand(units(nb)), zeros(units(size))],
      run: (b, [c, x, y, out]) => b.select(c, x, y, out, cond, dtype),
    });
  }
}

// Reductions, scans, top-k and softmax.
for (const op of ["sum", "max", "min", "prod", "argMax", "argMin", "logSumExp"] as const) {
  for (const [outer, len, inner] of [[17, 5, 1], [3, 129, 7], [1000, 3, 2]]) {
    add({
      name: `reduce ${op} ${outer}x${len}x${inner}`,
      method: "reduce",
      data: [rand(outer * len * inner), zeros(outer * inner)],
      run: (b, [x, y]) => b.reduce(op, x, y, outer, len, inner, 0.25),
    });
  }
}
for (const [outer, len, inner] of [[17, 5, 1], [3, 129, 7], [1000, 3, 2]]) {
  for (const [exclusive, reverse] of [[false, false], [true, true]]) {
    add({
      name: `scan ${outer}x${len}x${inner}${exclusive ? " exclusive" : ""}${
        reverse ? " reverse" : ""
      }`,
      method: "scan",
      data: [rand(outer * len * inner), zeros(outer * len * inner)],
      run: (b, [x, y]) => b.scan(x, y, outer, len, inner, exclusive, reverse),
    });
  }
}
for (const [rows, cols, k] of [[17, 5, 2], [3, 129, 7], [1000, 33, 4]]) {
  add({
    name: `topk ${rows}x${cols} k ${k}`,
    method: "topk",
    data: [rand(rows * cols).map((v) => Math.round(v * 4)), zeros(rows * k), zeros(rows * k)],
    run: (b, [x, v, i]) => b.topk(x, v, i, rows, cols, k, rows !== 3),
  });
  // Distinct columns within each row: 7rk + 8t mod cols, t < k.
  const indices = new Float32Array(
    Int32Array.from({ length: rows * k }, (_, t) => (t * 7 + (t % k)) % cols).buffer,
  );
  add({
    name: `topkBackward ${rows}x${cols} k ${k}`,
    method: "topkBackward",
    data: [rand(rows * k), indices, zeros(rows * cols)],
    run: (b, [dy, i, dx]) => b.topkBackward(dy, i, dx, rows, cols, k),
  });
}
for (const op of ["softmax", "logSoftmax"] as const) {
  for (const [rows, cols] of [[17, 5], [129, 33], [3, 1000]]) {
    add({
      name: `softmax ${op} ${rows}x${cols}`,
      method: "softmax",
      data: [rand(rows * cols, 5), zeros(rows * cols)],
      run: (b, [x, y]) => b.softmax(op, x, y, rows, cols),
    });
    add({
      name: `softmaxBackward ${op} ${rows}x${cols}`,
      method: "softmaxBackward",
      data: [rand(rows * cols), rand(rows * cols), zeros(rows * cols)],
      run: (b, [dy, y, dx]) => b.softmaxBackward(op, dy, y, dx, rows, cols),
    });
  }
}
for (const [rows, cols] of [[70, 33], [129, 5], [1, 7]]) {
  add({
    name: `transpose ${rows}x${cols}`,
    method: "transpose",
    whole: rows === 1,
    data: [rand(rows * cols), zeros(rows * cols)],
    run: (b, [x, y]) => b.transpose(x, y, rows, cols),
  });
}

// Strided copies: a transposing gather, a block into a larger y (rows cut by the split), bytes
// (split in pieces of 64: 3x17 of them is one piece).
for (const [rows, cols] of [[3, 17], [129, 260]]) {
  for (const elementBytes of [4, 1] as const) {
    const whole = elementBytes === 1 && rows * cols < 128;
    add({
      name: `stridedCopy ${rows}x${cols} transposed, ${elementBytes}-byte`,
      method: "stridedCopy",
      whole,
      data: [rand(rows * cols), zeros(rows * cols)],
      run: (b, [x, y]) =>
        b.stridedCopy(x, y, {
          dims: [cols, rows],
          xStrides: [1, cols],
          yStrides: [rows, 1],
          xOffset: 0,
          yOffset: 0,
          elementBytes,
        }),
    });
    add({
      name: `stridedCopy ${rows}x${cols} into a padded block, ${elementBytes}-byte`,
      method: "stridedCopy",
      whole,
      data: [rand(rows * cols), zeros((rows + 2) * (cols + 3))],
      run: (b, [x, y]) =>
        b.stridedCopy(x, y, {
          dims: [rows, cols],
          xStrides: [cols, 1],
          yStrides: [cols + 3, 1],
          xOffset: 0,
          yOffset: cols + 4,
          elementBytes,
        }),
    });
  }
}

// RBM contrastive-divergence updates: row tails (visible % 4) and column tails (hidden % 8, % 4).
for (const [batch, visible, hidden, large] of [[3, 7, 13, false], [37, 515, 301, true]] as const) {
  add({
    name: `rbmUpdate ${batch}x${visible}x${hidden}`,
    method: "rbmUpdate",
    large,
    data: [
      rand(batch * visible),
      rand(batch * hidden),
      rand(batch * visible),
      rand(batch * hidden),
      rand(visible * hidden),
      rand(visible * hidden),
      rand(visible),
      rand(visible),
      rand(hidden),
      rand(hidden),
    ],
    run: (b, [vPos, hPos, vNeg, hNeg, w, wVel, vBias, vBiasVel, hBias, hBiasVel]) =>
      b.rbmUpdate({
        vPos,
        hPos,
        vNeg,
        hNeg,
        batch,
        visible,
        hidden,
        w,
        wVel,
        vBias,
        vBiasVel,
        hBias,
        hBiasVel,
        lr: 0.1,
        momentum: 0.5,
        weightDecay: 2e-4,
      }),
  });
}

// Optimizers.
const N_W = 4099;
for (
  const [label, momentum, nesterov] of [["plain", 0, false], ["momentum", 0.9, false], [
    "nesterov",
    0.9,
    true,
  ]] as const
) {
  add({
    name: `optimizerStep sgd ${label}`,
    method: "optimizerStep",
    data: [rand(N_W), rand(N_W), rand(N_W)],
    run: (b, [w, g, v]) =>
      b.optimizerStep(
        { op: "sgd", w, g, v: momentum ? v : null, lr: 0.1, momentum, nesterov },
        N_W,
      ),
  });
}
add({
  name: "optimizerStep adam",
  method: "optimizerStep",
  data: [rand(N_W), rand(N_W), rand(N_W), positive(N_W)],
  run: (b, [w, g, m, v]) =>
    b.optimizerStep(
      { op: "adam", w, g, m, v, lrT: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      N_W,
    ),
});
add({
  name: "optimizerStep rmsprop",
  method: "optimizerStep",
  data: [rand(N_W), rand(N_W), positive(N_W)],
  run: (b, [w, g, ms]) =>
    b.optimizerStep({ op: "rmsprop", w, g, ms, lr: 0.01, rho: 0.9, epsilon: 1e-7 }, N_W),
});

// Pooling: "same"-style padding, uneven strides, windows clipped at the edges.
const POOL: Pool2dArgs = {
  batch: 5,
  inHeight: 9,
  inWidth: 11,
  channels: 3,
  outHeight: 5,
  outWidth: 10,
  poolHeight: 3,
  poolWidth: 2,
  strideHeight: 2,
  strideWidth: 1,
  padTop: 1,
  padLeft: 0,
};
const LARGE_POOL: Pool2dArgs = {
  batch: 64,
  inHeight: 24,
  inWidth: 24,
  channels: 8,
  outHeight: 12,
  outWidth: 12,
  poolHeight: 2,
  poolWidth: 2,
  strideHeight: 2,
  strideWidth: 2,
  padTop: 0,
  padLeft: 0,
};
for (const [label, p, large] of [["odd", POOL, false], ["large", LARGE_POOL, true]] as const) {
  const xs = p.batch * p.inHeight * p.inWidth * p.channels;
  const ys = p.batch * p.outHeight * p.outWidth * p.channels;
  add({
    name: `maxPool2d ${label}`,
    method: "maxPool2d",
    large,
    data: [rand(xs), zeros(ys)],
    run: (b, [x, y]) => b.maxPool2d(x, y, p),
  });
  add({
    name: `avgPool2d ${label}`,
    method: "avgPool2d",
    large,
    data: [rand(xs), zeros(ys)],
    run: (b, [x, y]) => b.avgPool2d(x, y, p),
  });
  add({
    name: `maxPool2dBackward ${label}`,
    method: "maxPool2dBackward",
    large,
    data: [rand(xs), zeros(ys), rand(ys), zeros(xs)],
    run: (b, [x, y, dy, dx]) => {
      b.maxPool2d(x, y, p);
      b.maxPool2dBackward(x, y, dy, dx, p);
    },
  });
  add({
    name: `avgPool2dBackward ${label}`,
    method: "avgPool2dBackward",
    large,
    data: [rand(ys), zeros(xs)],
    run: (b, [dy, dx]) => b.avgPool2dBackward(dy, dx, p),
  });
}

// Convolutions: padded, strided, dilated, pointwise; two large enough for filter-gradient groups.
function conv(
  batch: number,
  h: number,
  w: number,
  inC: number,
  outC: number,
  f: number,
  stride: number,
  dilation: number,
  pad: number,
): Conv2dGeometry {
  const span = (f - 1) * dilation + 1;
  return {
    batch,
    inHeight: h,
    inWidth: w,
    inChannels: inC,
    outHeight: Math.floor((h + 2 * pad - span) / stride) + 1,
    outWidth: Math.floor((w + 2 * pad - span) / stride) + 1,
    outChannels: outC,
    filterHeight: f,
    filterWidth: f,
    strideHeight: stride,
    strideWidth: stride,
    dilationHeight: dilation,
    dilationWidth: dilation,
    padTop: pad,
    padLeft: pad,
  };
}
const CONVS: [string, Conv2dGeometry, boolean][] = [
  ["3x3 same", conv(5, 9, 7, 3, 5, 3, 1, 1, 1), false],
  ["5x5 stride 2", conv(7, 13, 11, 2, 9, 5, 2, 1, 2), false],
  ["3x3 dilated", conv(3, 11, 11, 4, 3, 3, 1, 2, 0), false],
  ["1x1 pointwise", conv(6, 5, 5, 7, 10, 1, 1, 1, 0), false],
  ["3x3 three groups", conv(13, 16, 16, 4, 8, 3, 1, 1, 1), false],
  ["LeNet conv2 twelve groups", conv(24, 14, 14, 6, 16, 5, 1, 1, 0), true],
];
for (const [label, g, large] of CONVS) {
  const xs = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const ys = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const ws = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
  add({
    name: `conv2d ${label}`,
    method: "conv2d",
    large,
    data: [rand(xs), rand(ws), rand(g.outChannels), zeros(ys)],
    run: (b, [x, filter, bias, y]) =>
      b.conv2d({ ...g, x, filter, bias, y, activation: large ? "relu" : "tanh" }),
  });
  add({
    name: `conv2dBackwardData ${label}`,
    method: "conv2dBackwardData",
    large,
    data: [rand(ys), rand(ws), rand(xs)],
    run: (b, [dy, filter, dx]) => b.conv2dBackwardData({ ...g, dy, filter, dx }),
  });
  add({
    name: `conv2dBackwardFilter ${label}`,
    method: "conv2dBackwardFilter",
    large,
    // One batch group (a small problem) is a single accumulating call: nothing to split.
    whole: filterGradGroups(g).length === 2,
    data: [rand(xs), rand(ys), rand(ws)],
    run: (b, [x, dy, dw]) => b.conv2dBackwardFilter({ ...g, x, dy, dw }),
  });
}

// Depthwise convolutions (outChannels = inChannels · multiplier): rows, dx rows and channels.
const DEPTHWISE: [string, Conv2dGeometry, boolean][] = [
  ["3x3 same x1", conv(5, 9, 7, 8, 8, 3, 1, 1, 1), false],
  ["3x3 stride 2 x2", conv(7, 13, 11, 3, 6, 3, 2, 1, 1), false],
  ["3x3 dilated x1 (17 channels)", conv(3, 11, 11, 17, 17, 3, 1, 2, 0), false],
  ["MobileNet-like 3x3 x1", conv(16, 28, 28, 32, 32, 3, 1, 1, 1), true],
];
for (const [label, g, large] of DEPTHWISE) {
  const xs = g.batch * g.inHeight * g.inWidth * g.inChannels;
  const ys = g.batch * g.outHeight * g.outWidth * g.outChannels;
  const ws = g.filterHeight * g.filterWidth * g.outChannels;
  add({
    name: `depthwiseConv2d ${label}`,
    method: "depthwiseConv2d",
    large,
    data: [rand(xs), rand(ws), rand(g.outChannels), zeros(ys)],
    run: (b, [x, filter, bias, y]) =>
      b.depthwiseConv2d("forward", { ...g, x, filter, bias, y, grad: null }),
  });
  add({
    name: `depthwiseConv2d bwdData ${label}`,
    method: "depthwiseConv2d",
    large,
    data: [rand(ys), rand(ws), rand(xs)],
    run: (b, [dy, filter, dx]) =>
      b.depthwiseConv2d("bwdData", { ...g, x: null, filter, bias: null, y: dy, grad: dx }),
  });
  add({
    name: `depthwiseConv2d bwdFilter ${label}`,
    method: "depthwiseConv2d",
    large,
    data: [rand(xs), rand(ys), rand(ws)],
    run: (b, [x, dy, dw]) =>
      b.depthwiseConv2d("bwdFilter", { ...g, x, filter: null, bias: null, y: dy, grad: dw }),
  });
}

// Recurrent steps, sequence transposes, gather / scatter-add.
for (const [batch, units] of [[5, 3], [17, 9], [256, 80]]) {
  const g4 = batch * 4 * units, g3 = batch * 3 * units, s = batch * units;
  const large = batch === 256;
  add({
    name: `lstmGates ${batch}x${units}`,
    method: "lstmGates",
    large,
    data: [rand(g4), rand(g4), rand(s), zeros(s), zeros(s), zeros(g4)],
    run: (b, [xw, hu, cPrev, c, h, gates]) =>
      b.lstmGates({ batch, units, xw, hu, cPrev, c, h, gates }),
  });
  add({
    name: `lstmGatesBackward ${batch}x${units}`,
    method: "lstmGatesBackward",
    data: [rand(s), rand(s), positive(g4), rand(s), rand(s), zeros(g4)],
    run: (b, [dh, dc, gates, cPrev, c, dz]) =>
      b.lstmGatesBackward({ batch, units, dh, dc, gates, cPrev, c, dz }),
  });
  add({
    name: `gruGates ${batch}x${units}`,
    method: "gruGates",
    large,
    data: [rand(g3), rand(g3), rand(s), zeros(s), zeros(4 * s)],
    run: (b, [xw, hu, hPrev, h, saved]) => b.gruGates({ batch, units, xw, hu, hPrev, h, saved }),
  });
  add({
    name: `gruGatesBackward ${batch}x${units}`,
    method: "gruGatesBackward",
    data: [rand(s), positive(4 * s), rand(s), zeros(g3), zeros(g3), rand(s)],
    run: (b, [dh, saved, hPrev, dxw, dhu, dhPrev]) =>
      b.gruGatesBackward({ batch, units, dh, saved, hPrev, dxw, dhu, dhPrev }),
  });
  add({
    name: `rnnGates ${batch}x${units}`,
    method: "rnnGates",
    data: [rand(s), rand(s), zeros(s)],
    run: (b, [xw, hu, h]) => b.rnnGates(xw, hu, h, "tanh", batch, units),
  });
  add({
    name: `rnnGatesBackward ${batch}x${units}`,
    method: "rnnGatesBackward",
    data: [rand(s), rand(s), zeros(s)],
    run: (b, [dh, h, dz]) => b.rnnGatesBackward(dh, h, dz, "tanh", batch, units),
  });
  for (const toTimeMajor of [true, false]) {
    add({
      name: `sequenceTranspose ${batch}x7x${units} ${toTimeMajor ? "to" : "from"} time-major`,
      method: "sequenceTranspose",
      large,
      data: [rand(s * 7), zeros(s * 7)],
      run: (b, [x, y]) => b.sequenceTranspose(x, y, batch, 7, units, toTimeMajor, !toTimeMajor),
    });
  }
}
for (
  const [outer, len, inner, n, floatIndices] of [
    [1, 7, 5, 13, true],
    [3, 50, 33, 200, false],
    [64, 40, 1, 30, false],
  ] as const
) {
  const r = rng(seed++);
  const picks = Array.from({ length: n }, () => Math.floor(((r() + 1) / 2) * len));
  const indices = floatIndices
    ? Float32Array.from(picks)
    : new Float32Array(Int32Array.from(picks).buffer);
  const g = { outer, len, inner, n, floatIndices };
  const what = `[${outer}, ${len}, ${inner}] n=${n}${floatIndices ? " f32 indices" : ""}`;
  add({
    name: `gather ${what}`,
    method: "gather",
    data: [rand(outer * len * inner), indices, zeros(outer * n * inner)],
    run: (b, [x, idx, y]) => b.gather(x, idx, y, g),
  });
  add({
    name: `scatterAdd ${what}`,
    method: "scatterAdd",
    data: [rand(outer * n * inner), indices, rand(outer * len * inner)],
    run: (b, [dy, idx, dx]) => b.scatterAdd(dy, idx, dx, g),
  });
  const ints = (k: number) => new Float32Array(Int32Array.from(rand(k), (v) => v * 1e9).buffer);
  add({
    name: `scatterAdd int32 ${what}`,
    method: "scatterAdd",
    data: [ints(outer * n * inner), indices, ints(outer * len * inner)],
    run: (b, [dy, idx, dx]) => b.scatterAdd(dy, idx, dx, { ...g, dtype: "int32" }),
  });
}
for (const [rows, outcomes, samples] of [[3, 5, 7], [64, 33, 40]]) {
  const n = 2 * rows * outcomes + 1; // past the 16-element split alignment, with a tail
  add({
    name: `randomBernoulli ${n}`,
    method: "randomBernoulli",
    data: [rand(n), zeros(n)],
    run: (b, [p, y]) => b.randomBernoulli(p, y, n, 0xdecaf),
  });
  add({
    name: `multinomial ${rows}x${outcomes}, ${samples} samples`,
    method: "multinomial",
    data: [rand(rows * outcomes), zeros(rows * samples)],
    run: (b, [p, y]) => b.multinomial(p, y, rows, outcomes, samples, 0xbeef),
  });
}
