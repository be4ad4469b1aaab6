/**
 * The wasm backend keeps op(B) packed between gemm calls (src/backend/wasm/wasm_backend.ts,
 * `PackedB`). These tests prove a packing is never used after B's bytes changed: after every kind
 * of in-place write (and a free and re-allocation at the same address), the product must be
 * bitwise the one a fresh backend, which has nothing cached, computes from the same values. They
 * also check that training, whose optimizer steps update the weights in place every step, and
 * repeated matmuls keep memory flat.
 */
import * as dn from "../../mod.ts";
import type { Backend, Storage } from "../../src/backend/backend.ts";
import { WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import { sharedMemorySupported } from "../../src/backend/wasm/module.ts";
import { assertEquals } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const f32 = (n: number, seed: number) => Float32Array.from(randomF32(n, seed));

const M = 13, N = 21, K = 37;

/** A fresh backend: its product of a and b, nothing cached. */
function freshProduct(a: Float32Array, b: Float32Array, transB: boolean, m = M): Float32Array {
  const be = new WasmBackend("plain");
  const sa = be.alloc(m * K), sb = be.alloc(K * N), sc = be.alloc(m * N);
  be.write(sa, a);
  be.write(sb, b);
  be.gemm(gemmArgs(sa, sb, sc, transB, m));
  return be.readSync(sc, m * N);
}

function gemmArgs(a: Storage, b: Storage, c: Storage, transB: boolean, m = M) {
  return {
    a,
    b,
    c,
    m,
    n: N,
    k: K,
    transA: false,
    transB,
    bias: null,
    activation: "linear" as const,
    beta: 0,
  };
}

/** Ways to change B's bytes in place, each through a different backend method. */
const MUTATIONS: Record<string, (be: WasmBackend, b: Storage, other: Storage) => void> = {
  "write": (be, b) => be.write(b, f32(K * N, 7)),
  "fill": (be, b) => be.fill(b, 0.25, K * N),
  "copy into B": (be, b, other) => be.copy(other, 0, b, 0, K * N),
  "copy into part of B": (be, b, other) => be.copy(other, 3, b, 5, 9),
  "axpy with y = B": (be, b, other) => be.axpy(other, b, K * N, -0.5),
  "clip in place": (be, b) => be.clip(b, b, K * N, -0.1, 0.1),
  "sgd step on B": (be, b, other) =>
    be.optimizerStep(
      { op: "sgd", w: b, g: other, v: null, lr: 0.5, momentum: 0, nesterov: false },
      K * N,
    ),
  "gemm with c = B": (be, b, other) =>
    be.gemm({
      a: other,
      b: other,
      c: b,
      m: K,
      n: N,
      k: 1,
      transA: false,
      transB: false,
      bias: null,
      activation: "linear",
      beta: 1,
    }),
  "unary kernel writing B": (be, b) => be.unary("neg", b, b, K * N),
  "write through a subarray view": (be, b) => be.write(be.subarray(b, 40, 10), f32(10, 9)),
};

// m = 13 runs f32_gemm on the gemm packing; m = 1 streams B on its first use and runs
// f32_gemv_packed on the gemv packing from the second on.
for (const variant of sharedMemorySupported() ? ["plain", "shared"] as const : ["plain"] as const) {
  for (const transB of [false, true]) {
    for (const m of [M, 1]) {
      Deno.test(`gemm() on ${variant} memory, m = ${m}${transB ? ", transB" : ""}, never reuses a stale packing of B`, () => {
        const failures: string[] = [];
        for (const [name, mutate] of Object.entries(MUTATIONS)) {
          const be = new WasmBackend(variant);
          const a = be.alloc(m * K), b = be.alloc(K * N), c = be.alloc(m * N);
          const other = be.alloc(K * N);
          be.write(a, f32(m * K, 1));
          be.write(b, f32(K * N, 2));
          be.write(other, f32(K * N, 3));
          const aVals = be.readSync(a, m * K);
          const want = freshProduct(aVals, be.readSync(b, K * N), transB, m);
          for (let call = 0; call < 3; call++) { // packs, then cache hits: still the same product
            be.gemm(gemmArgs(a, b, c, transB, m));
            if (!sameBits(be.readSync(c, m * N), want)) {
              failures.push(`${name}: call ${call} differs`);
            }
          }
          mutate(be, b, other);
          const changed = freshProduct(aVals, be.readSync(b, K * N), transB, m);
          for (let call = 0; call < 3; call++) {
            be.gemm(gemmArgs(a, b, c, transB, m));
            if (!sameBits(be.readSync(c, m * N), changed)) {
              failures.push(`${name}: stale packing used in call ${call} after the change`);
            }
          }
        }
        assertEquals(failures, []);
      });
    }
  }
}

Deno.test("gemm() does not reuse a packing after B is freed and its address reused", () => {
  const be = new WasmBackend("plain");
  const a = be.alloc(M * K), c = be.alloc(M * N);
  be.write(a, f32(M * K, 1));
  const b1 = be.alloc(K * N);
  be.write(b1, f32(K * N, 2));
  be.gemm(gemmArgs(a, b1, c, false));
  be.free(b1);
  const b2 = be.alloc(K * N);
  assertEquals((b2 as { ptr?: number }).ptr, (b1 as { ptr?: number }).ptr);
  const values = f32(K * N, 5);
  be.write(b2, values);
  be.gemm(gemmArgs(a, b2, c, false));
  assertEquals(
    sameBits(be.readSync(c, M * N), freshProduct(be.readSync(a, M * K), values, false)),
    true,
  );
});

Deno.test("matmul() follows weights updated in place by optimizer steps, memory flat", async () => {
  await dn.ready({ backend: "wasm" });
  const x = dn.tensor(f32(8 * 5, 11), [8, 5]);
  const w = dn.tensor(f32(5 * 3, 12), [5, 3]);
  const target = dn.tensor(f32(8 * 3, 13), [8, 3]);
  const opt = dn.optimizers.sgd({ learningRate: 0.1 });
  const step = () =>
    dn.tidy(() => {
      const loss = (ww: dn.Tensor) => dn.mean(dn.square(dn.sub(dn.matmul(x, ww), target)));
      opt.applyGradients([w], dn.grads(loss)([w]));
    });
  for (let i = 0; i < 5; i++) step();
  const before = dn.memory();
  for (let i = 0; i < 50; i++) {
    step();
    const got = dn.tidy(() => dn.matmul(x, w).dataSync());
    const want = freshProductOf(x.dataSync(), w.dataSync(), 8, 3, 5);
    if (!sameBits(got, want)) throw new Error(`step ${i}: matmul used stale weights`);
  }
  assertEquals(dn.memory(), before);
  for (const t of [x, w, target]) t.dispose();
  opt.dispose();
});

Deno.test("memory() stays flat over repeated matmuls by the same and by new weights", () => {
  const a = dn.randomUniform([17, 33], { seed: 1 });
  const w = dn.randomUniform([33, 40], { seed: 2 });
  const run = () => {
    dn.tidy(() => dn.matmul(a, w).dataSync());
    using b = dn.randomUniform([33, 9], { seed: 3 });
    dn.tidy(() => dn.matmul(a, b).dataSync());
  };
  for (let i = 0; i < 20; i++) run();
  const before = dn.memory();
  for (let i = 0; i < 2_000; i++) run();
  assertEquals(dn.memory(), before);
  a.dispose();
  w.dispose();
});

/** The product of an m x k and a k x n matrix on a fresh backend. */
function freshProductOf(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): Float32Array {
  const be: Backend & { readSync(s: Storage, size: number): Float32Array } = new WasmBackend(
    "plain",
  );
  const sa = be.alloc(m * k), sb = be.alloc(k * n), sc = be.alloc(m * n);
  be.write(sa, a);
  be.write(sb, b);
  be.gemm({
    a: sa,
    b: sb,
    c: sc,
    m,
    n,
    k,
    transA: false,
    transB: false,
    bias: null,
    activation: "linear",
    beta: 0,
  });
  return be.readSync(sc, m * n);
}

function sameBits(x: Float32Array, y: Float32Array): boolean {
  if (x.length !== y.length) return false;
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const v = new Uint32Array(y.buffer, y.byteOffset, y.length);
  return u.every((bits, i) => bits === v[i]);
}
