/**
 * Reading and validating prediction requests: the body size limit (413), the content type (415),
 * JSON `{ "inputs": [[...], ...] }` or `{ "input": [...] }`, or little-endian float32 bytes, every
 * value a finite number and every example `features` long (400). Each failure is an
 * {@linkcode HttpError} whose message says what was expected and what came.
 *
 * @module
 */

/** A request failure with the HTTP status to answer. */
export class HttpError extends Error {
  /** The status to answer, 4xx. */
  readonly status: number;
  /** Extra headers for the answer (e.g. `Allow` on a 405). */
  readonly headers: Record<string, string>;

  /** An error answered with `status`, `message` and `headers`. */
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.headers = headers;
  }
}

/** The examples of one request, row-major, and how the client sent them. */
export interface ParsedInputs {
  /** `count * features` values. */
  values: Float32Array;
  /** Number of examples. */
  count: number;
  /** `"input"` for one JSON example (answered with `"output"`), `"inputs"` otherwise. */
  form: "input" | "inputs";
}

/** Limits of one request. */
export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Most examples in one request. */
  maxInputs: number;
  /** Values per example. */
  features: number;
}

/** The body's bytes, failing with 413 once more than `limit` bytes come (before or while reading). */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    throw new HttpError(413, `The body must be at most ${limit} bytes: got ${declared}`);
  }
  // With a declared length within the limit the runtime reads the body in one piece.
  if (Number.isInteger(declared)) return new Uint8Array(await req.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
    for await (const chunk of req.body) {
      total += chunk.length;
      if (total > limit) {
        throw new HttpError(413, `The body must be at most ${limit} bytes: got more`);
      }
      chunks.push(chunk);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** `"json"` or `"binary"` from the Content-Type, else a 415. */
export function bodyKind(contentType: string | null): "json" | "binary" {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/octet-stream") return "binary";
  throw new HttpError(
    415,
    `The Content-Type must be "application/json" or "application/octet-stream": got ${
      contentType === null ? "none" : `"${contentType}"`
    }`,
    { "Accept-Post": "application/json, application/octet-stream" },
  );
}

function checkCount(count: number, limits: BodyLimits): void {
  if (count === 0) throw new HttpError(400, "The request must hold at least one example: got 0");
  if (count > limits.maxInputs) {
    throw new HttpError(
      413,
      `The request must hold at most ${limits.maxInputs} examples: got ${count}`,
    );
  }
}

/** Examples from little-endian float32 bytes, `features * 4` bytes each. */
export function parseBinary(bytes: Uint8Array, limits: BodyLimits): ParsedInputs {
  const per = limits.features * 4;
  if (bytes.length % per !== 0) {
    throw new HttpError(
      400,
      `The binary body must be a multiple of ${per} bytes (${limits.features} little-endian float32 per example): got ${bytes.length}`,
    );
  }
  const count = bytes.length / per;
  checkCount(count, limits);
  // Little-endian float32 is the host's layout on every platform Deno runs on: a view of the body
  // (a copy only when it is not 4-byte aligned), then the finite check (7 us per 784 values
  // through a DataView, 1 us this way).
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const values = new Float32Array(aligned.buffer, aligned.byteOffset, count * limits.features);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      const at = `example ${Math.floor(i / limits.features)}, value ${i % limits.features}`;
      throw new HttpError(400, `Every value must be a finite number: got ${v} at ${at}`);
    }
  }
  return { values, count, form: "inputs" };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return `a string`;
  return typeof value === "object" ? "an object" : String(value);
}

function copyRow(row: unknown, name: string, into: Float32Array, at: number, n: number): void {
  if (!Array.isArray(row) || row.length !== n) {
    throw new HttpError(400, `"${name}" must be an array of ${n} numbers: got ${describe(row)}`);
  }
  for (let j = 0; j < n; j++) {
    const v = row[j];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new HttpError(
        400,
        `"${name}[${j}]" must be a finite number: got ${describe(v)}`,
      );
    }
    into[at + j] = v;
  }
}

/** Examples from a JSON body `{ "inputs": [[...], ...] }` or `{ "input": [...] }`. */
export function parseJson(bytes: Uint8Array, limits: BodyLimits): ParsedInputs {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new HttpError(400, `The body must be JSON: ${(e as Error).message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(
      400,
      `The body must be an object with "inputs" or "input": got ${describe(body)}`,
    );
  }
  const keys = Object.keys(body);
  if (keys.length !== 1 || (keys[0] !== "inputs" && keys[0] !== "input")) {
    throw new HttpError(
      400,
      `The body must have exactly one key, "inputs" or "input": got ${
        keys.map((k) => `"${k}"`).join(", ") || "none"
      }`,
    );
  }
  const n = limits.features;
  if ("input" in body) {
    const values = new Float32Array(n);
    copyRow(body.input, "input", values, 0, n);
    return { values, count: 1, form: "input" };
  }
  const rows = (body as { inputs: unknown }).inputs;
  if (!Array.isArray(rows)) {
    throw new HttpError(400, `"inputs" must be an array of examples: got ${describe(rows)}`);
  }
  checkCount(rows.length, limits);
  const values = new Float32Array(rows.length * n);
  rows.forEach((row, i) => copyRow(row, `inputs[${i}]`, values, i * n, n));
  return { values, count: rows.length, form: "inputs" };
}
