/** Elementwise kernels (placeholder scalar versions; the SIMD family replaces them). */
export function f32_fill(y: usize, value: f32, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) store<f32>(y + (<usize>i << 2), value);
}
export function f32_vrelu(x: usize, y: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) { const v = load<f32>(x + (<usize>i << 2)); store<f32>(y + (<usize>i << 2), v < 0 ? 0 : v); }
}
export function f32_vsigmoid(x: usize, y: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) { const v = load<f32>(x + (<usize>i << 2)); store<f32>(y + (<usize>i << 2), <f32>(1.0 / (1.0 + Math.exp(-v)))); }
}
export function f32_vtanh(x: usize, y: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) { const v = load<f32>(x + (<usize>i << 2)); store<f32>(y + (<usize>i << 2), <f32>Math.tanh(v)); }
}
