/**
 * Elementwise WGSL programs, mirroring assembly/elementwise.ts (unary maps, their backwards,
 * broadcast binary ops) and the elementwise helpers of assembly/optim.ts (affine, fill, clip,
 * axpy). One invocation per element over a 1-D launch (`gi`, see program.ts); every program
 * guards `gi < u.n`. Layout: contiguous f32 arrays, counts and strides in elements.
 *
 * NaN: WGSL lets implementations assume finite values (spec §15.7 "floating-point evaluation"),
 * so relu/clip/max keep NaN only where the GPU's compiler does; the conformance suite tests NaN on
 * the CPU backends only. tanh is activation.ts's `tanh_f32`.
 *
 * @module
 */
import type { BinaryOp, UnaryGradOp, UnaryOp } from "../../backend.ts";
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";
import { WGSL_TANH } from "./activation.ts";

/** WGSL expressions of `v`, one per unary op. */
const UNARY: Record<UnaryOp, string> = {
  relu: "select(v, 0.0, v < 0.0)",
  sigmoid: "1.0 / (1.0 + exp(-v))",
  tanh: "tanh_f32(v)",
  exp: "exp(v)",
  log: "log(v)",
  neg: "-v",
  sqrt: "sqrt(v)",
  square: "v * v",
  abs: "abs(v)",
};

/** `y = f(x)`. */
export const f32Vunary: WgslProgram<{ op: UnaryOp; n: number }> = {
  key: ({ op }) => `f32_v${op}`,
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: ({ op }) => (op === "tanh" ? WGSL_TANH : ""),
  body: ({ op }) => `  if (gi >= u.n) { return; }\n  let v = x[gi];\n  y[gi] = ${UNARY[op]};`,
};

/** `dx = dy · f'`, from the saved input (relu) or output (sigmoid, tanh). */
export const f32VunaryBwd: WgslProgram<{ op: UnaryGradOp; n: number }> = {
  key: ({ op }) => `f32_v${op}_bwd`,
  bindings: [
    { name: "dy", access: "read" },
    { name: "saved", access: "read" },
    { name: "dx", access: "read_write" },
  ],
  uniforms: { n: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: ({ op }) => {
    const expr = op === "relu"
      ? "select(0.0, g, v > 0.0)"
      : op === "sigmoid"
      ? "(g * v) * (1.0 - v)"
      : "g * (1.0 - v * v)";
    return `  if (gi >= u.n) { return; }\n  let g = dy[gi];\n  let v = saved[gi];\n  dx[gi] = ${expr};`;
  },
};

const BINARY: Record<BinaryOp, string> = {
  add: "p + q",
  sub: "p - q",
  mul: "p * q",
  div: "p / q",
  equal: "select(0.0, 1.0, p == q)",
};

/** `y = a op b` over a 4-D broadcast plan: `y` contiguous `dims`, `a`/`b` read with strides. */
export const f32VbinaryBcast: WgslProgram<{ op: BinaryOp; n: number }> = {
  key: ({ op }) => `f32_v${op}_bcast`,
  bindings: [
    { name: "a", access: "read" },
    { name: "b", access: "read" },
    { name: "y", access: "read_write" },
  ],
  uniforms: {
    n: "u32",
    d1: "u32",
    d2: "u32",
    d3: "u32",
    a0: "u32",
    a1: "u32",
    a2: "u32",
    a3: "u32",
    b0: "u32",
    b1: "u32",
    b2: "u32",
    b3: "u32",
  },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: ({ op }) => /* wgsl */ `
  if (gi >= u.n) { return; }
  let i3 = gi % u.d3;
  var r = gi / u.d3;
  let i2 = r % u.d2;
  r = r / u.d2;
  let i1 = r % u.d1;
  let i0 = r / u.d1;
  let p = a[i0 * u.a0 + i1 * u.a1 + i2 * u.a2 + i3 * u.a3];
  let q = b[i0 * u.b0 + i1 * u.b1 + i2 * u.b2 + i3 * u.b3];
  y[gi] = ${BINARY[op]};`,
};

/** `y = x·scale + shift`. */
export const f32Vaffine: WgslProgram<{ n: number }> = {
  key: () => "f32_vaffine",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", scale: "f32", shift: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => "  if (gi >= u.n) { return; }\n  y[gi] = x[gi] * u.scale + u.shift;",
};

/** `y = value`. */
export const f32Fill: WgslProgram<{ n: number }> = {
  key: () => "f32_fill",
  bindings: [{ name: "y", access: "read_write" }],
  uniforms: { n: "u32", value: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => "  if (gi >= u.n) { return; }\n  y[gi] = u.value;",
};

/** `y = min(max(x, lo), hi)`. */
export const f32Clip: WgslProgram<{ n: number }> = {
  key: () => "f32_clip",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", lo: "f32", hi: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () =>
    "  if (gi >= u.n) { return; }\n  let v = x[gi];\n  y[gi] = select(select(v, u.lo, v < u.lo), u.hi, u.hi < v);",
};

/** `y += a·x`. */
export const f32Axpy: WgslProgram<{ n: number }> = {
  key: () => "f32_axpy",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", a: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => "  if (gi >= u.n) { return; }\n  y[gi] = y[gi] + u.a * x[gi];",
};
