/**
 * Elementwise WGSL programs, mirroring assembly/elementwise.ts (unary maps, their backwards,
 * broadcast binary ops over f32 and i32) and the elementwise helpers of assembly/optim.ts
 * (affine, fill, clip, axpy). One invocation per element over a 1-D launch (`gi`, see program.ts); every program
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
import { MATH_GRAD_WGSL, MATH_WGSL, WGSL_MATH } from "./math.ts";

/** WGSL expressions of `v` (and `u.alpha`), one per unary op. */
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
  ...MATH_WGSL,
};

/** The helpers an op's expression calls. */
const unaryHelpers = (op: UnaryOp) =>
  op === "tanh" ? WGSL_TANH : Object.hasOwn(MATH_WGSL, op) ? WGSL_MATH : "";

/** `y = f(x)`; `alpha` is leakyRelu's slope and elu's scale (unread by the other ops). */
export const f32Vunary: WgslProgram<{ op: UnaryOp; n: number }> = {
  key: ({ op }) => `f32_v${op}`,
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", alpha: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: ({ op }) => unaryHelpers(op),
  body: ({ op }) => `  if (gi >= u.n) { return; }\n  let v = x[gi];\n  y[gi] = ${UNARY[op]};`,
};

/** `dx = dy · f'`, from the saved input (relu, the math ops) or output (sigmoid, tanh). */
export const f32VunaryBwd: WgslProgram<{ op: UnaryGradOp; n: number }> = {
  key: ({ op }) => `f32_v${op}_bwd`,
  bindings: [
    { name: "dy", access: "read" },
    { name: "saved", access: "read" },
    { name: "dx", access: "read_write" },
  ],
  uniforms: { n: "u32", alpha: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: ({ op }) => unaryHelpers(op),
  body: ({ op }) => {
    const expr = op === "relu"
      ? "select(0.0, g, v > 0.0)"
      : op === "sigmoid"
      ? "(g * v) * (1.0 - v)"
      : op === "tanh"
      ? "g * (1.0 - v * v)"
      : MATH_GRAD_WGSL[op];
    return `  if (gi >= u.n) { return; }\n  let g = dy[gi];\n  let v = saved[gi];\n  dx[gi] = ${expr};`;
  },
};

/** WGSL expressions of `p op q` over f32, one per binary op (helpers in BINARY_HELPERS). */
const F32_BINARY: Record<BinaryOp, string> = {
  add: "p + q",
  sub: "p - q",
  mul: "p * q",
  div: "p / q",
  maximum: "max(p, q)",
  minimum: "min(p, q)",
  pow: "pow_f32(p, q)",
  mod: "mod_f32(p, q)",
  floorDiv: "floor(p / q)",
  squaredDifference: "(p - q) * (p - q)",
};

/** The same over i32 (wrapping): div is floorDiv, floorDiv and mod by 0 give 0 (as on wasm). */
const I32_BINARY: Record<BinaryOp, string> = {
  add: "p + q",
  sub: "p - q",
  mul: "p * q",
  div: "floor_div_i32(p, q)",
  maximum: "max(p, q)",
  minimum: "min(p, q)",
  pow: "pow_i32(p, q)",
  mod: "mod_i32(p, q)",
  floorDiv: "floor_div_i32(p, q)",
  squaredDifference: "(p - q) * (p - q)",
};

/**
 * pow: WGSL's pow is undefined for a negative base, so the sign (odd integer exponents) and NaN
 * (other exponents) are applied here, as JavaScript's Math.pow does. mod: floored as TF.js,
 * `(r + q) % q` where the signs differ. The i32 helpers never divide by 0 or -2^31 by -1 (see
 * assembly/elementwise.ts i32Scalar).
 */
const BINARY_HELPERS = /* wgsl */ `
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  let m = abs(a);
  var r: f32;
  if (m == 0.0) {
    r = select(bitcast<f32>(0x7f800000u), 0.0, b > 0.0);
  } else {
    r = exp2(b * log2(m));
  }
  if (a >= 0.0) { return r; }
  if (floor(b) != b) { return bitcast<f32>(0x7fc00000u); }
  let odd = abs(b) < 16777216.0 && (i32(b) & 1) != 0;
  return select(r, -r, odd);
}
fn mod_f32(a: f32, b: f32) -> f32 {
  let r = a % b;
  if ((a < 0.0 && b < 0.0) || (a >= 0.0 && b >= 0.0)) { return r; }
  return (r + b) % b;
}
fn floor_div_i32(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  let q = a / b;
  return select(q, q - 1, q * b != a && (a ^ b) < 0);
}
fn mod_i32(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  let r = a % b;
  return select(r, r + b, r != 0 && (r ^ b) < 0);
}
fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return 1 - ((b & 1) << 1u); }
    return 0;
  }
  var r = 1;
  var x = a;
  var e = u32(b);
  while (e != 0u) {
    if ((e & 1u) != 0u) { r = r * x; }
    x = x * x;
    e = e >> 1u;
  }
  return r;
}`;

/**
 * `y = a op b` over a 4-D broadcast plan, float32 or int32: `y` contiguous `dims`, `a`/`b` read
 * with strides.
 */
export const vbinaryBcast: WgslProgram<
  { op: BinaryOp; dtype: "float32" | "int32"; n: number }
> = {
  key: ({ op, dtype }) => `${dtype === "int32" ? "i32" : "f32"}_v${op}_bcast`,
  bindings: [
    { name: "a", access: "read", type: "array<u32>" },
    { name: "b", access: "read", type: "array<u32>" },
    { name: "y", access: "read_write", type: "array<u32>" },
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
  helpers: ({ op }) => (["pow", "mod", "div", "floorDiv"].includes(op) ? BINARY_HELPERS : ""),
  body: ({ op, dtype }) => {
    const t = dtype === "int32" ? "i32" : "f32";
    const expr = (dtype === "int32" ? I32_BINARY : F32_BINARY)[op];
    return /* wgsl */ `
  if (gi >= u.n) { return; }
  let i3 = gi % u.d3;
  var r = gi / u.d3;
  let i2 = r % u.d2;
  r = r / u.d2;
  let i1 = r % u.d1;
  let i0 = r / u.d1;
  let p = bitcast<${t}>(a[i0 * u.a0 + i1 * u.a1 + i2 * u.a2 + i3 * u.a3]);
  let q = bitcast<${t}>(b[i0 * u.b0 + i1 * u.b1 + i2 * u.b2 + i3 * u.b3]);
  y[gi] = bitcast<u32>(${expr});`;
  },
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
