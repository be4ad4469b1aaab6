/**
 * Raw-kernel tests of f32_gemm_stream (assembly/gemm_stream.ts, and its m = 1 path gemvRows in
 * assembly/gemv.ts) and, for m = 1, of f32_gemv_pack_b + f32_gemv_packed (gemv.ts), against the
 * float64 reference in tests/_reference/gemm.ts, and bitwise against the packed f32_gemm of the
 * same build, on the release (plain, shared, portable) and debug builds (STYLE C8-C10).
 *
 * Shapes: m = 1..8, n straddling the 8- and 4-column groups and the lane tail, k straddling the
 * 4- and 8-step passes. Every
 * buffer sits between NaN-payload guards, checked after every call; padding of strided A, B and C
 * holds NaN or a sentinel, so reading it poisons the result and writing it is caught.
 *
 * Tolerance (STYLE C9), as in gemm_test.ts: Tol.dot(k + 2) on the pre-activation value, plus
 * Tol.ulps(3) for sigmoid and tanh. Against f32_gemm and across column splits: Tol.exact (the
 * header of gemm_stream.ts gives the order of operations both kernels share).
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import {
  ACT_CODE,
  check,
  describe,
  type GemmCase as Case,
  type Problem,
  problem,
  runPacked,
  TRANSPOSES,
} from "./_gemm_problem.ts";

const harnesses = await kernelHarnesses();

/** Runs f32_gemm_stream over the column pieces `cols`; returns C (m x ldc) as written. */
function runStream(h: KernelHarness, p: Problem, cols = [0, p.n]): Float32Array {
  h.reset();
  const a = h.f32(p.a.length, p.a);
  const b = h.f32(p.b.length, p.b);
  const c = h.f32(p.c.length, p.c);
  const bias = p.bias ? h.f32(p.n, p.bias) : 0;
  for (let q = 0; q + 1 < cols.length; q++) {
    h.k.f32_gemm_stream(
      a,
      p.lda,
      p.transA ? 1 : 0,
      b,
      p.ldb,
      p.transB ? 1 : 0,
      c,
      p.ldc,
      p.m,
      p.n,
      p.k,
      cols[q],
      cols[q + 1],
      bias,
      ACT_CODE[p.act],
      p.beta,
    );
    h.checkGuards();
  }
  return h.read(c, p.c.length);
}

/**
 * m = 1: packs op(B) into 32-column panels and runs f32_gemv_packed over the column pieces `cols`
 * (each starting at a panel); returns C (1 x ldc).
 */
function runGemv(h: KernelHarness, p: Problem, cols = [0, p.n]): Float32Array {
  const { n, k } = p;
  h.reset();
  const a = h.f32(p.a.length, p.a);
  const b = h.f32(p.b.length, p.b);
  const c = h.f32(p.c.length, p.c);
  const bias = p.bias ? h.f32(n, p.bias) : 0;
  const packed = h.f32(Math.max(1, h.k.f32_gemv_packed_floats(k, n)));
  const panels = Math.ceil(n / 32);
  h.k.f32_gemv_pack_b(b, p.ldb, p.transB ? 1 : 0, k, n, packed, 0, Math.ceil(panels / 2));
  h.k.f32_gemv_pack_b(b, p.ldb, p.transB ? 1 : 0, k, n, packed, Math.ceil(panels / 2), panels);
  h.checkGuards();
  const aStep = p.transA ? p.lda * 4 : 4;
  for (let q = 0; q + 1 < cols.length; q++) {
    h.k.f32_gemv_packed(
      a,
      aStep,
      packed,
      c,
      n,
      k,
      cols[q],
      cols[q + 1],
      bias,
      ACT_CODE[p.act],
      p.beta,
    );
    h.checkGuards();
  }
  return h.read(c, p.c.length);
}

/** The first index where `x` and `y` differ in bits, or -1. */
function firstDiff(x: Float32Array, y: Float32Array): number {
  const u = new Uint32Array(x.buffer), v = new Uint32Array(y.buffer);
  return u.findIndex((bits, i) => bits !== v[i]);
}

/**
 * Every case on every build: against the reference, bitwise against f32_gemm, and bitwise across
 * a column split; collects failures and throws once listing the first few.
 */
function sweep(cases: Case[]): void {
  const failures: string[] = [];
  for (const h of harnesses) {
    for (const cs of cases) {
      const p = problem(cs);
      try {
        const out = runStream(h, p);
        const message = check(h, p, out);
        if (message) {
          failures.push(message);
          continue;
        }
        const at = firstDiff(out, runPacked(h, p));
        if (at >= 0) failures.push(`${h.name}: ${describe(p)}: C[${at}] differs from f32_gemm's`);
        const cuts = [0, Math.floor(p.n / 3), Math.floor(p.n / 3) + 1, p.n].filter((x, i, xs) =>
          i === 0 || x > xs[i - 1]
        );
        const split = firstDiff(out, runStream(h, p, cuts));
        if (split >= 0) {
          failures.push(`${h.name}: ${describe(p)}: C[${split}] differs when split at ${cuts}`);
        }
        if (p.m === 1) {
          const panelCuts = p.n > 32 ? [0, 32, p.n] : [0, p.n];
          const gemv = firstDiff(out, runGemv(h, p, panelCuts));
          if (gemv >= 0) {
            failures.push(`${h.name}: ${describe(p)}: f32_gemv_packed's C[${gemv}] differs`);
          }
        }
      } catch (e) {
        failures.push(`${h.name}: ${describe(p)}: ${(e as Error).message}`);
      }
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${cases.length * harnesses.length} runs failed:\n  ` +
        failures.slice(0, 5).join("\n  "),
    );
  }
}

/** Around the 8- and 4-column groups, the 32-column gemv panels and the lane tail. */
const N_EDGE = [1, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 127, 257];
/** Around the 4- and 8-step passes, and longer. */
const K_EDGE = [0, 1, 3, 4, 5, 15, 16, 17, 33, 255, 256, 257];

for (const t of TRANSPOSES) {
  Deno.test(`f32_gemm_stream() matches f64 reference and f32_gemm for m = 1..8${t.name}`, () => {
    const cases: Case[] = [];
    for (let m = 1; m <= 8; m++) {
      for (const n of N_EDGE) cases.push({ m, n, k: 37, ...t, seed: 100 * m + n });
      for (const k of K_EDGE) cases.push({ m, n: 37, k, ...t, seed: 100 * m + k + 50 });
    }
    sweep(cases);
  });
}

Deno.test("f32_gemm_stream() matches f64 reference for every beta, bias and activation", () => {
  const cases: Case[] = [];
  for (const [m, n, k] of [[1, 45, 7], [3, 33, 70], [8, 9, 130]]) {
    for (const act of ["none", "relu", "sigmoid", "tanh"] as const) {
      for (const beta of [0, 1, 0.5]) {
        for (const bias of [false, true]) {
          cases.push({ m, n, k, beta, bias, act, transA: bias, transB: beta === 1 });
        }
      }
    }
  }
  sweep(cases);
});

Deno.test("f32_gemm_stream() with k = 0 gives act(beta * C + bias)", () => {
  const cases: Case[] = [];
  for (const act of ["none", "relu", "sigmoid", "tanh"] as const) {
    for (const beta of [0, 1, 0.5]) {
      for (const bias of [false, true]) cases.push({ m: 3, n: 37, k: 0, beta, bias, act });
    }
  }
  sweep(cases);
});

Deno.test("f32_gemm_stream() matches f64 reference with strided A, B and C", () => {
  const cases: Case[] = [];
  for (const t of TRANSPOSES) {
    for (const [m, n, k] of [[1, 70, 37], [5, 33, 131], [8, 3, 9]]) {
      cases.push({ m, n, k, ...t, pad: 3, beta: 0.5, bias: true });
      cases.push({ m, n, k, ...t, pad: 8, act: "relu" });
    }
  }
  sweep(cases);
});

Deno.test("f32_gemm_stream() matches f64 reference for 1x1024x1024 and 4x300x1000", () => {
  sweep([
    { m: 1, n: 1024, k: 1024, bias: true, act: "relu" },
    { m: 1, n: 1024, k: 1024, transB: true, beta: 0.5 },
    { m: 4, n: 300, k: 1000, transA: true, bias: true, act: "tanh" },
    { m: 4, n: 300, k: 1000, transB: true, bias: true, act: "sigmoid" },
  ]);
});

Deno.test("f32_gemm_stream() and f32_gemv_packed at m = 1 with a B of 8 MiB or more (8 rows a pass)", () => {
  // 2051 x 1027 floats: 8.4 MB, so gemvRows adds 8 rows per pass, with k % 8 = 3 and n % 4 = 3.
  sweep([
    { m: 1, n: 1027, k: 2051, bias: true, beta: 0.5, act: "relu" },
    { m: 1, n: 1027, k: 2051, pad: 5, transA: true, act: "tanh" },
  ]);
});

Deno.test("f32_gemm_stream() relu propagates NaN", () => {
  sweep([{ m: 5, n: 41, k: 9, act: "relu", aValue: (i, p, v) => (i === 2 && p === 4 ? NaN : v) }]);
});

Deno.test("f32_gemm_stream() gives bitwise the same C whatever the column split", () => {
  const failures: string[] = [];
  for (const h of harnesses) {
    for (const t of TRANSPOSES) {
      const p = problem({ m: 7, n: 101, k: 150, beta: 0.5, bias: true, act: "sigmoid", ...t });
      const whole = runStream(h, p);
      for (const cols of [[0, 1, 5, 37, 64, 101], [0, 32, 64, 96, 101], [0, 100, 101]]) {
        const at = firstDiff(whole, runStream(h, p, cols));
        if (at >= 0) failures.push(`${h.name}: ${describe(p)}, cols ${cols}: C[${at}] differs`);
      }
    }
  }
  assertEquals(failures, []);
});

Deno.test("f32_gemm_stream() with m = 0 or an empty column range writes nothing", () => {
  for (const h of harnesses) {
    for (const [m, n, k] of [[0, 5, 3], [4, 0, 3], [0, 0, 0]]) {
      const p = problem({ m, n, k });
      assertEquals(Array.from(runStream(h, p)), Array.from(Float32Array.from(p.c)));
    }
    const p = problem({ m: 2, n: 9, k: 3 });
    assertEquals(Array.from(runStream(h, p, [4, 4])), Array.from(Float32Array.from(p.c)));
  }
});

Deno.test("f32_gemm_stream() debug build asserts its preconditions", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  h.reset();
  const a = h.f32(16 * 16), b = h.f32(16 * 16), c = h.f32(16 * 16);
  // colEnd <= n.
  assertThrows(
    () => h.k.f32_gemm_stream(a, 16, 0, b, 16, 0, c, 16, 4, 16, 16, 0, 17, 0, 0, 0),
    Error,
    "precondition",
  );
  // ldb >= k when transB.
  assertThrows(
    () => h.k.f32_gemm_stream(a, 16, 0, b, 8, 1, c, 16, 4, 16, 16, 0, 16, 0, 0, 0),
    Error,
    "precondition",
  );
  h.checkGuards();
});
