/**
 * `dn.matmul()` against the float64 GEMM reference (STYLE C8, C10) through the public API.
 * Shapes straddle the 4x8 register tile and the 8-wide panels of B (1, tile - 1, tile, tile + 1,
 * 127, 129, 513, 2048), in all four transpose combinations and with every epilogue.
 *
 * Tolerance (STYLE C9): relative Frobenius error 1e-5 over the whole product. An f32 dot product
 * of k terms in [-1, 1] has a rounding error that grows like sqrt(k)·ε32 relative to the
 * result's norm on random data (at most ~k·ε32 in the worst case): for k = 2048 that is ~3e-6
 * typical, so 1e-5 holds for every size here while catching any wrong element (error ~1).
 */
import * as dn from "../../mod.ts";
import { type GemmActivation, gemmReference } from "../_reference/gemm.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { relFrobenius } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";

const BOUND = 1e-5;

/** `[m, n, k]` problems: tile edges, skinny panels, and squares. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [127, 1, 513],
  [1, 513, 127],
  [2048, 3, 17],
  [3, 2048, 17],
  [17, 5, 2048],
  [4, 8, 1],
  [3, 7, 9],
  [5, 9, 4],
  [8, 16, 8],
  [9, 17, 33],
  [33, 65, 129],
  ...Array.from({ length: 20 }, (_, i): [number, number, number] => [i + 1, i + 1, i + 1]),
  [64, 64, 64],
  [65, 65, 65],
  [129, 129, 129],
];

/** Shapes for the epilogue sweep: tile edges on both sides, and one larger k. */
const EPILOGUE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [4, 8, 3],
  [5, 9, 17],
  [1, 129, 7],
  [33, 17, 65],
];

interface Combo {
  label: string;
  transposeA: boolean;
  transposeB: boolean;
}

const COMBOS: Combo[] = [
  { label: "", transposeA: false, transposeB: false },
  { label: "transposeA", transposeA: true, transposeB: false },
  { label: "transposeB", transposeA: false, transposeB: true },
  { label: "transposeA and transposeB", transposeA: true, transposeB: true },
];

interface Epilogue {
  bias: boolean;
  activation: dn.Activation;
}

/** Runs one product through `dn.matmul()` and returns its relative Frobenius error. */
function matmulError(
  [m, n, k]: [number, number, number],
  { transposeA, transposeB }: Combo,
  { bias, activation }: Epilogue,
  seed: number,
): number {
  const a = gradInput(transposeA ? [k, m] : [m, k], seed);
  const b = gradInput(transposeB ? [n, k] : [k, n], seed + 1);
  const c = bias ? gradInput([n], seed + 2) : undefined;
  const expected = gemmReference({
    m,
    n,
    k,
    a: a.data,
    lda: transposeA ? m : k,
    transA: transposeA,
    b: b.data,
    ldb: transposeB ? k : n,
    transB: transposeB,
    c: [],
    ldc: n,
    beta: 0,
    bias: c?.data,
    act: (activation === "linear" ? "none" : activation) as GemmActivation,
  });
  using ta = dn.tensor(Float32Array.from(a.data), a.shape);
  using tb = dn.tensor(Float32Array.from(b.data), b.shape);
  using tc = c ? dn.tensor(Float32Array.from(c.data), c.shape) : undefined;
  using y = dn.matmul(ta, tb, { transposeA, transposeB, bias: tc, activation });
  assertEquals(y.shape, [m, n]);
  return relFrobenius(y.dataSync(), expected);
}

const dims = ([m, n, k]: [number, number, number]) => `${m}x${n}x${k}`;
const LINEAR: Epilogue = { bias: false, activation: "linear" };

for (const combo of COMBOS) {
  const name = combo.label ? `matmul() with ${combo.label}` : "matmul()";
  SHAPES.forEach((shape, i) => {
    Deno.test(`${name} matches f64 reference within 1e-5 on ${dims(shape)}`, () => {
      const err = matmulError(shape, combo, LINEAR, 1000 + 10 * i);
      assert(err <= BOUND, `${name} ${dims(shape)}: relative Frobenius error ${err} > ${BOUND}`);
    });
  });
}

// The f64 reference of 1024^3 takes seconds, so this one runs once, in the combination whose
// reference reads both operands contiguously.
Deno.test("matmul() with transposeB matches f64 reference within 1e-5 on 1024x1024x1024", () => {
  const err = matmulError([1024, 1024, 1024], COMBOS[2], LINEAR, 7);
  assert(err <= BOUND, `1024x1024x1024: relative Frobenius error ${err} > ${BOUND}`);
});

for (const combo of COMBOS) {
  for (const bias of [false, true]) {
    for (const activation of ["linear", "relu", "sigmoid", "tanh"] as const) {
      const parts = [combo.label, bias ? "bias" : "no bias", activation].filter((s) => s);
      const shapes = EPILOGUE_SHAPES.map(dims).join(", ");
      Deno.test(
        `matmul() with ${parts.join(", ")} matches f64 reference within 1e-5 on ${shapes}`,
        () => {
          const failures = EPILOGUE_SHAPES.map((shape, i) => ({
            shape,
            err: matmulError(shape, combo, { bias, activation }, 5000 + 10 * i),
          })).filter(({ err }) => !(err <= BOUND));
          assert(
            failures.length === 0,
            failures.slice(0, 4).map(({ shape, err }) => `${dims(shape)}: ${err}`).join("; "),
          );
        },
      );
    }
  }
}

Deno.test("matmul() with k = 0 gives activation(bias) and with m = 0 or n = 0 an empty result", () => {
  using a = dn.zeros([2, 0]);
  using b = dn.zeros([0, 3]);
  using bias = dn.tensor([-1, 0, 2]);
  using y = dn.matmul(a, b, { bias, activation: "relu" });
  assertEquals(y.shape, [2, 3]);
  assertEquals([...y.dataSync()], [0, 0, 2, 0, 0, 2]);
  using plain = dn.matmul(a, b);
  assertEquals([...plain.dataSync()], [0, 0, 0, 0, 0, 0]);
  using a0 = dn.zeros([0, 4]);
  using b4 = dn.ones([4, 3]);
  using empty = dn.matmul(a0, b4);
  assertEquals(empty.shape, [0, 3]);
  assertEquals(empty.dataSync().length, 0);
  using bt = dn.ones([0, 4]);
  using emptyN = dn.matmul(b4, bt, { transposeA: true, transposeB: true });
  assertEquals(emptyN.shape, [3, 0]);
});

Deno.test("matmul() leaves only its result alive", () => {
  using a = dn.ones([5, 7]);
  using b = dn.ones([7, 9]);
  using bias = dn.ones([9]);
  const before = dn.memory().numTensors;
  const y = dn.matmul(a, b, { bias, activation: "tanh", transposeA: false });
  assertEquals(dn.memory().numTensors, before + 1);
  y.dispose();
  assertEquals(dn.memory().numTensors, before);
});
