/**
 * Every primitive of the threads backend against the single-thread wasm backend, bit for bit
 * (STYLE C9 `Tol.exact`: same summation order), on odd shapes with 2, 3 and 4 threads. The small
 * shapes run with `splitAlways` (every kernel split wherever its range allows, thresholds off) so
 * that range edges are exercised; a few large shapes run with the real thresholds. Each case
 * compares every buffer it touched, inputs included (a stray write by one thread shows up).
 */
import type { CompleteBackend, Storage } from "../../src/backend/backend.ts";
import { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { SPLITS, WHOLE } from "../../src/backend/threads/splits.ts";
import { kernelModule } from "../../src/backend/wasm/module.ts";
import { filterGradGroups, WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";
import { CASES, type KernelCase } from "./_threads_cases.ts";

/** Runs `c` on `b` over fresh buffers holding the case's data; returns every buffer's bits. */
function runCase(b: CompleteBackend, c: KernelCase): Uint32Array[] {
  const storages: Storage[] = c.data.map((d) => {
    const s = b.alloc(d.length);
    b.write(s, d);
    return s;
  });
  try {
    c.run(b, storages);
    return storages.map((s, i) => new Uint32Array(b.readSync(s, c.data[i].length).buffer));
  } finally {
    for (const s of storages) b.free(s);
  }
}

function firstDifference(a: Uint32Array[], b: Uint32Array[]): string | null {
  for (let s = 0; s < a.length; s++) {
    for (let i = 0; i < a[s].length; i++) {
      if (a[s][i] !== b[s][i]) {
        const f = (u: number) => new Float32Array(new Uint32Array([u]).buffer)[0];
        return `buffer ${s}[${i}]: ${f(a[s][i])} (0x${a[s][i].toString(16)}) vs ${f(b[s][i])} (0x${
          b[s][i].toString(16)
        })`;
      }
    }
  }
  return null;
}

/** Methods with no kernel behind them or nothing to split. */
const NOT_KERNELS = new Set([
  "constructor",
  "alloc",
  "free",
  "write",
  "read",
  "readSync",
  "subarray",
  "memoryBytes",
  "runIndependent",
  "supports",
]);
/** Primitives that always run whole on the calling thread (see splits.ts `WHOLE`). */
const UNSPLIT = new Set(["sumSquares", "copy"]);

Deno.test("every kernel export is either split by the threads backend or listed as whole", () => {
  const names = WebAssembly.Module.exports(kernelModule("shared"))
    .filter((e) => e.kind === "function")
    .map((e) => e.name);
  const unclassified = names.filter((n) => !(n in SPLITS) && !(n in WHOLE));
  assertEquals(unclassified, [], "add these exports to SPLITS or WHOLE in splits.ts");
  const stale = Object.keys(SPLITS).filter((n) => !names.includes(n));
  assertEquals(stale, [], "SPLITS names exports that do not exist");
});

Deno.test("the threads kernel cases cover every primitive of the wasm backend", () => {
  const methods = Object.getOwnPropertyNames(WasmBackend.prototype)
    .filter((m) => !NOT_KERNELS.has(m));
  const covered = new Set(CASES.map((c) => c.method));
  assertEquals(methods.filter((m) => !covered.has(m)), [], "add cases to _threads_cases.ts");
});

for (const threads of [2, 3, 4]) {
  Deno.test(`threads backend with ${threads} threads equals wasm bit for bit on every primitive`, async () => {
    const ref = new WasmBackend("shared");
    const thr = await ThreadsBackend.start({ threads, splitAlways: true });
    const failures: string[] = [];
    try {
      for (const c of CASES) {
        const want = runCase(ref, c);
        const runs = thr.poolForTest!.runs;
        const got = runCase(thr, c);
        const diff = firstDifference(want, got);
        if (diff) failures.push(`${c.name}: ${diff}`);
        if (!c.whole && !UNSPLIT.has(c.method) && thr.poolForTest!.runs === runs) {
          failures.push(`${c.name}: nothing was split`);
        }
      }
    } finally {
      await thr.shutdown();
    }
    assertEquals(failures.slice(0, 10), [], `${failures.length} failing cases`);
  });
}

Deno.test("threads backend equals wasm bit for bit on large shapes with the real thresholds", async () => {
  const ref = new WasmBackend("shared");
  const thr = await ThreadsBackend.start({ threads: 3 });
  const failures: string[] = [];
  try {
    for (const c of CASES.filter((c) => c.large)) {
      const runs = thr.poolForTest!.runs;
      const diff = firstDifference(runCase(ref, c), runCase(thr, c));
      if (diff) failures.push(`${c.name}: ${diff}`);
      if (thr.poolForTest!.runs === runs) failures.push(`${c.name}: nothing was split`);
    }
  } finally {
    await thr.shutdown();
  }
  assertEquals(failures, []);
});

Deno.test("a fresh packing of B and its column-split GEMM run as one pool run, bit for bit", async () => {
  const ref = new WasmBackend("shared");
  const thr = await ThreadsBackend.start({ threads: 2 });
  try {
    // RBM-sized products (64 rows): n = 500 and 784 split by columns; B rewritten between calls.
    for (const [m, n, k, transB] of [[64, 500, 784, false], [64, 784, 500, true]] as const) {
      const r = rng(n);
      const data = [m * k, k * n, m * n].map((size) => Float32Array.from({ length: size }, r));
      const run = (b: CompleteBackend): Uint32Array => {
        const [a, bb, c] = data.map((d) => {
          const s = b.alloc(d.length);
          b.write(s, d);
          return s;
        });
        const gemm = () =>
          b.gemm({
            a,
            b: bb,
            c,
            m,
            n,
            k,
            transA: false,
            transB,
            bias: null,
            activation: "sigmoid",
            beta: 0,
          });
        gemm();
        b.write(bb, data[1]); // the packing is stale: the next product packs again
        const runs = b === thr ? thr.poolForTest!.runs : 0;
        gemm();
        if (b === thr) assertEquals(thr.poolForTest!.runs - runs, 1, `${m}x${n}x${k}: pool runs`);
        const bits = new Uint32Array(b.readSync(c, m * n).buffer);
        for (const s of [a, bb, c]) b.free(s);
        return bits;
      };
      assertEquals(firstDifference([run(ref)], [run(thr)]), null, `${m}x${n}x${k}`);
    }
  } finally {
    await thr.shutdown();
  }
});

Deno.test("filterGradGroups() depends on the shape only and covers the batch in order", () => {
  const r = rng(7);
  for (let i = 0; i < 200; i++) {
    const g = {
      batch: 1 + Math.floor((r() + 1) * 40),
      inHeight: 8,
      inWidth: 8,
      inChannels: 1 + Math.floor((r() + 1) * 8),
      outHeight: 1 + Math.floor((r() + 1) * 16),
      outWidth: 1 + Math.floor((r() + 1) * 16),
      outChannels: 1 + Math.floor((r() + 1) * 16),
      filterHeight: 3,
      filterWidth: 3,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 1,
      padLeft: 1,
    };
    const bounds = filterGradGroups(g);
    assertEquals(bounds[0], 0);
    assertEquals(bounds[bounds.length - 1], g.batch);
    assert(bounds.length >= 2 && bounds.length <= 13, `groups ${bounds.length - 1}`);
    for (let j = 1; j < bounds.length; j++) assert(bounds[j] > bounds[j - 1], "groups not empty");
    assertEquals(filterGradGroups({ ...g }), bounds);
  }
});
