/**
 * The initialiser object and the draws behind every initialiser (Keras's formulas), with the
 * switch that lets `loadModel` build layers without drawing.
 *
 * @module
 */
import { generator, type Random } from "../random.ts";

let skipDraws = false;

/**
 * Runs `fn` with every initialiser giving zeros without drawing: for layers built only to be
 * overwritten (`loadModel`), which then neither spend the draws (drawing LeNet-5's or an MLP's
 * weights in JS is most of a cold process's model load) nor advance the global generator.
 */
export function withoutDraws<T>(fn: () => T): T {
  const saved = skipDraws;
  skipDraws = true;
  try {
    return fn();
  } finally {
    skipDraws = saved;
  }
}

/** Whether initialisers are to give zeros without drawing (inside {@linkcode withoutDraws}). */
export function drawsSkipped(): boolean {
  return skipDraws;
}

/** How `varianceScaling` counts the fans. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";
/** The distribution of `varianceScaling` (`"normal"` is TF.js's name of the truncated one). */
export type Distribution = "truncatedNormal" | "untruncatedNormal" | "normal" | "uniform";

/**
 * An initialiser with its options (Keras's initialiser objects): its Keras class name and config
 * are what a saved model stores.
 */
export class InitializerSpec {
  /** The Keras class name (`"VarianceScaling"`, `"RandomNormal"`, `"GlorotUniform"`...). */
  readonly className: string;
  /** The options, as given with defaults filled in (saved with the model). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly #draw: (values: Float32Array, shape: readonly number[], rng: Random) => void;

  /** @internal Made by the factories of `dn.initializers`. */
  constructor(
    className: string,
    config: Record<string, unknown>,
    draw: (values: Float32Array, shape: readonly number[], rng: Random) => void,
  ) {
    this.className = className;
    this.config = Object.freeze({ ...config });
    this.#draw = draw;
  }

  /** `{ className, config }`, as Keras serialises an initialiser. */
  getConfig(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: { ...this.config } };
  }

  /**
   * Values for a weight of `shape`, from `rng` or from the initialiser's own `seed`.
   *
   * @internal
   */
  values(shape: readonly number[], rng: Random): Float32Array {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (skipDraws) return values;
    const seed = this.config.seed;
    this.#draw(values, shape, typeof seed === "number" ? generator(seed) : rng);
    return values;
  }
}

/** Keras's correction so a normal truncated at ±2σ has the requested standard deviation. */
const TRUNCATED_STD = 0.87962566103423978;

/** A standard normal draw redrawn until within ±2 (Keras `truncated_normal`). */
export function truncatedNormalDraw(rng: Random): number {
  for (;;) {
    const v = rng.normal();
    if (Math.abs(v) <= 2) return v;
  }
}

/** `[fanIn, fanOut]` of a weight (Keras `compute_fans`). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** The draw of Keras `VarianceScaling`. */
export function varianceScalingDraw(
  scale: number,
  mode: FanMode,
  distribution: Distribution,
): (values: Float32Array, shape: readonly number[], rng: Random) => void {
  return (values, shape, rng) => {
    const [fanIn, fanOut] = fans(shape);
    const n = mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.next() - 1) * limit;
    } else if (distribution === "untruncatedNormal") {
      const std = Math.sqrt(variance);
      for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
    } else {
      const std = Math.sqrt(variance) / TRUNCATED_STD;
      for (let i = 0; i < values.length; i++) values[i] = std * truncatedNormalDraw(rng);
    }
  };
}

/**
 * Orthogonal `[rows, cols]` (Keras `Orthogonal`, gain 1): the Q of a normal matrix by
 * Gram-Schmidt, over the longer side.
 */
export function orthogonalValues(rows: number, cols: number, rng: Random): Float32Array {
  const [n, m] = rows < cols ? [cols, rows] : [rows, cols]; // n >= m: m orthonormal n-vectors
  const q = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[j][i] * q[k][i];
      for (let i = 0; i < n; i++) q[j][i] -= d * q[k][i];
    }
    const norm = Math.hypot(...q[j]) || 1;
    for (let i = 0; i < n; i++) q[j][i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows < cols ? q[r][c] : q[c][r];
  }
  return out;
}
