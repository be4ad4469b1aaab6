/**
 * The activations that kernels apply in place (the GEMM and convolution epilogues, the simple
 * RNN's gates), declared once: the list the ops check their `activation` option against, and the
 * `act` code every backend's kernels take (assembly's ACT_* constants, the WGSL `act_f32`).
 *
 * @module
 */
import type { Activation } from "./backend.ts";

/**
 * The `act` argument of the kernels for each activation: the ACT_* constants of assembly/ (gemm,
 * gemm_stream, gemv, conv_direct, recurrent; tests/backend/kernel_abi_test.ts compares them) and
 * WGSL `act_f32`.
 */
export const ACT_CODE: Readonly<Record<Activation, number>> = Object.freeze({
  linear: 0,
  relu: 1,
  sigmoid: 2,
  tanh: 3,
});

/** Every fused activation, in code order: all of `Activation`, since `ACT_CODE` must name each. */
export const ACTIVATIONS: readonly Activation[] = Object.freeze(
  Object.keys(ACT_CODE) as Activation[],
);
