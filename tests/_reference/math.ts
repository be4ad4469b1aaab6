/**
 * Float64 references for the unary math ops run by op code (assembly/math.ts; STYLE C8), written
 * from the definitions, with their derivatives:
 *
 *   sign floor ceil     Math (sign of NaN and ±0 is 0, as TF.js)   round  half to even
 *   reciprocal 1/x      rsqrt 1/√x      log1p expm1 sin cos tan   Math
 *   erf       Taylor series for |x| < 2.5, else 1 - erfc with erfc's continued fraction
 *   softplus  ln(1 + e^x)       elu  x > 0 ? x : α(e^x - 1)       selu  TF.js's constants
 *   leakyRelu x > 0 ? x : αx    gelu  x·Φ(x), Φ(x) = erfc(-x/√2)/2  geluTanh  x/2·(1 + tanh u)
 *   silu      x·σ(x)
 *
 * Where a product meets 0·∞ at an infinite x (gelu, silu at -∞) the reference takes the limit, 0.
 *
 * @module
 */

/** erfc(a) for a >= 2 by its continued fraction (converges fast there). */
function erfcLarge(a: number): number {
  if (a === Infinity) return 0;
  let f = a;
  for (let k = 120; k >= 1; k--) f = a + (k / 2) / f;
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

/** The error function in float64 (relative error ~1e-15). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let r: number;
  if (a < 2.5) {
    let term = a, sum = a;
    for (let n = 1; n < 200; n++) {
      term *= -a * a / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-19 * Math.abs(sum)) break;
    }
    r = sum * 2 / Math.sqrt(Math.PI);
  } else r = 1 - erfcLarge(a);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 - erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  return x >= 2.5 ? erfcLarge(x) : 1 - erf(x);
}

const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Standard normal distribution function. */
const cdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
/** a·b with the limit 0 where b is 0 and a infinite. */
const mulLimit = (a: number, b: number) => (b === 0 ? 0 : a * b);

/** Half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The math ops, by their `UnaryMathOp` name; `alpha` is leakyRelu's and elu's parameter. */
export const MATH = {
  sign: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x: number) => 1 / x,
  rsqrt: (x: number) => 1 / Math.sqrt(x),
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  erf,
  softplus: (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  elu: (x: number, alpha: number) => (x > 0 ? x : alpha * Math.expm1(x)),
  selu: (x: number) => (x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x)),
  leakyRelu: (x: number, alpha: number) => (x > 0 ? x : alpha * x),
  gelu: (x: number) => mulLimit(x, cdf(x)),
  geluTanh: (x: number) =>
    mulLimit(x, 0.5 * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))),
  silu: (x: number) => mulLimit(x, sigmoid(x)),
} as const;

/** A math op's name. */
export type MathName = keyof typeof MATH;

/** The derivatives of the math ops with one (not the step functions). */
export const MATH_GRAD = {
  reciprocal: (x: number) => -1 / (x * x),
  rsqrt: (x: number) => -0.5 / (x * Math.sqrt(x)),
  log1p: (x: number) => 1 / (1 + x),
  expm1: Math.exp,
  sin: Math.cos,
  cos: (x: number) => -Math.sin(x),
  tan: (x: number) => 1 / (Math.cos(x) * Math.cos(x)),
  erf: (x: number) => 2 / Math.sqrt(Math.PI) * Math.exp(-x * x),
  softplus: sigmoid,
  elu: (x: number, alpha: number) => (x > 0 ? 1 : alpha * Math.exp(x)),
  selu: (x: number) => (x > 0 ? SELU_SCALE : SELU_SCALE_ALPHA * Math.exp(x)),
  leakyRelu: (x: number, alpha: number) => (x > 0 ? 1 : alpha),
  gelu: (x: number) => cdf(x) + mulLimit(x, pdf(x)),
  geluTanh: (x: number) => {
    const u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
    const t = Math.tanh(u);
    const du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    return 0.5 * (1 + t) + mulLimit(0.5 * x, (1 - t * t) * du);
  },
  silu: (x: number) => {
    const s = sigmoid(x);
    return s + mulLimit(x, s * (1 - s));
  },
} as const;

/** A differentiable math op's name. */
export type MathGradName = keyof typeof MATH_GRAD;

/** `op(x[i])` for every element. */
export function math(name: MathName, x: ArrayLike<number>, alpha = 0): Float64Array {
  const f = MATH[name] as (x: number, alpha: number) => number;
  return Float64Array.from(x, (v) => f(v, alpha));
}

/** `dy[i] · op'(x[i])` for every element. */
export function mathGrad(
  name: MathGradName,
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  alpha = 0,
): Float64Array {
  const f = MATH_GRAD[name] as (x: number, alpha: number) => number;
  return Float64Array.from(x, (v, i) => dy[i] * f(v, alpha));
}
