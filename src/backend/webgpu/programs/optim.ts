/**
 * Optimizer updates, mirroring assembly/optim.ts (Keras semantics, stated there): SGD with
 * momentum/Nesterov, Adam (bias correction folded into `lrT` by the caller), RMSprop. One
 * invocation per parameter, in place; `1 - beta` is rounded to f32 once, on the host, as the wasm
 * kernel does. The sgd flags are uniforms (one pipeline); without momentum `v` is never touched.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** SGD: `v = momentum·v - lr·g; w += v` (Nesterov: `w += momentum·v - lr·g`); no momentum: `w -= lr·g`. */
export const f32SgdStep: WgslProgram<{ n: number }> = {
  key: () => "f32_sgd_step",
  bindings: [
    { name: "w", access: "read_write" },
    { name: "g", access: "read" },
    { name: "v", access: "read_write" },
  ],
  uniforms: { n: "u32", lr: "f32", momentum: "f32", hasMomentum: "u32", nesterov: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let lrg = u.lr * g[gi];
  if (u.hasMomentum == 0u) {
    w[gi] = w[gi] - lrg;
    return;
  }
  let vNew = u.momentum * v[gi] - lrg;
  v[gi] = vNew;
  w[gi] = w[gi] + select(vNew, u.momentum * vNew - lrg, u.nesterov != 0u);`,
};

/** Adam: `m = b1·m + c1·g; v = b2·v + c2·g²; w -= lrT·m / (sqrt(v) + eps)`. */
export const f32AdamStep: WgslProgram<{ n: number }> = {
  key: () => "f32_adam_step",
  bindings: [
    { name: "w", access: "read_write" },
    { name: "g", access: "read" },
    { name: "m", access: "read_write" },
    { name: "v", access: "read_write" },
  ],
  uniforms: { n: "u32", lrT: "f32", b1: "f32", c1: "f32", b2: "f32", c2: "f32", eps: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let gv = g[gi];
  let mNew = u.b1 * m[gi] + u.c1 * gv;
  let vNew = u.b2 * v[gi] + u.c2 * (gv * gv);
  m[gi] = mNew;
  v[gi] = vNew;
  w[gi] = w[gi] - (u.lrT * mNew) / (sqrt(vNew) + u.eps);`,
};

/** RMSprop: `ms = rho·ms + c·g²; w -= lr·g / (sqrt(ms) + eps)`. */
export const f32RmspropStep: WgslProgram<{ n: number }> = {
  key: () => "f32_rmsprop_step",
  bindings: [
    { name: "w", access: "read_write" },
    { name: "g", access: "read" },
    { name: "ms", access: "read_write" },
  ],
  uniforms: { n: "u32", lr: "f32", rho: "f32", c: "f32", eps: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let gv = g[gi];
  let msNew = u.rho * ms[gi] + u.c * (gv * gv);
  ms[gi] = msNew;
  w[gi] = w[gi] - (u.lr * gv) / (sqrt(msNew) + u.eps);`,
};
