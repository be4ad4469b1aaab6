/**
 * The primitive conformance suite (STYLE C11): every primitive the MLP path needs, on every
 * backend `testBackends()` yields (wasm always; webgpu when an adapter exists, required in CI by
 * `DENDRITE_REQUIRE_WEBGPU=1`), against the float64 references of tests/_reference (C8), on odd
 * shapes (1, 3, 17, 33, 65 and rows of 1000+ for the workgroup reductions). The CNN and RNN
 * primitives (convolution, pooling, recurrent gates, gather) are in webgpu_conformance_cnn_test.ts.
 *
 * Tolerances (C9): `Tol.gpu` for elementwise ops and short chains, `Tol.gpuDot(k)` for sums of k
 * terms (derivations in tests/_util/assert_close.ts). They hold for every backend; the tighter
 * per-kernel bounds of the wasm kernels are tested in tests/kernels/. NaN propagation is tested
 * there too, not here: WGSL lets GPU compilers assume finite values. Each case also checks that
 * in-place calls (`y == x`) and unaligned `subarray` views work, which WebGPU cannot bind directly.
 */
import type { Activation, Backend, BroadcastPlan, Storage } from "../../src/backend/backend.ts";
import {
  backward,
  binaryBroadcast,
  UNARY,
  unary,
  type UnaryName,
} from "../_reference/elementwise.ts";
import { type GemmActivation, gemmReference } from "../_reference/gemm.ts";
import { adamStep, axpy, clip, rmspropStep, sgdStep } from "../_reference/optim.ts";
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
import { cumsum } from "../_reference/scan.ts";
import { topk } from "../_reference/topk.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { assertEquals } from "../_util/assert.ts";
import { testBackends } from "../_util/backends.ts";
import { WebGpuBackend } from "../../src/backend/webgpu/webgpu_backend.ts";
import { randomF32 } from "../_util/rng.ts";
import { dropoutMask } from "../_reference/random.ts";
import { put, uniform, withStorages } from "./_conformance.ts";

const backends = await testBackends();

const ACTS: Activation[] = ["linear", "relu", "sigmoid", "tanh"];
const REF_ACT: Record<Activation, GemmActivation> = {
  linear: "none",
  relu: "relu",
  sigmoid: "sigmoid",
  tanh: "tanh",
};
const GEMMS: [number, number, number][] = [
  [1, 1, 1],
  [3, 17, 5],
  [17, 33, 65],
  [65, 3, 17],
  [33, 65, 33],
  [1, 65, 3],
  // Small m (the small-m program): columns around its 4-column invocations, m up to 8.
  [2, 9, 7],
  [5, 33, 20],
  [8, 7, 3],
  [1, 130, 33],
];

/**
 * The GEMM programs of a backend: the WebGPU variants (tiled and blocked with the small-m program
 * off, then the small-m program for m <= 8), else the one.
 */
function gemmVariants(b: Backend): [string, () => void][] {
  if (!(b instanceof WebGpuBackend)) return [["", () => {}]];
  const initial = b.gemmVariant, smallM = b.gemmSmallM;
  const select = (v: "tiled" | "blocked", rows: number) => () => {
    b.gemmVariant = v;
    b.gemmSmallM = rows;
  };
  return [
    [" (tiled)", select("tiled", 0)],
    [" (blocked)", select("blocked", 0)],
    [" (small-m)", select(initial, smallM)],
    ["", select(initial, smallM)],
  ];
}

for (const { name: backendName, backend: b } of backends) {
  Deno.test(`gemm() on ${backendName} matches the f64 reference: every transpose, epilogue and beta`, async () => {
    for (const [variant, select] of gemmVariants(b)) {
      select();
      if (variant === "" && b instanceof WebGpuBackend) continue;
      const name = backendName + variant;
      let seed = 1;
      for (const [i, [m, n, k]] of GEMMS.entries()) {
        for (
          const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]
        ) {
          const activation = ACTS[(i + Number(transA) + 2 * Number(transB)) % 4];
          const withBias = (i + Number(transB)) % 2 === 0;
          const beta = transA ? 0.5 : 0;
          const a = randomF32(m * k, seed++), bb = randomF32(k * n, seed++);
          const c0 = randomF32(m * n, seed++), bias = randomF32(n, seed++);
          await withStorages(b, async (keep) => {
            const c = keep(put(b, c0));
            b.gemm({
              a: keep(put(b, a)),
              b: keep(put(b, bb)),
              c,
              m,
              n,
              k,
              transA,
              transB,
              bias: withBias ? keep(put(b, bias)) : null,
              activation,
              beta,
            });
            const expected = gemmReference({
              m,
              n,
              k,
              a,
              lda: transA ? m : k,
              transA,
              b: bb,
              ldb: transB ? k : n,
              transB,
              c: c0,
              ldc: n,
              beta,
              bias: withBias ? bias : undefined,
              act: REF_ACT[activation],
            });
            assertClose(
              await b.read(c, m * n),
              expected,
              Tol.gpuDot(k + 2),
              `gemm ${m}x${n}x${k} ${transA ? "T" : "N"}${transB ? "T" : "N"} ${activation}${
                withBias ? " bias" : ""
              } beta=${beta} on ${name}`,
            );
          });
        }
      }
    }
  });
  const name = backendName;

  const DOMAINS: Record<UnaryName, [number, number]> = {
    relu: [-4, 4],
    sigmoid: [-8, 8],
    tanh: [-4, 4],
    exp: [-10, 10],
    log: [1e-3, 100],
    neg: [-4, 4],
    sqrt: [0, 100],
    square: [-4, 4],
    abs: [-4, 4],
  };

  Deno.test(`unary() and unaryBackward() on ${name} match the f64 references`, async () => {
    for (const op of Object.keys(UNARY) as UnaryName[]) {
      for (const n of [1, 17, 1000]) {
        const x = uniform(n, n + op.length, ...DOMAINS[op]);
        await withStorages(b, async (keep) => {
          const xs = keep(put(b, x)), ys = keep(b.alloc(n));
          b.unary(op, xs, ys, n);
          assertClose(await b.read(ys, n), unary(op, x), Tol.gpu, `${op} n=${n} on ${name}`);
          b.unary(op, xs, xs, n); // in place
          assertClose(await b.read(xs, n), unary(op, x), Tol.gpu, `${op} in place on ${name}`);
        });
      }
    }
    for (const op of ["relu", "sigmoid", "tanh"] as const) {
      const n = 65, dy = randomF32(n, 3);
      const saved = op === "relu" ? randomF32(n, 4) : unary(op, randomF32(n, 4)).map(Math.fround);
      await withStorages(b, async (keep) => {
        const dx = keep(b.alloc(n));
        b.unaryBackward(op, keep(put(b, dy)), keep(put(b, saved)), dx, n);
        assertClose(
          await b.read(dx, n),
          backward(op, dy, saved),
          Tol.gpu,
          `${op}Backward on ${name}`,
        );
      });
    }
  });

  Deno.test(`binary() on ${name} broadcasts over 4-D strided plans like the reference`, async () => {
    const plans: BroadcastPlan[] = [
      { dims: [1, 1, 1, 17], aStrides: [0, 0, 0, 1], bStrides: [0, 0, 0, 1] },
      { dims: [2, 3, 4, 5], aStrides: [60, 20, 5, 1], bStrides: [0, 5, 0, 1] },
      { dims: [3, 1, 33, 1], aStrides: [0, 0, 1, 0], bStrides: [33, 0, 1, 0] },
    ];
    for (const plan of plans) {
      const sizeA = 1 + plan.dims.reduce((s, d, i) => s + (d - 1) * plan.aStrides[i], 0);
      const sizeB = 1 + plan.dims.reduce((s, d, i) => s + (d - 1) * plan.bStrides[i], 0);
      const n = plan.dims.reduce((p, d) => p * d, 1);
      const a = randomF32(sizeA, 5).map((v) => Math.round(v * 2) + 3);
      const bv = randomF32(sizeB, 6).map((v) => Math.round(v * 2) + 3);
      for (const op of ["add", "sub", "mul", "div"] as const) {
        await withStorages(b, async (keep) => {
          const y = keep(b.alloc(n));
          b.binary(op, keep(put(b, a)), keep(put(b, bv)), y, plan);
          const expected = binaryBroadcast(op, a, bv, plan.dims, plan.aStrides, plan.bStrides);
          assertClose(await b.read(y, n), expected, Tol.gpu, `${op} dims ${plan.dims} on ${name}`);
        });
      }
    }
  });

  Deno.test(`affine(), fill(), clip(), axpy(), transpose(), copy() on ${name} match the references`, async () => {
    for (const n of [1, 3, 1000]) {
      const x = randomF32(n, 7), y0 = randomF32(n, 8);
      await withStorages(b, async (keep) => {
        const xs = keep(put(b, x)), ys = keep(b.alloc(n));
        b.affine(xs, ys, n, 1.5, -0.25);
        assertClose(
          await b.read(ys, n),
          x.map((v) => v * 1.5 - 0.25),
          Tol.gpu,
          `affine on ${name}`,
        );
        b.fill(ys, 7, n);
        assertClose(await b.read(ys, n), new Float64Array(n).fill(7), Tol.exact, `fill on ${name}`);
        b.clip(xs, ys, n, -0.5, 0.25);
        assertClose(await b.read(ys, n), clip(x, -0.5, 0.25), Tol.exact, `clip on ${name}`);
        b.write(ys, Float32Array.from(y0));
        b.axpy(xs, ys, n, -0.75);
        assertClose(await b.read(ys, n), axpy(x, y0, -0.75), Tol.gpu, `axpy on ${name}`);
      });
    }
    for (const [rows, cols] of [[1, 1], [3, 17], [65, 33]]) {
      const x = randomF32(rows * cols, rows);
      await withStorages(b, async (keep) => {
        const y = keep(b.alloc(rows * cols));
        b.transpose(keep(put(b, x)), y, rows, cols);
        const expected = new Float64Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) expected[c * rows + r] = x[r * cols + c];
        }
        assertClose(
          await b.read(y, rows * cols),
          expected,
          Tol.exact,
          `transpose ${rows}x${cols} on ${name}`,
        );
      });
    }
    // Copies between storages and within one (overlapping), at odd offsets.
    const x = randomF32(100, 9);
    await withStorages(b, async (keep) => {
      const xs = keep(put(b, x)), ys = keep(put(b, new Float64Array(100)));
      b.copy(xs, 3, ys, 5, 17);
      const got = await b.read(ys, 100);
      assertClose(got.subarray(5, 22), x.subarray(3, 20), Tol.exact, `copy on ${name}`);
      b.copy(xs, 0, xs, 1, 50);
      assertClose(
        (await b.read(xs, 51)).subarray(1),
        x.subarray(0, 50),
        Tol.exact,
        `overlapping copy on ${name}`,
      );
    });
    // A view at an unaligned offset, written in place.
    const v = uniform(40, 10, -4, 4);
    await withStorages(b, async (keep) => {
      const s = keep(put(b, v));
      const view = b.subarray(s, 3, 17);
      b.unary("relu", view, view, 17);
      const expected = Float64Array.from(v);
      for (let i = 3; i < 20; i++) expected[i] = Math.max(0, v[i]);
      assertClose(
        await b.read(s, 40),
        expected,
        Tol.exact,
        `relu on an unaligned subarray on ${name}`,
      );
    });
  });

  Deno.test(`reduce() on ${name} matches the f64 references (thread and workgroup shapes)`, async () => {
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 17, 5], [2, 300, 1], [1, 5000, 3], [
      4,
      1,
      7,
    ], [65, 33, 1]];
    for (const [outer, len, inner] of shapes) {
      const x = randomF32(outer * len * inner, len + inner);
      const n = outer * inner;
      await withStorages(b, async (keep) => {
        const xs = keep(put(b, x)), y = keep(b.alloc(n));
        const what = `[${outer}, ${len}, ${inner}] on ${name}`;
        b.reduce("sum", xs, y, outer, len, inner, 1 / len);
        assertClose(
          await b.read(y, n),
          reduceSum(x, outer, len, inner, 1 / len),
          Tol.gpuDot(len),
          `sum ${what}`,
        );
        b.reduce("max", xs, y, outer, len, inner, 1);
        assertClose(await b.read(y, n), reduceMax(x, outer, len, inner), Tol.exact, `max ${what}`);
        b.reduce("min", xs, y, outer, len, inner, 1);
        assertClose(await b.read(y, n), reduceMin(x, outer, len, inner), Tol.exact, `min ${what}`);
        b.reduce("prod", xs, y, outer, len, inner, 1);
        assertClose(
          await b.read(y, n),
          reduceProd(x, outer, len, inner),
          Tol.gpuDot(len),
          `prod ${what}`,
        );
        b.reduce("logSumExp", xs, y, outer, len, inner, 1);
        assertClose(
          await b.read(y, n),
          reduceLogSumExp(x, outer, len, inner),
          Tol.gpuDot(len),
          `logSumExp ${what}`,
        );
        for (const [op, ref] of [["argMax", reduceArgmax], ["argMin", reduceArgmin]] as const) {
          b.reduce(op, xs, y, outer, len, inner, 1);
          const got = await b.read(y, n);
          assertClose(
            new Int32Array(got.buffer, got.byteOffset, n),
            ref(x, outer, len, inner),
            Tol.exact,
            `${op} ${what}`,
          );
        }
      });
    }
  });

  Deno.test(`reduce() of int32 sums on ${name} is exact and wraps around`, async () => {
    for (const [outer, len, inner] of [[1, 1, 1], [3, 17, 5], [2, 300, 1]]) {
      const x = Array.from(randomF32(outer * len * inner, len), (v) => Math.round(v * 2e8));
      const n = outer * inner;
      await withStorages(b, async (keep) => {
        const xs = keep(b.alloc(x.length)), y = keep(b.alloc(n));
        b.write(xs, new Float32Array(Int32Array.from(x).buffer));
        b.reduce("sum", xs, y, outer, len, inner, 1, "int32");
        const got = await b.read(y, n);
        assertEquals(
          Array.from(new Int32Array(got.buffer, got.byteOffset, n)),
          Array.from(reduceSum(x, outer, len, inner, 1), (v) => v | 0),
          `int32 sum [${outer}, ${len}, ${inner}] on ${name}`,
        );
      });
    }
  });

  Deno.test(`scan() on ${name} matches the f64 reference`, async () => {
    for (const [outer, len, inner] of [[1, 1, 1], [3, 17, 1], [2, 33, 5], [1, 300, 3]]) {
      const x = randomF32(outer * len * inner, len * 3 + inner);
      const n = x.length;
      for (
        const [exclusive, reverse] of [[false, false], [true, false], [false, true], [true, true]]
      ) {
        await withStorages(b, async (keep) => {
          const y = keep(b.alloc(n));
          b.scan(keep(put(b, x)), y, outer, len, inner, exclusive, reverse);
          assertClose(
            await b.read(y, n),
            cumsum(x, outer, len, inner, exclusive, reverse),
            Tol.gpuDot(len),
            `scan [${outer}, ${len}, ${inner}] exclusive ${exclusive} reverse ${reverse} on ${name}`,
          );
        });
      }
    }
  });

  Deno.test(`topk() and topkBackward() on ${name} match the sorted reference`, async () => {
    for (const [rows, cols, k] of [[1, 1, 1], [3, 17, 5], [2, 33, 33], [4, 9, 0]]) {
      const x = randomF32(rows * cols, cols + k).map((v) => Math.round(v * 4));
      if (rows > 1) x[cols + 2] = NaN;
      for (const sorted of [true, false]) {
        await withStorages(b, async (keep) => {
          const v = keep(b.alloc(Math.max(1, rows * k))), i = keep(b.alloc(Math.max(1, rows * k)));
          b.topk(keep(put(b, x)), v, i, rows, cols, k, sorted);
          const want = topk(x, rows, cols, k, sorted);
          const what = `topk ${rows}x${cols} k ${k} sorted ${sorted} on ${name}`;
          assertClose(await b.read(v, rows * k), want.values, Tol.exact, what);
          const got = await b.read(i, rows * k);
          assertClose(
            new Int32Array(got.buffer, got.byteOffset, rows * k),
            want.indices,
            Tol.exact,
            what,
          );
          const dy = randomF32(rows * k, 9), dx = keep(b.alloc(rows * cols));
          b.topkBackward(keep(put(b, dy)), i, dx, rows, cols, k);
          const dxRef = new Float64Array(rows * cols);
          want.indices.forEach((c, t) => (dxRef[Math.floor(t / k) * cols + c] = dy[t]));
          assertClose(await b.read(dx, rows * cols), dxRef, Tol.exact, `topkBackward ${what}`);
        });
      }
    }
  });

  Deno.test(`softmax() and logSoftmax() on ${name} match the references with entries of ±1000`, async () => {
    for (const [rows, cols] of [[1, 1], [3, 17], [2, 1000], [65, 10]]) {
      const x = uniform(rows * cols, cols, -5, 5);
      for (let i = 0; i < x.length; i += 7) x[i] = i % 2 ? 1000 : -1000;
      const dy = randomF32(rows * cols, rows);
      const n = rows * cols;
      for (const op of ["softmax", "logSoftmax"] as const) {
        await withStorages(b, async (keep) => {
          const xs = keep(put(b, x)), y = keep(b.alloc(n)), dx = keep(b.alloc(n));
          b.softmax(op, xs, y, rows, cols);
          const yRef = (op === "softmax" ? softmax : logSoftmax)(x, rows, cols);
          const got = await b.read(y, n);
          assertClose(got, yRef, Tol.gpuDot(cols), `${op} ${rows}x${cols} on ${name}`);
          const ys = Float64Array.from(got);
          b.softmaxBackward(op, keep(put(b, dy)), y, dx, rows, cols);
          const dxRef = (op === "softmax" ? softmaxBackward : logSoftmaxBackward)(
            dy,
            ys,
            rows,
            cols,
          );
          assertClose(
            await b.read(dx, n),
            dxRef,
            Tol.gpuDot(cols),
            `${op}Backward ${rows}x${cols} on ${name}`,
          );
        });
      }
    }
  });

  Deno.test(`optimizerStep() on ${name} matches the Keras references for sgd, adam, rmsprop`, async () => {
    const n = 1000, g = randomF32(n, 11);
    const check = async (
      what: string,
      got: Storage[],
      expected: Float64Array[],
      tol: Tolerance,
    ) => {
      for (const [i, s] of got.entries()) {
        assertClose(await b.read(s, n), expected[i], tol, `${what} buffer ${i} on ${name}`);
      }
    };
    for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
      const w = randomF32(n, 12), v = randomF32(n, 13).map((x) => x * 0.1);
      await withStorages(b, async (keep) => {
        const ws = keep(put(b, w)), vs = keep(put(b, v));
        b.optimizerStep({
          op: "sgd",
          w: ws,
          g: keep(put(b, g)),
          v: momentum ? vs : null,
          lr: 0.1,
          momentum,
          nesterov,
        }, n);
        sgdStep(w, g, v, 0.1, momentum, nesterov);
        await check(`sgd momentum ${momentum} nesterov ${nesterov}`, [ws, vs], [w, v], Tol.gpu);
      });
    }
    {
      const w = randomF32(n, 14), m = randomF32(n, 15).map((x) => x * 0.1);
      const v = randomF32(n, 16).map((x) => x * x * 0.01);
      const cfg = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, t = 3;
      const lrT = cfg.lr * Math.sqrt(1 - cfg.beta2 ** t) / (1 - cfg.beta1 ** t);
      await withStorages(b, async (keep) => {
        const ws = keep(put(b, w)), ms = keep(put(b, m)), vs = keep(put(b, v));
        b.optimizerStep({
          op: "adam",
          w: ws,
          g: keep(put(b, g)),
          m: ms,
          v: vs,
          lrT,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
        }, n);
        adamStep(w, g, m, v, cfg, t);
        await check("adam", [ws, ms, vs], [w, m, v], Tol.gpu);
      });
    }
    {
      const w = randomF32(n, 17), ms = randomF32(n, 18).map((x) => x * x * 0.01);
      await withStorages(b, async (keep) => {
        const ws = keep(put(b, w)), mss = keep(put(b, ms));
        b.optimizerStep({
          op: "rmsprop",
          w: ws,
          g: keep(put(b, g)),
          ms: mss,
          lr: 1e-2,
          rho: 0.9,
          epsilon: 1e-7,
        }, n);
        rmspropStep(w, g, ms, 1e-2, 0.9, 1e-7);
        await check("rmsprop", [ws, mss], [w, ms], Tol.gpu);
      });
    }
  });

  Deno.test(`dropoutMask() on ${name} equals its definition bit for bit`, async () => {
    for (const [n, seed, rate] of [[1, 3, 0.5], [1001, 0xfffffff0, 0.25]]) {
      await withStorages(b, async (keep) => {
        const y = keep(b.alloc(n));
        b.dropoutMask(y, n, seed, rate, 1 / (1 - rate));
        assertEquals(
          Array.from(await b.read(y, n)),
          Array.from(dropoutMask(n, seed, rate, 1 / (1 - rate))),
          `dropoutMask n ${n} on ${name}`,
        );
      });
    }
  });

  Deno.test({
    name: `sumSquares() on ${name} is implemented or honestly unsupported`,
    ignore: b.supports("sumSquares"),
    fn: () => {
      const s = b.alloc(1);
      try {
        let threw = false;
        try {
          b.sumSquares(s, 1);
        } catch (e) {
          threw = e instanceof TypeError && /not implemented/.test((e as Error).message);
        }
        if (!threw) throw new Error(`sumSquares on ${name} neither ran nor threw a TypeError`);
      } finally {
        b.free(s);
      }
    },
  });
}
