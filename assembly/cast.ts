/**
 * Dtype conversions (`x32_cast`: four-byte elements, and bool bytes): f32, i32 and bool (u8, 0 or 1)
 * to each other, over elements [begin, end).
 *
 * Codes: 0 float32, 1 int32, 2 bool. float32 -> int32 truncates toward zero and saturates at the
 * int32 range, NaN -> 0 (i32x4.trunc_sat_f32x4_s, the same lane-wise in the tail); int32 ->
 * float32 rounds to nearest even; anything -> bool is `x != 0` (NaN gives 1); bool -> numbers is
 * 0 or 1. Same dtype: a plain copy. Each element depends only on its own input, so a threaded
 * split is bitwise equal to one call. Pointers are byte offsets; bool elements take one byte.
 *
 * Tested against a scalar reference by tests/kernels/cast_test.ts.
 */

// @ts-ignore: decorator
@inline const F32 = 0;
// @ts-ignore: decorator
@inline const I32 = 1;

// @ts-ignore: decorator
@inline function bytesOf(code: i32): i32 {
  return code == 2 ? 1 : 4;
}

/** Four-byte element to four-byte element, 4 lanes per step then a lane tail. */
// @ts-ignore: decorator
@inline function wideLoop(from: i32, x: usize, y: usize, begin: i32, end: i32): void {
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    v128.store(
      y + (<usize>i << 2),
      from == F32 ? i32x4.trunc_sat_f32x4_s(v) : f32x4.convert_i32x4_s(v),
    );
  }
  for (; i < end; i++) {
    const v = v128.load32_zero(x + (<usize>i << 2));
    const r = from == F32 ? i32x4.trunc_sat_f32x4_s(v) : f32x4.convert_i32x4_s(v);
    v128.store32_lane(y + (<usize>i << 2), r, 0);
  }
}

/** Any element to bool bytes: `x != 0`. */
// @ts-ignore: decorator
@inline function toBool(from: i32, x: usize, y: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) {
    let nonzero: bool;
    if (from == F32) nonzero = load<f32>(x + (<usize>i << 2)) != 0;
    else if (from == I32) nonzero = load<i32>(x + (<usize>i << 2)) != 0;
    else nonzero = load<u8>(x + <usize>i) != 0;
    store<u8>(y + <usize>i, nonzero ? 1 : 0);
  }
}

/** Bool bytes to float32 or int32 0/1. */
// @ts-ignore: decorator
@inline function fromBool(to: i32, x: usize, y: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) {
    const b = load<u8>(x + <usize>i) != 0;
    if (to == F32) store<f32>(y + (<usize>i << 2), b ? 1 : 0);
    else store<i32>(y + (<usize>i << 2), b ? 1 : 0);
  }
}

/** `y[i] = cast(x[i])` from dtype code `from` to `to` (0 float32, 1 int32, 2 bool). */
export function x32_cast(x: usize, from: i32, y: usize, to: i32, begin: i32, end: i32): void {
  if (from == to) {
    const b = bytesOf(from);
    memory.copy(y + <usize>(begin * b), x + <usize>(begin * b), <usize>((end - begin) * b));
  } else if (to == 2) {
    if (from == F32) toBool(F32, x, y, begin, end);
    else toBool(I32, x, y, begin, end);
  } else if (from == 2) {
    if (to == F32) fromBool(F32, x, y, begin, end);
    else fromBool(I32, x, y, begin, end);
  } else if (from == F32) wideLoop(F32, x, y, begin, end);
  else wideLoop(I32, x, y, begin, end);
}
