/**
 * f32 elementwise kernels: unary maps and activations, their backwards, binary arithmetic
 * (same shape, and broadcast over up to 4 dims, by op code: f32, and i32 wrapping on overflow).
 *
 * Layout: contiguous f32 arrays; pointers are byte offsets, counts and strides in elements.
 * Work range: unary/binary kernels compute elements [begin, end) only; the broadcast kernels
 * compute the outer rows [begin, end) of the d0·d1·d2 rows of d3 elements. An element's result
 * never depends on the range: every path (8-wide, 4-wide, tail) runs the same lane-wise f32x4 code
 * (the tail as lane 0 of a splat), so a threaded split is bitwise equal to a single call.
 * Preconditions (asserted in the debug build): 0 <= begin <= end; sizes >= 0, strides >= 0.
 * Outputs may equal an input exactly (in place); partial overlap is not allowed.
 *
 * Loop shape (STYLE C3): 8 elements (two v128) per step, then one v128, then a lane tail.
 *
 * NaN: relu is pmax(x, 0) = x < 0 ? 0 : x, so relu(NaN) = NaN and relu(-0) = -0 (operand order
 * chosen on purpose; pmax(0, x) would map NaN to 0). relu_bwd is x > 0 ? dy : 0, so a NaN x gives
 * dx = 0 (the NaN is already in the forward output and the loss). Every other op propagates NaN.
 * exp/log/sigmoid/tanh are the simd.ts polynomials (accuracy in its header, <= 2 ulp measured).
 *
 * Tested against tests/_reference/elementwise.ts (float64 loops) by tests/kernels/elementwise_test.ts.
 */
import { f32x4_exp, f32x4_log, f32x4_sigmoid, f32x4_tanh } from "./simd";
import { mathGradKernel, mathKernel } from "./math";

// Operation codes: constants, so each @inline template below folds to one specialised loop.
// @ts-ignore: decorator
@inline const RELU = 0;
// @ts-ignore: decorator
@inline const SIGMOID = 1;
// @ts-ignore: decorator
@inline const TANH = 2;
// @ts-ignore: decorator
@inline const EXP = 3;
// @ts-ignore: decorator
@inline const LOG = 4;
// @ts-ignore: decorator
@inline const NEG = 5;
// @ts-ignore: decorator
@inline const SQRT = 6;
// @ts-ignore: decorator
@inline const SQUARE = 7;
// @ts-ignore: decorator
@inline const ABS = 8;
// Binary op codes: BINARY_CODE in src/backend/op_codes.ts; the i32 kernels add I32 to them.
// @ts-ignore: decorator
@inline const ADD = 0;
// @ts-ignore: decorator
@inline const SUB = 1;
// @ts-ignore: decorator
@inline const MUL = 2;
// @ts-ignore: decorator
@inline const DIV = 3;
// @ts-ignore: decorator
@inline const MAXIMUM = 4;
// @ts-ignore: decorator
@inline const MINIMUM = 5;
// @ts-ignore: decorator
@inline const POW = 6;
// @ts-ignore: decorator
@inline const MOD = 7;
// @ts-ignore: decorator
@inline const FLOOR_DIV = 8;
// @ts-ignore: decorator
@inline const SQUARED_DIFFERENCE = 9;
// @ts-ignore: decorator
@inline const I32 = 16;
// @ts-ignore: decorator
@inline const RELU_BWD = 0;
// @ts-ignore: decorator
@inline const SIGMOID_BWD = 1;
// @ts-ignore: decorator
@inline const TANH_BWD = 2;

// @ts-ignore: decorator
@inline function unaryOp(op: i32, v: v128): v128 {
  if (op == RELU) return f32x4.pmax(v, f32x4.splat(0)); // v < 0 ? 0 : v: NaN stays NaN
  if (op == SIGMOID) return f32x4_sigmoid(v);
  if (op == TANH) return f32x4_tanh(v);
  if (op == EXP) return f32x4_exp(v);
  if (op == LOG) return f32x4_log(v);
  if (op == NEG) return f32x4.neg(v);
  if (op == SQRT) return f32x4.sqrt(v);
  if (op == SQUARE) return f32x4.mul(v, v);
  return f32x4.abs(v);
}

// f32 pow and floored mod, one lane: musl's powf (< 1 ulp, IEEE special cases), and TF.js's mod
// (fmod, exact; then (rem + b) % b where the signs of a and b differ).
// @ts-ignore: decorator
@inline function f32Scalar(op: i32, a: f32, b: f32): f32 {
  if (op == POW) return Mathf.pow(a, b);
  const rem = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? rem : (rem + b) % b;
}

// i32 pow (wrapping; a negative exponent truncates 1/a^|b| toward zero, 0 for a == 0), floored
// division and mod. Division by 0 gives 0 (TF.js stores the float Infinity/NaN as 0); b == -1 is
// taken apart so that i32.div_s never traps on -2^31 / -1 (the quotient wraps to -2^31).
// @ts-ignore: decorator
@inline function i32Scalar(op: i32, a: i32, b: i32): i32 {
  if (op == POW) {
    if (b < 0) return a == 1 ? 1 : a == -1 ? 1 - ((b & 1) << 1) : 0;
    let r = 1, x = a, e = b;
    while (e != 0) {
      if (e & 1) r *= x;
      x *= x;
      e >>>= 1;
    }
    return r;
  }
  if (b == 0) return 0;
  if (op == MOD) {
    if (b == -1) return 0;
    const rem = a % b;
    return rem != 0 && (rem ^ b) < 0 ? rem + b : rem;
  }
  if (b == -1) return -a;
  const q = a / b;
  return q * b != a && (a ^ b) < 0 ? q - 1 : q;
}

// @ts-ignore: decorator
@inline function f32Lanes(op: i32, a: v128, b: v128): v128 {
  let r = f32x4.splat(f32Scalar(op, f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
  r = f32x4.replace_lane(r, 1, f32Scalar(op, f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
  r = f32x4.replace_lane(r, 2, f32Scalar(op, f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
  return f32x4.replace_lane(r, 3, f32Scalar(op, f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
}

// @ts-ignore: decorator
@inline function i32Lanes(op: i32, a: v128, b: v128): v128 {
  let r = i32x4.splat(i32Scalar(op, i32x4.extract_lane(a, 0), i32x4.extract_lane(b, 0)));
  r = i32x4.replace_lane(r, 1, i32Scalar(op, i32x4.extract_lane(a, 1), i32x4.extract_lane(b, 1)));
  r = i32x4.replace_lane(r, 2, i32Scalar(op, i32x4.extract_lane(a, 2), i32x4.extract_lane(b, 2)));
  return i32x4.replace_lane(r, 3, i32Scalar(op, i32x4.extract_lane(a, 3), i32x4.extract_lane(b, 3)));
}

// a op b on four lanes: f32 for op < I32, i32 (wrapping) for op - I32. f32 maximum/minimum
// propagate NaN (wasm f32x4.max/min; max(-0, +0) = +0); floorDiv is floor of the f32 quotient.
// @ts-ignore: decorator
@inline function binaryOp(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAXIMUM) return f32x4.max(a, b);
  if (op == MINIMUM) return f32x4.min(a, b);
  if (op == FLOOR_DIV) return f32x4.floor(f32x4.div(a, b));
  if (op == SQUARED_DIFFERENCE) {
    const d = f32x4.sub(a, b);
    return f32x4.mul(d, d);
  }
  if (op == POW || op == MOD) return f32Lanes(op, a, b);
  if (op == I32 + ADD) return i32x4.add(a, b);
  if (op == I32 + SUB) return i32x4.sub(a, b);
  if (op == I32 + MUL) return i32x4.mul(a, b);
  if (op == I32 + MAXIMUM) return i32x4.max_s(a, b);
  if (op == I32 + MINIMUM) return i32x4.min_s(a, b);
  if (op == I32 + SQUARED_DIFFERENCE) {
    const d = i32x4.sub(a, b);
    return i32x4.mul(d, d);
  }
  return i32Lanes(op == I32 + DIV ? FLOOR_DIV : op - I32, a, b); // int32 div floors, as TF.js
}

// dy, saved forward value v (x for relu, y for sigmoid/tanh) -> dx.
// @ts-ignore: decorator
@inline function backwardOp(op: i32, dy: v128, v: v128): v128 {
  if (op == RELU_BWD) return v128.and(dy, f32x4.gt(v, f32x4.splat(0)));
  const one = f32x4.splat(1);
  if (op == SIGMOID_BWD) return f32x4.mul(f32x4.mul(dy, v), f32x4.sub(one, v));
  return f32x4.mul(dy, f32x4.sub(one, f32x4.mul(v, v)));
}

// @ts-ignore: decorator
@inline function checkRange(begin: i32, end: i32): void {
  assert(begin >= 0 && begin <= end, "need 0 <= begin <= end");
}

// @ts-ignore: decorator
@inline function unaryLoop(op: i32, x: usize, y: usize, begin: i32, end: i32): void {
  checkRange(begin, end);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    const v0 = v128.load(x + p);
    const v1 = v128.load(x + p, 16);
    v128.store(y + p, unaryOp(op, v0));
    v128.store(y + p, unaryOp(op, v1), 16);
  }
  if (i + 4 <= end) {
    const p = <usize>i << 2;
    v128.store(y + p, unaryOp(op, v128.load(x + p)));
    i += 4;
  }
  for (; i < end; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, f32x4.extract_lane(unaryOp(op, f32x4.splat(load<f32>(x + p))), 0));
  }
}

// y[i] = a[i] op b[i] over i in [0, n): contiguous rows, shared by the same-shape and bcast kernels.
// @ts-ignore: decorator
@inline function binaryRow(op: i32, a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    const a0 = v128.load(a + p);
    const a1 = v128.load(a + p, 16);
    const b0 = v128.load(b + p);
    const b1 = v128.load(b + p, 16);
    v128.store(y + p, binaryOp(op, a0, b0));
    v128.store(y + p, binaryOp(op, a1, b1), 16);
  }
  if (i + 4 <= n) {
    const p = <usize>i << 2;
    v128.store(y + p, binaryOp(op, v128.load(a + p), v128.load(b + p)));
    i += 4;
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    v128.store32_lane(y + p, binaryOp(op, v128.load32_splat(a + p), v128.load32_splat(b + p)), 0);
  }
}

// y[i] = a[i·sa] op b[i·sb] with one side contiguous and the other a broadcast scalar when
// sa == 0 or sb == 0 (vector paths), or any strides (lane loop).
// @ts-ignore: decorator
@inline function binaryRowStrided(op: i32, a: usize, b: usize, y: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (sa == 1 && sb == 0 || sa == 0 && sb == 1) {
    const s = v128.load32_splat(sa == 0 ? a : b);
    const v = sa == 0 ? b : a;
    for (; i + 8 <= n; i += 8) {
      const p = <usize>i << 2;
      const v0 = v128.load(v + p);
      const v1 = v128.load(v + p, 16);
      v128.store(y + p, sa == 0 ? binaryOp(op, s, v0) : binaryOp(op, v0, s));
      v128.store(y + p, sa == 0 ? binaryOp(op, s, v1) : binaryOp(op, v1, s), 16);
    }
    if (i + 4 <= n) {
      const p = <usize>i << 2;
      const v0 = v128.load(v + p);
      v128.store(y + p, sa == 0 ? binaryOp(op, s, v0) : binaryOp(op, v0, s));
      i += 4;
    }
  }
  for (; i < n; i++) {
    const va = v128.load32_splat(a + (<usize>i * <usize>sa << 2));
    const vb = v128.load32_splat(b + (<usize>i * <usize>sb << 2));
    v128.store32_lane(y + (<usize>i << 2), binaryOp(op, va, vb), 0);
  }
}

// @ts-ignore: decorator
@inline function binaryLoop(op: i32, a: usize, b: usize, y: usize, begin: i32, end: i32): void {
  checkRange(begin, end);
  const p = <usize>begin << 2;
  binaryRow(op, a + p, b + p, y + p, end - begin);
}

// @ts-ignore: decorator
@inline function bcastLoop(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  checkRange(begin, end);
  assert(d0 >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0 && end <= d0 * d1 * d2, "need sizes >= 0 and end <= d0*d1*d2");
  assert((sa0 | sa1 | sa2 | sa3 | sb0 | sb1 | sb2 | sb3) >= 0, "need strides >= 0");
  const d12 = d1 * d2;
  for (let r = begin; r < end; r++) {
    const i0 = r / d12;
    const i1 = (r - i0 * d12) / d2;
    const i2 = r - i0 * d12 - i1 * d2;
    const pa = a + ((<usize>i0 * <usize>sa0 + <usize>i1 * <usize>sa1 + <usize>i2 * <usize>sa2) << 2);
    const pb = b + ((<usize>i0 * <usize>sb0 + <usize>i1 * <usize>sb1 + <usize>i2 * <usize>sb2) << 2);
    const py = y + (<usize>r * <usize>d3 << 2);
    if (sa3 == 1 && sb3 == 1) binaryRow(op, pa, pb, py, d3);
    else binaryRowStrided(op, pa, pb, py, d3, sa3, sb3);
  }
}

// @ts-ignore: decorator
@inline function backwardLoop(op: i32, dy: usize, v: usize, dx: usize, begin: i32, end: i32): void {
  checkRange(begin, end);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    const g0 = v128.load(dy + p);
    const g1 = v128.load(dy + p, 16);
    const v0 = v128.load(v + p);
    const v1 = v128.load(v + p, 16);
    v128.store(dx + p, backwardOp(op, g0, v0));
    v128.store(dx + p, backwardOp(op, g1, v1), 16);
  }
  if (i + 4 <= end) {
    const p = <usize>i << 2;
    v128.store(dx + p, backwardOp(op, v128.load(dy + p), v128.load(v + p)));
    i += 4;
  }
  for (; i < end; i++) {
    const p = <usize>i << 2;
    const r = backwardOp(op, f32x4.splat(load<f32>(dy + p)), f32x4.splat(load<f32>(v + p)));
    store<f32>(dx + p, f32x4.extract_lane(r, 0));
  }
}

/** y[i] = value for i in [begin, end). */
export function f32_fill(y: usize, value: f32, begin: i32, end: i32): void {
  checkRange(begin, end);
  const v = f32x4.splat(value);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    v128.store(y + p, v);
    v128.store(y + p, v, 16);
  }
  if (i + 4 <= end) {
    v128.store(y + (<usize>i << 2), v);
    i += 4;
  }
  for (; i < end; i++) store<f32>(y + (<usize>i << 2), value);
}

/** y = max(x, 0) with NaN kept (pmax(x, 0), see header). */
export function f32_vrelu(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(RELU, x, y, begin, end); }
/** y = 1 / (1 + e^-x). */
export function f32_vsigmoid(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(SIGMOID, x, y, begin, end); }
/** y = tanh(x). */
export function f32_vtanh(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(TANH, x, y, begin, end); }
/** y = e^x. */
export function f32_vexp(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(EXP, x, y, begin, end); }
/** y = ln x. */
export function f32_vlog(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(LOG, x, y, begin, end); }
/** y = -x. */
export function f32_vneg(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(NEG, x, y, begin, end); }
/** y = sqrt(x) (correctly rounded). */
export function f32_vsqrt(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(SQRT, x, y, begin, end); }
/** y = x·x. */
export function f32_vsquare(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(SQUARE, x, y, begin, end); }
/** y = |x|. */
export function f32_vabs(x: usize, y: usize, begin: i32, end: i32): void { unaryLoop(ABS, x, y, begin, end); }
/**
 * y = op(x) for the unary op codes from sign on (sign floor ceil round reciprocal rsqrt log1p expm1
 * sin cos tan erf softplus elu selu leakyRelu gelu geluTanh silu: math.ts, with their accuracy);
 * alpha is leakyRelu's slope and elu's scale, unread by the others. One export for 19 ops: each
 * op still runs its own loop with the op constant in it (math.ts's mathKernel).
 */
export function f32_vunary(op: i32, x: usize, y: usize, alpha: f32, begin: i32, end: i32): void {
  mathKernel(op, x, y, alpha, begin, end);
}
/** dx = dy·op'(x) for the op codes of f32_vunary from reciprocal on (x is the op's input). */
export function f32_vunary_bwd(op: i32, dy: usize, x: usize, dx: usize, alpha: f32, begin: i32, end: i32): void {
  mathGradKernel(op, dy, x, dx, alpha, begin, end);
}

/** y = x·scale + shift (two roundings, no FMA). */
export function f32_vaffine(x: usize, y: usize, scale: f32, shift: f32, begin: i32, end: i32): void {
  checkRange(begin, end);
  const vs = f32x4.splat(scale);
  const vt = f32x4.splat(shift);
  let i = begin;
  for (; i + 8 <= end; i += 8) {
    const p = <usize>i << 2;
    const v0 = v128.load(x + p);
    const v1 = v128.load(x + p, 16);
    v128.store(y + p, f32x4.add(f32x4.mul(v0, vs), vt));
    v128.store(y + p, f32x4.add(f32x4.mul(v1, vs), vt), 16);
  }
  if (i + 4 <= end) {
    const p = <usize>i << 2;
    v128.store(y + p, f32x4.add(f32x4.mul(v128.load(x + p), vs), vt));
    i += 4;
  }
  for (; i < end; i++) {
    const p = <usize>i << 2;
    store<f32>(y + p, load<f32>(x + p) * scale + shift);
  }
}

/** dx = x > 0 ? dy : 0 (x is relu's input; NaN x gives 0). */
export function f32_vrelu_bwd(dy: usize, x: usize, dx: usize, begin: i32, end: i32): void {
  backwardLoop(RELU_BWD, dy, x, dx, begin, end);
}
/** dx = dy·y·(1 - y), y = sigmoid output. */
export function f32_vsigmoid_bwd(dy: usize, y: usize, dx: usize, begin: i32, end: i32): void {
  backwardLoop(SIGMOID_BWD, dy, y, dx, begin, end);
}
/** dx = dy·(1 - y·y), y = tanh output. */
export function f32_vtanh_bwd(dy: usize, y: usize, dx: usize, begin: i32, end: i32): void {
  backwardLoop(TANH_BWD, dy, y, dx, begin, end);
}

/** y = a + b. */
export function f32_vadd(a: usize, b: usize, y: usize, begin: i32, end: i32): void { binaryLoop(ADD, a, b, y, begin, end); }
/** y = a - b. */
export function f32_vsub(a: usize, b: usize, y: usize, begin: i32, end: i32): void { binaryLoop(SUB, a, b, y, begin, end); }
/** y = a · b. */
export function f32_vmul(a: usize, b: usize, y: usize, begin: i32, end: i32): void { binaryLoop(MUL, a, b, y, begin, end); }
/** y = a / b. */
export function f32_vdiv(a: usize, b: usize, y: usize, begin: i32, end: i32): void { binaryLoop(DIV, a, b, y, begin, end); }

/**
 * y[i0,i1,i2,i3] = a[i0·sa0 + i1·sa1 + i2·sa2 + i3·sa3] op b[... sb ...] over f32, op a binary op
 * code (add sub mul div maximum minimum pow mod floorDiv squaredDifference); y contiguous
 * d0×d1×d2×d3, rows [begin, end) of the d0·d1·d2 outer rows. A stride of 0 broadcasts that dim.
 */
export function f32_vbinary_bcast(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(op >= ADD && op <= SQUARED_DIFFERENCE, "need a binary op code");
  if (op == ADD) bcastLoop(ADD, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == SUB) bcastLoop(SUB, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MUL) bcastLoop(MUL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == DIV) bcastLoop(DIV, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MAXIMUM) bcastLoop(MAXIMUM, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MINIMUM) bcastLoop(MINIMUM, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == POW) bcastLoop(POW, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MOD) bcastLoop(MOD, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == FLOOR_DIV) bcastLoop(FLOOR_DIV, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == SQUARED_DIFFERENCE) bcastLoop(SQUARED_DIFFERENCE, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}
/**
 * As f32_vbinary_bcast over i32, wrapping on overflow; div is floorDiv, and floorDiv and mod by 0
 * give 0 (see i32Scalar).
 */
export function i32_vbinary_bcast(
  op: i32, a: usize, b: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32, begin: i32, end: i32,
): void {
  assert(op >= ADD && op <= SQUARED_DIFFERENCE, "need a binary op code");
  if (op == ADD) bcastLoop(I32 + ADD, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == SUB) bcastLoop(I32 + SUB, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MUL) bcastLoop(I32 + MUL, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == DIV) bcastLoop(I32 + DIV, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MAXIMUM) bcastLoop(I32 + MAXIMUM, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MINIMUM) bcastLoop(I32 + MINIMUM, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == POW) bcastLoop(I32 + POW, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == MOD) bcastLoop(I32 + MOD, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == FLOOR_DIV) bcastLoop(I32 + FLOOR_DIV, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
  else if (op == SQUARED_DIFFERENCE) bcastLoop(I32 + SQUARED_DIFFERENCE, a, b, y, d0, d1, d2, d3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3, begin, end);
}
