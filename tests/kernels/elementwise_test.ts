/**
 * Raw-kernel tests of assembly/elementwise.ts (and the simd.ts math it uses) against the float64
 * references in tests/_reference/elementwise.ts, on the release (plain and shared) and debug
 * builds (STYLE C8-C10). Lengths straddle the 8-wide body, the 4-wide body and the lane tail;
 * every buffer sits between NaN-payload guards, checked after every call; a run split into
 * ranges must give the bytes of a single call.
 *
 * Tolerances (STYLE C9), with ε = 2^-24 and ulp(v) the f32 spacing at v (2^-149 below 2^-126):
 *   - exp, log, sigmoid, tanh are polynomial approximations: the bound is their accuracy
 *     contract in ulps (simd.ts measures max 0.98, 0.83, 2.40, 1.32 ulp over 2^28 inputs).
 *   - neg, abs, relu are exact; sqrt, square and the binary ops are one correctly rounded
 *     operation: 0.5 ulp.
 *   - affine is two roundings, x·s (ε|x·s|) then + t (ε|y|), bounded per element.
 *   - sigmoid' is three roundings of positive-relative terms: ((1 + ε)^3 - 1)|dx|.
 *   - tanh' rounds y² (ε y², absolute inside 1 - y²), 1 - y² and the product: per element
 *     ε|dy|y² + 2ε|dx| + ε²-terms, taken as (1 + ε)^2 factors below.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import {
  assertWithin,
  bits,
  EDGE,
  ODD_CUTS,
  pieces,
  type Range,
  wholeAndSplit,
} from "../_util/kernel_checks.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { BINARY_CODE } from "../../src/backend/elementwise_codes.ts";
import {
  affine,
  backward,
  type BackwardName,
  binary,
  binaryBroadcast,
  type BinaryName,
  unary,
  type UnaryName,
} from "../_reference/elementwise.ts";

const harnesses = await kernelHarnesses();

const EPS32 = 2 ** -24;
const SPECIAL = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1e3,
  -1e3,
  88,
  -88,
  88.5,
  88.8,
  -87.5,
  -100,
  100,
  -103,
  -104.5,
  1e-30,
  -1e-30,
  1e-45,
  1.1754942e-38,
  0.5,
  -0.625,
  0.625,
  9,
  -9,
  20,
  -20,
  3.4e38,
  -3.4e38,
  1,
  -1,
].map(Math.fround);

/** The f32 spacing at |v|: 2^(floor(log2|v|) - 23), and 2^-149 in the subnormal range. */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/** Throws unless each element is within `maxUlps` ulps of the f64 value (NaN and overflow exact). */
function assertUlps(actual: Float32Array, expected: Float64Array, maxUlps: number, what: string) {
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(Math.fround(e))) ok = a === Math.fround(e);
    else ok = Math.abs(a - e) <= maxUlps * ulp(e);
    if (!ok) {
      throw new Error(
        `${what}: first mismatch at [${i}]: actual ${a}, expected ${e}, error ${
          (Math.abs(a - e) / ulp(e)).toFixed(2)
        } ulp > ${maxUlps}`,
      );
    }
  }
}

/** Accuracy contract per unary op, in ulps (see the header). */
const UNARY_ULPS: Record<UnaryName, number> = {
  relu: 0,
  sigmoid: 3,
  tanh: 2,
  exp: 2,
  log: 2,
  neg: 0,
  sqrt: 0.5,
  square: 0.5,
  abs: 0,
};

/** Inputs exercising each op's interesting range. */
function unaryInput(name: UnaryName, n: number, seed: number): Float64Array {
  const x = randomF32(n, seed);
  const widen = name === "exp" ? 100 : name === "sigmoid" || name === "tanh" ? 12 : 1;
  for (let i = 0; i < n; i++) {
    let v = x[i] * widen;
    if (name === "log" || name === "sqrt") v = Math.abs(v) * 2 ** ((i % 40) - 20);
    x[i] = Math.fround(v);
  }
  return x;
}

/** Runs a unary kernel over `ranges` of a fresh output; returns the output. */
function runUnary(h: KernelHarness, name: UnaryName, x: ArrayLike<number>, ranges: Range[]) {
  const px = h.f32(x.length, x), py = h.f32(x.length);
  for (const [b, e] of ranges) {
    h.k[`f32_v${name}`](px, py, b, e);
    h.checkGuards();
  }
  return h.read(py, x.length);
}

for (const name of Object.keys(UNARY_ULPS) as UnaryName[]) {
  const ulps = UNARY_ULPS[name];
  for (const n of EDGE) {
    Deno.test(`f32_v${name}() matches f64 reference within ${ulps} ulp for length ${n}`, () => {
      const x = unaryInput(name, n, 1000 + n);
      const expected = unary(name, x);
      for (const h of harnesses) {
        const whole = runUnary(h, name, x, [[0, n]]);
        assertUlps(whole, expected, ulps, `f32_v${name} [${h.name}] n = ${n}`);
        const split = runUnary(h, name, x, pieces(n, ...ODD_CUTS));
        assertEquals(bits(split), bits(whole), `f32_v${name} [${h.name}] split n = ${n}`);
        h.reset();
      }
    });
  }
  Deno.test(`f32_v${name}() handles special values like Math within ${ulps} ulp`, () => {
    const expected = unary(name, SPECIAL);
    for (const h of harnesses) {
      assertUlps(runUnary(h, name, SPECIAL, [[0, SPECIAL.length]]), expected, ulps, name);
      h.reset();
    }
  });
  Deno.test(`f32_v${name}() in place (y == x) gives the out-of-place bytes`, () => {
    const x = unaryInput(name, 129, 7);
    for (const h of harnesses) {
      const outOfPlace = runUnary(h, name, x, [[0, 129]]);
      const p = h.f32(129, x);
      h.k[`f32_v${name}`](p, p, 0, 129);
      h.checkGuards();
      assertEquals(bits(h.read(p, 129)), bits(outOfPlace));
      h.reset();
    }
  });
}

Deno.test("f32_vrelu() keeps NaN and -0 (pmax(x, 0) operand order)", () => {
  for (const h of harnesses) {
    const x = [NaN, -0, -1, 2, NaN, -0, -3, 4, NaN];
    const y = runUnary(h, "relu", x, [[0, x.length]]);
    assert(
      y.every((v, i) => Number.isNaN(x[i]) ? Number.isNaN(v) : Object.is(v, x[i] < 0 ? 0 : x[i])),
    );
    h.reset();
  }
});

Deno.test("f32_vsigmoid() and f32_vtanh() saturate without NaN for large |x|", () => {
  const x = [-1e3, -200, -100, -50, 50, 100, 200, 1e3, -Infinity, Infinity, -88.7, 89];
  for (const h of harnesses) {
    const s = runUnary(h, "sigmoid", x, [[0, x.length]]);
    const t = runUnary(h, "tanh", x, [[0, x.length]]);
    assert(s.every((v) => v >= 0 && v <= 1), `sigmoid ${s}`);
    assert(s[2] > 0 && s[2] < 1e-43, `sigmoid(-100) = ${s[2]}`);
    assertEquals([s[5], s[7], s[9]], [1, 1, 1]);
    assertEquals(Array.from(t), x.map(Math.sign));
    h.reset();
  }
});

Deno.test("f32_vtanh() has small relative error near 0", () => {
  const x = [1e-30, -1e-20, 1e-10, 3e-5, -1e-3, 0.01, 0.1, -0.3, 0.6].map(Math.fround);
  for (const h of harnesses) {
    const y = runUnary(h, "tanh", x, [[0, x.length]]);
    for (let i = 0; i < x.length; i++) {
      assert(
        Math.abs(y[i] - Math.tanh(x[i])) <= 2 * ulp(Math.tanh(x[i])),
        `tanh(${x[i]}) = ${y[i]}`,
      );
    }
    assert(Object.is(runUnary(h, "tanh", [-0], [[0, 1]])[0], -0), "tanh(-0) = -0");
    h.reset();
  }
});

for (const n of EDGE) {
  Deno.test(`f32_fill() writes exactly [begin, end) for length ${n}`, () => {
    for (const h of harnesses) {
      const y = h.f32(n, new Float32Array(n).fill(7));
      const [, [b, e]] = pieces(n, ...ODD_CUTS);
      h.k.f32_fill(y, -2.5, b, e);
      h.checkGuards();
      const expected = new Float32Array(n).fill(7).fill(-2.5, b, e);
      assertEquals(bits(h.read(y, n)), bits(expected));
      h.reset();
    }
  });

  Deno.test(`f32_vaffine() matches f64 reference within two roundings for length ${n}`, () => {
    const x = randomF32(n, 50 + n);
    const scale = Math.fround(-1.7), shift = Math.fround(0.3);
    const expected = affine(x, scale, shift);
    for (const h of harnesses) {
      const px = h.f32(n, x);
      const whole = wholeAndSplit(h, n, n, (py, b, e) => {
        h.k.f32_vaffine(px, py, scale, shift, b, e);
      }, ODD_CUTS);
      const bound = (i: number) => EPS32 * (Math.abs(x[i] * scale) + Math.abs(expected[i]) * 1.01);
      assertWithin(whole, expected, bound, `f32_vaffine [${h.name}] n = ${n}`);
      h.reset();
    }
  });
}

const BACKWARD_BOUND: Record<BackwardName, (dy: number, v: number, dx: number) => number> = {
  relu: () => 0,
  sigmoid: (_dy, _v, dx) => ((1 + EPS32) ** 3 - 1) * Math.abs(dx),
  tanh: (dy, v, dx) => (1 + EPS32) ** 2 * (EPS32 * Math.abs(dy) * v * v + 2 * EPS32 * Math.abs(dx)),
};

for (const name of Object.keys(BACKWARD_BOUND) as BackwardName[]) {
  for (const n of EDGE) {
    Deno.test(`f32_v${name}_bwd() matches f64 reference for length ${n}`, () => {
      const dy = randomF32(n, 300 + n);
      // relu saves its input (with zeros); sigmoid/tanh save their output, in (0, 1) / (-1, 1).
      const saved = randomF32(n, 400 + n).map((v, i) =>
        name === "relu" ? (i % 5 === 0 ? 0 : v) : name === "sigmoid" ? Math.fround((v + 1) / 2) : v
      );
      const expected = backward(name, dy, saved);
      for (const h of harnesses) {
        const pdy = h.f32(n, dy), ps = h.f32(n, saved);
        const whole = wholeAndSplit(h, n, n, (pdx, b, e) => {
          h.k[`f32_v${name}_bwd`](pdy, ps, pdx, b, e);
        }, ODD_CUTS);
        const bound = (i: number) => BACKWARD_BOUND[name](dy[i], saved[i], expected[i]);
        assertWithin(whole, expected, bound, `f32_v${name}_bwd [${h.name}] n = ${n}`);
        h.reset();
      }
    });
  }
}

Deno.test("f32_vrelu_bwd() gives 0 where x is NaN, <= 0 or -0, and dy where x > 0", () => {
  const x = [NaN, -0, 0, -1, 1, 1e-45, NaN, 2, -Infinity];
  const dy = [5, 5, 5, 5, 5, 5, 5, NaN, 5];
  for (const h of harnesses) {
    const pdx = h.f32(x.length);
    h.k.f32_vrelu_bwd(h.f32(x.length, dy), h.f32(x.length, x), pdx, 0, x.length);
    h.checkGuards();
    const dx = Array.from(h.read(pdx, x.length));
    assertEquals(dx, [0, 0, 0, 0, 5, 5, 0, NaN, 0]);
    h.reset();
  }
});

const BINARY_OPS: BinaryName[] = ["add", "sub", "mul", "div"];

for (const op of BINARY_OPS) {
  for (const n of EDGE) {
    Deno.test(`f32_v${op}() matches f64 reference within 0.5 ulp for length ${n}`, () => {
      const a = randomF32(n, 500 + n), b = randomF32(n, 600 + n);
      const expected = binary(op, a, b);
      for (const h of harnesses) {
        const pa = h.f32(n, a), pb = h.f32(n, b);
        const whole = wholeAndSplit(h, n, n, (py, lo, hi) => {
          h.k[`f32_v${op}`](pa, pb, py, lo, hi);
        }, ODD_CUTS);
        assertUlps(whole, expected, 0.5, `f32_v${op} [${h.name}] n = ${n}`);
        // In place over a.
        const pc = h.f32(n, a);
        h.k[`f32_v${op}`](pc, pb, pc, 0, n);
        assertEquals(bits(h.read(pc, n)), bits(whole));
        h.reset();
      }
    });
  }
}

/** A broadcast case: output dims and the element strides of a and b (0 broadcasts). */
interface BcastCase {
  what: string;
  dims: number[];
  sa: number[];
  sb: number[];
}

function bcastCases(m: number, n: number): BcastCase[] {
  return [
    { what: `[${m},${n}] op row [${n}]`, dims: [1, 1, m, n], sa: [0, 0, n, 1], sb: [0, 0, 0, 1] },
    {
      what: `[${m},${n}] op column [${m},1]`,
      dims: [1, 1, m, n],
      sa: [0, 0, n, 1],
      sb: [0, 0, 1, 0],
    },
    { what: `[${m},${n}] op scalar`, dims: [1, 1, m, n], sa: [0, 0, n, 1], sb: [0, 0, 0, 0] },
    { what: `scalar op [${m},${n}]`, dims: [1, 1, m, n], sa: [0, 0, 0, 0], sb: [0, 0, n, 1] },
    {
      what: `column [${m},1] op row [1,${n}]`,
      dims: [1, 1, m, n],
      sa: [0, 0, 1, 0],
      sb: [0, 0, 0, 1],
    },
    {
      what: `[2,3,${m},${n}] op middle-broadcast [2,1,${m},${n}]`,
      dims: [2, 3, m, n],
      sa: [3 * m * n, m * n, n, 1],
      sb: [m * n, 0, n, 1],
    },
    {
      what: `[3,${m},${n}] same shape`,
      dims: [1, 3, m, n],
      sa: [0, m * n, n, 1],
      sb: [0, m * n, n, 1],
    },
    {
      what: `transposed [${n},${m}]^T op [${m},${n}]`,
      dims: [1, 1, m, n],
      sa: [0, 0, 1, m],
      sb: [0, 0, n, 1],
    },
  ];
}

/** Elements needed to read indices up to the largest offset of a stride pattern. */
function extent(dims: number[], s: number[]): number {
  return 1 + dims.reduce((acc, d, k) => acc + (d - 1) * s[k], 0);
}

for (const op of BINARY_OPS) {
  for (const [m, n] of [[1, 1], [3, 4], [5, 7], [2, 9], [4, 17], [3, 129], [17, 8]]) {
    Deno.test(`f32_vbinary_bcast() ${op} matches f64 reference for broadcasts of ${m}x${n}`, () => {
      for (const c of bcastCases(m, n)) {
        const a = randomF32(extent(c.dims, c.sa), m * 31 + n);
        const b = randomF32(extent(c.dims, c.sb), m * 37 + n).map((v) => v === 0 ? 0.5 : v);
        const expected = binaryBroadcast(op, a, b, c.dims, c.sa, c.sb);
        const rows = c.dims[0] * c.dims[1] * c.dims[2];
        for (const h of harnesses) {
          const pa = h.f32(a.length, a), pb = h.f32(b.length, b);
          const whole = wholeAndSplit(h, expected.length, rows, (py, lo, hi) => {
            h.k.f32_vbinary_bcast(BINARY_CODE[op], pa, pb, py, ...c.dims, ...c.sa, ...c.sb, lo, hi);
          }, ODD_CUTS);
          assertUlps(whole, expected, 0.5, `f32_vbinary_bcast ${op} [${h.name}] ${c.what}`);
          h.reset();
        }
      }
    });
  }
}

Deno.test("f32_vadd() debug build rejects begin > end", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  const p = h.f32(4);
  let message = "";
  try {
    h.k.f32_vadd(p, p, p, 3, 1);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("Kernel precondition failed"), message);
  h.reset();
});

Deno.test("f32_vexp() of a NaN-payload input stays NaN", () => {
  for (const h of harnesses) {
    const x = new Float32Array(new Uint32Array([0x7fc0beef, 0xffc00001, 0x7f800001]).buffer);
    const y = runUnary(h, "exp", x, [[0, 3]]);
    assert(y.every(Number.isNaN));
    assertClose(runUnary(h, "log", [1], [[0, 1]]), [0], Tol.exact, "log(1)");
    h.reset();
  }
});
