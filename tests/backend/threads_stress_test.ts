/**
 * 1,000 mixed primitive calls of random sizes (some below, some above the split thresholds) on a
 * 2-thread pool, each checked bit for bit against the wasm backend; no deadlock (the test ends),
 * and the memory stays flat once it has grown to the largest sizes (the growth itself happens
 * after the workers started, so they must see the grown memory).
 */
import type { CompleteBackend, Storage } from "../../src/backend/backend.ts";
import { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import { assertEquals } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";
import { conv2dGeometry } from "../../src/ops/conv.ts";

type Op = (b: CompleteBackend, s: Storage[]) => void;

/** A random op: its buffers' sizes and the call. */
function randomOp(r: () => number): { name: string; sizes: number[]; op: Op } {
  const int = (lo: number, hi: number) => lo + Math.floor(((r() + 1) / 2) * (hi - lo + 1));
  switch (int(0, 6)) {
    case 0: {
      const m = int(1, 160), n = int(1, 160), k = int(1, 160);
      const transA = r() > 0, transB = r() > 0, useBias = r() > 0;
      return {
        name: `gemm ${m}x${n}x${k}`,
        sizes: [m * k, k * n, m * n, n],
        op: (b, [a, bb, c, bias]) =>
          b.gemm({
            a,
            b: bb,
            c,
            m,
            n,
            k,
            transA,
            transB,
            bias: useBias ? bias : null,
            activation: "relu",
            beta: 0,
          }),
      };
    }
    case 1: {
      const n = int(1, 200_000);
      const op = (["relu", "tanh", "exp", "square"] as const)[int(0, 3)];
      return { name: `${op} ${n}`, sizes: [n, n], op: (b, [x, y]) => b.unary(op, x, y, n) };
    }
    case 2: {
      const rows = int(1, 600), cols = int(1, 300);
      return {
        name: `softmax ${rows}x${cols}`,
        sizes: [rows * cols, rows * cols],
        op: (b, [x, y]) => b.softmax("softmax", x, y, rows, cols),
      };
    }
    case 3: {
      const outer = int(1, 500), len = int(1, 200);
      return {
        name: `reduce ${outer}x${len}`,
        sizes: [outer * len, outer],
        op: (b, [x, y]) => b.reduce("sum", x, y, outer, len, 1, 1),
      };
    }
    case 4: {
      const n = int(1, 150_000);
      return {
        name: `adam ${n}`,
        sizes: [n, n, n, n],
        op: (b, [w, g, m, v]) => {
          b.unary("abs", v, v, n);
          b.optimizerStep(
            { op: "adam", w, g, m, v, lrT: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
            n,
          );
        },
      };
    }
    case 5: {
      const batch = int(1, 24), hw = int(5, 16), inC = int(1, 6), outC = int(1, 12);
      const g = conv2dGeometry(
        [batch, hw, hw, inC],
        [3, 3, inC, outC],
        [1, 1],
        [1, 1],
        "same",
        "stress",
      );
      const xs = batch * hw * hw * inC, ys = batch * hw * hw * outC, ws = 9 * inC * outC;
      return {
        name: `conv ${batch}x${hw}x${hw}x${inC}->${outC}`,
        sizes: [xs, ws, ys, ws, xs],
        op: (b, [x, filter, y, dw, dx]) => {
          b.conv2d({ ...g, x, filter, y, bias: null, activation: "relu" });
          b.conv2dBackwardFilter({ ...g, x, dy: y, dw });
          b.conv2dBackwardData({ ...g, dy: y, filter, dx });
        },
      };
    }
    default: {
      const batch = int(1, 40), hw = 2 * int(2, 12), c = int(1, 8);
      const p = {
        batch,
        inHeight: hw,
        inWidth: hw,
        channels: c,
        outHeight: hw / 2,
        outWidth: hw / 2,
        poolHeight: 2,
        poolWidth: 2,
        strideHeight: 2,
        strideWidth: 2,
        padTop: 0,
        padLeft: 0,
      };
      const xs = batch * hw * hw * c, ys = xs / 4;
      return {
        name: `maxpool ${batch}x${hw}x${hw}x${c}`,
        sizes: [xs, ys, ys, xs],
        op: (b, [x, y, dy, dx]) => {
          b.maxPool2d(x, y, p);
          b.maxPool2dBackward(x, y, dy, dx, p);
        },
      };
    }
  }
}

function run(b: CompleteBackend, sizes: number[], data: Float32Array[], op: Op): Uint32Array[] {
  const s = sizes.map((n, i) => {
    const st = b.alloc(n);
    b.write(st, data[i]);
    return st;
  });
  try {
    op(b, s);
    return s.map((st, i) => new Uint32Array(b.readSync(st, sizes[i]).buffer));
  } finally {
    for (const st of s) b.free(st);
  }
}

Deno.test("1,000 random ops on 2 threads match wasm bit for bit with flat memory", async () => {
  const ref = new WasmBackend("shared");
  const thr = await ThreadsBackend.start({ threads: 2 });
  try {
    const r = rng(2024);
    const failures: string[] = [];
    // Grow the memory to the largest working set first, after the workers started.
    const big = thr.alloc(8_000_000);
    thr.free(big);
    let flat = 0;
    for (let i = 0; i < 1000; i++) {
      const { name, sizes, op } = randomOp(r);
      const data = sizes.map((n) => Float32Array.from({ length: n }, () => r()));
      const want = run(ref, sizes, data, op);
      const got = run(thr, sizes, data, op);
      const bad = want.findIndex((w, j) => w.some((v, k) => v !== got[j][k]));
      if (bad >= 0) failures.push(`op ${i} ${name}: buffer ${bad} differs`);
      if (i === 99) flat = thr.memoryBytes();
    }
    assertEquals(failures.slice(0, 5), []);
    assertEquals(thr.memoryBytes(), flat, "memory grew after op 100");
    assertEquals(thr.broken, null);
  } finally {
    await thr.shutdown();
  }
});
