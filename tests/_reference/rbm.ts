/**
 * Float64 references of a restricted Boltzmann machine (W `[visible, hidden]`, visible bias b,
 * hidden bias c): free energy, scikit-learn's pseudo-likelihood, and one contrastive-divergence
 * update with momentum and weight decay, written from the formulas (Hinton's practical guide;
 * scikit-learn `BernoulliRBM`), sharing nothing with src/. Bernoulli draws come from the kernels'
 * definition in random.ts, so a test can give the reference the same draws.
 */
import { bernoulli } from "./random.ts";

/** An RBM's parameters in float64. */
export interface RbmParams {
  visible: number;
  hidden: number;
  gaussian: boolean;
  w: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** `sigmoid(vW + c)` for each of the n rows of v. */
export function hiddenProbs(p: RbmParams, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * p.hidden);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p.hidden; j++) {
      let z = p.c[j];
      for (let i = 0; i < p.visible; i++) z += v[r * p.visible + i] * p.w[i * p.hidden + j];
      out[r * p.hidden + j] = sigmoid(z);
    }
  }
  return out;
}

/** Visible means given hidden states: `sigmoid(hWᵀ + b)`, or `hWᵀ + b` when Gaussian. */
export function visibleMeans(p: RbmParams, h: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * p.visible);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p.visible; i++) {
      let z = p.b[i];
      for (let j = 0; j < p.hidden; j++) z += h[r * p.hidden + j] * p.w[i * p.hidden + j];
      out[r * p.visible + i] = p.gaussian ? z : sigmoid(z);
    }
  }
  return out;
}

/** Free energy of each row: `-vᵀb` (or `Σ (v - b)²/2`) `- Σⱼ softplus(cⱼ + vᵀWⱼ)`. */
export function freeEnergy(p: RbmParams, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let f = 0;
    for (let i = 0; i < p.visible; i++) {
      const x = v[r * p.visible + i];
      f += p.gaussian ? (x - p.b[i]) ** 2 / 2 : -x * p.b[i];
    }
    for (let j = 0; j < p.hidden; j++) {
      let z = p.c[j];
      for (let i = 0; i < p.visible; i++) z += v[r * p.visible + i] * p.w[i * p.hidden + j];
      f -= softplus(z);
    }
    out[r] = f;
  }
  return out;
}

/** scikit-learn's `score_samples`: `visible · log σ(F(v') - F(v))`, v' flipping unit `idx[r]`. */
export function pseudoLikelihood(
  p: RbmParams,
  v: ArrayLike<number>,
  n: number,
  idx: ArrayLike<number>,
): Float64Array {
  const flipped = Float64Array.from(v);
  for (let r = 0; r < n; r++) {
    const k = r * p.visible + idx[r];
    flipped[k] = 1 - flipped[k];
  }
  const fe = freeEnergy(p, v, n), fe2 = freeEnergy(p, flipped, n);
  return fe.map((f, r) => -p.visible * softplus(-(fe2[r] - f)));
}

/** Velocities of W, b, c. */
export interface RbmVelocity {
  w: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

/**
 * One CD-k update of batch v0 (n rows) in place, draw t with kernel seed `seed + t`: h0 =
 * probs(v0); s = bernoulli(h0) (draw 0); r = means(s); k times: v' = means(s) (r at t = 1),
 * h' = probs(v'), s = bernoulli(h') (draw t) except at t = k; then
 * vel = momentum·vel + lr·((v0ᵀh0 - v'ᵀh')/n - decay·W), W += vel (biases without decay).
 * Returns the mean squared reconstruction error of r.
 */
export function cdUpdate(
  p: RbmParams,
  vel: RbmVelocity,
  v0: ArrayLike<number>,
  n: number,
  o: { k: number; lr: number; momentum: number; decay: number; seed: number },
): number {
  const h0 = hiddenProbs(p, v0, n);
  let s: ArrayLike<number> = bernoulli(h0, o.seed >>> 0);
  const r = visibleMeans(p, s, n);
  let vNeg = r, hNeg = h0;
  for (let t = 1; t <= o.k; t++) {
    vNeg = t === 1 ? r : visibleMeans(p, s, n);
    hNeg = hiddenProbs(p, vNeg, n);
    if (t < o.k) s = bernoulli(hNeg, (o.seed + t) >>> 0);
  }
  rbmUpdate(p, vel, v0, h0, vNeg, hNeg, n, o);
  let err = 0;
  for (let i = 0; i < n * p.visible; i++) err += (v0[i] - r[i]) ** 2;
  return err / (n * p.visible);
}

/**
 * The update of `rbmUpdate` in place: `vel = momentum·vel + lr·((vPosᵀhPos - vNegᵀhNeg)/n -
 * decay·W)`, `W += vel`; each bias from the column sums of `pos - neg`, without decay.
 */
export function rbmUpdate(
  p: RbmParams,
  vel: RbmVelocity,
  vPos: ArrayLike<number>,
  hPos: ArrayLike<number>,
  vNeg: ArrayLike<number>,
  hNeg: ArrayLike<number>,
  n: number,
  o: { lr: number; momentum: number; decay: number },
): void {
  for (let i = 0; i < p.visible; i++) {
    for (let j = 0; j < p.hidden; j++) {
      let g = 0;
      for (let q = 0; q < n; q++) {
        g += vPos[q * p.visible + i] * hPos[q * p.hidden + j] -
          vNeg[q * p.visible + i] * hNeg[q * p.hidden + j];
      }
      const at = i * p.hidden + j;
      vel.w[at] = o.momentum * vel.w[at] + o.lr * (g / n - o.decay * p.w[at]);
      p.w[at] += vel.w[at];
    }
  }
  const bias = (
    pos: ArrayLike<number>,
    neg: ArrayLike<number>,
    units: number,
    x: Float64Array,
    v: Float64Array,
  ) => {
    for (let j = 0; j < units; j++) {
      let g = 0;
      for (let q = 0; q < n; q++) g += pos[q * units + j] - neg[q * units + j];
      v[j] = o.momentum * v[j] + o.lr * (g / n);
      x[j] += v[j];
    }
  };
  bias(vPos, vNeg, p.visible, p.b, vel.b);
  bias(hPos, hNeg, p.hidden, p.c, vel.c);
}
