/**
 * Raw-kernel tests of assembly/reduce.ts against the float64 references in
 * tests/_reference/reduce.ts, on the release (plain and shared) and debug builds (STYLE C8-C10).
 * Shapes reduce over each axis position (inner == 1, outer == 1, both > 1) with lengths that
 * straddle the 8-wide body, the 4-wide body and the tail; every buffer sits between NaN-payload
 * guards, checked after every call; a run split into row ranges must give the bytes of one call.
 *
 * Error bounds (STYLE C9), first order in ε = 2^-24, per element from the reference's own terms:
 *   sum           recursive/blocked summation of k terms: (k - 1)·ε·Σ|x|, then ·scale: + ε|y|.
 *   prod          k - 1 products in any order, each rounding once: (k - 1)·ε·|y|.
 *   max, min, argmax, argmin   exact (the arg kernels write i32).
 *   i32 sum       exact, wrapping like int32 (the f64 reference's sum taken mod 2^32).
 *   logsumexp     as log-softmax's log S: σ = (spread + 2U_EXP + k)·ε relative in S becomes absolute
 *                 in log S, plus 2U_LOG·ε·log S and the final addition's ε|y|.
 *   softmax       e_i = exp(fl(x_i - m)): rel ε|x_i - m| (subtraction) + 2·U_EXP·ε (exp, U ulps
 *                 are at most 2U·ε relative); the sum of positive terms adds (cols - 1)ε relative;
 *                 the division ε. So rel 2(ε·spread + 2U_EXP·ε) + cols·ε, plus 2 subnormal ulps
 *                 absolute for outputs below 2^-126.
 *   log-softmax   ε|x_i - m| + σ + 2U_LOG·ε·|log S| + ε|y_i|, σ the relative error of S above
 *                 (log turns it into an absolute one).
 *   softmax'      s = Σ dy·y carries cols·ε·Σ|dy·y|, scaled by y_i; two more roundings 2ε|dx_i|.
 *   log-softmax'  S = Σ dy carries (cols - 1)ε·Σ|dy|, scaled by e^y_i; exp adds 2U_EXP·ε·e^y_i|S|,
 *                 the product and difference ε|e^y_i·S| + ε|dx_i|.
 * U_EXP = U_LOG = 2 are the ulp contracts that elementwise_test.ts asserts for exp and log.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { assertWithin, bits, EDGE, wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import {
  logSoftmax,
  logSoftmaxBackward,
  reduceArgmax,
  reduceArgmin,
  reduceLogSumExp,
  reduceMax,
  reduceMin,
  reduceProd,
  reduceSum,
  softmax,
  softmaxBackward,
} from "../_reference/reduce.ts";

const harnesses = await kernelHarnesses();

const EPS32 = 2 ** -24;
const U_EXP = 2, U_LOG = 2;
const SUBNORMAL_ULP = 2 ** -149;

/** The i32 values a kernel wrote into a buffer the harness reads as floats. */
const ints = (f: Float32Array): number[] =>
  Array.from(new Int32Array(f.buffer, f.byteOffset, f.length));

/** [outer, len, inner] shapes: inner == 1, outer == 1, both > 1. */
const SHAPES: [number, number, number][] = [
  ...EDGE.map((len): [number, number, number] => [3, len, 1]),
  ...EDGE.map((len): [number, number, number] => [1, len, 5]),
  ...[2, 3, 4, 8, 9, 17, 129].map((inner): [number, number, number] => [1, 7, inner]),
  [4, 9, 13],
  [5, 1, 7],
  [1, 1, 1],
  [2, 33, 8],
  // Several outer rows of short slices (inner <= 16: kept in registers, the last vector partial).
  ...[2, 3, 6, 7, 11, 12, 15, 16].map((inner): [number, number, number] => [5, 6, inner]),
];

for (const [outer, len, inner] of SHAPES) {
  const shape = `[${outer}, ${len}, ${inner}]`;
  Deno.test(`f32_reduce_sum() matches f64 reference for ${shape}`, () => {
    const x = randomF32(outer * len * inner, outer * 1000 + len * 10 + inner);
    for (const scale of [1, Math.fround(1 / len)]) {
      const expected = reduceSum(x, outer, len, inner, scale);
      const absSum = reduceSum(x.map(Math.abs), outer, len, inner, 1);
      const bound = (i: number) =>
        (len - 1) * EPS32 * absSum[i] * scale + EPS32 * Math.abs(expected[i]);
      for (const h of harnesses) {
        const px = h.f32(x.length, x);
        const y = wholeAndSplit(h, outer * inner, outer, (py, b, e) => {
          h.k.f32_reduce_sum(px, py, outer, len, inner, scale, b, e);
        });
        assertWithin(y, expected, bound, `f32_reduce_sum [${h.name}] ${shape} scale ${scale}`);
        h.reset();
      }
    }
  });

  Deno.test(`f32_reduce_prod() matches f64 reference for ${shape}`, () => {
    // Magnitudes in [0.8, 1.25] with random signs: products of 513 terms stay far from 0 and inf.
    const x = randomF32(outer * len * inner, outer * 100 + len * 3 + inner)
      .map((v) => Math.fround(Math.sign(v) * (0.8 + 0.45 * Math.abs(v))));
    const expected = reduceProd(x, outer, len, inner);
    const bound = (i: number) => Math.max(len - 1, 1) * EPS32 * Math.abs(expected[i]);
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      const y = wholeAndSplit(h, outer * inner, outer, (py, b, e) => {
        h.k.f32_reduce_prod(px, py, outer, len, inner, b, e);
      });
      assertWithin(y, expected, bound, `f32_reduce_prod [${h.name}] ${shape}`);
      h.reset();
    }
  });

  Deno.test(`f32_reduce_logsumexp() matches f64 reference for ${shape}`, () => {
    const spread = 10;
    const x = randomF32(outer * len * inner, outer * 50 + len * 9 + inner)
      .map((v) => Math.fround(v * spread / 2));
    const expected = reduceLogSumExp(x, outer, len, inner);
    const bound = (i: number) =>
      EPS32 * (spread + 2 * U_EXP + len + 2 * U_LOG * Math.log(len) + Math.abs(expected[i]));
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      const y = wholeAndSplit(h, outer * inner, outer, (py, b, e) => {
        h.k.f32_reduce_logsumexp(px, py, outer, len, inner, b, e);
      });
      assertWithin(y, expected, bound, `f32_reduce_logsumexp [${h.name}] ${shape}`);
      h.reset();
    }
  });

  Deno.test(`f32_reduce_max/min/argmax/argmin() are exact for ${shape}`, () => {
    // Coarse values so that rows hold ties (the arg kernels must pick the first); + 0 turns -0
    // into 0, whose order against 0 the IEEE maximum fixes but the reference's `>` does not.
    const x = randomF32(outer * len * inner, len * 7 + inner).map((v) => Math.round(v * 4) + 0);
    const cases = [
      ["f32_reduce_max", reduceMax(x, outer, len, inner)],
      ["f32_reduce_min", reduceMin(x, outer, len, inner)],
    ] as const;
    const argCases = [
      ["f32_reduce_argmax", reduceArgmax(x, outer, len, inner)],
      ["f32_reduce_argmin", reduceArgmin(x, outer, len, inner)],
    ] as const;
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      for (const [name, expected] of [...cases, ...argCases]) {
        const y = wholeAndSplit(h, outer * inner, outer, (py, b, e) => {
          h.k[name](px, py, outer, len, inner, b, e);
        });
        const got = name.includes("arg") ? ints(y) : Array.from(y);
        assertEquals(got, Array.from(expected), `${name} [${h.name}] ${shape}`);
      }
      h.reset();
    }
  });
}

Deno.test("i32_reduce_sum() matches exact sums and wraps around like int32", () => {
  for (const [outer, len, inner] of [[3, 17, 1], [2, 9, 5], [1, 33, 6], [4, 0, 3], [2, 3, 17]]) {
    const x = Array.from(randomF32(outer * len * inner, len + inner), (v) => Math.round(v * 1e9));
    const expected = Array.from(reduceSum(x, outer, len, inner, 1), (v) => v | 0);
    for (const h of harnesses) {
      const px = h.f32(x.length);
      new Int32Array(h.memory.buffer, px, x.length).set(x);
      const y = wholeAndSplit(h, outer * inner, outer, (py, b, e) => {
        h.k.i32_reduce_sum(px, py, outer, len, inner, b, e);
      });
      assertEquals(ints(y), expected, `i32_reduce_sum [${h.name}] [${outer}, ${len}, ${inner}]`);
      h.reset();
    }
  }
});

Deno.test("f32_reduce_max/min/prod/logsumexp() propagate NaN and the arg kernels return the first NaN", () => {
  // [outer 1, len 9, inner 5]: NaN in column 1 (twice), 3 and at the tail column 4; -inf column 2.
  const [outer, len, inner] = [1, 9, 5];
  const x = Array.from(randomF32(len * inner, 3));
  x[2 * inner + 1] = NaN;
  x[6 * inner + 1] = NaN;
  x[8 * inner + 3] = NaN;
  x[4 * inner + 4] = NaN;
  for (let j = 0; j < len; j++) x[j * inner + 2] = -Infinity;
  for (const [o, l, i] of [[outer, len, inner], [inner, len, 1]]) {
    // The second shape reads the same floats as 5 rows of 9 contiguous values (inner == 1).
    const refs = [
      ["f32_reduce_max", reduceMax(x, o, l, i)],
      ["f32_reduce_min", reduceMin(x, o, l, i)],
      ["f32_reduce_prod", reduceProd(x, o, l, i)],
      ["f32_reduce_logsumexp", reduceLogSumExp(x, o, l, i)],
      ["f32_reduce_argmax", reduceArgmax(x, o, l, i)],
      ["f32_reduce_argmin", reduceArgmin(x, o, l, i)],
    ] as const;
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      for (const [name, expected] of refs) {
        const py = h.f32(o * i);
        h.k[name](px, py, o, l, i, 0, o);
        h.checkGuards();
        const y = h.read(py, o * i);
        const got = name.includes("arg") ? ints(y) : Array.from(y);
        if (name === "f32_reduce_prod" || name === "f32_reduce_logsumexp") {
          // Only which outputs are NaN is exact here (the others are products or sums of 9 terms).
          assertEquals(got.map(Number.isNaN), Array.from(expected, Number.isNaN), name);
        } else assertEquals(got, Array.from(expected), `${name} [${h.name}] ${o}x${l}x${i}`);
      }
      h.reset();
    }
  }
  const ref = reduceArgmax(x, 1, 9, 5);
  assertEquals([ref[1], ref[2], ref[3], ref[4]], [2, 0, 8, 4], "the reference itself");
});

Deno.test("f32_reduce_sum() and f32_reduce_prod() with len 0 write 0 and 1", () => {
  for (const h of harnesses) {
    for (const inner of [1, 6]) {
      const py = h.f32(2 * inner, new Array(2 * inner).fill(9));
      h.k.f32_reduce_sum(h.f32(1), py, 2, 0, inner, 1, 0, 2);
      h.checkGuards();
      assertEquals(Array.from(h.read(py, 2 * inner)), new Array(2 * inner).fill(0));
      h.k.f32_reduce_prod(h.f32(1), py, 2, 0, inner, 0, 2);
      h.checkGuards();
      assertEquals(Array.from(h.read(py, 2 * inner)), new Array(2 * inner).fill(1));
    }
    h.reset();
  }
});

/** Softmax inputs: rows of uniform values in ±spread/2, and rows of ±1e3 entries. */
function softmaxInput(rows: number, cols: number, spread: number, seed: number): Float64Array {
  return randomF32(rows * cols, seed).map((v) => Math.fround(v * spread / 2));
}

/** The log-softmax bound of the header, per element; `spread` bounds |x_i - m| in a row. */
function logSoftmaxBound(x: Float64Array, expected: Float64Array, cols: number, spread: number) {
  const sigma = (spread + 2 * U_EXP + cols) * EPS32;
  return (i: number) => {
    const r = Math.floor(i / cols);
    const m = Math.max(...x.subarray(r * cols, (r + 1) * cols));
    const logS = (x[i] - m) - expected[i];
    return EPS32 * (Math.abs(x[i] - m) + Math.abs(expected[i])) + sigma +
      2 * U_LOG * EPS32 * Math.abs(logS);
  };
}

const ROWS = 3;
for (const cols of EDGE) {
  Deno.test(`f32_softmax() matches f64 reference for 3 rows of ${cols}`, () => {
    const spread = 10;
    const x = softmaxInput(ROWS, cols, spread, 70 + cols);
    const expected = softmax(x, ROWS, cols);
    const rel = (2 * (spread + 2 * U_EXP) + cols) * EPS32;
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      const y = wholeAndSplit(h, x.length, ROWS, (py, b, e) => {
        h.k.f32_softmax(px, py, ROWS, cols, b, e);
      });
      const bound = (i: number) => rel * expected[i] + 2 * SUBNORMAL_ULP;
      assertWithin(y, expected, bound, `f32_softmax [${h.name}] 3 x ${cols}`);
      // In place.
      const pxy = h.f32(x.length, x);
      h.k.f32_softmax(pxy, pxy, ROWS, cols, 0, ROWS);
      assertEquals(bits(h.read(pxy, x.length)), bits(y), "in place");
      h.reset();
    }
  });

  Deno.test(`f32_log_softmax() matches f64 reference for 3 rows of ${cols}`, () => {
    const spread = 10;
    const x = softmaxInput(ROWS, cols, spread, 90 + cols);
    const expected = logSoftmax(x, ROWS, cols);
    for (const h of harnesses) {
      const px = h.f32(x.length, x);
      const y = wholeAndSplit(h, x.length, ROWS, (py, b, e) => {
        h.k.f32_log_softmax(px, py, ROWS, cols, b, e);
      });
      const bound = logSoftmaxBound(x, expected, cols, spread);
      assertWithin(y, expected, bound, `f32_log_softmax [${h.name}] 3 x ${cols}`);
      const pxy = h.f32(x.length, x);
      h.k.f32_log_softmax(pxy, pxy, ROWS, cols, 0, ROWS);
      assertEquals(bits(h.read(pxy, x.length)), bits(y), "in place");
      h.reset();
    }
  });

  Deno.test(`f32_softmax_bwd() and f32_log_softmax_bwd() match f64 reference for 3 rows of ${cols}`, () => {
    const dy = randomF32(ROWS * cols, 110 + cols);
    const y = Float64Array.from(
      softmax(softmaxInput(ROWS, cols, 6, 120 + cols), ROWS, cols),
      Math.fround,
    );
    const logY = Float64Array.from(Array.from(y), (v) => Math.fround(Math.log(v)));
    const rowSum = (v: ArrayLike<number>, r: number) => {
      let s = 0;
      for (let j = 0; j < cols; j++) s += v[r * cols + j];
      return s;
    };
    const absDyY = Array.from(dy, (v, i) => Math.abs(v * y[i]));
    const absDy = Array.from(dy, Math.abs);
    const expSm = softmaxBackward(dy, y, ROWS, cols);
    const expLsm = logSoftmaxBackward(dy, logY, ROWS, cols);
    const smBound = (i: number) =>
      y[i] * cols * EPS32 * rowSum(absDyY, Math.floor(i / cols)) + 2 * EPS32 * Math.abs(expSm[i]);
    const lsmBound = (i: number) => {
      const r = Math.floor(i / cols), e = Math.exp(logY[i]), s = Math.abs(rowSum(dy, r));
      return e * (cols - 1) * EPS32 * rowSum(absDy, r) + (2 * U_EXP + 1) * EPS32 * e * s +
        EPS32 * Math.abs(expLsm[i]);
    };
    for (const h of harnesses) {
      const pdy = h.f32(dy.length, dy), py = h.f32(y.length, y), pl = h.f32(y.length, logY);
      const sm = wholeAndSplit(h, dy.length, ROWS, (pdx, b, e) => {
        h.k.f32_softmax_bwd(pdy, py, pdx, ROWS, cols, b, e);
      });
      assertWithin(sm, expSm, smBound, `f32_softmax_bwd [${h.name}] 3 x ${cols}`);
      const lsm = wholeAndSplit(h, dy.length, ROWS, (pdx, b, e) => {
        h.k.f32_log_softmax_bwd(pdy, pl, pdx, ROWS, cols, b, e);
      });
      assertWithin(lsm, expLsm, lsmBound, `f32_log_softmax_bwd [${h.name}] 3 x ${cols}`);
      h.reset();
    }
  });
}

Deno.test("f32_softmax() and f32_log_softmax() on rows with entries of ±1e3 give no NaN or Inf", () => {
  const cols = 13;
  const x = new Float64Array(4 * cols);
  for (let i = 0; i < x.length; i++) x[i] = [1000, -1000, 999.5, 0, -999, 1000][i % 6];
  x.fill(-1000, 2 * cols, 3 * cols); // a row where every entry is -1e3
  x.fill(1000, 3 * cols, 4 * cols);
  const sm = softmax(x, 4, cols), lsm = logSoftmax(x, 4, cols);
  for (const h of harnesses) {
    const px = h.f32(x.length, x), py = h.f32(x.length), pl = h.f32(x.length);
    h.k.f32_softmax(px, py, 4, cols, 0, 4);
    h.k.f32_log_softmax(px, pl, 4, cols, 0, 4);
    h.checkGuards();
    const y = h.read(py, x.length), l = h.read(pl, x.length);
    assert(y.every(Number.isFinite) && l.every(Number.isFinite), `${y} ${l}`);
    // Entries 0.5 below the max at most, or underflowing to exactly 0: spread 1 in the bound.
    const rel = (2 * (1 + 2 * U_EXP) + cols) * EPS32;
    assertWithin(y, sm, (i) => rel * sm[i], "softmax ±1e3");
    assertWithin(l, lsm, logSoftmaxBound(x, lsm, cols, 2000), "log_softmax ±1e3");
    h.reset();
  }
});

Deno.test("f32_softmax() of a row with NaN gives NaN in that row only", () => {
  const x = [0, 1, NaN, 2, 0, 1, 2, 3];
  for (const h of harnesses) {
    const py = h.f32(8);
    h.k.f32_softmax(h.f32(8, x), py, 2, 4, 0, 2);
    const y = h.read(py, 8);
    assert(y.subarray(0, 4).every(Number.isNaN) && y.subarray(4).every(Number.isFinite), `${y}`);
    h.reset();
  }
});

Deno.test("f32_reduce_max() debug build rejects len 0", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  const p = h.f32(4);
  let message = "";
  try {
    h.k.f32_reduce_max(p, p, 1, 0, 1, 0, 1);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("Kernel precondition failed"), message);
  h.reset();
});
