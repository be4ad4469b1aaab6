/**
 * Backend selection (ARCHITECTURE principle 7): `ready()` chooses, `backend()` says which one is
 * active and why. Ops call `activeBackend()`, which starts the wasm backend on first use so that
 * importing `mod.ts` and computing needs no setup call.
 *
 * @module
 */
import { fmtValue } from "../_check.ts";
import { BackendUnavailableError } from "../errors.ts";
import type { Backend, BackendName } from "./backend.ts";
import { sharedMemorySupported } from "./wasm/module.ts";
import { WasmBackend } from "./wasm/wasm_backend.ts";

/** What `ready()` may be asked for. */
export type BackendRequest = BackendName | "auto";

/** Options of `ready()`. */
export interface ReadyOptions {
  /** Which backend to run on; `"auto"` (the default) picks the best available. */
  backend?: BackendRequest;
}

/** The active backend and the reason it was chosen. */
export interface BackendInfo {
  name: BackendName;
  reason: string;
}

const REQUESTS: readonly BackendRequest[] = ["auto", "wasm", "threads", "webgpu"];

let active: { backend: Backend; reason: string } | null = null;

function startWasm(reason: string): { backend: Backend; reason: string } {
  if (active?.backend.name === "wasm") return { backend: active.backend, reason };
  const variant = sharedMemorySupported() ? "shared" : "plain";
  const memory = variant === "shared"
    ? "shared memory"
    : "plain memory: this runtime has no SharedArrayBuffer";
  return { backend: new WasmBackend(variant), reason: `${reason} (${memory})` };
}

/**
 * Chooses the backend that later ops run on.
 *
 * `"auto"` takes the single-thread WebAssembly SIMD backend: the threaded and WebGPU backends are
 * not part of this version, and asking for them explicitly throws `BackendUnavailableError`.
 *
 * @param options `backend`: `"auto"` (default), `"wasm"`, `"threads"` or `"webgpu"`.
 * @returns The active backend and why it was chosen.
 * @throws {TypeError} When `backend` is not one of the names above.
 * @throws {BackendUnavailableError} When the requested backend cannot run here.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const info = await dn.ready({ backend: "wasm" });
 * assert.equal(info.name, "wasm");
 * ```
 */
export function ready(options: ReadyOptions = {}): Promise<BackendInfo> {
  const request = options.backend ?? "auto";
  if (!REQUESTS.includes(request)) {
    return Promise.reject(
      new TypeError(
        `Cannot run ready(): argument "backend" must be one of ${
          REQUESTS.map((r) => `"${r}"`).join(", ")
        }: got ${fmtValue(request)}`,
      ),
    );
  }
  if (request === "threads" || request === "webgpu") {
    return Promise.reject(
      new BackendUnavailableError(
        `Cannot start backend "${request}" in ready(): it is not part of this version; use "wasm" or "auto"`,
      ),
    );
  }
  active = startWasm(
    request === "wasm" ? "requested" : "auto: WebAssembly SIMD is the only backend of this version",
  );
  return Promise.resolve(backend());
}

/**
 * The active backend and why it was chosen.
 *
 * @returns `{ name, reason }`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.equal(dn.backend().name, "wasm");
 * ```
 */
export function backend(): BackendInfo {
  const { backend, reason } = activeOrDefault();
  return { name: backend.name, reason };
}

/** The backend ops run on; starts wasm on first use. */
export function activeBackend(): Backend {
  return activeOrDefault().backend;
}

function activeOrDefault(): { backend: Backend; reason: string } {
  active ??= startWasm("default: first op ran before ready()");
  return active;
}
