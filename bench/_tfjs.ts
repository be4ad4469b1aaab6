/**
 * TensorFlow.js with its WebAssembly backend (XNNPACK, SIMD, one thread), initialised for use as
 * the baseline in `bench/` (STYLE C15).
 *
 * Deno loads `@tensorflow/tfjs-backend-wasm` through its `main` entry (the Node build), so the
 * Emscripten loader runs in Node mode and reads the `.wasm` file with `fs.readFileSync`. We point
 * `setWasmPaths` at the package's own `dist/` folder in Deno's npm cache, found with
 * `import.meta.resolve`, and map the two binaries we do not want to a path that does not exist:
 * if tfjs ever picked the scalar or the threaded binary, initialisation fails instead of quietly
 * measuring the wrong thing. Threads are off (the threaded binary needs browser workers; tfjs
 * already disables it under Node, and we say so explicitly in case detection changes).
 *
 * Permissions: only `--allow-read` for the `.wasm` file in the npm cache (it can be narrowed to
 * the npm cache folder that `deno info` prints); `deno bench -A` covers it. Without it,
 * tfjs logs the `NotCapable` error and {@linkcode initTfjsWasm} throws.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { fileURLToPath } from "node:url";

/** The tfjs-core namespace, as returned by {@linkcode initTfjsWasm}. */
export type Tfjs = typeof tf;

const SIMD_BINARY = "tfjs-backend-wasm-simd.wasm";
const UNWANTED_BINARIES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

/** Absolute path of the `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm`. */
export function tfjsWasmDistDir(): string {
  const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!entry.startsWith("file:")) {
    throw new Error(
      `Cannot locate tfjs-backend-wasm binaries: expected a file: URL, got "${entry}"`,
    );
  }
  // The entry is <package>/dist/tf-backend-wasm.node.js; the .wasm files sit beside it.
  return fileURLToPath(new URL("./", entry));
}

let initialised: Promise<Tfjs> | undefined;

/**
 * Selects the tfjs `wasm` backend (SIMD binary, one thread) and checks it with a small matmul.
 *
 * @returns The tfjs-core namespace with `wasm` as the active backend.
 * @throws {Error} When the backend is not `wasm`, SIMD is unavailable, more than one thread runs,
 * or the check matmul is wrong.
 */
export function initTfjsWasm(): Promise<Tfjs> {
  initialised ??= init();
  return initialised;
}

async function init(): Promise<Tfjs> {
  const dist = tfjsWasmDistDir();
  const fileMap: Record<string, string> = { [SIMD_BINARY]: dist + SIMD_BINARY };
  for (const name of UNWANTED_BINARIES) fileMap[name] = `${dist}not-the-simd-binary/${name}`;
  setWasmPaths(fileMap);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) {
    throw new Error("Cannot benchmark tfjs-backend-wasm: this runtime reports no wasm SIMD");
  }
  if (!(await tf.setBackend("wasm"))) {
    throw new Error(`Cannot initialise tfjs-backend-wasm from "${dist}${SIMD_BINARY}"`);
  }
  await tf.ready();
  const backend = tf.getBackend();
  const threads = getThreadsCount();
  if (backend !== "wasm" || threads !== 1) {
    throw new Error(`Expected tfjs backend "wasm" with 1 thread, got "${backend}" with ${threads}`);
  }
  // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
  const got = tf.tidy(() =>
    tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).dataSync()
  );
  if (got.join() !== "19,22,43,50") {
    throw new Error(`tfjs wasm matMul check failed: expected 19,22,43,50, got ${got.join()}`);
  }
  return tf;
}
