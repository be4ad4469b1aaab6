/**
 * Raw-kernel tests of f32_vunary and f32_vunary_bwd (assembly/math.ts) against the float64
 * references in tests/_reference/math.ts, on the release (plain, shared, portable) and debug
 * builds: every op code of src/backend/unary_codes.ts (so a code that drifts from assembly/ fails
 * here), lengths straddling the 8-wide body, the 4-wide body and the partial tail, guards around
 * every buffer, a split run giving the bytes of one call, and in place.
 *
 * Tolerances (STYLE C9), ulp(v) the f32 spacing at v (2^-149 below 2^-126), ε = 2^-24: each op's
 * accuracy contract in ulps (the header of assembly/math.ts states what was measured), plus an
 * absolute term where the math has a cancellation the contract excludes:
 *   - gelu: x/2·(1 + erf(x/√2)) loses the relative accuracy of 1 + erf for x < -1: + ε·|x|.
 *   - geluTanh: sigmoid(2u) with u ≈ 0.0357·x³ rounded: relative error |2u|·2ε, + ε·|x|.
 *   - softplus/elu/selu/silu add one or two roundings to log1p/expm1/sigmoid.
 * The accuracy sweeps run on the release build only (the debug build is the same code, slower),
 * over every 61st f32 bit pattern of each op's interesting range plus seeded uniform draws.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { bits, EDGE, ODD_CUTS, pieces, type Range } from "../_util/kernel_checks.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import {
  MATH,
  math,
  MATH_GRAD,
  mathGrad,
  type MathGradName,
  type MathName,
} from "../_reference/math.ts";
import { MATH_CODE } from "../../src/backend/unary_codes.ts";

const harnesses = await kernelHarnesses();
const release = harnesses.filter((h) => h.name !== "debug");
const EPS = 2 ** -24;

/** The f32 spacing at |v|. */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/** Accuracy contract: ulps of the exact result, plus an absolute term of x. */
const CONTRACT: Record<MathName, { ulps: number; abs?: (x: number) => number }> = {
  sign: { ulps: 0 },
  floor: { ulps: 0 },
  ceil: { ulps: 0 },
  round: { ulps: 0 },
  reciprocal: { ulps: 0.5 },
  rsqrt: { ulps: 1.5 },
  log1p: { ulps: 1.5 },
  expm1: { ulps: 2 },
  sin: { ulps: 2 },
  cos: { ulps: 2 },
  tan: { ulps: 3.5 },
  erf: { ulps: 1.1 },
  softplus: { ulps: 2 },
  elu: { ulps: 2 },
  selu: { ulps: 2.5 },
  leakyRelu: { ulps: 0.5 },
  gelu: { ulps: 3, abs: (x) => EPS * Math.abs(x) },
  geluTanh: { ulps: 4, abs: (x) => EPS * Math.abs(x) },
  silu: { ulps: 3.5, abs: (x) => (x < -87 ? Math.abs(x) * 2 ** -126 : 0) },
};

const ALPHA = Math.fround(0.3);
const OPS = Object.keys(MATH) as MathName[];
const GRAD_OPS = Object.keys(MATH_GRAD) as MathGradName[];

/** The largest error of `actual` in ulps beyond the absolute term; throws on a mismatch. */
function checkContract(name: MathName, x: ArrayLike<number>, actual: Float32Array, what: string) {
  const { ulps, abs = () => 0 } = CONTRACT[name];
  const expected = math(name, x, ALPHA);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const a = actual[i], e = expected[i];
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(Math.fround(e))) ok = a === Math.fround(e);
    else {
      const err = Math.max(0, Math.abs(a - e) - abs(x[i])) / ulp(e);
      worst = Math.max(worst, err);
      ok = err <= ulps;
    }
    if (!ok) {
      throw new Error(
        `${what}: ${name}(${x[i]}) = ${a}, expected ${e} (error ${
          (Math.abs(a - e) / ulp(e)).toFixed(2)
        } ulp > ${ulps})`,
      );
    }
  }
  return worst;
}

/** Inputs exercising each op: seeded draws widened to the op's range, then special values. */
function input(name: MathName, n: number, seed: number): Float32Array {
  const x = randomF32(n, seed);
  const wide = name === "sin" || name === "cos" || name === "tan"
    ? 40
    : name === "erf" || name.startsWith("gelu")
    ? 5
    : name === "rsqrt" || name === "log1p"
    ? 1
    : 12;
  return Float32Array.from(x, (v, i) => {
    const w = v * wide;
    if (name === "rsqrt") return Math.abs(w) * 2 ** ((i % 40) - 20);
    if (name === "log1p") {
      return i % 3 === 0 ? w * 2 ** -(i % 30) : Math.abs(w) * 2 ** (i % 20) - 0.9;
    }
    return w;
  });
}

function runMath(h: KernelHarness, name: MathName, x: ArrayLike<number>, ranges: Range[]) {
  const px = h.f32(x.length, x), py = h.f32(x.length);
  for (const [b, e] of ranges) {
    h.k.f32_vunary(MATH_CODE[name], px, py, ALPHA, b, e);
    h.checkGuards();
  }
  return h.read(py, x.length);
}

const SPECIAL = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1e-45,
  -1e-45,
  1.1754942e-38,
  1e-30,
  -1e-30,
  1e-10,
  -1e-10,
  5.9604645e-8,
  -5.9604645e-8,
  1e-5,
  -1e-5,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  0.625,
  -0.625,
  1.25,
  2,
  3,
  3.92,
  4,
  -4,
  -5,
  -10,
  -17.5,
  -30,
  -1,
  -0.9999999,
  -1.0000001,
  1,
  20,
  88,
  88.7,
  89,
  100,
  -100,
  1e3,
  -1e3,
  1e5,
  -1e5,
  4.2e8,
  1e10,
  -1e20,
  3.4e38,
  -3.4e38,
].map(Math.fround);

for (const name of OPS) {
  for (const n of EDGE) {
    Deno.test(`f32_vunary(${name}) matches f64 reference within contract for length ${n}`, () => {
      const x = input(name, n, 2000 + n);
      for (const h of harnesses) {
        const whole = runMath(h, name, x, [[0, n]]);
        checkContract(name, x, whole, `f32_vunary [${h.name}] n = ${n}`);
        const split = runMath(h, name, x, pieces(n, ...ODD_CUTS));
        assertEquals(bits(split), bits(whole), `${name} [${h.name}] split n = ${n}`);
        const p = h.f32(n, x);
        h.k.f32_vunary(MATH_CODE[name], p, p, ALPHA, 0, n);
        h.checkGuards();
        assertEquals(bits(h.read(p, n)), bits(whole), `${name} [${h.name}] in place`);
        h.reset();
      }
    });
  }
  Deno.test(`f32_vunary(${name}) handles ±0, ±Infinity, NaN, tiny and huge inputs`, () => {
    for (const h of harnesses) {
      checkContract(name, SPECIAL, runMath(h, name, SPECIAL, [[0, SPECIAL.length]]), h.name);
      h.reset();
    }
  });
}

/** Every `step`-th f32 bit pattern in [lo, hi) (both signs), plus 2^16 uniform draws in ±span. */
function sweep(lo: number, hi: number, step: number, span: number): Float32Array {
  const u = new Uint32Array(2 * Math.ceil((hi - lo) / step) + 65536);
  let n = 0;
  for (let b = lo; b < hi; b += step) {
    u[n++] = b;
    u[n++] = (b | 0x80000000) >>> 0;
  }
  const x = new Float32Array(u.buffer);
  x.set(randomF32(65536, 77).map((v) => v * span), n);
  return x;
}

/** Bit ranges of the sweeps: [2^-30, 2^28·π/2) for trig, [0, 5) for erf and the gelus, etc. */
const SWEEP: Partial<Record<MathName, [number, number, number]>> = {
  log1p: [0x30800000, 0x7f000000, 12],
  expm1: [0x30800000, 0x42b40000, 30],
  sin: [0x30800000, 0x4dc90fdb, 1e4],
  cos: [0x30800000, 0x4dc90fdb, 1e4],
  tan: [0x30800000, 0x4dc90fdb, 1e4],
  erf: [0x30800000, 0x40a00000, 5],
  softplus: [0x30800000, 0x42c80000, 100],
  elu: [0x30800000, 0x42c80000, 30],
  selu: [0x30800000, 0x42c80000, 30],
  gelu: [0x30800000, 0x41200000, 10],
  geluTanh: [0x30800000, 0x41200000, 10],
  silu: [0x30800000, 0x42c80000, 100],
  rsqrt: [0x00800000, 0x7f000000, 1e3],
};

for (const [name, [lo, hi, span]] of Object.entries(SWEEP) as [MathName, number[]][]) {
  Deno.test(`f32_vunary(${name}) stays within ${CONTRACT[name].ulps} ulp over a sweep`, () => {
    const x = sweep(lo, hi, 61 * 64, span);
    for (const h of release.slice(0, 1)) {
      const worst = checkContract(name, x, runMath(h, name, x, [[0, x.length]]), h.name);
      assert(worst <= CONTRACT[name].ulps);
      h.reset();
    }
  });
}

Deno.test("f32_vunary(sin, cos, tan) reduce huge arguments exactly (Mathf lanes)", () => {
  const x = [1e9, -3e12, 1.2345e20, 3.4028235e38, 421657440, 421657408, 8e8, 2 ** 100].map(
    Math.fround,
  );
  for (const h of harnesses) {
    for (const name of ["sin", "cos", "tan"] as const) {
      checkContract(name, x, runMath(h, name, x, [[0, x.length]]), `${name} [${h.name}]`);
    }
    h.reset();
  }
});

Deno.test("f32_vunary keeps -0 where the function is odd, and TF.js's sign and round", () => {
  for (const h of harnesses) {
    for (const name of ["floor", "ceil", "round", "log1p", "expm1", "sin", "tan", "erf"] as const) {
      assert(Object.is(runMath(h, name, [-0], [[0, 1]])[0], -0), `${name}(-0)`);
    }
    assertEquals(Array.from(runMath(h, "sign", [NaN, -0, 0, -3, 2], [[0, 5]])), [0, 0, 0, -1, 1]);
    assertEquals(
      Array.from(runMath(h, "round", [0.5, 1.5, 2.5, -0.5, -1.5, 3.5000002], [[0, 6]])),
      [0, 2, 2, -0, -2, 4],
    );
    assertEquals(Array.from(runMath(h, "log1p", [1e-30, -1, -2], [[0, 3]])), [
      Math.fround(1e-30),
      -Infinity,
      NaN,
    ]);
    assertEquals(Array.from(runMath(h, "gelu", [-Infinity, Infinity], [[0, 2]])), [-0, Infinity]);
    assertEquals(Array.from(runMath(h, "silu", [-Infinity, Infinity], [[0, 2]])), [-0, Infinity]);
    h.reset();
  }
});

/**
 * Derivative bound: each derivative chains two or three approximations and roundings (2^-20
 * relative; tan's 1/cos² doubles cos's error); exp(-x²) (erf, gelu) inherits the rounding of x²,
 * 2ε·x² relative; and the sums s + x·s'(x) of silu, gelu and geluTanh cancel where the derivative
 * crosses 0, so they also get 8ε·|dy|·(1 + |x|) absolute.
 */
function gradBound(name: MathGradName, dy: number, x: number, want: number): number {
  const rel = (name === "tan" || name === "geluTanh" ? 2 ** -19 : 2 ** -20) +
    (name === "erf" || name.startsWith("gelu") ? 2 * EPS * x * x : 0);
  const sum = name === "silu" || name.startsWith("gelu");
  return rel * Math.abs(want) + (sum ? 8 * EPS * Math.abs(dy) * (1 + Math.abs(x)) : 0) + 1e-37;
}

for (const name of GRAD_OPS) {
  for (const n of [1, 3, 8, 17, 33, 129]) {
    Deno.test(`f32_vunary_bwd(${name}) matches the f64 derivative for length ${n}`, () => {
      const x = input(name, n, 3000 + n).map((v) => name === "tan" ? v / 40 : v);
      const dy = randomF32(n, 4000 + n);
      const expected = mathGrad(name, dy, x, ALPHA);
      for (const h of harnesses) {
        const pdy = h.f32(n, dy), px = h.f32(n, x);
        const run = (ranges: Range[]) => {
          const pdx = h.f32(n);
          for (const [b, e] of ranges) {
            h.k.f32_vunary_bwd(MATH_CODE[name], pdy, px, pdx, ALPHA, b, e);
            h.checkGuards();
          }
          return h.read(pdx, n);
        };
        const whole = run([[0, n]]);
        for (let i = 0; i < n; i++) {
          const bound = gradBound(name, dy[i], x[i], expected[i]);
          assert(
            Math.abs(whole[i] - expected[i]) <= bound,
            `${name}' [${h.name}] at x = ${x[i]}: ${whole[i]} vs ${expected[i]} (bound ${bound})`,
          );
        }
        assertEquals(bits(run(pieces(n, ...ODD_CUTS))), bits(whole), `${name}' split`);
        h.reset();
      }
    });
  }
}

Deno.test("f32_vunary() debug build rejects an op code outside the math ops", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  const p = h.f32(4);
  for (const code of [8, 28]) {
    let message = "";
    try {
      h.k.f32_vunary(code, p, p, 0, 0, 4);
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.includes("Kernel precondition failed"), message);
  }
  h.reset();
});
