/**
 * Float64 references of the recurrent cells and sequence layers (STYLE C8), written from the
 * Keras equations, one step at a time, with no knowledge of the kernels' layouts:
 *
 *   LSTM (gate order i, f, c, o)   z = x·W + h·U + b            W [F, 4u], U [u, 4u], b [4u]
 *        i = σ(z_i)  f = σ(z_f)  g = tanh(z_c)  o = σ(z_o)   c' = f·c + i·g   h' = o·tanh(c')
 *   GRU (z, r, h; reset_after)     xz = x·W + b[0]  hz = h·U + b[1]   W [F, 3u], b [2, 3u]
 *        z = σ(xz_z + hz_z)  r = σ(xz_r + hz_r)  ĥ = tanh(xz_h + r·hz_h)  h' = z·h + (1 - z)·ĥ
 *   SimpleRNN                      h' = act(x·W + h·U + b)
 *
 * σ(v) = 1 / (1 + e^-v); `activation` replaces tanh and `recurrentActivation` σ in the LSTM and
 * GRU when given (Keras). goBackwards feeds x[T-1], ..., x[0] and returns the outputs in that
 * processing order (Keras). Bidirectional runs a forward and a goBackwards copy and merges their
 * outputs, the backward sequence reversed back to input order first (Keras).
 *
 * @module
 */
import { LAYER_ACTIVATION } from "./activations.ts";

/** The cells. */
export type Cell = "lstm" | "gru" | "simpleRnn";
/** Simple RNN activations: the fused four, or any other layer activation (activations.ts). */
export type RnnActivation = "tanh" | "relu" | "sigmoid" | "linear" | keyof typeof LAYER_ACTIVATION;

/** Gate blocks per cell. */
export const GATE_COUNT: Record<Cell, number> = { lstm: 4, gru: 3, simpleRnn: 1 };

/** Weights of one recurrent layer, flat row-major in Keras layouts. */
export interface RecurrentWeights {
  kernel: ArrayLike<number>;
  recurrentKernel: ArrayLike<number>;
  /** `[g·u]`, GRU `[2·3u]`, or null. */
  bias: ArrayLike<number> | null;
}

/** One sequence run. */
export interface SequenceConfig {
  cell: Cell;
  batch: number;
  steps: number;
  features: number;
  units: number;
  activation?: RnnActivation;
  /** The LSTM/GRU gate activation (default sigmoid). */
  recurrentActivation?: RnnActivation;
  goBackwards?: boolean;
  returnSequences?: boolean;
  /** Per batch item, the initial states `[h0]` / `[h0, c0]` as `[batch·u]` arrays. */
  initialState?: ArrayLike<number>[];
  /**
   * Truncation semantics as a stop-gradient: at steps s > 0 with (steps - s) % every == 0 the
   * state entering step s is replaced by `frozen[s]` (states computed from unperturbed inputs).
   */
  stop?: { every: number; frozen: Float64Array[][] };
}

/** Result: output (`[B, T, u]` or `[B, u]`), final states, and the state entering every step. */
export interface SequenceRun {
  output: Float64Array;
  states: Float64Array[];
  /** `entering[s]` = states (`[B·u]` each) before step s (processing order). */
  entering: Float64Array[][];
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function act(v: number, a: RnnActivation): number {
  if (a === "tanh") return Math.tanh(v);
  if (a === "relu") return Math.max(v, 0);
  if (a === "sigmoid") return sigmoid(v);
  return LAYER_ACTIVATION[a](v);
}

/** `row·M` for a row of `k` values and M `[k, n]`, plus `bias` (offset `bo`) when given. */
function affine(
  row: ArrayLike<number>,
  ro: number,
  k: number,
  m: ArrayLike<number>,
  n: number,
  bias: ArrayLike<number> | null,
  bo: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = bias ? bias[bo + j] : 0;
    for (let i = 0; i < k; i++) s += row[ro + i] * m[i * n + j];
    out[j] = s;
  }
  return out;
}

/** Runs one recurrent layer over `x` (`[B, T, F]` flat) in float64. */
export function sequenceReference(
  x: ArrayLike<number>,
  w: RecurrentWeights,
  cfg: SequenceConfig,
): SequenceRun {
  const { cell, batch: B, steps: T, features: F, units: u } = cfg;
  const g = GATE_COUNT[cell] * u;
  const nStates = cell === "lstm" ? 2 : 1;
  const states = Array.from(
    { length: nStates },
    (_, k) => Float64Array.from(cfg.initialState?.[k] ?? new Float64Array(B * u)),
  );
  const output = new Float64Array(cfg.returnSequences ? B * T * u : B * u);
  const a = (v: number) => act(v, cfg.activation ?? "tanh");
  const gate = (v: number) => act(v, cfg.recurrentActivation ?? "sigmoid");
  const entering: Float64Array[][] = [];
  for (let s = 0; s < T; s++) {
    if (cfg.stop && s > 0 && (T - s) % cfg.stop.every === 0) {
      cfg.stop.frozen[s].forEach((f, k) => states[k].set(f));
    }
    entering.push(states.map((st) => Float64Array.from(st)));
    const t = cfg.goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const xo = (b * T + t) * F;
      const h = states[0].subarray(b * u, (b + 1) * u);
      if (cell === "gru") {
        const xz = affine(x, xo, F, w.kernel, g, w.bias, 0);
        const hz = affine(h, 0, u, w.recurrentKernel, g, w.bias, g);
        for (let j = 0; j < u; j++) {
          const z = gate(xz[j] + hz[j]);
          const r = gate(xz[u + j] + hz[u + j]);
          const hh = a(xz[2 * u + j] + r * hz[2 * u + j]);
          h[j] = z * h[j] + (1 - z) * hh;
        }
      } else {
        const zx = affine(x, xo, F, w.kernel, g, w.bias, 0);
        const zh = affine(h, 0, u, w.recurrentKernel, g, null, 0);
        if (cell === "lstm") {
          const c = states[1].subarray(b * u, (b + 1) * u);
          for (let j = 0; j < u; j++) {
            const i = gate(zx[j] + zh[j]);
            const f = gate(zx[u + j] + zh[u + j]);
            const gg = a(zx[2 * u + j] + zh[2 * u + j]);
            const o = gate(zx[3 * u + j] + zh[3 * u + j]);
            c[j] = f * c[j] + i * gg;
            h[j] = o * a(c[j]);
          }
        } else {
          for (let j = 0; j < u; j++) h[j] = a(zx[j] + zh[j]);
        }
      }
      if (cfg.returnSequences) output.set(h, (b * T + s) * u);
    }
  }
  if (!cfg.returnSequences) output.set(states[0]);
  return { output, states, entering };
}

/** Reverses the time axis of a `[B, T, u]` sequence. */
export function reverseTime(y: Float64Array, B: number, T: number, u: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      out.set(y.subarray((b * T + t) * u, (b * T + t + 1) * u), (b * T + T - 1 - t) * u);
    }
  }
  return out;
}

/** Bidirectional merge modes. */
export type MergeMode = "concat" | "sum" | "mul" | "ave";

/** Keras Bidirectional: forward and goBackwards runs merged along the features. */
export function bidirectionalReference(
  x: ArrayLike<number>,
  fw: RecurrentWeights,
  bw: RecurrentWeights,
  cfg: SequenceConfig,
  mergeMode: MergeMode,
): Float64Array {
  const yf = sequenceReference(x, fw, { ...cfg, goBackwards: false }).output;
  let yb = sequenceReference(x, bw, { ...cfg, goBackwards: true }).output;
  const { batch: B, steps: T, units: u } = cfg;
  if (cfg.returnSequences) yb = reverseTime(yb, B, T, u);
  if (mergeMode !== "concat") {
    return yf.map((v, i) =>
      mergeMode === "sum" ? v + yb[i] : mergeMode === "mul" ? v * yb[i] : (v + yb[i]) / 2
    );
  }
  const rows = yf.length / u;
  const out = new Float64Array(2 * yf.length);
  for (let r = 0; r < rows; r++) {
    out.set(yf.subarray(r * u, (r + 1) * u), 2 * r * u);
    out.set(yb.subarray(r * u, (r + 1) * u), (2 * r + 1) * u);
  }
  return out;
}

/**
 * One cell step for one batch row in float64, from the preactivation pieces, as a function the
 * kernel tests differentiate numerically: returns the step's outputs `[h..., c...]` (LSTM) or
 * `[h...]` (GRU, simple RNN). `xw`/`hu` hold g·u values, `prev` the u previous h (GRU) or c (LSTM).
 */
export function stepReference(
  cell: Cell,
  xw: ArrayLike<number>,
  hu: ArrayLike<number>,
  prev: ArrayLike<number>,
  u: number,
  activation: RnnActivation = "tanh",
): Float64Array {
  const out = new Float64Array(cell === "lstm" ? 2 * u : u);
  for (let j = 0; j < u; j++) {
    if (cell === "lstm") {
      const i = sigmoid(xw[j] + hu[j]);
      const f = sigmoid(xw[u + j] + hu[u + j]);
      const g = Math.tanh(xw[2 * u + j] + hu[2 * u + j]);
      const o = sigmoid(xw[3 * u + j] + hu[3 * u + j]);
      const c = f * prev[j] + i * g;
      out[j] = o * Math.tanh(c);
      out[u + j] = c;
    } else if (cell === "gru") {
      const z = sigmoid(xw[j] + hu[j]);
      const r = sigmoid(xw[u + j] + hu[u + j]);
      const hh = Math.tanh(xw[2 * u + j] + r * hu[2 * u + j]);
      out[j] = z * prev[j] + (1 - z) * hh;
    } else {
      out[j] = act(xw[j] + hu[j], activation);
    }
  }
  return out;
}
