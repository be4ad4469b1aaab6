/**
 * The inference server's request handler, without the network: `createHandler()` gives an object
 * whose `fetch(request)` answers like the server (tests call it directly; `server.ts` passes it
 * to `Deno.serve`).
 *
 * Routes:
 * - `POST /predict/mlp`, `POST /predict/lenet`: JSON `{ "inputs": [[784 numbers], ...] }` answered
 *   `{ "model", "outputs": [[10 probabilities], ...], "classes": [...] }`, or
 *   `{ "input": [784 numbers] }` answered `{ "model", "output": [...], "class" }`, or a binary body
 *   (`Content-Type: application/octet-stream`, little-endian float32, 784 per example). With
 *   `Accept: application/octet-stream` the outputs come back as little-endian float32 bytes
 *   (header `X-Output-Shape: n,10`).
 * - `GET /models`: names, shapes and held-out accuracy. `GET /metrics`: `dn.memory()`, batch and
 *   response counters.
 *
 * Bad requests get a 4xx with a JSON body `{ "error": message, "status": code }`: 400 (malformed
 * JSON, wrong length, non-finite values), 404 (unknown path or model), 405 (wrong method), 406
 * (unanswerable Accept), 413 (body or example count too large), 415 (wrong Content-Type).
 *
 * @module
 */
import process from "node:process";
import * as dn from "../../mod.ts";
import {
  bodyKind,
  HttpError,
  parseBinary,
  type ParsedInputs,
  parseJson,
  readBody,
} from "./_body.ts";
import { accuracy, loadEmbeddedModels, MODEL_NAMES, type ModelName } from "./models.ts";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Run concurrent requests' examples together through a `dn.serving.batcher` (default true). */
  batching?: boolean;
  /** Most examples per batched `predict` (default 64). */
  maxBatchSize?: number;
  /** Longest wait of a queued example for others, in milliseconds (default 2). */
  maxQueueDelayMs?: number;
  /** Largest request body in bytes (default 4 MiB); more is a 413. */
  maxBodyBytes?: number;
  /** Most examples in one request (default 256); more is a 413. */
  maxInputsPerRequest?: number;
}

/** A request handler with its models; `close()` it to drain the batchers and free the models. */
export interface InferenceHandler {
  /** Answers one request (pass it to `Deno.serve`). */
  fetch(req: Request): Promise<Response>;
  /** Counters: `dn.memory()`, per-model requests, examples and batches, answers by status. */
  metrics(): Metrics;
  /** Answers queued examples, then frees the models. */
  close(): Promise<void>;
  /** `await using` closes. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What `GET /metrics` answers. */
export interface Metrics {
  /** `dn.memory()` of the serving process. */
  memory: dn.MemoryInfo;
  /** Whether dynamic batching is on. */
  batching: boolean;
  /** Per model: requests and examples answered, and `predict` batches run. */
  models: Record<ModelName, { requests: number; examples: number; batches: number }>;
  /** Answers by HTTP status. */
  responses: Record<string, number>;
  /** User + system CPU seconds the serving process has used. */
  cpuSeconds: number;
}

const FEATURES = 784;
const CLASSES = 10;
const KNOWN = [
  "batching",
  "maxBatchSize",
  "maxQueueDelayMs",
  "maxBodyBytes",
  "maxInputsPerRequest",
];

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** Whether the client wants binary outputs; a 406 when it accepts neither form. */
function wantsBinary(accept: string | null): boolean {
  if (accept === null) return false;
  const types = accept.split(",").map((t) => t.split(";")[0].trim().toLowerCase());
  if (types.some((t) => t === "application/json" || t === "*/*" || t === "application/*")) {
    return types[0] === "application/octet-stream";
  }
  if (types.includes("application/octet-stream")) return true;
  throw new HttpError(
    406,
    `The Accept header must allow "application/json" or "application/octet-stream": got "${accept}"`,
  );
}

function argMax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * A handler serving the embedded MLP and LeNet-5, with or without dynamic batching.
 *
 * @param options Batching and limits; unknown keys are a TypeError.
 * @returns The handler; `close()` it when done.
 */
export async function createHandler(options: HandlerOptions = {}): Promise<InferenceHandler> {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      throw new TypeError(
        `Cannot run createHandler(): option "${key}" is not known: use one of ${
          KNOWN.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
  }
  const batching = options.batching ?? true;
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    maxInputs: options.maxInputsPerRequest ?? 256,
    features: FEATURES,
  };
  const models = await loadEmbeddedModels();
  const batchers = batching
    ? Object.fromEntries(MODEL_NAMES.map((name) => [
      name,
      dn.serving.batcher(models[name], {
        maxBatchSize: options.maxBatchSize ?? 64,
        maxQueueDelayMs: options.maxQueueDelayMs ?? 2,
      }),
    ])) as Record<ModelName, dn.serving.Batcher>
    : undefined;
  const counts = Object.fromEntries(
    MODEL_NAMES.map((name) => [name, { requests: 0, examples: 0, batches: 0 }]),
  ) as Metrics["models"];
  const responses: Record<string, number> = {};

  /** Output rows of `count` examples, `CLASSES` values each. */
  async function predict(name: ModelName, input: ParsedInputs): Promise<Float32Array> {
    if (batchers) {
      const b = batchers[name];
      const rows = await Promise.all(
        Array.from(
          { length: input.count },
          (_, i) => b.predict(input.values.subarray(i * FEATURES, (i + 1) * FEATURES)),
        ),
      );
      const out = new Float32Array(input.count * CLASSES);
      rows.forEach((r, i) => out.set(r, i * CLASSES));
      return out;
    }
    counts[name].batches++;
    using y = dn.tidy(() =>
      models[name].predict(dn.tensor(input.values, [input.count, FEATURES]), {
        batchSize: input.count,
      })
    );
    return await y.data();
  }

  async function answerPredict(req: Request, name: string): Promise<Response> {
    if (!(MODEL_NAMES as readonly string[]).includes(name)) {
      throw new HttpError(
        404,
        `The model must be one of ${MODEL_NAMES.map((n) => `"${n}"`).join(", ")}: got "${name}"`,
      );
    }
    if (req.method !== "POST") {
      throw new HttpError(405, `Predictions must be POSTed: got ${req.method}`, { Allow: "POST" });
    }
    const kind = bodyKind(req.headers.get("content-type"));
    const binary = wantsBinary(req.headers.get("accept"));
    const bytes = await readBody(req, limits.maxBodyBytes);
    const input = kind === "json" ? parseJson(bytes, limits) : parseBinary(bytes, limits);
    const model = name as ModelName;
    const out = await predict(model, input);
    counts[model].requests++;
    counts[model].examples += input.count;
    if (binary) {
      return new Response(new Uint8Array(out.slice().buffer), {
        headers: {
          "Content-Type": "application/octet-stream",
          "X-Output-Shape": `${input.count},${CLASSES}`,
        },
      });
    }
    const rows = Array.from(
      { length: input.count },
      (_, i) => out.subarray(i * CLASSES, (i + 1) * CLASSES),
    );
    return input.form === "input"
      ? json({ model, output: [...rows[0]], class: argMax(rows[0]) })
      : json({ model, outputs: rows.map((r) => [...r]), classes: rows.map(argMax) });
  }

  function metrics(): Metrics {
    if (batchers) { for (const n of MODEL_NAMES) counts[n].batches = batchers[n].stats.batches; }
    const { user, system } = process.cpuUsage();
    return {
      memory: dn.memory(),
      batching,
      models: structuredClone(counts),
      responses,
      cpuSeconds: (user + system) / 1e6,
    };
  }

  async function route(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const predictRoute = /^\/predict\/([^/]+)$/.exec(path);
    if (predictRoute) return await answerPredict(req, decodeURIComponent(predictRoute[1]));
    if (path === "/models" || path === "/metrics") {
      if (req.method !== "GET") {
        throw new HttpError(405, `"${path}" must be read with GET: got ${req.method}`, {
          Allow: "GET",
        });
      }
      if (path === "/metrics") return json(metrics());
      return json(
        MODEL_NAMES.map((name) => ({
          name,
          route: `/predict/${name}`,
          inputShape: [FEATURES],
          outputShape: [CLASSES],
          heldOutAccuracy: accuracy[name],
        })),
      );
    }
    throw new HttpError(
      404,
      `The path must be "/predict/<model>", "/models" or "/metrics": got "${path}"`,
    );
  }

  async function fetch(req: Request): Promise<Response> {
    let response: Response;
    try {
      response = await route(req);
    } catch (e) {
      if (e instanceof HttpError) {
        response = json({ error: e.message, status: e.status }, e.status, e.headers);
      } else {
        console.error(e);
        response = json({ error: "Internal error", status: 500 }, 500);
      }
    }
    responses[response.status] = (responses[response.status] ?? 0) + 1;
    return response;
  }

  async function close(): Promise<void> {
    if (batchers) await Promise.all(MODEL_NAMES.map((n) => batchers[n].close()));
    for (const n of MODEL_NAMES) models[n].dispose();
  }

  return { fetch, metrics, close, [Symbol.asyncDispose]: close };
}
