/**
 * The op suite's cases for the unary math ops and activations run by op code (src/ops/math.ts,
 * src/ops/activations.ts) and clipByNorm: every op over tile-edge lengths (1, 3, 17, 33 and a
 * 2-d shape), non-finite and extreme inputs, and a gradient check, against tests/_reference/math.ts.
 *
 * Tolerances (STYLE C9): each op's accuracy contract from assembly/math.ts (tests/kernels/
 * math_test.ts asserts it in ulps) taken twice as `Tol.ulps`, so that the f32 rounding of the
 * reference's value adds nothing that fails; gelu and geluTanh also an absolute ε·4 for their
 * cancellation for x < -1 (math_test.ts's ε·|x| with |x| <= 4 here); step functions exact.
 * clipByNorm is a sum of squares (`Tol.dot(k)` relative on the norm) and two roundings.
 * WebGPU skips the non-finite and huge inputs (WGSL lets implementations assume finite values and
 * states no accuracy for large trigonometric arguments) and takes `Tol.gpu`.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import { MATH, type MathName } from "../../../_reference/math.ts";
import { Tol, type Tolerance } from "../../../_util/assert_close.ts";
import type { OpCase } from "../case.ts";
import { awayFrom, f32, size } from "./_values.ts";

const EPS = 2 ** -24;

interface Spec {
  run: (x: dn.Tensor) => dn.Tensor;
  /** The reference's name in MATH and its alpha. */
  ref: MathName;
  alpha?: number;
  range: [number, number];
  /** Points the gradient check keeps away from (kinks, poles), or null for no gradient. */
  kinks: number[] | null;
  tol: Tolerance;
  /** Gradient inputs when not `range`. */
  gradRange?: [number, number];
}

const gelu = { rel: 6 * EPS, abs: 4 * EPS };

/** Each public op (and option) under test, by its label. */
const SPECS: Record<string, Spec> = {
  sign: { run: dn.sign, ref: "sign", range: [-3, 3], kinks: null, tol: Tol.exact },
  floor: { run: dn.floor, ref: "floor", range: [-9, 9], kinks: null, tol: Tol.exact },
  ceil: { run: dn.ceil, ref: "ceil", range: [-9, 9], kinks: null, tol: Tol.exact },
  round: { run: dn.round, ref: "round", range: [-9, 9], kinks: null, tol: Tol.exact },
  reciprocal: {
    run: dn.reciprocal,
    ref: "reciprocal",
    range: [-4, 4],
    kinks: [0],
    gradRange: [0.5, 3],
    tol: Tol.rounding,
  },
  rsqrt: {
    run: dn.rsqrt,
    ref: "rsqrt",
    range: [1e-3, 50],
    kinks: [],
    gradRange: [0.5, 4],
    tol: Tol.ulps(2),
  },
  log1p: {
    run: dn.log1p,
    ref: "log1p",
    range: [-0.99, 20],
    kinks: [],
    gradRange: [-0.5, 3],
    tol: Tol.ulps(3),
  },
  expm1: {
    run: dn.expm1,
    ref: "expm1",
    range: [-10, 10],
    kinks: [],
    gradRange: [-2, 2],
    tol: Tol.ulps(4),
  },
  sin: {
    run: dn.sin,
    ref: "sin",
    range: [-40, 40],
    kinks: [],
    gradRange: [-4, 4],
    tol: Tol.ulps(4),
  },
  cos: {
    run: dn.cos,
    ref: "cos",
    range: [-40, 40],
    kinks: [],
    gradRange: [-4, 4],
    tol: Tol.ulps(4),
  },
  tan: {
    run: dn.tan,
    ref: "tan",
    range: [-1.5, 1.5],
    kinks: [],
    gradRange: [-1, 1],
    tol: Tol.ulps(7),
  },
  erf: { run: dn.erf, ref: "erf", range: [-5, 5], kinks: [], gradRange: [-2, 2], tol: Tol.ulps(3) },
  softplus: {
    run: dn.softplus,
    ref: "softplus",
    range: [-30, 30],
    kinks: [],
    gradRange: [-4, 4],
    tol: Tol.ulps(4),
  },
  elu: { run: dn.elu, ref: "elu", alpha: 1, range: [-6, 6], kinks: [0], tol: Tol.ulps(4) },
  selu: { run: dn.selu, ref: "selu", range: [-6, 6], kinks: [0], tol: Tol.ulps(5) },
  leakyRelu: {
    run: (x) => dn.leakyRelu(x),
    ref: "leakyRelu",
    alpha: Math.fround(0.2),
    range: [-4, 4],
    kinks: [0],
    tol: Tol.rounding,
  },
  "leakyRelu alpha 1.5": {
    run: (x) => dn.leakyRelu(x, 1.5),
    ref: "leakyRelu",
    alpha: 1.5,
    range: [-4, 4],
    kinks: [0],
    tol: Tol.rounding,
  },
  gelu: {
    run: (x) => dn.gelu(x),
    ref: "gelu",
    range: [-6, 6],
    kinks: [],
    gradRange: [-3, 3],
    tol: gelu,
  },
  "gelu approximate": {
    run: (x) => dn.gelu(x, { approximate: true }),
    ref: "geluTanh",
    range: [-6, 6],
    kinks: [],
    gradRange: [-3, 3],
    tol: gelu,
  },
  silu: {
    run: dn.silu,
    ref: "silu",
    range: [-20, 20],
    kinks: [],
    gradRange: [-4, 4],
    tol: Tol.ulps(7),
  },
  swish: {
    run: dn.swish,
    ref: "silu",
    range: [-20, 20],
    kinks: [],
    gradRange: [-4, 4],
    tol: Tol.ulps(7),
  },
};

const SHAPES = [[1], [3], [17], [33], [3, 11]];

/** Non-finite, signed-zero, tiny and large inputs (CPU backends only). */
const SPECIALS = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1e-30,
  -1e-30,
  1e-10,
  0.5,
  2.5,
  -2.5,
  100,
  -100,
  1e10,
  -3e12,
].map(
  Math.fround,
);

const noGpu = "WGSL may assume finite values and states no accuracy for huge arguments";

function opCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const [label, s] of Object.entries(SPECS)) {
    const op = label.split(" ")[0];
    const f = (v: number) => (MATH[s.ref] as (x: number, alpha: number) => number)(v, s.alpha ?? 0);
    for (const shape of SHAPES) {
      cases.push({
        op,
        label: `${label} [${shape}] in [${s.range}]`,
        inputs: [{ shape, range: s.range }],
        run: s.run,
        reference: ([x]) => ({ shape, values: x.map(f) }),
        tol: s.tol,
      });
    }
    cases.push({
      op,
      label: `${label}: NaN, ±Infinity, ±0, tiny and huge values`,
      inputs: [{ shape: [SPECIALS.length], values: SPECIALS }],
      run: s.run,
      reference: ([x]) => ({ shape: [SPECIALS.length], values: f32(x.map(f)) }),
      tol: s.tol,
      exclude: { webgpu: noGpu },
    });
    if (s.kinks) {
      const shape = [3, 17];
      cases.push({
        op,
        label: `${label} gradient on [${shape}]`,
        inputs: [{ shape, values: awayFrom(size(shape), 23, s.gradRange ?? s.range, s.kinks) }],
        run: s.run,
        reference: ([x]) => ({ shape, values: x.map(f) }),
        tol: s.tol,
        grad: true,
      });
    }
  }
  return cases;
}

/** tf.clip_by_norm in float64: x·c / max(‖x‖ over axes, c). */
function clipByNormRef(x: Float64Array, shape: number[], c: number, axes: number[]): Float64Array {
  const strides = shape.map((_, i) => size(shape.slice(i + 1)));
  const key = (i: number) =>
    shape.map((d, k) => (axes.includes(k) ? 0 : Math.floor(i / strides[k]) % d)).join();
  const sums = new Map<string, number>();
  x.forEach((v, i) => sums.set(key(i), (sums.get(key(i)) ?? 0) + v * v));
  return x.map((v, i) => (v * c) / Math.max(Math.sqrt(sums.get(key(i))!), c));
}

function clipByNormCases(): OpCase[] {
  const cases: OpCase[] = [];
  const setups: [string, number[], number, number | number[] | undefined, number[]][] = [
    ["every element", [3, 17], 2, undefined, [0, 1]],
    ["rows (axis 1)", [5, 33], 1.5, 1, [1]],
    ["columns (axis -2)", [4, 9], 1, -2, [0]],
    ["axes [0, 2] of 3-d", [3, 4, 5], 2, [0, 2], [0, 2]],
    ["bound above every norm", [2, 3], 100, 1, [1]],
  ];
  for (const [label, shape, c, axes, list] of setups) {
    const k = list.reduce((n, a) => n * shape[a], 1);
    cases.push({
      op: "clipByNorm",
      label: `${label} [${shape}], clipNorm ${c}`,
      inputs: [{ shape }],
      run: (x) => dn.clipByNorm(x, c, axes),
      reference: ([x]) => ({ shape, values: clipByNormRef(x, shape, c, list) }),
      tol: { rel: Tol.dot(k).rel + 4 * EPS, abs: 1e-7 },
      grad: true,
    });
  }
  const zeroRow = [0, 0, 0, 3, 4, 0];
  cases.push({
    op: "clipByNorm",
    label: "an all-zero row keeps a finite gradient",
    inputs: [{ shape: [2, 3], values: zeroRow }],
    run: (x) => dn.clipByNorm(x, 1, 1),
    reference: ([x]) => ({ shape: [2, 3], values: clipByNormRef(x, [2, 3], 1, [1]) }),
    tol: Tol.ulps(4),
    grad: true,
  });
  return cases;
}

/** Every unary math, activation and clipByNorm case. */
export const CASES: OpCase[] = [...opCases(), ...clipByNormCases()];
