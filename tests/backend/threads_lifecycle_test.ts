/**
 * Lifecycle of the threads backend: choosing it (`ready()` options, "auto", fallbacks with a
 * reason), scripts that exit by themselves with no permission flag, `shutdown()`, and workers
 * that die (later calls run on the calling thread); workers that stop answering: threads_stall_test.ts.
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";

const MOD = JSON.stringify(new URL("../../mod.ts", import.meta.url).href);

/** Runs `script` under `deno run` with no permission flag; kills it after `seconds`. */
async function runScript(script: string, seconds = 60) {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/main.ts`;
  await Deno.writeTextFile(file, script);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", file],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, seconds * 1000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  await Deno.remove(dir, { recursive: true });
  const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  return { code, killed, stdout: text(stdout), stderr: text(stderr) };
}

Deno.test("a script using ready({ backend: 'threads' }) runs with no permission flag and exits by itself", async () => {
  const { code, killed, stdout, stderr } = await runScript(`
    import * as dn from ${MOD};
    const info = await dn.ready({ backend: "threads", threads: 2 });
    const a = dn.ones([256, 256]);
    const c = dn.matmul(a, a);
    console.log(info.name, (await c.data())[0]);
  `);
  assert(!killed, "the script did not exit by itself");
  assertEquals(code, 0, stderr);
  assertEquals(stdout, "threads 256");
});

Deno.test("on an engine without Atomics.pause the pool spins without it", async () => {
  const SELECT = JSON.stringify(new URL("../../src/backend/select.ts", import.meta.url).href);
  const { code, killed, stdout, stderr } = await runScript(`
    delete Atomics.pause;
    const dn = await import(${MOD});
    const { activeBackend } = await import(${SELECT});
    await dn.ready({ backend: "threads", threads: 2 });
    const a = dn.ones([256, 256]);
    // Many split calls: the caller waits for the worker in some of them.
    let c = a;
    for (let i = 0; i < 200; i++) c = dn.matmul(a, a);
    console.log(typeof Atomics.pause, (await c.data())[0], activeBackend().poolForTest.runs >= 200);
  `);
  assert(!killed, "the script did not exit by itself");
  assertEquals(code, 0, stderr);
  assertEquals(stdout, "undefined 256 true");
});

Deno.test("ready() takes threads for 'auto' with SharedArrayBuffer and several cores", async () => {
  try {
    const info = await dn.ready({ backend: "auto" });
    if (navigator.hardwareConcurrency > 1) {
      assertEquals(info.name, "threads");
      assert(info.reason.includes("SharedArrayBuffer"), info.reason);
      assert(info.reason.includes(`${navigator.hardwareConcurrency} threads`), info.reason);
      assert(info.reason.includes("workers start with the first call"), info.reason);
    } else {
      assertEquals(info.name, "wasm");
    }
    const three = await dn.ready({ backend: "threads", threads: 3 });
    assertEquals(three, { name: "threads", reason: "requested: 3 threads" });
  } finally {
    await dn.shutdown();
    await dn.ready({ backend: "wasm" });
  }
});

Deno.test("ready() 'auto' starts no worker until a call is big enough to split, then splits", async () => {
  try {
    await dn.ready({ backend: "auto", threads: 2 });
    const b = activeBackend() as ThreadsBackend;
    if (!(b instanceof ThreadsBackend)) return; // one core or no SharedArrayBuffer: wasm
    assertEquals(b.pendingStart?.started, false);
    const small = dn.tensor(new Float32Array(64 * 64).map((_, i) => (i % 7) - 3), [64, 64]);
    const expected = await dn.matmul(small, small, { activation: "relu" }).data();
    // Batch-1 inference through a layer's weights (written, as loadModel does): below every
    // threshold.
    const one = dn.tensor(new Float32Array(784).fill(1), [1, 784]);
    const w = dn.tensor(new Float32Array(784 * 128).fill(0.5), [784, 128]);
    dn.matmul(one, w, { activation: "relu" }).dispose();
    assertEquals(b.pendingStart?.started, false, "a small call started the workers");
    assertEquals(b.threads, 1);
    const big = dn.ones([256, 256]);
    const first = await dn.matmul(big, big).data(); // runs here while the workers start
    assertEquals(b.pendingStart?.started, true);
    await b.pendingStart!.done;
    assertEquals(b.pendingStart, null);
    assertEquals(b.threads, 2);
    const runs = b.poolForTest!.runs;
    assertEquals([...await dn.matmul(big, big).data()], [...first]);
    assert(b.poolForTest!.runs > runs, "the big call was not split once the workers ran");
    assertEquals([...await dn.matmul(small, small, { activation: "relu" }).data()], [...expected]);
  } finally {
    await dn.shutdown();
    await dn.ready({ backend: "wasm" });
  }
});

Deno.test("ready() rejects a threads count that is not a whole number >= 1", async () => {
  for (const threads of [0, 1.5, -2, "many"]) {
    await assertRejects(
      () => dn.ready({ backend: "threads", threads: threads as number }),
      TypeError,
      'argument "threads" must be a whole number >= 1 or "auto"',
    );
  }
});

Deno.test("ready() falls back to wasm and says why without SharedArrayBuffer or Worker", async () => {
  const g = globalThis as Record<string, unknown>;
  for (const missing of ["SharedArrayBuffer", "Worker"]) {
    const saved = g[missing];
    delete g[missing];
    try {
      const info = await dn.ready({ backend: "threads" });
      assertEquals(info.name, "wasm");
      assert(
        info.reason.includes(`fell back to wasm: this runtime has no ${missing}`),
        info.reason,
      );
      assertEquals((await dn.ready({ backend: "auto" })).name, "wasm");
    } finally {
      g[missing] = saved;
    }
  }
  await dn.ready({ backend: "wasm" });
});

Deno.test("shutdown() stops the workers; tensors stay valid and ops run on the calling thread", async () => {
  try {
    await dn.ready({ backend: "threads", threads: 2 });
    const a = dn.randomNormal([300, 300]);
    const before = await dn.matmul(a, a).data();
    await dn.shutdown();
    assert(dn.backend().reason.includes("shut down"), dn.backend().reason);
    assertEquals(await dn.matmul(a, a).data(), before);
    await dn.shutdown();
  } finally {
    await dn.ready({ backend: "wasm" });
  }
});

/** A primitive call big enough to be split on 2 threads; returns its output. */
function bigCall(b: ThreadsBackend): () => Float32Array {
  const n = 1 << 20;
  const x = b.alloc(n), y = b.alloc(n);
  b.write(x, new Float32Array(n).map((_, i) => (i % 17) / 8 - 1));
  return () => {
    b.fill(y, 0, n);
    b.unary("exp", x, y, n);
    return b.readSync(y, n);
  };
}

Deno.test("a worker that crashed makes later calls run on the calling thread, until restart", async () => {
  const b = await ThreadsBackend.start({ threads: 2, splitAlways: true });
  try {
    const call = bigCall(b);
    const expected = call();
    b.poolForTest!.crashWorkerForTest(0);
    const runs = b.poolForTest!.runs;
    assertEquals(call(), expected);
    assert(b.broken?.includes("worker 1 died") ?? false, String(b.broken));
    assertEquals(b.threads, 1);
    assertEquals(call(), expected);
    assertEquals(b.poolForTest!.runs, runs, "a call was split on a broken pool");
    await b.restart({ threads: 2, splitAlways: true });
    assertEquals(call(), expected);
    assertEquals(b.broken, null);
    assertEquals(b.threads, 2);
  } finally {
    await b.shutdown();
  }
});

Deno.test("a worker terminated from outside makes later calls run on the calling thread (exit event)", async () => {
  const b = await ThreadsBackend.start({ threads: 3, splitAlways: true });
  try {
    const call = bigCall(b);
    const expected = call();
    await b.poolForTest!.terminateWorkerForTest(1);
    await new Promise((r) => setTimeout(r, 50));
    assertEquals(call(), expected);
    assert(b.broken?.includes("worker 2 exited") ?? false, String(b.broken));
    assertEquals(b.threads, 1);
  } finally {
    await b.shutdown();
  }
});

Deno.test("ready() rejects the thread options with a backend that has no threads", async () => {
  for (const backend of ["wasm", "webgpu"] as const) {
    for (const key of ["threads", "stallTimeoutMs", "stallFactor"]) {
      await assertRejects(
        () => dn.ready({ backend, [key]: 2 }),
        TypeError,
        `option "${key}" applies to the "threads" and "auto" backends only`,
      );
    }
  }
  assertEquals((await dn.ready({ backend: "wasm", threads: 1 })).name, "wasm");
  assertEquals(dn.backend().name, "wasm");
});
