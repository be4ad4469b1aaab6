/**
 * The unary math ops and activations run by op code against TensorFlow.js's wasm backend in the
 * same process, on tensors of 2^20 elements (bench/_op_pair.ts: results checked against each
 * other once, then op plus read-back timed, interleaved p20 ratio). Inputs are seeded values in
 * [-1, 1), in (0, 2] for rsqrt and in [-100, 100) for sin and cos (so that their reduction does
 * work). TF.js has no gelu or silu op: those groups time the compositions tfjs-layers uses
 * (`x/2·(1 + erf(x/√2))`, `x·sigmoid(x)`).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/unary_ops_bench.ts
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
const [x, tx] = pairInput(tf, [N], 1);
const [w, tw] = pairInput(tf, [N], 2, { scale: 100 });
const positive = values(N, 3, 1).map((v) => 1 + v + 1e-3);
const p = dn.tensor(positive, [N]), tp = tf.tensor(positive, [N]);

const pairs: [string, () => dn.Tensor, () => TfTensor, number?][] = [
  ["sign", () => dn.sign(x), () => tf.sign(tx)],
  ["floor", () => dn.floor(x), () => tf.floor(tx)],
  ["ceil", () => dn.ceil(x), () => tf.ceil(tx)],
  ["round", () => dn.round(x), () => tf.round(tx)],
  ["reciprocal", () => dn.reciprocal(x), () => tf.reciprocal(tx)],
  ["rsqrt (0, 2]", () => dn.rsqrt(p), () => tf.rsqrt(tp)],
  ["log1p", () => dn.log1p(x), () => tf.log1p(tx), 1e-5],
  ["expm1", () => dn.expm1(x), () => tf.expm1(tx), 1e-5],
  ["sin [-100, 100)", () => dn.sin(w), () => tf.sin(tw), 1e-5],
  ["cos [-100, 100)", () => dn.cos(w), () => tf.cos(tw), 1e-5],
  ["tan", () => dn.tan(x), () => tf.tan(tx), 1e-5],
  ["erf", () => dn.erf(x), () => tf.erf(tx), 1e-5],
  ["softplus", () => dn.softplus(x), () => tf.softplus(tx), 1e-5],
  ["elu", () => dn.elu(x), () => tf.elu(tx), 1e-5],
  ["selu", () => dn.selu(x), () => tf.selu(tx), 1e-5],
  ["leakyRelu", () => dn.leakyRelu(x), () => tf.leakyRelu(tx)],
  [
    "gelu (TF.js: composed)",
    () => dn.gelu(x),
    () => tf.tidy(() => tf.mul(tf.mul(tx, 0.5), tf.add(1, tf.erf(tf.mul(tx, Math.SQRT1_2))))),
    1e-5,
  ],
  [
    "silu (TF.js: composed)",
    () => dn.silu(x),
    () => tf.tidy(() => tf.mul(tx, tf.sigmoid(tx))),
    1e-5,
  ],
];
for (const [group, dendrite, tfjs, rel] of pairs) {
  benchOpPair({
    group: `${group} 2^20`,
    work: N,
    dendrite,
    tfjs,
    tol: rel === undefined ? undefined : { abs: rel, rel },
  });
}
comparePaired();
