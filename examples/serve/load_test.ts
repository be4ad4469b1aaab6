/**
 * Load test of the inference server: starts `server.ts` (a child process, `--allow-net` only) with
 * and without dynamic batching, sends `--requests` distinct one-digit requests (held-out MNIST
 * digits, each with its own seeded noise) from `--clients` concurrent clients to each model, checks
 * every answer against the output computed here with the same embedded models (any status but 200,
 * any value off by more than 1e-5 or another argmax is a wrong answer), and prints p50/p99
 * latency, throughput, CPU time per request of the server and of this client process, and the
 * server's `dn.memory()` after each round.
 *
 *   deno run --allow-net --allow-run --allow-read examples/serve/load_test.ts
 *     [--requests 5000] [--clients 200] [--rounds 5] [--format binary|json] [--backend wasm]
 *     [--client raw|fetch] [--in-process]
 *
 * The clients speak HTTP/1.1 over one keep-alive connection each (`--client raw`, as wrk or oha
 * do), which costs far less CPU per request than `fetch` (`--client fetch`), so that on a small
 * machine the client is not what limits the throughput. The server runs the single-thread wasm
 * backend by default: on a machine with few cores the thread pool's workers compete with the
 * clients. With `--in-process` the handler is served from this process (clients and server then
 * share one thread). Exits 1 on any wrong answer.
 */
import process from "node:process";
import * as dn from "../../mod.ts";
import { mnist } from "../../datasets.ts";
import { createHandler } from "./handler.ts";
import { loadEmbeddedModels, MODEL_NAMES, type ModelName } from "./models.ts";

function flag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}

const REQUESTS = Number(flag("requests", "5000"));
const CLIENTS = Number(flag("clients", "200"));
const ROUNDS = Number(flag("rounds", "5"));
const FORMAT = flag("format", "binary") as "binary" | "json";
const BACKEND = flag("backend", "wasm");
const IN_PROCESS = Deno.args.includes("--in-process");
const CLIENT = flag("client", "raw") as "raw" | "fetch";

/** `REQUESTS` distinct inputs: held-out digits cycled, each plus its own uniform noise. */
async function inputs(): Promise<Float32Array> {
  const { xTrain, yTrain, xTest, yTest } = await mnist({ trainSize: 1, testSize: 2000 });
  const digits = xTest.dataSync();
  for (const t of [xTrain, yTrain, xTest, yTest]) t.dispose();
  const out = new Float32Array(REQUESTS * 784);
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const noise = (s / 2 ** 32 - 0.5) * 0.1;
    out[i] = Math.min(1, Math.max(0, digits[i % (2000 * 784)] + noise));
  }
  return out;
}

/** What the server must answer, computed here in batches of 100. */
async function expectedOutputs(x: Float32Array): Promise<Record<ModelName, Float32Array>> {
  const models = await loadEmbeddedModels();
  const out = {} as Record<ModelName, Float32Array>;
  for (const name of MODEL_NAMES) {
    out[name] = dn.tidy(() =>
      models[name].predict(dn.tensor(x, [REQUESTS, 784]), { batchSize: 100 }).dataSync().slice()
    );
    models[name].dispose();
  }
  return out;
}

/** User + system CPU seconds of this process. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** A server on 127.0.0.1 port 0: its base URL and how to stop it. */
async function startServer(batching: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  if (IN_PROCESS) {
    const app = await createHandler({ batching });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    return {
      url: `http://127.0.0.1:${server.addr.port}`,
      stop: async () => {
        await server.shutdown();
        await app.close();
      },
    };
  }
  const args = ["run", "--allow-net", new URL("./server.ts", import.meta.url).pathname];
  args.push("--port", "0", "--backend", BACKEND, ...(batching ? [] : ["--no-batching"]));
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "inherit" })
    .spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on (\S+)/.test(text)) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`server.ts exited before listening: ${text}`);
    text += value;
  }
  console.log(`  ${text.trim()}`);
  (async () => {
    while (!(await lines.read()).done);
  })();
  return {
    url: /listening on (\S+)/.exec(text)![1].replace(/\/$/, ""),
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/**
 * A minimal HTTP/1.1 keep-alive client over one TCP connection, one request at a time (like each
 * virtual user of wrk or oha): much cheaper per request than `fetch`, so the client process is not
 * what limits the measured throughput.
 */
class RawClient {
  #conn: Deno.TcpConn;
  #buf = new Uint8Array(1 << 16);
  #len = 0;
  #host: string;

  constructor(conn: Deno.TcpConn, host: string) {
    this.#conn = conn;
    this.#host = host;
  }

  static async open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new RawClient(
      await Deno.connect({ hostname, port: Number(port) }),
      `${hostname}:${port}`,
    );
  }

  async post(path: string, headers: string, body: Uint8Array): Promise<[number, Uint8Array]> {
    const head = new TextEncoder().encode(
      `POST ${path} HTTP/1.1\r\nHost: ${this.#host}\r\n${headers}Content-Length: ${body.length}\r\n\r\n`,
    );
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    for (let at = 0; at < out.length;) at += await this.#conn.write(out.subarray(at));
    let end: number;
    while ((end = this.#headerEnd()) < 0) await this.#fill();
    const text = new TextDecoder().decode(this.#buf.subarray(0, end));
    const status = Number(text.slice(9, 12));
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? NaN);
    if (!Number.isInteger(length)) throw new Error(`no Content-Length in the answer: ${text}`);
    while (this.#len < end + length) await this.#fill();
    const answer = this.#buf.slice(end, end + length);
    this.#buf.copyWithin(0, end + length, this.#len);
    this.#len -= end + length;
    return [status, answer];
  }

  close(): void {
    this.#conn.close();
  }

  #headerEnd(): number {
    const b = this.#buf;
    for (let i = 3; i < this.#len; i++) {
      if (b[i] === 10 && b[i - 1] === 13 && b[i - 2] === 10 && b[i - 3] === 13) return i + 1;
    }
    return -1;
  }

  async #fill(): Promise<void> {
    if (this.#len === this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#len));
    if (n === null) throw new Error("the server closed the connection");
    this.#len += n;
  }
}

interface Result {
  latencies: number[];
  wrong: number;
  seconds: number;
  memory: string[];
  batches: number;
}

/** One request for `row`; the status and the output row (empty unless 200). */
async function send(
  raw: RawClient | undefined,
  url: string,
  name: ModelName,
  row: Float32Array<ArrayBuffer>,
): Promise<[number, Float32Array]> {
  const body = FORMAT === "json"
    ? new TextEncoder().encode(JSON.stringify({ input: [...row] }))
    : new Uint8Array(row.buffer);
  const type = FORMAT === "json" ? "application/json" : "application/octet-stream";
  let status: number, answer: Uint8Array;
  if (raw) {
    [status, answer] = await raw.post(
      `/predict/${name}`,
      `Content-Type: ${type}\r\nAccept: ${type}\r\n`,
      body,
    );
  } else {
    const res = await fetch(`${url}/predict/${name}`, {
      method: "POST",
      headers: { "Content-Type": type, Accept: type },
      body,
    });
    status = res.status;
    answer = new Uint8Array(await res.arrayBuffer());
  }
  if (status !== 200) return [status, new Float32Array()];
  if (FORMAT === "json") {
    return [status, Float32Array.from(JSON.parse(new TextDecoder().decode(answer)).output)];
  }
  return [status, new Float32Array(answer.slice().buffer)];
}

/** Sends requests `[from, to)` from `CLIENTS` concurrent clients; records latency, counts wrong. */
async function round(
  url: string,
  name: ModelName,
  x: Float32Array,
  want: Float32Array,
  from: number,
  to: number,
  result: Result,
): Promise<void> {
  let next = from;
  const client = async () => {
    const raw = CLIENT === "raw" ? await RawClient.open(url) : undefined;
    try {
      while (next < to) {
        const i = next++;
        const row = x.slice(i * 784, (i + 1) * 784);
        const started = performance.now();
        const [status, got] = await send(raw, url, name, row);
        result.latencies.push(performance.now() - started);
        const expected = want.subarray(i * 10, (i + 1) * 10);
        const ok = status === 200 && got.length === 10 &&
          got.every((v, j) => Math.abs(v - expected[j]) <= 1e-5) &&
          got.indexOf(Math.max(...got)) === expected.indexOf(Math.max(...expected));
        if (!ok) result.wrong++;
      }
    } finally {
      raw?.close();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

async function metrics(url: string) {
  return await (await fetch(`${url}/metrics`)).json();
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

if (import.meta.main) {
  console.log(
    `${REQUESTS} requests per model and mode, ${CLIENTS} clients, ${ROUNDS} rounds, ${FORMAT} bodies, server ${
      IN_PROCESS ? "in process" : `child process (--backend ${BACKEND})`
    }`,
  );
  const x = await inputs();
  const want = await expectedOutputs(x);
  const rows: string[] = [];
  let anyWrong = 0;
  const throughput: Record<string, number> = {};
  for (const batching of [false, true]) {
    const server = await startServer(batching);
    try {
      for (const name of MODEL_NAMES) {
        // Warm-up: compiles the code paths; not counted.
        const warm: Result = { latencies: [], wrong: 0, seconds: 0, memory: [], batches: 0 };
        await round(server.url, name, x, want[name], 0, Math.min(REQUESTS, CLIENTS), warm);
        const result: Result = {
          latencies: [],
          wrong: warm.wrong,
          seconds: 0,
          memory: [],
          batches: 0,
        };
        const first = await metrics(server.url);
        const before = first.models[name].batches;
        const cpuBefore = [first.cpuSeconds, ownCpuSeconds()];
        let m = first;
        for (let r = 0; r < ROUNDS; r++) {
          const from = Math.floor(r * REQUESTS / ROUNDS),
            to = Math.floor((r + 1) * REQUESTS / ROUNDS);
          const started = performance.now();
          await round(server.url, name, x, want[name], from, to, result);
          result.seconds += (performance.now() - started) / 1000;
          m = await metrics(server.url);
          result.memory.push(`${m.memory.numTensors}/${(m.memory.numBytes / 1024).toFixed(0)}K`);
          result.batches = m.models[name].batches - before;
        }
        const cpu = [m.cpuSeconds - cpuBefore[0], ownCpuSeconds() - cpuBefore[1]]
          .map((c) => (c / REQUESTS * 1e6).toFixed(0));
        const sorted = result.latencies.toSorted((a, b) => a - b);
        const rps = REQUESTS / result.seconds;
        throughput[`${name} ${batching}`] = rps;
        anyWrong += result.wrong;
        rows.push(
          `| ${name === "mlp" ? "MLP 784-128-10" : "LeNet-5"} | ${batching ? "on" : "off"} | ${
            quantile(sorted, 0.5).toFixed(1)
          } | ${quantile(sorted, 0.99).toFixed(1)} | ${rps.toFixed(0)} | ${
            (REQUESTS / result.batches).toFixed(1)
          } | ${cpu[0]} | ${cpu[1]} | ${result.wrong} | ${result.memory.join(" ")} |`,
        );
        console.log(rows.at(-1));
      }
    } finally {
      await server.stop();
    }
  }
  console.log(
    "\n| model | batching | p50 ms | p99 ms | req/s | examples per predict | server CPU us/req | client CPU us/req | wrong | server tensors/bytes after each round |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
  for (const name of MODEL_NAMES) {
    const gain = throughput[`${name} true`] / throughput[`${name} false`];
    console.log(`${name}: batching gives ${gain.toFixed(2)}x the throughput`);
  }
  console.log(anyWrong === 0 ? "every answer was right" : `${anyWrong} WRONG ANSWERS`);
  if (anyWrong > 0) Deno.exit(1);
}
