/** Reductions (placeholder). */
export function f32_reduce_sum(x: usize, y: usize, outer: i32, len: i32, inner: i32, scale: f32, begin: i32, end: i32): void {
}
