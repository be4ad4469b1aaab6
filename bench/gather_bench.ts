/**
 * `gather` along any axis of 1-16 MB float32 tensors, and a batched `matmul` (64 items of
 * 64x64x64), against TensorFlow.js's wasm backend (XNNPACK, SIMD, one thread) in the same process
 * (bench/_op_pair.ts: checked against each other once, op plus read-back timed, interleaved p20
 * ratio). Shapes: rows of an embedding-like table (axis 0, 256 B and 1 KB rows), a middle axis
 * (rows of 256 B), and the last axis (single elements, the hardest case for a row copy). Indices
 * are int32 on both sides, each row picked about once, in a scrambled order.
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/gather_bench.ts
 *
 * @module
 */
import * as dn from "../mod.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { benchOpPair, pairInput } from "./_op_pair.ts";
import { comparePaired } from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

/** `[x shape, axis, index count]`. */
const GATHERS: [number[], number, number][] = [
  [[4096, 64], 0, 4096], // 1 MB
  [[16384, 256], 0, 16384], // 16 MB
  [[64, 256, 64], 1, 256], // 4 MB
  [[1024, 256], 1, 256], // 1 MB
  [[4096, 1024], 1, 1024], // 16 MB
];

for (const [shape, axis, n] of GATHERS) {
  const [dx, tx] = pairInput(tf, shape, 1);
  const order = Int32Array.from({ length: n }, (_, i) => (i * 7919) % shape[axis]);
  const di = dn.tensor(order, [n], "int32"), ti = tf.tensor1d(order, "int32");
  const mb = (shape.reduce((a, b) => a * b, 1) * 4 / 2 ** 20).toFixed(0);
  benchOpPair({
    group: `gather [${shape}] (${mb} MB) axis ${axis}, ${n} indices`,
    dendrite: () => dn.gather(dx, di, axis),
    tfjs: () => tf.gather(tx, ti, axis),
    tol: { abs: 0, rel: 0 },
  });
}

const [da, ta] = pairInput(tf, [64, 64, 64], 2), [db, tb] = pairInput(tf, [64, 64, 64], 3);
benchOpPair({
  group: "matmul [64, 64, 64] · [64, 64, 64] (64 items of 64x64x64)",
  work: 2 * 64 * 64 * 64 * 64,
  dendrite: () => dn.matmul(da, db),
  tfjs: () => tf.matMul(ta, tb),
  tol: { abs: 1e-4, rel: 1e-4 },
});

comparePaired();
