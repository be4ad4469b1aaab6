/**
 * Contrastive-divergence updates of an RBM, mirroring assembly/rbm.ts (semantics stated there):
 * one invocation per weight or bias, summing its batch statistics in row order, then the momentum
 * and weight-decay step in place. `scale` (1 / batch) is computed on the host, as for the wasm
 * kernel.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** `w[i, j]` and its velocity from `Σ_b vpos[b, i]·hpos[b, j] - vneg[b, i]·hneg[b, j]`. */
export const f32RbmWeightUpdate: WgslProgram<{ n: number }> = {
  key: () => "f32_rbm_weight_update",
  bindings: [
    { name: "vpos", access: "read" },
    { name: "hpos", access: "read" },
    { name: "vneg", access: "read" },
    { name: "hneg", access: "read" },
    { name: "w", access: "read_write" },
    { name: "vel", access: "read_write" },
  ],
  uniforms: {
    n: "u32",
    batch: "u32",
    visible: "u32",
    hidden: "u32",
    scale: "f32",
    lr: "f32",
    momentum: "f32",
    decay: "f32",
  },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let i = gi / u.hidden;
  let j = gi % u.hidden;
  var acc = 0.0;
  for (var b = 0u; b < u.batch; b = b + 1u) {
    acc = acc + vpos[b * u.visible + i] * hpos[b * u.hidden + j];
    acc = acc - vneg[b * u.visible + i] * hneg[b * u.hidden + j];
  }
  let wv = w[gi];
  let nv = u.momentum * vel[gi] + u.lr * (acc * u.scale - u.decay * wv);
  vel[gi] = nv;
  w[gi] = wv + nv;`,
};

/** `bias[j]` and its velocity from `Σ_b pos[b, j] - neg[b, j]`. */
export const f32RbmBiasUpdate: WgslProgram<{ n: number }> = {
  key: () => "f32_rbm_bias_update",
  bindings: [
    { name: "pos", access: "read" },
    { name: "neg", access: "read" },
    { name: "bias", access: "read_write" },
    { name: "vel", access: "read_write" },
  ],
  uniforms: { n: "u32", batch: "u32", scale: "f32", lr: "f32", momentum: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  var acc = 0.0;
  for (var b = 0u; b < u.batch; b = b + 1u) {
    acc = acc + (pos[b * u.n + gi] - neg[b * u.n + gi]);
  }
  let nv = u.momentum * vel[gi] + u.lr * (acc * u.scale);
  vel[gi] = nv;
  bias[gi] = bias[gi] + nv;`,
};
