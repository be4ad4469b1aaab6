/**
 * Finite-difference gradient checks (STYLE C12) of every differentiable public op through
 * `dn.grads()`. Each op `f` is wrapped as `Σ w ⊙ f(...xs)` with seeded weights `w`, so the
 * scalar depends on every output element; the numeric side differentiates the same scalar built
 * from the float64 references (tests/_reference/) by central differences with h = 1e-6.
 *
 * Tolerance: `gradcheck()`'s preset, |analytic - numeric| <= 1e-4 + 1e-3·|numeric|. The numeric
 * side is exact to ~1e-9 (f64, h = 1e-6, smooth functions); the analytic side is an f32 backward
 * pass whose error is a few ε32 per op times the small sums here (k, cols <= 9), ~1e-6, so the
 * bound is loose against rounding yet far below the O(1) error of a wrong formula. Inputs stay
 * away from kinks (relu and abs at 0, clip bounds, max ties) by more than h.
 */
import * as dn from "../../mod.ts";
import { broadcastBinary, reduceAxes, transpose2d } from "../_reference/broadcast.ts";
import { BINARY, type BinaryName, UNARY, type UnaryName } from "../_reference/elementwise.ts";
import { type GemmActivation, gemmReference } from "../_reference/gemm.ts";
import { clip } from "../_reference/optim.ts";
import { logSoftmax, softmax } from "../_reference/reduce.ts";
import { gradcheck } from "../_util/gradcheck.ts";
import { awayFromZero, distinct, type Input, input } from "./_inputs.ts";
import { BINARY_OPS, UNARY_OPS } from "./_ops.ts";

type Op = (...xs: dn.Tensor[]) => dn.Tensor;
type Ref = (xs: Float64Array[]) => ArrayLike<number>;

/** Checks `Σ w ⊙ f(...xs)` against `Σ w ⊙ ref(xs)`; `w` seeded, of `f`'s output shape. */
function check(what: string, f: Op, ref: Ref, inputs: Input[], seed = 1): void {
  const shape = dn.tidy(() => {
    const xs = inputs.map((i) => dn.tensor(Float32Array.from(i.data), i.shape));
    const y = f(...xs);
    for (const x of xs) x.dispose();
    return [...y.shape];
  });
  const w = input(shape, seed);
  using wt = dn.tensor(Float32Array.from(w.data), shape);
  gradcheck(what, (...xs) => dn.sum(dn.mul(f(...xs), wt)), (xs) => {
    const y = ref(xs);
    let total = 0;
    for (let i = 0; i < y.length; i++) total += w.data[i] * y[i];
    return total;
  }, inputs);
}

/** `[label, a shape, b shape]`: same shape and broadcasting of either operand. */
const BINARY_SHAPES: [string, number[], number[]][] = [
  ["same shapes", [3, 4], [3, 4]],
  ["a row broadcast over b", [4], [3, 4]],
  ["b row broadcast over a", [3, 4], [4]],
  ["b column broadcast over a", [3, 4], [3, 1]],
  ["a scalar tensor", [], [3, 4]],
  ["a middle dimension", [2, 1, 4], [2, 3, 4]],
  ["both broadcast", [2, 1, 3, 1], [1, 4, 1, 5]],
];

for (const name of Object.keys(BINARY_OPS) as BinaryName[]) {
  for (const [label, sa, sb] of BINARY_SHAPES) {
    Deno.test(`${name}() gradient matches central differences with ${label}`, () => {
      const a = input(sa, 11), b = name === "div" ? awayFromZero(sb, 12, 0.5) : input(sb, 12);
      check(
        `${name} [${sa}] [${sb}]`,
        BINARY_OPS[name],
        ([x, y]) => broadcastBinary(BINARY[name], x, sa, y, sb).y,
        [a, b],
      );
    });
  }

  Deno.test(`${name}() gradient matches central differences with a number operand`, () => {
    const x = name === "div" ? awayFromZero([2, 5], 13, 0.5) : input([2, 5], 13);
    const f = BINARY[name];
    check(`${name} x, 1.5`, (t) => BINARY_OPS[name](t, 1.5), ([v]) => v.map((e) => f(e, 1.5)), [x]);
    check(`${name} 1.5, x`, (t) => BINARY_OPS[name](1.5, t), ([v]) => v.map((e) => f(1.5, e)), [x]);
  });
}

/** Inputs per unary op: inside its domain and away from its kink. */
const UNARY_INPUTS: Record<UnaryName, (shape: number[], seed: number) => Input> = {
  relu: (s, seed) => awayFromZero(s, seed),
  sigmoid: (s, seed) => input(s, seed, -4, 4),
  tanh: (s, seed) => input(s, seed, -2, 2),
  exp: (s, seed) => input(s, seed, -2, 2),
  log: (s, seed) => input(s, seed, 0.2, 3),
  neg: (s, seed) => input(s, seed),
  sqrt: (s, seed) => input(s, seed, 0.2, 3),
  square: (s, seed) => input(s, seed, -2, 2),
  abs: (s, seed) => awayFromZero(s, seed),
};

for (const name of Object.keys(UNARY_OPS) as UnaryName[]) {
  Deno.test(`${name}() gradient matches central differences on [3, 7]`, () => {
    const x = UNARY_INPUTS[name]([3, 7], 21);
    check(name, UNARY_OPS[name], ([v]) => v.map(UNARY[name]), [x]);
  });
}

const COMBOS = [
  { label: "", transposeA: false, transposeB: false },
  { label: " with transposeA", transposeA: true, transposeB: false },
  { label: " with transposeB", transposeA: false, transposeB: true },
  { label: " with transposeA and transposeB", transposeA: true, transposeB: true },
];

/** Seeded a, b (and bias) for an m x n x k product whose pre-activations all satisfy |z| >= 0.05. */
function matmulInputs(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  bias: boolean,
  ref: (xs: Float64Array[], act: GemmActivation) => Float64Array,
): Input[] {
  for (let seed = 31;; seed += 3) {
    const xs = [
      input(transA ? [k, m] : [m, k], seed),
      input(transB ? [n, k] : [k, n], seed + 1),
      ...(bias ? [input([n], seed + 2)] : []),
    ];
    if (ref(xs.map((x) => x.data), "none").every((z) => Math.abs(z) >= 0.05)) return xs;
  }
}

for (const { label, transposeA, transposeB } of COMBOS) {
  for (const bias of [false, true]) {
    for (const activation of ["linear", "relu", "sigmoid", "tanh"] as const) {
      const what = `matmul()${label}${bias ? ", bias" : ""} and ${activation}`;
      Deno.test(`${what} has gradients matching central differences`, () => {
        const [m, n, k] = [3, 5, 4];
        const ref = ([a, b, c]: Float64Array[], act: GemmActivation) =>
          gemmReference({
            m,
            n,
            k,
            a,
            lda: transposeA ? m : k,
            transA: transposeA,
            b,
            ldb: transposeB ? k : n,
            transB: transposeB,
            c: [],
            ldc: n,
            beta: 0,
            bias: c,
            act,
          });
        const xs = matmulInputs(m, n, k, transposeA, transposeB, bias, ref);
        const act = (activation === "linear" ? "none" : activation) as GemmActivation;
        check(
          what,
          (a, b, c) => dn.matmul(a, b, { transposeA, transposeB, bias: c, activation }),
          (v) => ref(v, act),
          xs,
        );
      });
    }
  }
}

const REDUCE_OPS = { sum: dn.sum, mean: dn.mean, max: dn.max } as const;

for (const kind of ["sum", "mean", "max"] as const) {
  Deno.test(`${kind}() gradient matches central differences over an axis, two axes and all`, () => {
    const shape = [3, 4, 5];
    const x = kind === "max" ? distinct(shape, 41) : input(shape, 41);
    for (const [axis, axes] of [[1, [1]], [-1, [2]], [[0, 2], [0, 2]], [undefined, [0, 1, 2]]]) {
      for (const keepDims of [false, true]) {
        check(
          `${kind} axis ${JSON.stringify(axis)} keepDims ${keepDims}`,
          (t) => REDUCE_OPS[kind](t, axis as number | number[] | undefined, { keepDims }),
          ([v]) => reduceAxes(kind, v, shape, axes as number[]).y,
          [x],
        );
      }
    }
  });
}

for (
  const [name, op, ref] of [
    ["softmax", (x: dn.Tensor) => dn.softmax(x), softmax],
    ["logSoftmax", (x: dn.Tensor) => dn.logSoftmax(x), logSoftmax],
  ] as const
) {
  Deno.test(`${name}() gradient matches central differences over the last axis`, () => {
    for (const shape of [[3, 5], [2, 3, 4], [6], [4, 1]]) {
      const cols = shape[shape.length - 1];
      const x = input(shape, 51, -3, 3);
      check(`${name} [${shape}]`, op, ([v]) => ref(v, v.length / cols, cols), [x]);
    }
  });
}

Deno.test("reshape() gradient matches central differences", () => {
  const x = input([2, 3, 4], 61);
  check("reshape to [4, 6]", (t) => dn.reshape(t, [4, -1]), ([v]) => v, [x]);
  // Followed by a broadcast op, so the reshaped gradient is not simply dy.
  const row = input([6], 62);
  check(
    "reshape then mul by a row",
    (t, r) => dn.mul(dn.reshape(t, [4, 6]), r),
    ([v, r]) => v.map((e, i) => e * r[i % 6]),
    [x, row],
  );
});

Deno.test("transpose() gradient matches central differences", () => {
  const x = input([3, 5], 71);
  check("transpose [3, 5]", (t) => dn.transpose(t), ([v]) => transpose2d(v, 3, 5), [x]);
});

Deno.test("clipByValue() gradient matches central differences away from the bounds", () => {
  // Values of magnitude in [0.1, 1], moved off the bounds ±0.5 by at least 1e-2.
  const x = awayFromZero([4, 6], 81);
  x.data.forEach((v, i) => {
    if (Math.abs(Math.abs(v) - 0.5) < 1e-2) x.data[i] = Math.fround(v * 1.1);
  });
  check(
    "clipByValue [-0.5, 0.5]",
    (t) => dn.clipByValue(t, -0.5, 0.5),
    ([v]) => clip(v, -0.5, 0.5),
    [x],
  );
});

Deno.test("logSoftmax() of a scaled tanh matmul with bias has gradients matching central differences", () => {
  const [m, n, k] = [4, 6, 5];
  const xs = [input([m, k], 91), input([k, n], 92), input([n], 93)];
  check(
    "logSoftmax(matmul(x, w, bias, tanh))",
    (x, w, b) => dn.logSoftmax(dn.mul(dn.matmul(x, w, { bias: b, activation: "tanh" }), 3)),
    ([x, w, b]) => {
      const z = gemmReference({
        m,
        n,
        k,
        a: x,
        lda: k,
        transA: false,
        b: w,
        ldb: n,
        transB: false,
        c: [],
        ldc: n,
        beta: 0,
        bias: b,
        act: "tanh",
      });
      return logSoftmax(z.map((v) => 3 * v), m, n);
    },
    xs,
  );
});

Deno.test("grads() accumulates the gradients of an input used several times", () => {
  const x = input([3, 4], 101), w = input([3, 4], 102);
  // x·x + x·w + the row sums of x·xᵀ: five paths into x (matmul reads it twice), one into w.
  check(
    "x*x + x*w + sum(x xT)",
    (a, b) =>
      dn.add(
        dn.add(dn.mul(a, a), dn.mul(a, b)),
        dn.sum(dn.matmul(a, a, { transposeB: true }), 1, { keepDims: true }),
      ),
    ([a, b]) => {
      const g = gemmReference({
        m: 3,
        n: 3,
        k: 4,
        a,
        lda: 4,
        transA: false,
        b: a,
        ldb: 4,
        transB: true,
        c: [],
        ldc: 3,
        beta: 0,
        act: "none",
      });
      const rowSum = reduceAxes("sum", g, [3, 3], [1]).y;
      return a.map((v, i) => v * v + v * b[i] + rowSum[Math.floor(i / 4)]);
    },
    [x, w],
  );
  // The same tensor as two arguments of one op, and through a diamond: tanh(x)·exp(tanh(x)).
  check("mul(x, x)", (a) => dn.mul(a, a), ([a]) => a.map((v) => v * v), [x]);
  check(
    "tanh(x) * exp(tanh(x))",
    (a) => {
      const t = dn.tanh(a);
      return dn.mul(t, dn.exp(t));
    },
    ([a]) => a.map((v) => Math.tanh(v) * Math.exp(Math.tanh(v))),
    [x],
  );
});
