/**
 * Raw-kernel tests of f32_gemm_pack_b / f32_gemm (assembly/gemm.ts) against the float64 reference
 * in tests/_reference/gemm.ts, on the release (plain and shared) and debug builds (STYLE C8-C10).
 *
 * Shapes straddle the 4x8 tile, the 4-step packing transposes, the 4-step k loop, the K block
 * (256) and the M block (128). Every buffer sits between NaN-payload guards, which are checked
 * after every call; padding of strided A, B and C holds NaN or a sentinel, so reading it poisons
 * the result and writing it is caught.
 *
 * Tolerance (STYLE C9): the pre-activation value is an f32 sum of k products plus beta * C and
 * bias, so its error is bounded by Tol.dot(k + 2). All four activations are 1-Lipschitz, so that
 * bound carries through them; sigmoid and tanh add their own rounding, at most 3 ulp
 * (assembly/simd.ts), taken as Tol.ulps(3) of the result.
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { Tol } from "../_util/assert_close.ts";
import { type GemmActivation, gemmReference } from "../_reference/gemm.ts";

const harnesses = await kernelHarnesses();

const ACT_CODE: Record<GemmActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };
/** Value left in the padding columns of a strided C; must survive every call bit for bit. */
const C_PAD = -12345.5;

interface GemmCase {
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** Extra elements added to every leading dimension (strided operands). */
  pad?: number;
  beta?: number;
  bias?: boolean;
  act?: GemmActivation;
  seed?: number;
  /** Overrides the values of opA(A)[i, p] (before storage), e.g. to plant a NaN. */
  aValue?: (i: number, p: number, random: number) => number;
}

interface Problem {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  lda: number;
  ldb: number;
  ldc: number;
  beta: number;
  act: GemmActivation;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  bias?: Float64Array;
}

function describe(p: Problem): string {
  const parts = [`M x N x K = ${p.m} x ${p.n} x ${p.k}`];
  if (p.transA) parts.push("transA");
  if (p.transB) parts.push("transB");
  parts.push(`lda ${p.lda}, ldb ${p.ldb}, ldc ${p.ldc}`);
  if (p.beta !== 0) parts.push(`beta ${p.beta}`);
  if (p.bias) parts.push("bias");
  if (p.act !== "none") parts.push(p.act);
  return parts.join(", ");
}

/** Random operands for a case; padding of A and B is NaN, padding of C is C_PAD. */
function problem(cs: GemmCase): Problem {
  const { m, n, k } = cs;
  const transA = cs.transA ?? false, transB = cs.transB ?? false;
  const pad = cs.pad ?? 0, beta = cs.beta ?? 0, seed = cs.seed ?? 1;
  const lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
  const a = randomF32((transA ? k : m) * lda, seed);
  const b = randomF32((transB ? n : k) * ldb, seed + 1);
  const c = randomF32(m * ldc, seed + 2);
  for (let i = 0; i < (transA ? k : m); i++) a.fill(NaN, i * lda + (transA ? m : k), (i + 1) * lda);
  for (let i = 0; i < (transB ? n : k); i++) b.fill(NaN, i * ldb + (transB ? k : n), (i + 1) * ldb);
  for (let i = 0; i < m; i++) {
    c.fill(C_PAD, i * ldc + n, (i + 1) * ldc);
    // beta = 0 must not read C: make any read visible.
    if (beta === 0) c.fill(NaN, i * ldc, i * ldc + n);
  }
  if (cs.aValue) {
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const at = transA ? p * lda + i : i * lda + p;
        a[at] = cs.aValue(i, p, a[at]);
      }
    }
  }
  const bias = cs.bias ? randomF32(n, seed + 3) : undefined;
  return { m, n, k, transA, transB, lda, ldb, ldc, beta, act: cs.act ?? "none", a, b, c, bias };
}

/** Work split of one call sequence: row and column boundaries, and pack_b panel boundaries. */
interface Split {
  rows?: number[];
  cols?: number[];
  panels?: number[];
}

/** Packs B and runs f32_gemm over every block of the split; returns C (m x ldc) as written. */
function run(h: KernelHarness, p: Problem, split: Split = {}): Float32Array {
  const { m, n, k } = p;
  const panels = Math.ceil(n / 8);
  h.reset();
  const a = h.f32(p.a.length, p.a);
  const b = h.f32(p.b.length, p.b);
  const c = h.f32(p.c.length, p.c);
  const bias = p.bias ? h.f32(n, p.bias) : 0;
  const packed = h.f32(k * panels * 8, new Float32Array(k * panels * 8).fill(NaN));
  const scratchFloats = h.k.f32_gemm_scratch_bytes(m, k) / 4;
  const scratch = h.f32(scratchFloats, new Float32Array(scratchFloats).fill(NaN));
  const panelCuts = split.panels ?? [0, panels];
  for (let s = 0; s + 1 < panelCuts.length; s++) {
    h.k.f32_gemm_pack_b(b, p.ldb, p.transB ? 1 : 0, k, n, packed, panelCuts[s], panelCuts[s + 1]);
    h.checkGuards();
  }
  const rows = split.rows ?? [0, m], cols = split.cols ?? [0, n];
  for (let r = 0; r + 1 < rows.length; r++) {
    for (let q = 0; q + 1 < cols.length; q++) {
      h.k.f32_gemm(
        a,
        p.lda,
        p.transA ? 1 : 0,
        packed,
        c,
        p.ldc,
        m,
        n,
        k,
        rows[r],
        rows[r + 1],
        cols[q],
        cols[q + 1],
        bias,
        ACT_CODE[p.act],
        p.beta,
        scratch,
      );
      h.checkGuards();
    }
  }
  return h.read(c, p.c.length);
}

/** Compares C against the reference; returns a failure message or undefined. */
function check(h: KernelHarness, p: Problem, out: Float32Array): string | undefined {
  const what = `${h.name}: ${describe(p)}`;
  const z = gemmReference({ ...p, act: "none" });
  const y = p.act === "none" ? z : gemmReference(p);
  const dot = Tol.dot(p.k + 2);
  const ulps = p.act === "sigmoid" || p.act === "tanh" ? Tol.ulps(3) : { rel: 0, abs: 0 };
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.ldc; j++) {
      const actual = out[i * p.ldc + j];
      if (j >= p.n) {
        if (!Object.is(actual, C_PAD)) {
          return `${what}: padding C[${i}, ${j}] overwritten with ${actual}`;
        }
        continue;
      }
      const expected = y[i * p.n + j];
      const bound = dot.abs + dot.rel * Math.abs(z[i * p.n + j]) + ulps.abs +
        ulps.rel * Math.abs(expected);
      const ok = Number.isNaN(expected)
        ? Number.isNaN(actual)
        : actual === expected || Math.abs(actual - expected) <= bound;
      if (!ok) {
        return `${what}: first mismatch at C[${i}, ${j}]: actual ${actual}, expected ${expected}, ` +
          `|diff| ${Math.abs(actual - expected)} > bound ${bound}`;
      }
    }
  }
  return undefined;
}

/** Runs every case on every build, collecting failures; throws once listing the first few. */
function sweep(cases: GemmCase[]): void {
  const failures: string[] = [];
  for (const h of harnesses) {
    for (const cs of cases) {
      const p = problem(cs);
      let message: string | undefined;
      try {
        message = check(h, p, run(h, p));
      } catch (e) {
        message = `${h.name}: ${describe(p)}: ${(e as Error).message}`;
      }
      if (message) failures.push(message);
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${cases.length * harnesses.length} runs failed:\n  ` +
        failures.slice(0, 5).join("\n  "),
    );
  }
}

const TRANSPOSES = [
  { transA: false, transB: false, name: "" },
  { transA: true, transB: false, name: " with transposed A" },
  { transA: false, transB: true, name: " with transposed B" },
  { transA: true, transB: true, name: " with transposed A and B" },
];
/** Around the 4-row tile, the 8-column panel, the 4-step transposes and the 4-step k loop. */
const EDGE = [1, 2, 3, 4, 5, 7, 8, 9, 17, 127, 128, 129];

Deno.test("f32_gemm() matches f64 reference with m, n and k each swept over tile edges", () => {
  const cases: GemmCase[] = [];
  for (const t of TRANSPOSES) {
    for (const e of EDGE) {
      cases.push({ m: e, n: 11, k: 7, ...t, seed: e });
      cases.push({ m: 5, n: e, k: 7, ...t, seed: e + 100 });
      cases.push({ m: 5, n: 11, k: e, ...t, seed: e + 200 });
    }
  }
  sweep(cases);
});

for (const [m, n, k] of [[7, 13, 5], [127, 1, 513], [1, 513, 127], [300, 20, 64], [33, 70, 600]]) {
  for (const t of TRANSPOSES) {
    Deno.test(`f32_gemm() matches f64 reference for ${m}x${n}x${k}${t.name}`, () => {
      sweep([{ m, n, k, ...t, seed: m + n + k }]);
    });
  }
}

Deno.test("f32_gemm() matches f64 reference for 256x256x256", () => {
  sweep([{ m: 256, n: 256, k: 256, bias: true, beta: 0.5 }]);
});

Deno.test("f32_gemm() with k = 0 gives act(beta * C + bias)", () => {
  const cases: GemmCase[] = [];
  for (const act of ["none", "relu", "sigmoid", "tanh"] as const) {
    for (const beta of [0, 1, 0.5]) {
      for (const bias of [false, true]) cases.push({ m: 6, n: 13, k: 0, beta, bias, act });
    }
  }
  sweep(cases);
});

Deno.test("f32_gemm() matches f64 reference for every beta, bias and activation", () => {
  const cases: GemmCase[] = [];
  for (const [m, n, k] of [[6, 8, 3], [9, 19, 300]]) {
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

Deno.test("f32_gemm() matches f64 reference with strided A, B and C", () => {
  const cases: GemmCase[] = [];
  for (const t of TRANSPOSES) {
    for (const [m, n, k] of [[13, 21, 37], [130, 17, 260], [3, 9, 1]]) {
      cases.push({ m, n, k, ...t, pad: 3, beta: 0.5, bias: true });
      cases.push({ m, n, k, ...t, pad: 8, act: "relu" });
    }
  }
  sweep(cases);
});

Deno.test("f32_gemm() relu propagates NaN", () => {
  // Row 2 of A holds one NaN: row 2 of C must be NaN after relu, the rest finite.
  sweep([{
    m: 5,
    n: 11,
    k: 9,
    act: "relu",
    aValue: (i, p, v) => (i === 2 && p === 4 ? NaN : v),
  }]);
});

Deno.test("f32_gemm() gives bitwise the same C whatever the row, column and panel split", () => {
  const failures: string[] = [];
  for (const h of harnesses) {
    for (const act of ["none", "relu", "sigmoid", "tanh"] as const) {
      const p = problem({
        m: 37,
        n: 45,
        k: 300,
        beta: act === "tanh" ? 0 : 0.5,
        bias: act !== "sigmoid",
        act,
        transA: act === "relu",
      });
      const whole = new Uint32Array(run(h, p).buffer);
      const splits: Split[] = [
        { rows: [0, 1, 5, 17, 37], cols: [0, 8, 24, 45], panels: [0, 1, 4, 6] },
        { rows: [0, 13, 14, 36, 37], cols: [0, 40, 45], panels: [0, 5, 6] },
        { rows: [0, 2, 3, 33, 37], cols: [0, 16, 32, 40, 45] },
      ];
      for (const split of splits) {
        const parts = new Uint32Array(run(h, p, split).buffer);
        const at = parts.findIndex((v, i) => v !== whole[i]);
        if (at >= 0) {
          failures.push(
            `${h.name}: ${describe(p)}, split ${JSON.stringify(split)}: C[${at}] differs`,
          );
        }
      }
    }
  }
  assertEquals(failures, []);
});

Deno.test("f32_gemm() with m = 0 or n = 0 writes nothing", () => {
  for (const h of harnesses) {
    for (const [m, n, k] of [[0, 5, 3], [4, 0, 3], [0, 0, 0]]) {
      const p = problem({ m, n, k });
      const out = run(h, p);
      assertEquals(Array.from(out), Array.from(Float32Array.from(p.c)));
    }
  }
});

Deno.test("f32_gemm() debug build asserts its preconditions", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  h.reset();
  const a = h.f32(16 * 16), packed = h.f32(16 * 16), c = h.f32(16 * 16);
  const scratch = h.f32(h.k.f32_gemm_scratch_bytes(16, 16) / 4);
  // colBegin must be a multiple of 8.
  assertThrows(
    () => h.k.f32_gemm(a, 16, 0, packed, c, 16, 16, 16, 16, 0, 16, 3, 16, 0, 0, 0, scratch),
    Error,
    "precondition",
  );
  // rowEnd <= m.
  assertThrows(
    () => h.k.f32_gemm(a, 16, 0, packed, c, 16, 16, 16, 16, 0, 17, 0, 16, 0, 0, 0, scratch),
    Error,
    "precondition",
  );
  // panelEnd <= ceil(n / 8).
  assertThrows(() => h.k.f32_gemm_pack_b(a, 16, 0, 16, 16, packed, 0, 3), Error, "precondition");
  h.checkGuards();
});
