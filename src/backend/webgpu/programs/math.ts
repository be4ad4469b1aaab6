/**
 * WGSL of the unary math ops run by op code, mirroring assembly/math.ts: one expression of `v`
 * (and `u.alpha`) per op for f32Vunary, one of `g` (dy) and `v` (the input x) per differentiable op
 * for f32VunaryBwd (programs/elementwise.ts), and the helpers they call. WGSL has no log1p, expm1
 * or erf: log1p and expm1 are Kahan's corrections of log(1 + v) and exp(v) - 1 (relative accuracy
 * for tiny v), erf is assembly/math.ts's piecewise polynomial with the same coefficients. sin, cos
 * and tan are WGSL's builtins, whose accuracy for large arguments is the implementation's
 * (WGSL §15.7 states none); the conformance suite checks them for |x| <= 40.
 *
 * @module
 */
import type { UnaryMathGradOp, UnaryMathOp } from "../../backend.ts";

/** `log1p_f32`, `expm1_f32`, `erf_f32`, `sigmoid_m`, `mul_limit`. */
export const WGSL_MATH = /* wgsl */ `
fn log1p_f32(v: f32) -> f32 {
  let u = 1.0 + v;
  if (u == 1.0) { return v; }
  if (u > 3.0e38) { return log(u); }
  return log(u) * (v / (u - 1.0));
}
fn expm1_f32(v: f32) -> f32 {
  if (abs(v) < 5.9604645e-8) { return v; }
  let u = exp(v);
  if (u == 1.0) { return v; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (u > 3.0e38) { return u; }
  return um1 * (v / log(u));
}
var<private> ERF_C: array<vec4<f32>, 8> = array<vec4<f32>, 8>(
  vec4<f32>(0.8151023983955383, 0.9784437417984009, 0.9995930194854736, 0.9999992847442627),
  vec4<f32>(0.468544602394104, 0.08047225326299667, 0.002178291790187359, 0.000005398953817348229),
  vec4<f32>(-0.4392613172531128, -0.13076788187026978, -0.005444549955427647, -0.000019040433471673168),
  vec4<f32>(0.11835571378469467, 0.11484157294034958, 0.00834912434220314, 0.00004235605229041539),
  vec4<f32>(0.0909801721572876, -0.0497024841606617, -0.008645349182188511, -0.0000648835557512939),
  vec4<f32>(-0.0695788785815239, -0.0021690051071345806, 0.006136669311672449, 0.00008090641495073214),
  vec4<f32>(-0.003153974888846278, 0.014234054833650589, -0.0026553228963166475, -0.00009564772335579619),
  vec4<f32>(0.016736866906285286, -0.005794375203549862, 0.000418379670009017, 0.00006591918645426631),
);
fn erf_f32(v: f32) -> f32 {
  let t = min(abs(v), 4.0);
  var y: f32;
  if (t < 0.625) {
    let s = t * t;
    var q = -0.000725577468983829;
    q = q * s + 0.005168831907212734;
    q = q * s - 0.02685515582561493;
    q = q * s + 0.11283691227436066;
    q = q * s - 0.37612634897232056;
    q = q * s + 0.12837916612625122;
    y = t + t * q;
  } else {
    let k = u32(t >= 1.25) + u32(t >= 2.0) + u32(t >= 3.0);
    let w = t - vec4<f32>(0.9375, 1.625, 2.5, 3.5)[k];
    var p = ERF_C[7][k];
    for (var j = 6; j >= 0; j--) { p = p * w + ERF_C[j][k]; }
    y = min(p, 1.0);
  }
  return select(y, -y, v < 0.0);
}
fn sigmoid_m(v: f32) -> f32 { return 1.0 / (1.0 + exp(-v)); }
fn mul_limit(a: f32, b: f32) -> f32 { return select(a * b, 0.0, b == 0.0); }
fn gelu_tanh_gate(v: f32) -> f32 {
  return sigmoid_m(1.5957691216057308 * (v + 0.044715 * v * v * v));
}`;

/** The value of each op, an expression of `v` (and `u.alpha`). */
export const MATH_WGSL: Record<UnaryMathOp, string> = {
  sign: "select(select(0.0, -1.0, v < 0.0), 1.0, v > 0.0)",
  floor: "floor(v)",
  ceil: "ceil(v)",
  round: "round(v)",
  reciprocal: "1.0 / v",
  rsqrt: "1.0 / sqrt(v)",
  log1p: "log1p_f32(v)",
  expm1: "expm1_f32(v)",
  sin: "sin(v)",
  cos: "cos(v)",
  tan: "tan(v)",
  erf: "erf_f32(v)",
  softplus: "max(v, 0.0) + log1p_f32(exp(-abs(v)))",
  elu: "select(u.alpha * expm1_f32(v), v, v > 0.0)",
  selu: "select(1.7580993408473769 * expm1_f32(v), 1.0507009873554805 * v, v > 0.0)",
  leakyRelu: "select(u.alpha * v, v, v > 0.0)",
  gelu: "mul_limit(0.5 * v, 1.0 + erf_f32(v * 0.7071067811865476))",
  geluTanh: "mul_limit(v, gelu_tanh_gate(v))",
  silu: "mul_limit(v, sigmoid_m(v))",
};

/** `dy · op'(x)`, an expression of `g` (dy) and `v` (x). */
export const MATH_GRAD_WGSL: Record<UnaryMathGradOp, string> = {
  reciprocal: "-g * (1.0 / v) * (1.0 / v)",
  rsqrt: "g * (-0.5 / (v * sqrt(v)))",
  log1p: "g / (1.0 + v)",
  expm1: "g * exp(v)",
  sin: "g * cos(v)",
  cos: "-g * sin(v)",
  tan: "g / (cos(v) * cos(v))",
  erf: "g * (1.1283791670955126 * exp(-v * v))",
  softplus: "g * sigmoid_m(v)",
  elu: "g * select(u.alpha * exp(v), 1.0, v > 0.0)",
  selu: "g * select(1.7580993408473769 * exp(v), 1.0507009873554805, v > 0.0)",
  leakyRelu: "g * select(u.alpha, 1.0, v > 0.0)",
  gelu: "g * (0.5 * (1.0 + erf_f32(v * 0.7071067811865476)) + " +
    "mul_limit(v, 0.3989422804014327 * exp(-0.5 * v * v)))",
  geluTanh: "g * (gelu_tanh_gate(v) + mul_limit(v, gelu_tanh_gate(v) * " +
    "(1.0 - gelu_tanh_gate(v)) * 1.5957691216057308 * (1.0 + 0.134145 * v * v)))",
  silu: "g * (sigmoid_m(v) + mul_limit(v, sigmoid_m(v) * (1.0 - sigmoid_m(v))))",
};
