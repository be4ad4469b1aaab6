/**
 * Float64 references for the optimizer updates and the gradient-clipping helpers (STYLE C8),
 * written from the Keras 3 formulas (`keras/optimizers/sgd.py`, `adam.py`, `rmsprop.py`):
 *
 *   SGD      momentum != 0:  v = momentum * v - lr * g;  w = w + v
 *            nesterov:       v as above;                 w = w + momentum * v - lr * g
 *            momentum == 0:  w = w - lr * g              (v untouched)
 *   Adam     m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
 *            alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t);  w = w - alpha * m / (sqrt(v) + eps)
 *   RMSprop  ms = rho * ms + (1 - rho) * g^2;  w = w - lr * g / (sqrt(ms) + eps)
 *            (momentum = 0, centered = false)
 *   clip     min(max(x, lo), hi), NaN stays NaN;  sumSquares  sum x^2
 *   scale    x * s;  axpy  y + a * x
 *
 * The step functions update their state arrays in place, like the optimizers' variables.
 *
 * @module
 */

/** One SGD step in place on `w` and (when momentum != 0) the momentum buffer `v`. */
export function sgdStep(
  w: Float64Array,
  g: ArrayLike<number>,
  v: Float64Array,
  lr: number,
  momentum: number,
  nesterov: boolean,
): void {
  for (let i = 0; i < w.length; i++) {
    if (momentum === 0) {
      w[i] = w[i] - lr * g[i];
      continue;
    }
    v[i] = momentum * v[i] - lr * g[i];
    w[i] = nesterov ? w[i] + momentum * v[i] - lr * g[i] : w[i] + v[i];
  }
}

/** Adam hyperparameters, as Keras names them. */
export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam step number `t` (1-based) in place on `w` and the moments `m`, `v`. */
export function adamStep(
  w: Float64Array,
  g: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  { lr, beta1, beta2, epsilon }: AdamConfig,
  t: number,
): void {
  const alpha = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    w[i] = w[i] - alpha * m[i] / (Math.sqrt(v[i]) + epsilon);
  }
}

/** One RMSprop step in place on `w` and the mean square `ms`. */
export function rmspropStep(
  w: Float64Array,
  g: ArrayLike<number>,
  ms: Float64Array,
  lr: number,
  rho: number,
  epsilon: number,
): void {
  for (let i = 0; i < w.length; i++) {
    ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
    w[i] = w[i] - lr * g[i] / (Math.sqrt(ms[i]) + epsilon);
  }
}

/** min(max(x, lo), hi) elementwise; NaN stays NaN. */
export function clip(x: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    y[i] = Number.isNaN(x[i]) ? NaN : x[i] < lo ? lo : x[i] > hi ? hi : x[i];
  }
  return y;
}

/** The sum of x^2, in order. */
export function sumSquares(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** x * s elementwise. */
export function scale(x: ArrayLike<number>, s: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * s;
  return y;
}

/** y + a * x elementwise (a new array). */
export function axpy(x: ArrayLike<number>, y: ArrayLike<number>, a: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = y[i] + a * x[i];
  return out;
}

/**
 * Keras 3's Adagrad, Adadelta, Adamax, Nadam and AdamW steps (`keras/src/optimizers/*.py`), each
 * in place on `w` and its state, step `t` 1-based:
 *
 *   adagrad   acc += g²; w -= lr·g / sqrt(acc + ε)                      (acc starts at init)
 *   adadelta  a = ρa + (1-ρ)g²; Δ = sqrt(d + ε) / sqrt(a + ε)·g; d = ρd + (1-ρ)Δ²; w -= lr·Δ
 *   adamax    m = β1·m + (1-β1)g; u = max(β2·u, |g|); w -= lr / (1-β1ᵗ)·m / (u + ε)
 *   nadam     μₜ = β1(1 - 0.5·0.96ᵗ), Πₜ = μ₁···μₜ; m, v as Adam;
 *             w -= lr·(μₜ₊₁m / (1 - Πₜμₜ₊₁) + (1-μₜ)g / (1 - Πₜ)) / (sqrt(v / (1-β2ᵗ)) + ε)
 *   adamw     w -= lr·wd·w, then the Adam step
 */
export function adagradStep(
  w: Float64Array,
  g: ArrayLike<number>,
  acc: Float64Array,
  lr: number,
  epsilon: number,
): void {
  for (let i = 0; i < w.length; i++) {
    acc[i] += g[i] * g[i];
    w[i] -= lr * g[i] / Math.sqrt(acc[i] + epsilon);
  }
}

/** One Adadelta step; `a` and `d` the averages of g² and Δ². */
export function adadeltaStep(
  w: Float64Array,
  g: ArrayLike<number>,
  a: Float64Array,
  d: Float64Array,
  lr: number,
  rho: number,
  epsilon: number,
): void {
  for (let i = 0; i < w.length; i++) {
    a[i] = rho * a[i] + (1 - rho) * g[i] * g[i];
    const delta = Math.sqrt(d[i] + epsilon) / Math.sqrt(a[i] + epsilon) * g[i];
    d[i] = rho * d[i] + (1 - rho) * delta * delta;
    w[i] -= lr * delta;
  }
}

/** Adamax step number `t`; `u` the infinity norm. */
export function adamaxStep(
  w: Float64Array,
  g: ArrayLike<number>,
  m: Float64Array,
  u: Float64Array,
  { lr, beta1, beta2, epsilon }: AdamConfig,
  t: number,
): void {
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    u[i] = Math.max(beta2 * u[i], Math.abs(g[i]));
    w[i] -= lr / (1 - beta1 ** t) * m[i] / (u[i] + epsilon);
  }
}

/** Nadam step number `t`. */
export function nadamStep(
  w: Float64Array,
  g: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  { lr, beta1, beta2, epsilon }: AdamConfig,
  t: number,
): void {
  const mu = (s: number) => beta1 * (1 - 0.5 * 0.96 ** s);
  let product = 1;
  for (let s = 1; s <= t; s++) product *= mu(s);
  const productNext = product * mu(t + 1);
  for (let i = 0; i < w.length; i++) {
    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    const mHat = mu(t + 1) * m[i] / (1 - productNext) + (1 - mu(t)) * g[i] / (1 - product);
    const vHat = v[i] / (1 - beta2 ** t);
    w[i] -= lr * mHat / (Math.sqrt(vHat) + epsilon);
  }
}

/** AdamW step number `t`: the decoupled decay, then Adam. */
export function adamwStep(
  w: Float64Array,
  g: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  config: AdamConfig & { weightDecay: number },
  t: number,
): void {
  for (let i = 0; i < w.length; i++) w[i] -= config.lr * config.weightDecay * w[i];
  adamStep(w, g, m, v, config, t);
}
