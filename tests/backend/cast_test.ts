/**
 * The `cast` primitive on every backend (wasm, wasm-portable, webgpu) against a scalar reference
 * of its definition (src/backend/backend.ts), with NaN, infinities, saturation, signed zeros and
 * bool bytes; lengths around the 4-element word (1, 3, 5, 17) so that bool words end partly
 * filled. Threads run the same kernel split by element ranges (tests/backend/threads_test.ts).
 */
import type { DType } from "../../src/backend/backend.ts";
import { fromUnits, storageUnits, toUnits } from "../../src/tensor.ts";
import { assertEquals } from "../_util/assert.ts";
import { testBackends } from "../_util/backends.ts";

const backends = await testBackends();

/** The reference conversion of one element. */
function convert(v: number, to: DType): number {
  if (to === "bool") return v !== 0 ? 1 : 0; // NaN !== 0
  if (to === "float32") return Math.fround(v);
  if (Number.isNaN(v)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

const SOURCES: Record<DType, number[]> = {
  float32: [
    0,
    -0,
    1.7,
    -1.7,
    0.5,
    -2.5,
    NaN,
    Infinity,
    -Infinity,
    3e9,
    -3e9,
    2147483520,
    -2147483648,
    16777217,
    1e-40,
    123456.789,
    -7,
  ],
  int32: [
    0,
    1,
    -1,
    7,
    2147483647,
    -2147483648,
    16777217,
    -16777217,
    42,
    3,
    -5,
    100000,
    9,
    8,
    6,
    5,
    4,
  ],
  bool: [1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1],
};

function typed(values: number[], dtype: DType) {
  if (dtype === "float32") return Float32Array.from(values);
  if (dtype === "int32") return Int32Array.from(values);
  return Uint8Array.from(values);
}

const DTYPES: DType[] = ["float32", "int32", "bool"];

for (const { name, backend } of backends) {
  for (const from of DTYPES) {
    for (const to of DTYPES) {
      Deno.test(`[${name}] cast ${from} -> ${to} matches its definition`, async () => {
        for (const n of [1, 3, 5, 17]) {
          const values = typed(SOURCES[from].slice(0, n), from);
          const x = backend.alloc(storageUnits(from, n));
          const y = backend.alloc(storageUnits(to, n) + 1);
          backend.write(x, toUnits(values));
          // A guard unit after y (and the rest of a partial bool word) must keep its bits.
          backend.write(y, new Float32Array(storageUnits(to, n) + 1).fill(-123.5));
          backend.cast(x, from, y, to, n);
          const units = await backend.read(y, storageUnits(to, n) + 1);
          const got = Array.from(fromUnits(units, to, n)).slice(0, n);
          const want = Array.from(typed(Array.from(values, (v) => convert(v, to)), to));
          assertEquals(got, want, `n ${n}`);
          assertEquals(units[units.length - 1], -123.5, `guard after y, n ${n}`);
          backend.free(x);
          backend.free(y);
        }
      });
    }
  }
}
