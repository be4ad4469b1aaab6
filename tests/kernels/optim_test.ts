/**
 * Raw-kernel tests of the optimizer updates and clipping helpers (assembly/optim.ts) against the
 * float64 references in tests/_reference/optim.ts, on the release (plain and shared) and debug
 * builds (STYLE C8-C10). Lengths straddle the 8-wide body, the 4-wide body and the tail; every
 * buffer sits at an unaligned address between per-buffer fences and the harness's NaN-payload
 * guards, all checked after every call; range splits must give identical bytes.
 *
 * Tolerances (STYLE C9), first order in the f32 unit roundoff ε = 2^-24: every kernel input and
 * hyperparameter is an f32 value that the reference sees exactly, and each f32 operation adds a
 * relative error of at most ε. The optimizers carry state over S = 5 steps, so each bound is a sum
 * over steps t = 1..S of what one step adds (derived next to each optimizer below); it is absolute
 * (scaled by the largest magnitude on the reference trajectory) where a subtraction can cancel,
 * relative where every term is positive (Adam's v, RMSprop's ms).
 */
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { bits, EDGE, ODD_CUTS, pieces, type Range } from "../_util/kernel_checks.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import {
  adamStep,
  axpy,
  clip,
  rmspropStep,
  scale,
  sgdStep,
  sumSquares,
} from "../_reference/optim.ts";

const harnesses = await kernelHarnesses();

const EPS32 = 2 ** -24;
const STEPS = 5;
const f = Math.fround;

const whole = (n: number): Range[] => [[0, n]];

const absTol = (abs: number): Tolerance => ({ rel: 0, abs });
const relTol = (rel: number): Tolerance => ({ rel, abs: 0 });
const maxAbs = (x: ArrayLike<number>) =>
  Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function write(h: KernelHarness, ptr: number, values: ArrayLike<number>): void {
  new Float32Array(h.memory.buffer, ptr, values.length).set(values);
}

// The harness rounds buffers up to 64 bytes before its guard; to catch a store just past `end`
// (or just before `begin`), every buffer here starts OFF floats into its allocation (so vectors
// are unaligned too) and is fenced by PAD words on either side. The fence is a finite value, not
// a NaN, and differs per buffer: an update kernel reading and writing back a NaN payload, or
// copying one buffer's fence into another's, would leave a NaN fence intact.
const OFF = 5, PAD = 8;
const fences: [ptr: number, n: number, bits: number][] = [];

function fresh(h: KernelHarness): void {
  h.reset();
  fences.length = 0;
}

/** n floats from `init` (zeros if absent) at an unaligned, fenced address. */
function put(h: KernelHarness, n: number, init?: ArrayLike<number>): number {
  const base = h.f32(OFF + n + PAD);
  const fence = new Uint32Array(new Float32Array([0.3 + 0.01 * fences.length]).buffer)[0];
  new Uint32Array(h.memory.buffer, base, OFF + n + PAD).fill(fence);
  const ptr = base + 4 * OFF;
  write(h, ptr, init ?? new Float32Array(n));
  fences.push([ptr, n, fence]);
  return ptr;
}

/** Throws when a fence or a harness guard was written. */
function checkFences(h: KernelHarness): void {
  for (const [ptr, n, fence] of fences) {
    const u = new Uint32Array(h.memory.buffer, ptr - 4 * OFF, OFF + n + PAD);
    for (let i = 0; i < u.length; i++) {
      if ((i < OFF || i >= OFF + n) && u[i] !== fence) {
        throw new Error(`fence of a ${n}-float buffer written at element ${i - OFF} on ${h.name}`);
      }
    }
  }
  h.checkGuards();
}

/** Gradient of step t (1-based), the same for kernel and reference. */
const gradient = (n: number, t: number) => randomF32(n, 100 + t);

/** Largest magnitudes met on the reference trajectory: w, each state, and g. */
interface Peaks {
  w: number;
  states: number[];
  g: number;
}

/** One optimizer variant: how to call the kernel and the reference, and its error bounds. */
interface Optimizer {
  name: string;
  /** Number of state arrays (momentum 0 has none: the kernel gets pointer 0). */
  states: number;
  kernel(h: KernelHarness, w: number, g: number, s: number[], t: number, r: Range): void;
  reference(w: Float64Array, g: Float64Array, s: Float64Array[], t: number): void;
  /** Bounds on |kernel - reference| after STEPS steps: w, then each state. */
  tolerances(p: Peaks): Tolerance[];
}

// SGD, lr = η, momentum μ < 1; on the trajectory B = max(|v|, η|g|) and W = max|w|.
//   v = μv - ηg adds ε(μ|v| + η|g| + |v'|) <= 3εB:  |Δv| <= 3tεB after t steps.
//   w += v adds |Δv| + εW;  nesterov w += μv - ηg adds |Δv| + ε(μ|v| + η|g| + |dw|) + εW
//   <= |Δv| + 4εB + εW;  μ = 0: w -= ηg adds ε(η|g| + |w'|) <= ε(B + W).
const SGD_LR = f(0.1), MOMENTUM = f(0.9);
const sumT = (fn: (t: number) => number) => {
  let s = 0;
  for (let t = 1; t <= STEPS; t++) s += fn(t);
  return s;
};

function sgd(momentum: number, nesterov: boolean): Optimizer {
  const name = `f32_sgd_step() with momentum ${momentum === 0 ? 0 : 0.9}` +
    (momentum === 0 ? "" : nesterov ? " and nesterov" : " without nesterov");
  return {
    name,
    states: momentum === 0 ? 0 : 1,
    kernel: (h, w, g, s, _t, [b, e]) =>
      h.k.f32_sgd_step(w, g, s[0] ?? 0, SGD_LR, momentum, nesterov ? 1 : 0, b, e),
    reference: (w, g, s, _t) =>
      sgdStep(w, g, s[0] ?? new Float64Array(w.length), SGD_LR, momentum, nesterov),
    tolerances: (p) => {
      const b = Math.max(p.states[0] ?? 0, SGD_LR * p.g);
      if (momentum === 0) return [absTol(STEPS * EPS32 * (b + p.w))];
      const extra = nesterov ? 4 : 0;
      return [
        absTol(sumT((t) => (3 * t + extra) * b + p.w) * EPS32),
        absTol(3 * STEPS * EPS32 * b),
      ];
    },
  };
}

// Adam, G = max|g|: m is a convex combination of gradients, so |m| <= G and each step adds
// ε(β1|m| + (1-β1)|g| + |m'|) <= 2εG (1 - β1 is exact in f32 for β1 in [0.5, 1], Sterbenz).
// v sums positive terms: relative error <= (2t + 1)ε. The update Δ = lrT·m / (sqrt(v) + eps) has
// relative error (5.5 + t)ε (lrT rounded to f32, mul, sqrt, add, div, half of v's) plus
// lrT·|Δm| / sqrt(v); as v >= (1-β2)β2^(t-1)G², both |Δ| and lrT·G / sqrt(v) are at most
// A_t = lrT / sqrt((1-β2)β2^(t-1)), so w gains ε|w| + (5.5 + 3t)εA_t per step.
const ADAM = { lr: f(0.05), beta1: f(0.9), beta2: f(0.999), epsilon: f(1e-7) };
const adamLrT = (t: number) => ADAM.lr * Math.sqrt(1 - ADAM.beta2 ** t) / (1 - ADAM.beta1 ** t);

const adam: Optimizer = {
  name: "f32_adam_step()",
  states: 2,
  kernel: (h, w, g, [m, v], t, [b, e]) =>
    h.k.f32_adam_step(w, g, m, v, f(adamLrT(t)), ADAM.beta1, ADAM.beta2, ADAM.epsilon, b, e),
  reference: (w, g, [m, v], t) => adamStep(w, g, m, v, ADAM, t),
  tolerances: (p) => {
    const a = (t: number) => adamLrT(t) / Math.sqrt((1 - ADAM.beta2) * ADAM.beta2 ** (t - 1));
    return [
      absTol(sumT((t) => p.w + (5.5 + 3 * t) * a(t)) * EPS32),
      absTol(2 * STEPS * EPS32 * p.g),
      relTol((2 * STEPS + 1) * EPS32),
    ];
  },
};

// RMSprop: ms sums positive terms, relative error <= (2t + 1)ε; Δ = lr·g / (sqrt(ms) + eps) has
// relative error (4.5 + t)ε and |Δ| <= lr / sqrt(1 - ρ) = A, so w gains ε|w| + (4.5 + t)εA per
// step.
const RMS = { lr: f(0.01), rho: f(0.9), epsilon: f(1e-7) };
const rmsprop: Optimizer = {
  name: "f32_rmsprop_step()",
  states: 1,
  kernel: (h, w, g, [ms], _t, [b, e]) =>
    h.k.f32_rmsprop_step(w, g, ms, RMS.lr, RMS.rho, RMS.epsilon, b, e),
  reference: (w, g, [ms], _t) => rmspropStep(w, g, ms, RMS.lr, RMS.rho, RMS.epsilon),
  tolerances: (p) => {
    const a = RMS.lr / Math.sqrt(1 - RMS.rho);
    return [
      absTol(sumT((t) => p.w + (4.5 + t) * a) * EPS32),
      relTol((2 * STEPS + 1) * EPS32),
    ];
  },
};

const OPTIMIZERS = [sgd(0, false), sgd(MOMENTUM, false), sgd(MOMENTUM, true), adam, rmsprop];

/** Initial w in [-1, 1]; SGD momentum starts random, Adam/RMSprop state at zero as in Keras. */
function initial(opt: Optimizer, n: number): Float64Array[] {
  const w = randomF32(n, 1);
  const states = Array.from(
    { length: opt.states },
    (_, i) => opt === adam || opt === rmsprop ? new Float64Array(n) : randomF32(n, 2 + i),
  );
  return [w, ...states];
}

/** STEPS kernel steps, each over the given ranges in order; returns w and the states. */
function runKernel(h: KernelHarness, opt: Optimizer, n: number, ranges: Range[]): Float32Array[] {
  fresh(h);
  const [w, ...s] = initial(opt, n).map((x) => put(h, n, x));
  const g = put(h, n);
  const low = h.read(0, h.k.heap_base() >> 2); // below the arena: a 0 pointer must reach nothing
  for (let t = 1; t <= STEPS; t++) {
    write(h, g, gradient(n, t));
    for (const r of ranges) opt.kernel(h, w, g, s, t, r);
    checkFences(h);
  }
  assertEquals(bits(h.read(0, low.length)), bits(low), `${opt.name}: memory below the arena`);
  return [w, ...s].map((p) => h.read(p, n));
}

for (const opt of OPTIMIZERS) {
  for (const n of EDGE) {
    Deno.test(`${opt.name} matches the Keras formula over ${STEPS} steps for length ${n}`, () => {
      const ref = initial(opt, n);
      const peaks: Peaks = { w: maxAbs(ref[0]), states: ref.slice(1).map(maxAbs), g: 0 };
      for (let t = 1; t <= STEPS; t++) {
        const g = gradient(n, t);
        opt.reference(ref[0], g, ref.slice(1), t);
        peaks.w = Math.max(peaks.w, maxAbs(ref[0]));
        peaks.states = peaks.states.map((m, i) => Math.max(m, maxAbs(ref[i + 1])));
        peaks.g = Math.max(peaks.g, maxAbs(g));
      }
      const tols = opt.tolerances(peaks);
      for (const h of harnesses) {
        const got = runKernel(h, opt, n, whole(n));
        got.forEach((x, i) =>
          assertClose(x, ref[i], tols[i], `${opt.name} on ${h.name}, n = ${n}, array ${i}`)
        );
      }
    });
  }

  Deno.test(`${opt.name} gives identical bytes when [0, n) is split into three ranges`, () => {
    for (const h of harnesses) {
      for (const n of EDGE) {
        const one = runKernel(h, opt, n, whole(n)).map(bits);
        const split = runKernel(h, opt, n, pieces(n, ...ODD_CUTS)).map(bits);
        assertEquals(split, one, `${opt.name} on ${h.name}, n = ${n}`);
      }
    }
  });
}

Deno.test("f32_sgd_step() with momentum 0 leaves a NaN momentum buffer untouched", () => {
  for (const h of harnesses) {
    fresh(h);
    const v = put(h, 9, new Array(9).fill(NaN));
    const w = put(h, 9, randomF32(9, 1)), g = put(h, 9, randomF32(9, 2));
    const before = bits(h.read(v, 9));
    h.k.f32_sgd_step(w, g, v, SGD_LR, 0, 1, 0, 9);
    checkFences(h);
    assertEquals(bits(h.read(v, 9)), before);
    assert(h.read(w, 9).every(Number.isFinite), `w on ${h.name}`);
  }
});

/** Values with every special case clip has to keep apart from the [-0.5, 0.75] interval. */
function clipInput(n: number): Float64Array {
  const x = randomF32(n, 7).map((v) => 2 * v);
  const special = [NaN, Infinity, -Infinity, -0, -0.5, 0.75];
  for (let i = 0; i < n; i += 3) x[i] = special[(i / 3) % special.length];
  return x;
}

for (const n of EDGE) {
  Deno.test(`f32_clip() clamps to [lo, hi] and keeps NaN for length ${n}, also in place`, () => {
    const x = clipInput(n), lo = -0.5, hi = 0.75;
    for (const h of harnesses) {
      fresh(h);
      const px = put(h, n, x), py = put(h, n, new Array(n).fill(42));
      h.k.f32_clip(px, py, lo, hi, 0, n);
      assertClose(h.read(py, n), clip(x, lo, hi), Tol.exact, `f32_clip on ${h.name}, n = ${n}`);
      h.k.f32_clip(px, px, lo, hi, 0, n);
      assertClose(h.read(px, n), clip(x, lo, hi), Tol.exact, `in place on ${h.name}, n = ${n}`);
      checkFences(h);
    }
  });

  // One rounding of the exact product: Tol.rounding.
  Deno.test(`f32_scale() multiplies by s for length ${n}, also in place`, () => {
    const x = randomF32(n, 8), s = f(-0.37);
    for (const h of harnesses) {
      fresh(h);
      const px = put(h, n, x), py = put(h, n);
      h.k.f32_scale(px, py, s, 0, n);
      h.k.f32_scale(px, px, s, 0, n);
      assertClose(h.read(py, n), scale(x, s), Tol.rounding, `f32_scale on ${h.name}, n = ${n}`);
      assertEquals(bits(h.read(px, n)), bits(h.read(py, n)), `in place on ${h.name}`);
      checkFences(h);
    }
  });

  // y + a·x: the product adds ε|a·x|, the sum ε|y + a·x|: at most 2ε(|y| + |a·x|) in all.
  Deno.test(`f32_axpy() accumulates a·x into y for length ${n}`, () => {
    const x = randomF32(n, 9), y = randomF32(n, 10), a = f(2 * 0.01);
    const tol = absTol(2 * EPS32 * (maxAbs(y) + Math.abs(a) * maxAbs(x)));
    for (const h of harnesses) {
      fresh(h);
      const px = put(h, n, x), py = put(h, n, y);
      h.k.f32_axpy(px, py, a, 0, n);
      assertClose(h.read(py, n), axpy(x, y, a), tol, `f32_axpy on ${h.name}, n = ${n}`);
      checkFences(h);
    }
  });

  // Squares of f32 values are exact in f64, and both sums add n positive terms, each within
  // (n - 1)·2^-53 of the exact sum: |kernel - reference| <= 2n·2^-53·sum.
  Deno.test(`f32_sum_squares() matches the f64 sum for length ${n} at offsets 0 and 3`, () => {
    const x = randomF32(n + 3, 11);
    const results = harnesses.map((h) => {
      fresh(h);
      const px = put(h, n + 3, x);
      const got = [h.k.f32_sum_squares(px, 0, n), h.k.f32_sum_squares(px, 3, n + 3)];
      assertClose(
        got,
        [sumSquares(x.subarray(0, n)), sumSquares(x.subarray(3))],
        relTol(2 * n * 2 ** -53),
        `f32_sum_squares on ${h.name}, n = ${n}`,
      );
      assertEquals(h.k.f32_sum_squares(px, 2, 2), 0);
      checkFences(h);
      return got;
    });
    assertEquals(results[1], results[0], "release-shared vs release: same bits");
    assertEquals(results[2], results[0], "debug vs release: same bits");
  });
}

Deno.test("f32_clip(), f32_scale() and f32_axpy() give identical bytes over three ranges", () => {
  for (const h of harnesses) {
    for (const n of EDGE) {
      const run = (ranges: Range[]) => {
        fresh(h);
        const x = put(h, n, clipInput(n)), y = put(h, n, randomF32(n, 3));
        const c = put(h, n), s = put(h, n);
        for (const [b, e] of ranges) {
          h.k.f32_clip(x, c, -0.5, 0.75, b, e);
          h.k.f32_scale(x, s, 1.5, b, e);
          h.k.f32_axpy(x, y, -0.25, b, e);
        }
        checkFences(h);
        return [c, s, y].map((p) => bits(h.read(p, n)));
      };
      assertEquals(run(pieces(n, ...ODD_CUTS)), run(whole(n)), `${h.name}, n = ${n}`);
    }
  }
});

Deno.test("f32_*() optimizer kernels assert their preconditions in the debug build", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  h.reset();
  const p = h.f32(8);
  const msg = "Kernel precondition failed";
  assertThrows(() => h.k.f32_adam_step(p, p, p, p, 0.1, 0.9, 0.999, 1e-7, 5, 3), Error, msg);
  assertThrows(() => h.k.f32_sgd_step(p, p, 0, 0.1, 0.9, 0, 0, 8), Error, msg);
  assertThrows(() => h.k.f32_clip(p, p, 1, -1, 0, 8), Error, msg);
  assertThrows(() => h.k.f32_sum_squares(p, -1, 8), Error, msg);
});
