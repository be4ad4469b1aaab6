/**
 * The example inference server's handler, driven without the network: good JSON and binary
 * requests answer the embedded models' own predictions; every bad request gets the right 4xx with
 * a JSON error body, and a good request still answers correctly after them.
 */
import * as dn from "../../mod.ts";
import { createHandler, type InferenceHandler } from "../../examples/serve/handler.ts";
import { loadEmbeddedModels } from "../../examples/serve/models.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";
import { randomF32 } from "../_util/rng.ts";

const URL_MLP = "http://local/predict/mlp";

function digits(n: number, seed: number): Float32Array<ArrayBuffer> {
  return Float32Array.from(randomF32(n * 784, seed), (v) => (v + 1) / 2);
}

function post(url: string, body: BodyInit, type = "application/json", accept?: string): Request {
  const headers: Record<string, string> = { "Content-Type": type };
  if (accept) headers.Accept = accept;
  return new Request(url, { method: "POST", body, headers });
}

async function expected(name: "mlp" | "lenet", x: Float32Array): Promise<Float32Array> {
  const models = await loadEmbeddedModels();
  const y = dn.tidy(() =>
    models[name].predict(dn.tensor(x, [x.length / 784, 784])).dataSync().slice()
  );
  models.mlp.dispose();
  models.lenet.dispose();
  return y;
}

function assertNear(actual: ArrayLike<number>, want: ArrayLike<number>): void {
  assertEquals(actual.length, want.length);
  for (let i = 0; i < want.length; i++) {
    assert(Math.abs(actual[i] - want[i]) <= 1e-6, `[${i}] ${actual[i]} vs ${want[i]}`);
  }
}

async function assertError(app: InferenceHandler, req: Request, status: number, text: string) {
  const res = await app.fetch(req);
  assertEquals(res.status, status, `${req.method} ${req.url}`);
  assertEquals(res.headers.get("content-type"), "application/json");
  const body = await res.json();
  assertEquals(body.status, status);
  assert(body.error.includes(text), `"${body.error}" should include "${text}"`);
  return res;
}

for (const batching of [true, false]) {
  Deno.test(`createHandler({ batching: ${batching} }) answers JSON and binary requests with the model's outputs`, async () => {
    await using app = await createHandler({ batching, maxQueueDelayMs: 1 });
    const x = digits(3, 1);
    const want = { mlp: await expected("mlp", x), lenet: await expected("lenet", x) };
    for (const name of ["mlp", "lenet"] as const) {
      const url = `http://local/predict/${name}`;
      const rows = [0, 1, 2].map((i) => [...x.subarray(i * 784, (i + 1) * 784)]);
      const many = await (await app.fetch(post(url, JSON.stringify({ inputs: rows })))).json();
      assertNear(many.outputs.flat(), want[name]);
      assertEquals(many.classes.length, 3);
      const one = await (await app.fetch(post(url, JSON.stringify({ input: rows[1] })))).json();
      assertNear(one.output, want[name].subarray(10, 20));
      const res = await app.fetch(
        post(url, x.slice(), "application/octet-stream", "application/octet-stream"),
      );
      assertEquals(res.headers.get("x-output-shape"), "3,10");
      assertNear(new Float32Array(await res.arrayBuffer()), want[name]);
    }
  });
}

Deno.test("createHandler() answers bad requests with the right 4xx and JSON, then still serves", async () => {
  await using app = await createHandler({ maxBodyBytes: 64 * 1024, maxInputsPerRequest: 4 });
  const good = [...digits(1, 2)];
  const nanBytes = digits(1, 3);
  nanBytes[7] = NaN;
  const cases: [Request, number, string][] = [
    [post(URL_MLP, '{"input": [1, 2,'), 400, "The body must be JSON"],
    [post(URL_MLP, "[1, 2]"), 400, 'an object with "inputs" or "input": got an array of 2'],
    [post(URL_MLP, '{"inputs": [], "x": 1}'), 400, 'exactly one key, "inputs" or "input"'],
    [post(URL_MLP, JSON.stringify({ input: good.slice(1) })), 400, "784 numbers: got an array"],
    [post(URL_MLP, JSON.stringify({ inputs: [good, [1]] })), 400, '"inputs[1]" must be an array'],
    [post(URL_MLP, `{"input": [${good.slice(1)}, 1e999]}`), 400, '"input[783]" must be a finite'],
    [post(URL_MLP, `{"input": [${good.slice(1)}, null]}`), 400, "got null"],
    [post(URL_MLP, '{"inputs": []}'), 400, "at least one example: got 0"],
    [post(URL_MLP, nanBytes, "application/octet-stream"), 400, "got NaN at example 0, value 7"],
    [post(URL_MLP, new Uint8Array(3135), "application/octet-stream"), 400, "multiple of 3136"],
    [post(URL_MLP, "input=1", "text/plain"), 415, 'got "text/plain"'],
    [post(URL_MLP, new Uint8Array(70_000), "application/octet-stream"), 413, "at most 65536"],
    [post(URL_MLP, new Uint8Array(5 * 3136), "application/octet-stream"), 413, "at most 4"],
    [post(URL_MLP, "{}", "application/json", "text/html"), 406, 'got "text/html"'],
    [post("http://local/predict/vgg", "{}"), 404, 'got "vgg"'],
    [new Request("http://local/nothing"), 404, 'got "/nothing"'],
    [new Request(URL_MLP), 405, "must be POSTed: got GET"],
    [new Request("http://local/metrics", { method: "DELETE" }), 405, "got DELETE"],
  ];
  for (const [req, status, text] of cases) await assertError(app, req, status, text);
  const res = await app.fetch(post(URL_MLP, JSON.stringify({ input: good })));
  assertEquals(res.status, 200);
  assertNear((await res.json()).output, await expected("mlp", Float32Array.from(good)));
  const counted = app.metrics().responses;
  assertEquals(counted["200"], 1);
  assertEquals(counted["400"], 10);
});

Deno.test("createHandler() answers 413 for a streamed body past the limit without Content-Length", async () => {
  await using app = await createHandler({ maxBodyBytes: 10_000 });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(3136));
      c.close();
    },
  });
  const req = new Request(URL_MLP, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/octet-stream" },
  });
  const res = await assertError(app, req, 413, "at most 10000 bytes");
  assertEquals(res.status, 413);
});

Deno.test("createHandler() keeps dn.memory().numTensors flat across rounds of batched requests", async () => {
  await using app = await createHandler({ maxQueueDelayMs: 1 });
  const x = digits(8, 4);
  const counts: number[] = [];
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 8 }, (_, i) =>
      app.fetch(
        post(
          `http://local/predict/${i % 2 ? "mlp" : "lenet"}`,
          x.slice(i * 784, (i + 1) * 784),
          "application/octet-stream",
        ),
      ).then((r) => r.arrayBuffer())));
    counts.push(app.metrics().memory.numTensors);
  }
  assertEquals(new Set(counts).size, 1, `numTensors per round: ${counts}`);
  assert(app.metrics().models.lenet.batches < 12, "batched requests should share predict calls");
});

Deno.test("createHandler() rejects unknown options with a TypeError", async () => {
  await assertRejects(
    () => createHandler({ batchSize: 3 } as never),
    TypeError,
    'option "batchSize" is not known',
  );
});
