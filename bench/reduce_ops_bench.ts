/**
 * Reductions, scans and top-k against TensorFlow.js's wasm backend in the same process, on
 * tensors of 2^20 elements (bench/_op_pair.ts: results checked against each other once, then op
 * plus read-back timed, interleaved p20 ratio): min and logSumExp over rows and columns of
 * 1024 x 1024, prod over rows (values near 1, so the products stay finite), cumsum along rows,
 * columns and one 2^20 vector, topk (k = 10) of 1024 rows and of one 2^20 row.
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/reduce_ops_bench.ts
 *
 * @module
 */
import * as dn from "../mod.ts";
import { benchOpPair, pairInput, type TfTensor } from "./_op_pair.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { comparePaired, values } from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

const N = 1 << 20;
const [x, tx] = pairInput(tf, [1024, 1024], 1);
const [v, tv] = pairInput(tf, [N], 2);
const near1 = values(N, 3, 0.01).map((a) => 1 + a);
const p = dn.tensor(near1, [1024, 1024]), tp = tf.tensor(near1, [1024, 1024]);

/** The values of a top-k, its indices freed (both sides compute and write them). */
function dnTopk(t: dn.Tensor, k: number): dn.Tensor {
  const { values, indices } = dn.topk(t, k);
  indices.dispose();
  return values;
}
function tfTopk(t: TfTensor, k: number): TfTensor {
  const { values, indices } = tf.topk(t, k);
  indices.dispose();
  return values;
}

const pairs: [string, () => dn.Tensor, () => TfTensor, number?][] = [
  ["min 1024x1024 axis 1", () => dn.min(x, 1), () => tf.min(tx, 1)],
  ["min 1024x1024 axis 0", () => dn.min(x, 0), () => tf.min(tx, 0)],
  ["prod 1024x1024 axis 1", () => dn.prod(p, 1), () => tf.prod(tp, 1), 1e-4],
  ["logSumExp 1024x1024 axis 1", () => dn.logSumExp(x, 1), () => tf.logSumExp(tx, 1), 1e-5],
  ["logSumExp 1024x1024 axis 0", () => dn.logSumExp(x, 0), () => tf.logSumExp(tx, 0), 1e-5],
  ["cumsum 1024x1024 axis 1", () => dn.cumsum(x, 1), () => tf.cumsum(tx, 1), 1e-4],
  ["cumsum 1024x1024 axis 0", () => dn.cumsum(x, 0), () => tf.cumsum(tx, 0), 1e-4],
  ["cumsum 2^20", () => dn.cumsum(v), () => tf.cumsum(tv), 1e-2],
  ["topk 1024x1024 k 10", () => dnTopk(x, 10), () => tfTopk(tx, 10)],
  ["topk 2^20 k 10", () => dnTopk(v, 10), () => tfTopk(tv, 10)],
];
for (const [group, dendrite, tfjs, rel] of pairs) {
  benchOpPair({
    group,
    work: N,
    dendrite,
    tfjs,
    tol: rel === undefined ? undefined : { abs: rel, rel },
  });
}
comparePaired();
