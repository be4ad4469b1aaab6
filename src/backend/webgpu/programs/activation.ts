/**
 * WGSL activation functions shared by the program families (the GEMM and convolution epilogues,
 * the unary maps, the recurrent gates), so that each formula exists once.
 *
 * `tanh_f32` is computed from exp(-2|x|) above |x| = 0.5 (no overflow for large |x|) and by the
 * builtin below it (no cancellation near 0). `sigmoid_f32(v) = 1 / (1 + exp(-v))`: exp overflows
 * to +Inf below v ≈ -88 and the quotient is then 0, the correct limit. `act_f32(v, code)` applies
 * an `Activation` by its code in {@linkcode ACT_CODE}.
 *
 * @module
 */
import { ACT_CODE } from "../../activations.ts";

/** Activation codes (declared in src/backend/activations.ts), as the wasm kernels take them. */
export { ACT_CODE };

/** `tanh_f32(v)`. */
export const WGSL_TANH = /* wgsl */ `
fn tanh_f32(v: f32) -> f32 {
  let a = abs(v);
  if (a < 0.5) { return tanh(v); }
  let e = exp(-2.0 * a);
  return sign(v) * ((1.0 - e) / (1.0 + e));
}`;

/** `sigmoid_f32(v)` and `tanh_f32(v)`. */
export const WGSL_GATES = /* wgsl */ `${WGSL_TANH}
fn sigmoid_f32(v: f32) -> f32 { return 1.0 / (1.0 + exp(-v)); }`;

/** `act_f32(v, code)` (with `sigmoid_f32` and `tanh_f32`). */
export const WGSL_ACT = /* wgsl */ `${WGSL_GATES}
fn act_f32(v: f32, code: u32) -> f32 {
  switch (code) {
    case 1u: { return select(v, 0.0, v < 0.0); }
    case 2u: { return sigmoid_f32(v); }
    case 3u: { return tanh_f32(v); }
    default: { return v; }
  }
}`;
