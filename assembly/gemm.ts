/** f32 GEMM (placeholder until the packed kernel lands). */
export function f32_gemm_scratch_bytes(m: i32, k: i32): i32 {
  return 0;
}
