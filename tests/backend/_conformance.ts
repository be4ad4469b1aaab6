/**
 * Helpers of the conformance suites (webgpu_conformance_test.ts, webgpu_conformance_cnn_test.ts):
 * storages filled from f64 values and freed after each case.
 */
import type { Backend, Storage } from "../../src/backend/backend.ts";
import { randomF32 } from "../_util/rng.ts";

/** Storage holding `values`. */
export function put(b: Backend, values: ArrayLike<number>): Storage {
  const s = b.alloc(values.length);
  b.write(s, Float32Array.from(values));
  return s;
}

/** Values uniform in [lo, hi], rounded to f32. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  return randomF32(n, seed).map((v) => Math.fround(lo + ((v + 1) / 2) * (hi - lo)));
}

/** Runs `body` with a scratch list of storages freed afterwards. */
export async function withStorages(
  b: Backend,
  body: (keep: (s: Storage) => Storage) => Promise<void>,
): Promise<void> {
  const all: Storage[] = [];
  try {
    await body((s) => (all.push(s), s));
  } finally {
    for (const s of all) b.free(s);
  }
}
