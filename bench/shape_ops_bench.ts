/**
 * The shape ops over the strided copy: Dendrite's `concat` and `slice` against TensorFlow.js's
 * wasm backend (baseline) on 1-16 MB tensors (STYLE C15).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/shape_ops_bench.ts
 *   DENDRITE_BENCH_BACKEND=threads deno bench -A --v8-flags=--no-liftoff bench/shape_ops_bench.ts
 *
 * Both sides run the same op on the same inputs, are checked against each other once, and are
 * timed for the op plus the read-back of its result (`dataSync`), freed inside the timed call
 * (bench/_op_pair.ts); the rate column is G elements/s of the result. Shapes span the inner run
 * lengths that decide a copy's speed: whole blocks (axis 0), rows of 2 KB, 256 B and 64 B. TF.js
 * copies row by row from JavaScript (`TypedArray.set` per row; its slice also reads the whole
 * input out of the heap first), Dendrite in one kernel call. Quote the interleaved pass's "x
 * baseline, p20" column: on a shared two-core machine the sequential rows drift.
 *
 * @module
 */
import * as dn from "../mod.ts";
import { benchOpPair, pairInput, type TfTensor } from "./_op_pair.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { comparePaired } from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({
  backend: Deno.env.get("DENDRITE_BENCH_BACKEND") === "threads" ? "threads" : "wasm",
});

const mb = (shape: number[]) => +(shape.reduce((a, b) => a * b, 4) / 2 ** 20).toFixed(1);

/** `count` inputs of `shape` concatenated along `axis`. */
const CONCATS: [shape: number[], count: number, axis: number][] = [
  [[512, 512], 2, 0],
  [[2048, 1024], 2, 0],
  [[1024, 512], 2, 1],
  [[4096, 64], 4, 1],
  [[65536, 16], 2, 1],
  [[2048, 1024], 2, 1],
];

for (const [shape, count, axis] of CONCATS) {
  const pairs = Array.from({ length: count }, (_, i) => pairInput(tf, shape, 10 + i));
  const ds = pairs.map(([d]) => d), ts: TfTensor[] = pairs.map(([, t]) => t);
  benchOpPair({
    group: `concat ${count} x [${shape}] axis ${axis} (${mb([count, ...shape])} MB)`,
    dendrite: () => dn.concat(ds, axis),
    tfjs: () => tf.concat(ts, axis),
    tol: { abs: 0, rel: 0 },
  });
}

/** Slices of `shape` from `begin` of `size`. */
const SLICES: [shape: number[], begin: number[], size: number[]][] = [
  [[2048, 1024], [512, 0], [1024, 1024]],
  [[2048, 1024], [0, 256], [2048, 512]],
  [[65536, 32], [0, 8], [65536, 16]],
  [[4096, 64], [0, 16], [4096, 32]],
  [[64, 64, 64, 16], [0, 8, 8, 0], [64, 48, 48, 16]],
];

for (const [shape, begin, size] of SLICES) {
  const [d, t] = pairInput(tf, shape, 20);
  benchOpPair({
    group: `slice [${shape}] from [${begin}] size [${size}] (${mb(size)} MB of ${mb(shape)})`,
    dendrite: () => dn.slice(d, begin, size),
    tfjs: () => tf.slice(t, begin, size),
    tol: { abs: 0, rel: 0 },
  });
}

comparePaired();
