/**
 * Workers that stop answering or die in the middle of a kernel call: the
 * calling thread gives the worker up within `max(stallTimeoutMs, stallFactor x expected)`,
 * finishes the call where that is safe (bitwise equal to the wasm backend), terminates the
 * workers, and runs every later call itself with `backend()` saying why; a piece the lost worker
 * had begun throws `WorkerStalledError` instead. Workers are frozen by test hooks (an
 * `Atomics.wait` on a private cell), so no test waits long.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import type { Storage } from "../../src/backend/backend.ts";
import type { Pool } from "../../src/backend/threads/pool.ts";
import { WorkerStalledError } from "../../src/errors.ts";
import { ThreadsBackend, type ThreadsOptions } from "../../src/backend/threads/threads_backend.ts";
import { WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

/** Margin over the bound for a loaded 2-core machine: far below the old fixed 120 s. */
const MARGIN_MS = 1500;
const STALL_MS = 200;

/** Inputs of the calls below, the same on every backend. */
const N = 1 << 19;
const X = new Float32Array(N).map((_, i) => (i % 29) / 8 - 1.5);
const M = 384;
const A = new Float32Array(M * M).map((_, i) => ((i * 7) % 13) / 4 - 1.5);

/** exp over N floats (split into 8 pieces on 2 threads) and a M^3 GEMM, on backend `b`. */
function calls(b: WasmBackend) {
  const x = b.alloc(N), y = b.alloc(N), a = b.alloc(M * M), c = b.alloc(M * M);
  b.write(x, X);
  b.write(a, A);
  const read = (s: Storage, n: number) => b.readSync(s, n);
  return {
    exp: () => (b.unary("exp", x, y, N), read(y, N)),
    gemm: () => (b.gemm({
      a,
      b: a,
      c,
      m: M,
      n: M,
      k: M,
      transA: false,
      transB: true,
      bias: null,
      activation: "relu",
      beta: 0,
    }),
      read(c, M * M)),
  };
}

const wasm = calls(new WasmBackend("shared"));
const expected = { exp: wasm.exp(), gemm: wasm.gemm() };

/** A 2-thread backend whose worker spins between calls (so it takes pieces at once). */
async function start(options: Partial<ThreadsOptions> = {}): Promise<ThreadsBackend> {
  return await ThreadsBackend.start({
    threads: 2,
    stallTimeoutMs: STALL_MS,
    workerSpinMs: 10_000,
    steal: false,
    ...options,
  });
}

/**
 * Arms `hook` on worker 1 and runs `f` until the worker is lost, for up to 5 s of tries: on a busy
 * host (the suite runs test files side by side) the caller may take every piece before the worker
 * gets a core, and then nothing froze; 20 tries of about 16 ms once were not enough. Returns the
 * last try's result or error and its milliseconds.
 */
function stall<T>(
  b: ThreadsBackend,
  hook: Parameters<Pool["hookWorkerForTest"]>[1],
  f: () => T,
): [T | Error, number] {
  b.poolForTest!.hookWorkerForTest(0, hook);
  const begin = performance.now();
  for (;;) {
    const t = performance.now();
    let r: T | Error;
    try {
      r = f();
    } catch (e) {
      r = e as Error;
    }
    const ms = performance.now() - t;
    if (b.broken !== null || t - begin > 5000) return [r, ms];
  }
}

for (const hook of ["freeze-before", "freeze-taken"] as const) {
  Deno.test(`Pool.run() finishes a call on the calling thread within the bound when a worker stops (${hook})`, async () => {
    const b = await start();
    try {
      const k = calls(b);
      assertEquals(k.exp(), expected.exp);
      const [y, ms] = stall(b, hook, k.exp);
      assertEquals(y, expected.exp);
      assert(ms >= STALL_MS - 1 && ms < STALL_MS + MARGIN_MS, `recovered after ${ms} ms`);
      const runs = b.poolForTest!.runs;
      assert(
        b.broken?.match(/^worker 1 stopped answering after \d+ ms during f32_vexp$/),
        String(b.broken),
      );
      assertEquals(b.threads, 1);
      // The frozen worker, let go, finds its piece revoked and nothing left: no write.
      b.poolForTest!.thawWorkerForTest(0);
      const t = performance.now();
      const again = k.gemm();
      const next = performance.now() - t;
      assertEquals(again, expected.gemm);
      assertEquals(b.poolForTest!.runs, runs, "a later call was split");
      assert(next < STALL_MS, `the next call took ${next} ms`);
      console.log(`${hook}: recovered in ${ms.toFixed(0)} ms (bound ${STALL_MS})`);
    } finally {
      await b.shutdown();
    }
  });
}

Deno.test("Pool.run() throws WorkerStalledError for a piece a frozen worker had begun, then runs on the calling thread", async () => {
  const b = await start();
  try {
    const k = calls(b);
    k.exp();
    const [error, ms] = stall(b, "freeze-inside", k.exp);
    assertThrows(
      () => {
        throw error;
      },
      WorkerStalledError,
      "worker 1",
    );
    assert(ms < STALL_MS + MARGIN_MS, `failed after ${ms} ms`);
    assertEquals([(error as WorkerStalledError).kernel, (error as WorkerStalledError).worker], [
      "f32_vexp",
      1,
    ]);
    const message = (error as Error).message;
    assert(message.startsWith('Cannot finish kernel "f32_vexp" on the threads backend'), message);
    assert(message.includes("stopped answering after"), message);
    assertEquals(k.exp(), expected.exp);
    assertEquals(k.gemm(), expected.gemm);
    assertEquals(b.threads, 1);
    console.log(`freeze-inside: threw after ${ms.toFixed(0)} ms (bound ${STALL_MS})`);
  } finally {
    await b.shutdown();
  }
});

Deno.test("Pool.run() bounds the wait by the call's work: a bigger call waits longer than the floor", async () => {
  // exp over 2^19 floats at 100 k floats/ms is 5.2 ms expected; with factor 60, 315 ms.
  const b = await start({ stallTimeoutMs: 0, stallFactor: 60 });
  try {
    const k = calls(b);
    k.exp();
    const [y, ms] = stall(b, "freeze-before", k.exp);
    assertEquals(y, expected.exp);
    assert(ms >= 315 - 1 && ms < 315 + MARGIN_MS, `recovered after ${ms} ms`);
    assert(b.broken?.includes("during f32_vexp"), String(b.broken));
    console.log(`exp, factor 60: recovered in ${ms.toFixed(0)} ms (bound 315)`);
  } finally {
    await b.shutdown();
  }
});

Deno.test("Pool.run() finishes a call at once when a worker dies in it, then runs on the calling thread", async () => {
  const b = await start({ stallTimeoutMs: 60_000 });
  try {
    const k = calls(b);
    k.gemm();
    const [c, ms] = stall(b, "die", k.gemm);
    assertEquals(c, expected.gemm);
    assert(ms < MARGIN_MS, `recovered after ${ms} ms`);
    assert(b.broken?.includes("worker 1 died (worker crashed on request"), String(b.broken));
    assertEquals(k.exp(), expected.exp);
    assertEquals(b.threads, 1);
    console.log(`die: recovered in ${ms.toFixed(0)} ms`);
  } finally {
    await b.shutdown();
  }
});

Deno.test("backend() says why ops run on the calling thread after a worker stalls; ready() starts new workers", async () => {
  try {
    await dn.ready({ backend: "threads", threads: 2, stallTimeoutMs: STALL_MS });
    const a = dn.tensor(A, [M, M]);
    const x = dn.tensor(X, [N]);
    const before = await dn.matmul(a, a, { transposeB: true, activation: "relu" }).data();
    assertEquals(before, expected.gemm);
    assertEquals(await dn.exp(x).data(), expected.exp);
    const b = activeBackend() as ThreadsBackend;
    const [y, ms] = stall(b, "freeze-before", () => dn.exp(x));
    assertEquals(await (y as dn.Tensor).data(), expected.exp);
    assert(ms < STALL_MS + MARGIN_MS, `recovered after ${ms} ms`);
    const info = dn.backend();
    assertEquals(info.name, "wasm");
    assert(
      info.reason.match(
        /^requested: 2 threads; threads: worker 1 stopped answering after \d+ ms during f32_vexp; fell back to wasm, running on the calling thread/,
      ),
      info.reason,
    );
    assertEquals(await dn.matmul(a, a, { transposeB: true, activation: "relu" }).data(), before);
    const restarted = await dn.ready({ backend: "threads", threads: 2 });
    assertEquals(restarted.reason, "requested: 2 threads");
    assertEquals(await dn.matmul(a, a, { transposeB: true, activation: "relu" }).data(), before);
    assertEquals((activeBackend() as ThreadsBackend).threads, 2);
  } finally {
    await dn.shutdown();
    await dn.ready({ backend: "wasm" });
  }
});

Deno.test("ready() rejects stall options that are not finite numbers in range", async () => {
  for (
    const [option, value, type] of [
      ["stallTimeoutMs", -1, RangeError],
      ["stallTimeoutMs", Infinity, RangeError],
      ["stallTimeoutMs", NaN, RangeError],
      ["stallTimeoutMs", "250", TypeError],
      ["stallFactor", 0.5, RangeError],
      ["stallFactor", null, TypeError],
    ] as const
  ) {
    await assertRejects(
      () => dn.ready({ backend: "threads", [option]: value as number }),
      type,
      `argument "${option}" must be a finite number >= `,
    );
  }
});
