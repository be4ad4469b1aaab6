/**
 * Comparisons and logic writing bool, and select reading it, broadcast over up to 4 dims.
 *
 * Layout: bool is one byte per element, 0 or 1 (src/tensor.ts packs four to a storage unit);
 * f32 and i32 are 4-byte elements. Pointers are byte offsets; counts and strides in elements
 * (a bool stride of 1 is one byte). y is contiguous d0×d1×d2×d3; an operand is read at
 * i0·s0 + i1·s1 + i2·s2 + i3·s3 (a stride of 0 broadcasts that dim).
 * Work range: the outer rows [begin, end) of the d0·d1·d2 rows of d3 elements. Every element is
 * one exact comparison or one choice, so any split gives the bytes of a single call (threads may
 * write neighbouring bytes of one word: wasm stores are exactly as wide as they say).
 * Preconditions (asserted in the debug build): 0 <= begin <= end <= d0·d1·d2; sizes and strides
 * >= 0; y does not overlap an input unless it equals it exactly with the same element size.
 *
 * Loop shape (STYLE C3): rows whose innermost strides are 0 or 1 take 16 elements per step (four
 * f32x4/i32x4 masks narrowed to one i8x16 of bytes for compare; one i8x16 of conditions widened
 * to four masks for select), then a scalar tail; other strides take the scalar loop.
 *
 * Semantics: f32 comparisons are IEEE (NaN is unequal to everything, itself included, and
 * neither greater nor less; -0 == +0); i32 compares signed; bool compares as unsigned bytes
 * (false < true); logicalAnd/Or/Xor take bool only. select picks a where cond != 0, else b, as
 * bits (any 4-byte or 1-byte element type).
 *
 * Tested against tests/_reference/compare.ts (plain loops) by tests/kernels/compare_test.ts.
 */

// Compare op codes: COMPARE_CODE in src/backend/op_codes.ts.
// @ts-ignore: decorator
@inline const EQUAL = 0;
// @ts-ignore: decorator
@inline const NOT_EQUAL = 1;
// @ts-ignore: decorator
@inline const GREATER = 2;
// @ts-ignore: decorator
@inline const GREATER_EQUAL = 3;
// @ts-ignore: decorator
@inline const LESS = 4;
// @ts-ignore: decorator
@inline const LESS_EQUAL = 5;
// @ts-ignore: decorator
@inline const LOGICAL_AND = 6;
// @ts-ignore: decorator
@inline const LOGICAL_OR = 7;
// @ts-ignore: decorator
@inline const LOGICAL_XOR = 8;

// Element kinds of the compared operands.
// @ts-ignore: decorator
@inline const F32 = 0;
// @ts-ignore: decorator
@inline const I32 = 1;
// @ts-ignore: decorator
@inline const U8 = 2;

// Four lanes of a op b as i32x4 masks (-1 true, 0 false).
// @ts-ignore: decorator
@inline function mask4(kind: i32, op: i32, a: v128, b: v128): v128 {
  if (kind == F32) {
    if (op == EQUAL) return f32x4.eq(a, b);
    if (op == NOT_EQUAL) return f32x4.ne(a, b);
    if (op == GREATER) return f32x4.gt(a, b);
    if (op == GREATER_EQUAL) return f32x4.ge(a, b);
    if (op == LESS) return f32x4.lt(a, b);
    return f32x4.le(a, b);
  }
  if (op == EQUAL) return i32x4.eq(a, b);
  if (op == NOT_EQUAL) return i32x4.ne(a, b);
  if (op == GREATER) return i32x4.gt_s(a, b);
  if (op == GREATER_EQUAL) return i32x4.ge_s(a, b);
  if (op == LESS) return i32x4.lt_s(a, b);
  return i32x4.le_s(a, b);
}

// Sixteen bool bytes a op b: -1/0 masks (comparisons) or 0/1 values (logic).
// @ts-ignore: decorator
@inline function mask16(op: i32, a: v128, b: v128): v128 {
  if (op == EQUAL) return i8x16.eq(a, b);
  if (op == NOT_EQUAL) return i8x16.ne(a, b);
  if (op == GREATER) return i8x16.gt_u(a, b);
  if (op == GREATER_EQUAL) return i8x16.ge_u(a, b);
  if (op == LESS) return i8x16.lt_u(a, b);
  if (op == LESS_EQUAL) return i8x16.le_u(a, b);
  if (op == LOGICAL_AND) return v128.and(a, b);
  if (op == LOGICAL_OR) return v128.or(a, b);
  return v128.xor(a, b);
}

// Elements [k, k + 4) of a 4-byte row read with stride s (0 or 1).
// @ts-ignore: decorator
@inline function load4(p: usize, s: i32, k: i32): v128 {
  return s == 0 ? v128.load32_splat(p) : v128.load(p + (<usize>k << 2));
}

// Elements [k, k + 16) of a byte row read with stride s (0 or 1).
// @ts-ignore: decorator
@inline function load16(p: usize, s: i32, k: i32): v128 {
  return s == 0 ? v128.load8_splat(p) : v128.load(p + <usize>k);
}

// y[i] = a[i·sa] op b[i·sb] ? 1 : 0 over i in [0, n).
// @ts-ignore: decorator
@inline function compareRow(kind: i32, op: i32, a: usize, b: usize, y: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (sa <= 1 && sb <= 1) {
    const one = i8x16.splat(1);
    for (; i + 16 <= n; i += 16) {
      let m: v128;
      if (kind == U8) m = mask16(op, load16(a, sa, i), load16(b, sb, i));
      else {
        const m0 = mask4(kind, op, load4(a, sa, i), load4(b, sb, i));
        const m1 = mask4(kind, op, load4(a, sa, i + 4), load4(b, sb, i + 4));
        const m2 = mask4(kind, op, load4(a, sa, i + 8), load4(b, sb, i + 8));
        const m3 = mask4(kind, op, load4(a, sa, i + 12), load4(b, sb, i + 12));
        m = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
      }
      v128.store(y + <usize>i, v128.and(m, one));
    }
  }
  for (; i < n; i++) {
    let m: i32;
    if (kind == U8) {
      const va = i8x16.splat(load<u8>(a + <usize>i * <usize>sa));
      m = i8x16.extract_lane_u(mask16(op, va, i8x16.splat(load<u8>(b + <usize>i * <usize>sb))), 0);
    } else {
      const va = v128.load32_splat(a + (<usize>i * <usize>sa << 2));
      m = i32x4.extract_lane(mask4(kind, op, va, v128.load32_splat(b + (<usize>i * <usize>sb << 2))), 0);
    }
    store<u8>(y + <usize>i, m & 1);
  }
}

// @ts-ignore: decorator
@inline function compareLoop(
  kind: i32, op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  assert(d0 >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0 && end <= d0 * d1 * d2, "need sizes >= 0 and end <= d0*d1*d2");
  assert((sa0 | sa1 | sa2 | sa3 | sb0 | sb1 | sb2 | sb3) >= 0, "need strides >= 0");
  const shift: usize = kind == U8 ? 0 : 2;
  const d12 = d1 * d2;
  for (let r = begin; r < end; r++) {
    const i0 = r / d12;
    const i1 = (r - i0 * d12) / d2;
    const i2 = r - i0 * d12 - i1 * d2;
    const pa = a + ((<usize>i0 * <usize>sa0 + <usize>i1 * <usize>sa1 + <usize>i2 * <usize>sa2) << shift);
    const pb = b + ((<usize>i0 * <usize>sb0 + <usize>i1 * <usize>sb1 + <usize>i2 * <usize>sb2) << shift);
    const py = y + <usize>r * <usize>d3;
    if (sa3 == 1 && sb3 == 1) compareRow(kind, op, pa, pb, py, d3, 1, 1);
    else compareRow(kind, op, pa, pb, py, d3, sa3, sb3);
  }
}

// y[i] = cond[i·sc] != 0 ? a[i·sa] : b[i·sb] over i in [0, n), elements of 1 << shift bytes.
// @ts-ignore: decorator
@inline function selectRow(shift: usize, c: usize, a: usize, b: usize, y: usize, n: i32, sc: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (sc <= 1 && sa <= 1 && sb <= 1) {
    const zero = i8x16.splat(0);
    for (; i + 16 <= n; i += 16) {
      const m = i8x16.ne(load16(c, sc, i), zero);
      if (shift == 0) {
        v128.store(y + <usize>i, v128.bitselect(load16(a, sa, i), load16(b, sb, i), m));
      } else {
        const lo = i16x8.extend_low_i8x16_s(m);
        const hi = i16x8.extend_high_i8x16_s(m);
        const p = y + (<usize>i << 2);
        v128.store(p, v128.bitselect(load4(a, sa, i), load4(b, sb, i), i32x4.extend_low_i16x8_s(lo)));
        v128.store(p, v128.bitselect(load4(a, sa, i + 4), load4(b, sb, i + 4), i32x4.extend_high_i16x8_s(lo)), 16);
        v128.store(p, v128.bitselect(load4(a, sa, i + 8), load4(b, sb, i + 8), i32x4.extend_low_i16x8_s(hi)), 32);
        v128.store(p, v128.bitselect(load4(a, sa, i + 12), load4(b, sb, i + 12), i32x4.extend_high_i16x8_s(hi)), 48);
      }
    }
  }
  for (; i < n; i++) {
    const pick = load<u8>(c + <usize>i * <usize>sc) != 0;
    if (shift == 0) {
      store<u8>(y + <usize>i, pick ? load<u8>(a + <usize>i * <usize>sa) : load<u8>(b + <usize>i * <usize>sb));
    } else {
      const v = pick ? load<u32>(a + (<usize>i * <usize>sa << 2)) : load<u32>(b + (<usize>i * <usize>sb << 2));
      store<u32>(y + (<usize>i << 2), v);
    }
  }
}

// @ts-ignore: decorator
@inline function selectLoop(
  shift: usize, c: usize, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sc0: i32, sc1: i32, sc2: i32, sc3: i32, sa0: i32, sa1: i32, sa2: i32, sa3: i32,
  sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
  assert(d0 >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0 && end <= d0 * d1 * d2, "need sizes >= 0 and end <= d0*d1*d2");
  assert((sc0 | sc1 | sc2 | sc3 | sa0 | sa1 | sa2 | sa3 | sb0 | sb1 | sb2 | sb3) >= 0, "need strides >= 0");
  const d12 = d1 * d2;
  for (let r = begin; r < end; r++) {
    const i0 = r / d12;
    const i1 = (r - i0 * d12) / d2;
    const i2 = r - i0 * d12 - i1 * d2;
    const pc = c + (<usize>i0 * <usize>sc0 + <usize>i1 * <usize>sc1 + <usize>i2 * <usize>sc2);
    const pa = a + ((<usize>i0 * <usize>sa0 + <usize>i1 * <usize>sa1 + <usize>i2 * <usize>sa2) << shift);
    const pb = b + ((<usize>i0 * <usize>sb0 + <usize>i1 * <usize>sb1 + <usize>i2 * <usize>sb2) << shift);
    const py = y + (<usize>r * <usize>d3 << shift);
    if (sc3 == 1 && sa3 == 1 && sb3 == 1) selectRow(shift, pc, pa, pb, py, d3, 1, 1, 1);
    else selectRow(shift, pc, pa, pb, py, d3, sc3, sa3, sb3);
  }
}

/**
 * y[i0,i1,i2,i3] = a[Σ ik·sak] op b[Σ ik·sbk] ? 1 : 0 over f32 a and b, writing bool bytes; op one
 * of equal notEqual greater greaterEqual less lessEqual. Rows [begin, end) of d0·d1·d2.
 */
export function f32_vcompare_bcast(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(op >= EQUAL && op <= LESS_EQUAL, "need a comparison op code");
  if (op == EQUAL) compareLoop(F32, EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == NOT_EQUAL) compareLoop(F32, NOT_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER) compareLoop(F32, GREATER, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER_EQUAL) compareLoop(F32, GREATER_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LESS) compareLoop(F32, LESS, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else compareLoop(F32, LESS_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}

/** As f32_vcompare_bcast over i32 a and b (signed). */
export function i32_vcompare_bcast(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(op >= EQUAL && op <= LESS_EQUAL, "need a comparison op code");
  if (op == EQUAL) compareLoop(I32, EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == NOT_EQUAL) compareLoop(I32, NOT_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER) compareLoop(I32, GREATER, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER_EQUAL) compareLoop(I32, GREATER_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LESS) compareLoop(I32, LESS, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else compareLoop(I32, LESS_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}

/** As f32_vcompare_bcast over bool bytes (false < true), plus logicalAnd, logicalOr, logicalXor. */
export function u8_vcompare_bcast(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(op >= EQUAL && op <= LOGICAL_XOR, "need a compare or logical op code");
  if (op == EQUAL) compareLoop(U8, EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == NOT_EQUAL) compareLoop(U8, NOT_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER) compareLoop(U8, GREATER, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == GREATER_EQUAL) compareLoop(U8, GREATER_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LESS) compareLoop(U8, LESS, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LESS_EQUAL) compareLoop(U8, LESS_EQUAL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LOGICAL_AND) compareLoop(U8, LOGICAL_AND, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == LOGICAL_OR) compareLoop(U8, LOGICAL_OR, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else compareLoop(U8, LOGICAL_XOR, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}

/**
 * y[i0,i1,i2,i3] = cond[Σ ik·sck] != 0 ? a[Σ ik·sak] : b[Σ ik·sbk]: cond bool bytes, a, b and y
 * 4-byte elements of any type (copied as bits). Rows [begin, end) of d0·d1·d2.
 */
export function x32_vselect_bcast(
  cond: usize, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sc0: i32, sc1: i32, sc2: i32, sc3: i32, sa0: i32, sa1: i32, sa2: i32, sa3: i32,
  sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  selectLoop(2, cond, a, b, y, d0, d1, d2, d3, sc0, sc1, sc2, sc3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}

/** As x32_vselect_bcast with a, b and y of 1-byte elements (bool). */
export function x8_vselect_bcast(
  cond: usize, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sc0: i32, sc1: i32, sc2: i32, sc3: i32, sa0: i32, sa1: i32, sa2: i32, sa3: i32,
  sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  selectLoop(0, cond, a, b, y, d0, d1, d2, d3, sc0, sc1, sc2, sc3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}
