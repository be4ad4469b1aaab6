/**
 * Backend selection (ARCHITECTURE principle 7): `ready()` chooses, `backend()` says which one is
 * active and why. Ops call `activeBackend()`, which starts the wasm backend on first use so that
 * importing `mod.ts` and computing needs no setup call.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import { setOpsBackend } from "../tensor.ts";
import type { Backend, BackendName } from "./backend.ts";
import { relaxedSimdSupported, sharedMemorySupported } from "./wasm/module.ts";
import { WasmBackend } from "./wasm/wasm_backend.ts";
import type { ThreadsBackend } from "./threads/threads_backend.ts";
import type { WebGpuBackend } from "./webgpu/webgpu_backend.ts";

/** What `ready()` may be asked for. */
export type BackendRequest = BackendName | "auto";

/** Options of `ready()`. */
export interface ReadyOptions {
  /** Which backend to run on; `"auto"` (the default) picks the best available. */
  backend?: BackendRequest;
  /**
   * Threads for the `"threads"` backend, the calling thread included: a whole number >= 1, or
   * `"auto"` (the default) for `navigator.hardwareConcurrency`.
   */
  threads?: number | "auto";
  /**
   * Threads backend: least milliseconds the calling thread waits for a worker's share of a
   * kernel call before giving the worker up (default 250). A finite number >= 0.
   */
  stallTimeoutMs?: number;
  /**
   * Threads backend: the wait for a worker is `max(stallTimeoutMs, stallFactor x expected)`, where
   * expected is the call's single-thread time at a conservative rate for its kernel family
   * (default 20). A finite number >= 1.
   */
  stallFactor?: number;
}

/** The active backend and the reason it was chosen. */
export interface BackendInfo {
  /** The backend running the ops. */
  name: BackendName;
  /** Why it was chosen, with details such as the thread count, a fallback's cause or the GPU. */
  reason: string;
}

const REQUESTS: readonly BackendRequest[] = ["auto", "wasm", "threads", "webgpu"];

let active: { backend: Backend; reason: string } | null = null;

function startWasm(reason: string): { backend: Backend; reason: string } {
  if (active?.backend.name === "wasm") return { backend: active.backend, reason };
  // One thread needs no shared memory, and V8 bounds-checks accesses to a shared one more
  // slowly (GEMM 512^3: 45.7 vs 50.6 GFLOP/s with mul + add; 1-2% with the fused multiply-add,
  // whose loop has fewer instructions), so the plain build runs it.
  if (relaxedSimdSupported()) return { backend: new WasmBackend("plain"), reason };
  return {
    backend: new WasmBackend("portable"),
    reason: `${reason} (portable kernels: this engine has no relaxed SIMD)`,
  };
}

/** Why the threads backend cannot run here, or null when it can. */
function threadsUnavailable(): string | null {
  if (!sharedMemorySupported()) return "this runtime has no SharedArrayBuffer";
  if (!relaxedSimdSupported()) return "this engine has no relaxed SIMD";
  if (typeof Worker !== "function") return "this runtime has no Worker";
  return null;
}

// The threads and webgpu backends load on first request (dynamic imports): a program that stays
// on wasm, such as an edge function, does not load them (bench/cold_start.ts: importing mod.ts
// took 25.9 ms with them, 21.9 ms without).

/** The active threads backend, or null. */
function activeThreads(): ThreadsBackend | null {
  return active?.backend.name === "threads" ? active.backend as ThreadsBackend : null;
}

function cores(): number {
  return Math.max(1, Math.floor(globalThis.navigator?.hardwareConcurrency ?? 1));
}

/** The stall options of `ready()`, passed to the worker pool. */
type StallOptions = Pick<ReadyOptions, "stallTimeoutMs" | "stallFactor">;

async function startThreads(
  threads: number | "auto",
  reason: string,
  stall: StallOptions,
  lazy = false,
): Promise<{ backend: Backend; reason: string }> {
  const n = threads === "auto" ? cores() : threads;
  const why = `${reason}: ${n} thread${n === 1 ? "" : "s"}${
    threads === "auto" ? " (navigator.hardwareConcurrency)" : ""
  }${lazy && n > 1 ? ", workers start with the first call big enough to split" : ""}`;
  const current = activeThreads();
  if (current) {
    await current.restart({ ...stall, threads: n, lazy });
    return { backend: current, reason: why };
  }
  const { ThreadsBackend } = await import("./threads/threads_backend.ts");
  return { backend: await ThreadsBackend.start({ ...stall, threads: n, lazy }), reason: why };
}

/**
 * The WebGPU backend: the active one while its device works, else a new device. It accepts a
 * software (fallback) adapter such as llvmpipe.
 */
async function startWebgpu(reason: string): Promise<{ backend: Backend; reason: string }> {
  const current = active?.backend.name === "webgpu" ? active.backend as WebGpuBackend : null;
  const gpu = current && current.lost === null
    ? current
    : await (await import("./webgpu/webgpu_backend.ts")).WebGpuBackend.start();
  const kind = gpu.software ? "software (fallback) adapter" : "adapter";
  return { backend: gpu, reason: `${reason}: ${kind} ${gpu.description}` };
}

/** Stops the workers of a threads backend that is being replaced. */
async function retire(next: Backend): Promise<void> {
  const current = activeThreads();
  if (current && current !== next) await current.shutdown();
}

/**
 * Chooses the backend that later ops run on.
 *
 * `"auto"` takes the threads backend when SharedArrayBuffer exists and the machine has more than
 * one core, else the single-thread WebAssembly SIMD backend; its workers start the first time a
 * kernel call is big enough to be split (until then, and while they start, every call runs on the
 * calling thread), so a server that predicts one sample at a time never starts one. `"auto"` never
 * probes for a GPU: tensors cannot move between wasm memory and a GPU, so the GPU is a choice made
 * up front with `"webgpu"`, which takes any adapter, software included (`backend().reason` says
 * which), and throws `BackendUnavailableError` when there is none. On WebGPU, read tensors
 * with `await t.data()` (`dataSync()` throws), and create tensors after `ready()`: a tensor made
 * on another backend is rejected with a TypeError when an op uses it. `"threads"` falls back to
 * `"wasm"` where SharedArrayBuffer or Worker is missing; `backend()` then says why. Worker threads
 * never keep the process alive; `shutdown()` stops them.
 *
 * A worker that dies, or does not finish its share of a kernel call within
 * `max(stallTimeoutMs, stallFactor x expected)` (expected: the call's single-thread time at a
 * conservative rate for its kernel; 250 ms and 20 by default), is given up: the calling thread
 * finishes the call (it runs every piece no worker started), the workers are terminated, and
 * every later op runs on the calling thread over the same memory and tensors, with
 * `backend()` saying `"wasm"` and which worker stopped during which kernel
 * (`ready({ backend: "threads" })` starts new workers for the same tensors, while
 * `ready({ backend: "wasm" })` would start a separate memory). A piece the lost worker had
 * begun may still be written by it, so it is not run again: that one call throws
 * `WorkerStalledError` (naming the kernel and the worker) and the ops after it run normally.
 *
 * @param options `backend`: `"auto"` (default), `"wasm"`, `"threads"` or `"webgpu"`; `threads`:
 * how many threads compute (`"auto"`, the default, is one per core); `stallTimeoutMs` and
 * `stallFactor`: how long the calling thread waits for a worker (above).
 * @returns The active backend and why it was chosen.
 * @throws {TypeError} When `backend` is not one of the names above, `threads` is not a whole
 * number >= 1 or `"auto"`, `stallTimeoutMs` or `stallFactor` is not a number, an option is
 * unknown, or more than one argument is passed.
 * @throws {RangeError} When `stallTimeoutMs` is not a finite number >= 0 or `stallFactor` not a
 * finite number >= 1.
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
  try {
    checkArity(arguments, ["options"], "ready");
    checkOptions(options, ["backend", "threads", "stallTimeoutMs", "stallFactor"], "ready");
    checkStall(options.stallTimeoutMs, "stallTimeoutMs", 0);
    checkStall(options.stallFactor, "stallFactor", 1);
  } catch (e) {
    return Promise.reject(e);
  }
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
  if (request === "wasm" || request === "webgpu") {
    // `threads: 1` says what these backends do; anything else would be ignored.
    const misplaced = (["threads", "stallTimeoutMs", "stallFactor"] as const).find((k) =>
      options[k] !== undefined && !(k === "threads" && options[k] === 1)
    );
    if (misplaced) {
      return Promise.reject(
        new TypeError(
          `Cannot run ready(): option "${misplaced}" applies to the "threads" and "auto" backends only (backend "${request}" runs one thread): got ${
            fmtValue(options[misplaced])
          }`,
        ),
      );
    }
  }
  const threads = options.threads ?? "auto";
  if (threads !== "auto" && !(Number.isInteger(threads) && threads >= 1)) {
    return Promise.reject(
      new TypeError(
        `Cannot run ready(): argument "threads" must be a whole number >= 1 or "auto": got ${
          fmtValue(threads)
        }`,
      ),
    );
  }
  const { stallTimeoutMs, stallFactor } = options;
  return choose(request, threads, { stallTimeoutMs, stallFactor });
}

/** Throws unless `value` is undefined or a finite number >= `least`. */
function checkStall(value: unknown, name: string, least: number): void {
  if (value === undefined) return;
  const expected = `argument "${name}" must be a finite number >= ${least}`;
  if (typeof value !== "number") {
    throw new TypeError(`Cannot run ready(): ${expected}: got ${fmtValue(value)}`);
  }
  if (!(Number.isFinite(value) && value >= least)) {
    throw new RangeError(`Cannot run ready(): ${expected}: got ${fmtValue(value)}`);
  }
}

async function choose(
  request: BackendRequest,
  threads: number | "auto",
  stall: StallOptions,
): Promise<BackendInfo> {
  const missing = threadsUnavailable();
  let next: { backend: Backend; reason: string };
  if (request === "webgpu") {
    next = await startWebgpu("requested");
  } else if (request === "threads") {
    next = missing === null
      ? await startThreads(threads, "requested", stall)
      : startWasm(`requested "threads", fell back to wasm: ${missing}`);
  } else if (request === "auto" && missing === null && cores() > 1) {
    next = await startThreads(
      threads,
      `auto: SharedArrayBuffer and ${cores()} cores`,
      stall,
      true,
    );
  } else if (request === "auto") {
    next = startWasm(`auto: ${missing ?? "one core"}, so one thread`);
  } else {
    next = startWasm("requested");
  }
  await retire(next.backend);
  active = next;
  return backend();
}

/**
 * Stops the worker threads of the threads backend (a no-op on the other backends). Tensors stay
 * valid and later ops run on the calling thread alone, until `ready()` starts workers again.
 * Workers never keep the process alive, so calling this is optional.
 *
 * @returns A promise that resolves once the workers have terminated.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * await dn.ready({ backend: "threads", threads: 2 });
 * await dn.shutdown();
 * assert.match(dn.backend().reason, /shut down/);
 * ```
 */
export async function shutdown(): Promise<void> {
  const current = activeThreads();
  if (!current || !active) return;
  await current.shutdown();
  active = {
    backend: current,
    reason: `${active.reason}; workers shut down by shutdown(), ops run on the calling thread`,
  };
}

/**
 * The active backend and why it was chosen. After a worker of the threads backend died or stopped
 * answering, the name is `"wasm"`: every op runs the wasm kernels on the calling thread, over the
 * same memory and tensors, and the reason says what happened.
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
  const threads = activeThreads();
  const failed = threads?.lazyStartError;
  // A broken pool (a worker died or stalled): the ops fall back to the wasm kernels on the calling
  // thread, over the same memory and tensors; ready({ backend: "threads" }) starts new workers.
  const broken = threads?.broken;
  if (broken) {
    return {
      name: "wasm",
      reason:
        `${reason}; threads: ${broken}; fell back to wasm, running on the calling thread (ready({ backend: "threads" }) starts new workers)`,
    };
  }
  return {
    name: backend.name,
    reason: failed ? `${reason}; ${failed}, ops run on the calling thread` : reason,
  };
}

/** The backend ops run on; starts wasm on first use. */
export function activeBackend(): Backend {
  return activeOrDefault().backend;
}
setOpsBackend(activeBackend);

function activeOrDefault(): { backend: Backend; reason: string } {
  active ??= startWasm("default: first op ran before ready()");
  return active;
}
