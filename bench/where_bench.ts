/**
 * `where(condition, a, b)` against TF.js's wasm backend on the same data, for outputs of 1, 4
 * and 16 MB (float32: 256 Ki, 1 Mi, 4 Mi elements; the condition is a bool tensor made by
 * `greater` on both sides beforehand), and `maximum`, `pow` and `greater` on 1 Mi elements: op
 * plus read-back timed, interleaved, TF.js's p20 time over Dendrite's (bench/_op_pair.ts).
 *
 * ```sh
 * deno bench -A --v8-flags=--no-liftoff bench/where_bench.ts
 * DENDRITE_BENCH_BACKEND=threads deno bench -A --v8-flags=--no-liftoff bench/where_bench.ts
 * ```
 *
 * @module
 */
import * as dn from "../mod.ts";
import { benchOpPair, pairInput } from "./_op_pair.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { comparePaired } from "./_util.ts";

const tf = await initTfjsWasm();
const backend = Deno.env.get("DENDRITE_BENCH_BACKEND") === "threads" ? "threads" : "wasm";
await dn.ready({ backend });

for (const mb of [1, 4, 16]) {
  const n = (mb << 20) / 4;
  const [da, ta] = pairInput(tf, [n], 1);
  const [db, tb] = pairInput(tf, [n], 2);
  const [dx, tx] = pairInput(tf, [n], 3);
  const dc = dn.greater(dx, 0), tc = tf.greater(tx, 0);
  benchOpPair({
    group: `where ${mb} MB (${n} float32)`,
    dendrite: () => dn.where(dc, da, db),
    tfjs: () => tf.where(tc, ta, tb),
    tol: { abs: 0, rel: 0 },
  });
}

const n = 1 << 20;
const [da, ta] = pairInput(tf, [n], 4);
const [db, tb] = pairInput(tf, [n], 5, { scale: 3 });
const [dp, tp] = [dn.abs(da), tf.abs(ta)];
benchOpPair({
  group: `maximum ${n} float32`,
  dendrite: () => dn.maximum(da, db),
  tfjs: () => tf.maximum(ta, tb),
  tol: { abs: 0, rel: 0 },
});
benchOpPair({
  group: `pow ${n} float32 (base |a|, exponent in [-3, 3])`,
  dendrite: () => dn.pow(dp, db),
  tfjs: () => tf.pow(tp, tb),
  tol: { abs: 1e-6, rel: 1e-5 },
});
benchOpPair({
  group: `greater ${n} float32`,
  dendrite: () => dn.greater(da, db),
  tfjs: () => tf.greater(ta, tb),
  tol: { abs: 0, rel: 0 },
});

comparePaired();
