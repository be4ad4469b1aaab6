/**
 * Raw-kernel tests of f32_conv2d_nhwc, f32_conv2d_nhwc_bwd_data and f32_conv2d_nhwc_bwd_filter
 * (assembly/conv.ts) against the direct float64 loops of tests/_reference/conv.ts, on the release
 * (plain and shared) and debug builds (STYLE C8-C10).
 *
 * Configurations cover odd sizes, strides 2 and 3, "same" (symmetric and asymmetric padding) and
 * "valid", dilation 2 and 3, 1x1 filters (the direct GEMM path and the strided im2col path),
 * batch 1 and 16, channels 1, 3, 17 and 33 output channels (a partial GEMM panel), and problems
 * large enough to need several im2col chunks. Every buffer sits between NaN-payload guards,
 * checked after every call; outputs and scratch start as NaN, so an unwritten output or a read of
 * stale scratch shows.
 *
 * Tolerance (STYLE C9): every output is an f32 sum of s products (s = K + 1 for y with its bias,
 * outC + fh·fw for dx: a GEMM over outC, then one add per tap, and batch·outH·outW for dw), so its
 * error is at most about s·ε32·Σ|terms|; the bound is 2(s + 2)·ε32·Σ|terms|, with Σ|terms|
 * computed by the same reference over absolute values. Activations are 1-Lipschitz; sigmoid and
 * tanh add at most 3 ulp (assembly/simd.ts).
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import type { GemmActivation } from "../_reference/gemm.ts";
import {
  conv2dBackwardDataReference,
  conv2dBackwardFilterReference,
  conv2dReference,
  type ConvGeometry,
  convGeometry,
} from "../_reference/conv.ts";

const harnesses = await kernelHarnesses();
const EPS32 = 2 ** -24;
const ACT_CODE: Record<GemmActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };

interface ConvCase {
  batch: number;
  h: number;
  w: number;
  inC: number;
  outC: number;
  fh: number;
  fw: number;
  stride: number | [number, number];
  dil?: number | [number, number];
  padding: "same" | "valid";
}

const geometry = (cs: ConvCase): ConvGeometry =>
  convGeometry(
    [cs.batch, cs.h, cs.w, cs.inC],
    [cs.fh, cs.fw, cs.outC],
    cs.stride,
    cs.dil,
    cs.padding,
  );

function describe(g: ConvGeometry): string {
  return `x [${g.batch}, ${g.inH}, ${g.inW}, ${g.inC}] * w [${g.fh}, ${g.fw}, ${g.inC}, ${g.outC}]` +
    ` -> [${g.outH}, ${g.outW}], stride ${g.strideH}x${g.strideW}, dilation ${g.dilH}x${g.dilW},` +
    ` pad ${g.padTop}/${g.padLeft}`;
}

const sizes = (g: ConvGeometry) => ({
  x: g.batch * g.inH * g.inW * g.inC,
  w: g.fh * g.fw * g.inC * g.outC,
  y: g.batch * g.outH * g.outW * g.outC,
});

/** The geometry arguments shared by the three kernels, in ABI order. */
function geomArgs(g: ConvGeometry): number[] {
  return [
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.outC,
    g.fh,
    g.fw,
    g.strideH,
    g.strideW,
    g.dilH,
    g.dilW,
    g.padTop,
    g.padLeft,
  ];
}

const nan = (n: number) => new Float32Array(n).fill(NaN);

function scratch(h: KernelHarness, g: ConvGeometry): number {
  const floats = h.k.f32_conv2d_scratch_bytes(g.fh, g.fw, g.inC, g.outC) / 4;
  return h.f32(floats, nan(floats));
}

function packed(h: KernelHarness, g: ConvGeometry, w: number, transposed: number): number {
  const floats = h.k.f32_conv2d_packed_filter_bytes(g.fh, g.fw, g.inC, g.outC, transposed) / 4;
  const p = h.f32(floats, nan(floats));
  h.k.f32_conv2d_pack_filter(w, g.fh, g.fw, g.inC, g.outC, transposed, p);
  h.checkGuards();
  return p;
}

/** Batch boundaries [0, ..., batch] of one call sequence. */
type Cuts = number[];

/** Calls `kernel(begin, end)` for each batch range of `cuts`, checking the guards after each. */
function overCuts(h: KernelHarness, cuts: Cuts, kernel: (begin: number, end: number) => void) {
  for (let i = 0; i + 1 < cuts.length; i++) {
    kernel(cuts[i], cuts[i + 1]);
    h.checkGuards();
  }
}

function runForward(
  h: KernelHarness,
  g: ConvGeometry,
  x: Float64Array,
  w: Float64Array,
  bias: Float64Array | undefined,
  act: GemmActivation,
  cuts: Cuts = [0, g.batch],
): Float32Array {
  h.reset();
  const n = sizes(g);
  const xp = h.f32(n.x, x), wp = h.f32(n.w, w);
  const bp = bias ? h.f32(g.outC, bias) : 0;
  const yp = h.f32(n.y, nan(n.y));
  const pw = packed(h, g, wp, 0);
  const s = scratch(h, g);
  overCuts(h, cuts, (b, e) => {
    h.k.f32_conv2d_nhwc(xp, pw, bp, yp, ...geomArgs(g), ACT_CODE[act], b, e, s);
  });
  return h.read(yp, n.y);
}

function runBackwardData(
  h: KernelHarness,
  g: ConvGeometry,
  dy: Float64Array,
  w: Float64Array,
  cuts: Cuts = [0, g.batch],
): Float32Array {
  h.reset();
  const n = sizes(g);
  const dyp = h.f32(n.y, dy), wp = h.f32(n.w, w);
  const dxp = h.f32(n.x, nan(n.x));
  const pw = packed(h, g, wp, 1);
  const s = scratch(h, g);
  overCuts(h, cuts, (b, e) => h.k.f32_conv2d_nhwc_bwd_data(dyp, pw, dxp, ...geomArgs(g), b, e, s));
  return h.read(dxp, n.x);
}

function runBackwardFilter(
  h: KernelHarness,
  g: ConvGeometry,
  x: Float64Array,
  dy: Float64Array,
  cuts: Cuts = [0, g.batch],
  dw0?: Float64Array,
): Float32Array {
  h.reset();
  const n = sizes(g);
  const xp = h.f32(n.x, x), dyp = h.f32(n.y, dy);
  const dwp = h.f32(n.w, dw0);
  const s = scratch(h, g);
  overCuts(
    h,
    cuts,
    (b, e) => h.k.f32_conv2d_nhwc_bwd_filter(xp, dyp, dwp, ...geomArgs(g), b, e, s),
  );
  return h.read(dwp, n.w);
}

/** First element outside 2(s + 2)·ε32·Σ|terms| (+ act ulps), or undefined. */
function mismatch(
  actual: Float32Array,
  expected: Float64Array,
  absSum: Float64Array,
  s: number,
  ulps = 0,
): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    const bound = 2 * (s + 2) * EPS32 * absSum[i] + ulps * EPS32 * Math.abs(expected[i]) + 1e-30;
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= bound)) {
      return `first mismatch at [${i}]: actual ${actual[i]}, expected ${expected[i]}, ` +
        `|diff| ${diff} > bound ${bound}`;
    }
  }
  return undefined;
}

const abs = (a: Float64Array) => a.map(Math.abs);

const ACTS: GemmActivation[] = ["none", "relu", "sigmoid", "tanh"];

/** Checks forward (with an activation and maybe a bias), dx and dw of one case on every build. */
function checkCase(cs: ConvCase, seed: number, failures: string[], builds = harnesses): void {
  const g = geometry(cs);
  const n = sizes(g);
  const x = randomF32(n.x, seed), w = randomF32(n.w, seed + 1), dy = randomF32(n.y, seed + 2);
  const act = ACTS[seed % 4];
  const bias = seed % 2 === 0 ? randomF32(g.outC, seed + 3) : undefined;
  const ref = conv2dReference(g, x, w, bias, act);
  const zAbs = conv2dReference(g, abs(x), abs(w), bias && abs(bias)).z;
  const dxRef = conv2dBackwardDataReference(g, dy, w);
  const dxAbs = conv2dBackwardDataReference(g, abs(dy), abs(w));
  const dwRef = conv2dBackwardFilterReference(g, x, dy);
  const dwAbs = conv2dBackwardFilterReference(g, abs(x), abs(dy));
  const k = g.fh * g.fw * g.inC;
  for (const h of builds) {
    const what = `${h.name}: ${describe(g)}`;
    const ulps = act === "sigmoid" || act === "tanh" ? 3 : 0;
    const checks: [string, () => string | undefined][] = [
      [
        `y (${act}${bias ? ", bias" : ""})`,
        () => mismatch(runForward(h, g, x, w, bias, act), ref.y, zAbs, k + 1, ulps),
      ],
      ["dx", () => mismatch(runBackwardData(h, g, dy, w), dxRef, dxAbs, g.outC + g.fh * g.fw)],
      [
        "dw",
        () => mismatch(runBackwardFilter(h, g, x, dy), dwRef, dwAbs, g.batch * g.outH * g.outW),
      ],
    ];
    for (const [name, check] of checks) {
      let message: string | undefined;
      try {
        message = check();
      } catch (e) {
        message = (e as Error).message;
      }
      if (message) failures.push(`${what}: ${name}: ${message}`);
    }
  }
}

function assertNoFailures(failures: string[], runs: number): void {
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${runs} checks failed:\n  ${failures.slice(0, 6).join("\n  ")}`,
    );
  }
}

const CASES: ConvCase[] = [
  { batch: 1, h: 5, w: 5, inC: 1, outC: 1, fh: 3, fw: 3, stride: 1, padding: "valid" },
  { batch: 1, h: 5, w: 5, inC: 1, outC: 1, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 2, h: 7, w: 9, inC: 3, outC: 4, fh: 3, fw: 3, stride: 2, padding: "same" },
  { batch: 2, h: 7, w: 9, inC: 3, outC: 4, fh: 3, fw: 3, stride: 2, padding: "valid" },
  { batch: 1, h: 9, w: 7, inC: 3, outC: 5, fh: 3, fw: 3, stride: 1, dil: 2, padding: "same" },
  { batch: 1, h: 9, w: 7, inC: 3, outC: 5, fh: 3, fw: 3, stride: 1, dil: 2, padding: "valid" },
  { batch: 3, h: 6, w: 6, inC: 17, outC: 8, fh: 1, fw: 1, stride: 1, padding: "valid" },
  { batch: 3, h: 6, w: 6, inC: 17, outC: 8, fh: 1, fw: 1, stride: 1, padding: "same" },
  { batch: 3, h: 7, w: 6, inC: 17, outC: 8, fh: 1, fw: 1, stride: 2, padding: "valid" },
  { batch: 3, h: 7, w: 6, inC: 3, outC: 9, fh: 1, fw: 1, stride: 2, padding: "same" },
  { batch: 16, h: 8, w: 8, inC: 3, outC: 17, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 16, h: 5, w: 5, inC: 1, outC: 6, fh: 5, fw: 5, stride: 1, padding: "valid" },
  { batch: 2, h: 11, w: 13, inC: 17, outC: 3, fh: 5, fw: 3, stride: 2, padding: "same" },
  { batch: 1, h: 10, w: 10, inC: 3, outC: 9, fh: 4, fw: 4, stride: 2, padding: "same" },
  { batch: 1, h: 10, w: 11, inC: 3, outC: 9, fh: 4, fw: 4, stride: 3, padding: "valid" },
  { batch: 2, h: 6, w: 7, inC: 1, outC: 3, fh: 2, fw: 3, stride: 1, padding: "same" },
  { batch: 1, h: 13, w: 13, inC: 5, outC: 7, fh: 3, fw: 5, stride: 1, dil: 2, padding: "same" },
  { batch: 2, h: 8, w: 8, inC: 4, outC: 33, fh: 3, fw: 3, stride: 1, padding: "valid" },
  { batch: 1, h: 1, w: 1, inC: 3, outC: 4, fh: 1, fw: 1, stride: 1, padding: "valid" },
  { batch: 1, h: 3, w: 3, inC: 2, outC: 2, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 4, h: 5, w: 9, inC: 17, outC: 16, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 1, h: 9, w: 8, inC: 3, outC: 4, fh: 3, fw: 3, stride: [2, 1], padding: "same" },
  { batch: 1, h: 9, w: 8, inC: 3, outC: 4, fh: 3, fw: 2, stride: 1, dil: [1, 2], padding: "same" },
  { batch: 1, h: 8, w: 9, inC: 2, outC: 5, fh: 2, fw: 3, stride: 1, dil: [3, 1], padding: "valid" },
  { batch: 1, h: 4, w: 4, inC: 2, outC: 3, fh: 3, fw: 3, stride: 1, dil: 3, padding: "same" },
  { batch: 2, h: 3, w: 2, inC: 1, outC: 1, fh: 5, fw: 5, stride: 2, padding: "same" },
];

/** Checks every case on every harness (forward, dx, dw), seeds from `seed` on. */
function checkAll(cases: ConvCase[], seed: (i: number) => number): void {
  const failures: string[] = [];
  cases.forEach((cs, i) => checkCase(cs, seed(i), failures));
  assertNoFailures(failures, cases.length * harnesses.length * 3);
}

Deno.test("f32_conv2d_nhwc() and its backwards match the f64 reference over 26 geometries", () => {
  checkAll(CASES, (i) => 10 * i + 1);
});

/** Large enough for several im2col chunks (K = 153: 208 rows; K = 9: 512 rows per chunk). */
const MULTI_CHUNK: ConvCase[] = [
  { batch: 2, h: 15, w: 15, inC: 17, outC: 9, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 1, h: 40, w: 40, inC: 1, outC: 8, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 3, h: 20, w: 20, inC: 17, outC: 5, fh: 1, fw: 1, stride: 1, padding: "valid" },
];

Deno.test("f32_conv2d_nhwc() and its backwards match the reference across im2col chunks", () => {
  checkAll(MULTI_CHUNK, (i) => 1000 + i);
});

/**
 * The two paths of the forward and the filter gradient: the direct one (K <= 256, dilW == 1; dw
 * also outW >= 16) over rows wider than one band (64 input pixels + fw - 1: blocks of 64 output
 * pixels at stride 1, 32 at stride 2), and im2col + GEMM past K = 256.
 */
const PATHS: ConvCase[] = [
  { batch: 2, h: 3, w: 150, inC: 1, outC: 6, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 1, h: 4, w: 141, inC: 2, outC: 11, fh: 3, fw: 5, stride: 2, padding: "same" },
  { batch: 1, h: 3, w: 100, inC: 1, outC: 4, fh: 2, fw: 40, stride: 1, padding: "valid" },
  { batch: 2, h: 6, w: 7, inC: 32, outC: 10, fh: 3, fw: 3, stride: 1, padding: "same" },
  { batch: 1, h: 5, w: 5, inC: 257, outC: 3, fh: 1, fw: 1, stride: 2, padding: "valid" },
];

Deno.test("f32_conv2d_nhwc() and dw match the reference on both paths (direct, im2col + GEMM)", () => {
  checkAll(PATHS, (i) => 2000 + i);
});

Deno.test("f32_conv2d_nhwc() and bwd_data give the same bytes whatever the batch split", () => {
  const failures: string[] = [];
  const cases: ConvCase[] = [
    { batch: 5, h: 9, w: 9, inC: 17, outC: 9, fh: 3, fw: 3, stride: 1, padding: "same" },
    { batch: 5, h: 7, w: 6, inC: 3, outC: 4, fh: 3, fw: 3, stride: 2, dil: 1, padding: "valid" },
    { batch: 5, h: 6, w: 6, inC: 8, outC: 5, fh: 1, fw: 1, stride: 1, padding: "valid" },
  ];
  for (const h of harnesses) {
    cases.forEach((cs, i) => {
      const g = geometry(cs);
      const n = sizes(g);
      const x = randomF32(n.x, i), w = randomF32(n.w, i + 1), dy = randomF32(n.y, i + 2);
      const bias = randomF32(g.outC, i + 3);
      const wholeY = new Uint32Array(runForward(h, g, x, w, bias, "tanh").buffer);
      const wholeDx = new Uint32Array(runBackwardData(h, g, dy, w).buffer);
      for (const cuts of [[0, 1, 2, 3, 4, 5], [0, 2, 2, 5], [0, 4, 5]]) {
        const y = new Uint32Array(runForward(h, g, x, w, bias, "tanh", cuts).buffer);
        const dx = new Uint32Array(runBackwardData(h, g, dy, w, cuts).buffer);
        if (y.some((v, j) => v !== wholeY[j])) {
          failures.push(`${h.name}: ${describe(g)}: y differs for cuts ${cuts}`);
        }
        if (dx.some((v, j) => v !== wholeDx[j])) {
          failures.push(`${h.name}: ${describe(g)}: dx differs for cuts ${cuts}`);
        }
      }
    });
  }
  assertEquals(failures, []);
});

Deno.test("f32_conv2d_nhwc_bwd_filter() accumulates: consecutive ranges equal one call bitwise", () => {
  const failures: string[] = [];
  const cs: ConvCase = {
    batch: 5,
    h: 9,
    w: 9,
    inC: 3,
    outC: 9,
    fh: 3,
    fw: 3,
    stride: 1,
    padding: "same",
  };
  const g = geometry(cs);
  const n = sizes(g);
  const x = randomF32(n.x, 7), dy = randomF32(n.y, 8), dw0 = randomF32(n.w, 9);
  const ref = conv2dBackwardFilterReference(g, x, dy).map((v, i) => v + dw0[i]);
  const refAbs = conv2dBackwardFilterReference(g, abs(x), abs(dy)).map((v, i) =>
    v + Math.abs(dw0[i])
  );
  for (const h of harnesses) {
    const whole = runBackwardFilter(h, g, x, dy, [0, 5], dw0);
    const message = mismatch(whole, ref, refAbs, g.batch * g.outH * g.outW + 1);
    if (message) failures.push(`${h.name}: dw += grad: ${message}`);
    for (const cuts of [[0, 1, 2, 3, 4, 5], [0, 3, 5]]) {
      const parts = runBackwardFilter(h, g, x, dy, cuts, dw0);
      const bits = new Uint32Array(parts.buffer), wholeBits = new Uint32Array(whole.buffer);
      if (bits.some((v, j) => v !== wholeBits[j])) {
        failures.push(`${h.name}: dw differs for cuts ${cuts}`);
      }
    }
    // Per-thread partials (each from zero), reduced afterwards: equal up to rounding.
    const a = runBackwardFilter(h, g, x, dy, [0, 2]), b = runBackwardFilter(h, g, x, dy, [2, 5]);
    const sum = Float32Array.from(a, (v, i) => v + b[i] + dw0[i]);
    const partial = mismatch(sum, ref, refAbs, g.batch * g.outH * g.outW + 3);
    if (partial) failures.push(`${h.name}: partial sums: ${partial}`);
  }
  assertEquals(failures, []);
});

/** A small 3x3 "same" convolution for the edge-case tests. */
const SMALL = geometry({
  batch: 2,
  h: 4,
  w: 4,
  inC: 2,
  outC: 3,
  fh: 3,
  fw: 3,
  stride: 1,
  padding: "same",
});

Deno.test("f32_conv2d_nhwc() with an empty batch range writes nothing", () => {
  for (const h of harnesses) {
    const g = SMALL;
    const n = sizes(g);
    const x = randomF32(n.x, 1), w = randomF32(n.w, 2);
    const y = runForward(h, g, x, w, undefined, "none", [1, 1]);
    assertEquals(y.every(Number.isNaN), true);
    const dx = runBackwardData(h, g, randomF32(n.y, 3), w, [0, 0]);
    assertEquals(dx.every(Number.isNaN), true);
    const dw = runBackwardFilter(h, g, x, randomF32(n.y, 3), [2, 2]);
    assertEquals(dw.every((v) => v === 0), true);
  }
});

Deno.test("f32_conv2d_nhwc() debug build asserts its preconditions", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  h.reset();
  const g = SMALL;
  const buf = h.f32(4096);
  const s = scratch(h, g);
  const args = geomArgs(g);
  // batchEnd > batch.
  assertThrows(
    () => h.k.f32_conv2d_nhwc(buf, buf, 0, buf, ...args, 0, 0, 3, s),
    Error,
    "precondition",
  );
  // stride 0.
  const zeroStride = [...args];
  zeroStride[9] = 0;
  assertThrows(
    () => h.k.f32_conv2d_nhwc_bwd_data(buf, buf, buf, ...zeroStride, 0, 2, s),
    Error,
    "precondition",
  );
  // Misaligned scratch.
  assertThrows(
    () => h.k.f32_conv2d_nhwc_bwd_filter(buf, buf, buf, ...args, 0, 2, s + 4),
    Error,
    "precondition",
  );
  h.checkGuards();
});
