/**
 * GEMM kernel test problems shared by gemm_test.ts and gemm_stream_test.ts: random operands with
 * NaN and sentinel padding, the packed f32_gemm run, and the check against the float64 reference
 * (tolerances in gemm_test.ts's header).
 *
 * @module
 */
import type { KernelHarness } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { Tol } from "../_util/assert_close.ts";
import { type GemmActivation, gemmReference } from "../_reference/gemm.ts";

/** The four transpose combinations, with a suffix for test names. */
export const TRANSPOSES = [
  { transA: false, transB: false, name: "" },
  { transA: true, transB: false, name: " with transposed A" },
  { transA: false, transB: true, name: " with transposed B" },
  { transA: true, transB: true, name: " with transposed A and B" },
];

/** The kernels' activation codes. */
export const ACT_CODE: Record<GemmActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };
/** Value left in the padding columns of a strided C; must survive every call bit for bit. */
export const C_PAD = -12345.5;

export interface GemmCase {
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

export interface Problem {
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

/** A one-line description of a problem, for failure messages. */
export function describe(p: Problem): string {
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
export function problem(cs: GemmCase): Problem {
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
export interface Split {
  rows?: number[];
  cols?: number[];
  panels?: number[];
}

/** Packs B and runs f32_gemm over every block of the split; returns C (m x ldc) as written. */
export function runPacked(h: KernelHarness, p: Problem, split: Split = {}): Float32Array {
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
export function check(h: KernelHarness, p: Problem, out: Float32Array): string | undefined {
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
