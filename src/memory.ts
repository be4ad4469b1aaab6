/**
 * `memory()`: what is alive and how much the backend holds.
 *
 * @module
 */
import { checkArity } from "./_check.ts";
import { activeBackend } from "./backend/select.ts";
import { tensorMemory } from "./tensor.ts";

/** Memory use. */
export interface MemoryInfo {
  /** Tensors created and not yet disposed (views count separately). */
  numTensors: number;
  /** Bytes of the distinct storages those tensors hold. */
  numBytes: number;
  /** Size of the wasm memory (or the backend's device memory held), in bytes. */
  wasmBytes: number;
}

/**
 * Live tensors, their bytes, and the backend's memory size.
 *
 * @returns `{ numTensors, numBytes, wasmBytes }`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const before = dn.memory().numTensors;
 * const t = dn.zeros([4]);
 * assert.equal(dn.memory().numTensors, before + 1);
 * t.dispose();
 * assert.equal(dn.memory().numTensors, before);
 * ```
 */
export function memory(): MemoryInfo {
  checkArity(arguments, [], "memory");
  return { ...tensorMemory(), wasmBytes: activeBackend().memoryBytes() };
}
