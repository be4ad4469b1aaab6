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
import { kernelHarnesses } from "../_util/kernels.ts";
import {
  check,
  describe,
  type GemmCase,
  problem,
  runPacked as run,
  type Split,
  TRANSPOSES,
} from "./_gemm_problem.ts";

const harnesses = await kernelHarnesses();

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
