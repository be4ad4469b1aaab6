/**
 * loadModel() from http:// URLs, against a local Deno.serve on 127.0.0.1 (port 0): a good answer
 * restores the model bitwise, a 404 is a TypeError naming the URL and status, and a signal or
 * `timeoutMs` stops a server that never answers.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";

/** Serves `bytes` at /model.safetensors, 404 elsewhere; /slow never answers until shutdown. */
async function withServer(
  bytes: Uint8Array,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const stalled = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/model.safetensors") return new Response(new Uint8Array(bytes));
    if (path === "/slow") {
      await stalled.promise;
      return new Response("late");
    }
    return new Response("no such file", { status: 404, statusText: "Not Found" });
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    stalled.resolve();
    await server.shutdown();
  }
}

function model(): dn.Sequential {
  dn.setSeed(11);
  return dn.sequential([dn.layers.dense({ units: 3, activation: "relu", inputShape: [4] })]);
}

Deno.test("loadModel() fetches an http:// URL given as a string or a URL", async () => {
  const original = model();
  await withServer(original.toBytes(), async (base) => {
    for (const source of [`${base}/model.safetensors`, new URL("/model.safetensors", base)]) {
      const copy = await dn.loadModel(source, { timeoutMs: 10_000 });
      dn.tidy(() => {
        const x = dn.tensor([[1, -2, 3, 0.5]]);
        assertEquals([...copy.predict(x).dataSync()], [...original.predict(x).dataSync()]);
      });
      copy.dispose();
    }
  });
  original.dispose();
});

Deno.test("loadModel() rejects an HTTP 404 with a TypeError naming the URL and status", async () => {
  await withServer(new Uint8Array(), async (base) => {
    const url = `${base}/missing.safetensors`;
    await assertRejects(
      () => dn.loadModel(url),
      TypeError,
      `fetching "${url}" must answer an HTTP status in 200-299: got 404 Not Found`,
    );
  });
});

Deno.test("loadModel() stops at timeoutMs or an aborted signal", async () => {
  await withServer(new Uint8Array(), async (base) => {
    const started = performance.now();
    const e = await assertRejects(
      () => dn.loadModel(`${base}/slow`, { timeoutMs: 50 }),
      DOMException,
      '"timeoutMs" 50 ms',
    );
    assertEquals(e.name, "TimeoutError");
    assert(performance.now() - started < 5_000);
    const controller = new AbortController();
    const pending = dn.loadModel(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const aborted = await assertRejects(() => pending, DOMException);
    assertEquals(aborted.name, "AbortError");
  });
});

Deno.test("loadModel() rejects unknown options and a bad timeoutMs", async () => {
  await assertRejects(
    () => dn.loadModel("http://127.0.0.1:1/x", { timeout: 5 } as never),
    TypeError,
    'option "timeout" is not known: use one of "signal", "timeoutMs"',
  );
  await assertRejects(
    () => dn.loadModel("http://127.0.0.1:1/x", { timeoutMs: -1 }),
    RangeError,
    'option "timeoutMs" must be a positive number: got -1',
  );
  await assertRejects(
    () => dn.loadModel("http://127.0.0.1:1/x", { signal: "stop" } as never),
    TypeError,
    'option "signal" must be an AbortSignal: got "stop"',
  );
});
