/**
 * Gymnasium's spaces: `Discrete` (integer actions `start .. start + n - 1`) and `Box` (float32
 * arrays with per-element bounds). Each space has its own seeded generator for `sample()`.
 *
 * @module
 */
import { checkArity, checkOptions, checkPositiveInt, checkShape, fmtShape } from "../_check.ts";
import { generator, Random } from "../random.ts";

/** A finite set of integers `start, start + 1, ..., start + n - 1` (Gymnasium `Discrete`). */
export class Discrete {
  /** Number of values. */
  readonly n: number;
  /** Smallest value. */
  readonly start: number;
  /** Shape of one value: `[]`, a scalar. */
  readonly shape: readonly number[] = [];
  #rng: Random;

  /**
   * Creates the space.
   *
   * @param n Number of values, a positive integer.
   * @param start Smallest value (default 0), an integer.
   * @throws {RangeError} When `n` is not a positive integer or `start` not an integer.
   */
  constructor(n: number, start = 0) {
    checkArity(arguments, ["n", "start"], "Discrete");
    this.n = checkPositiveInt(n, "n", "Discrete");
    if (!Number.isInteger(start)) {
      throw new RangeError(
        `Cannot run Discrete(): argument "start" must be an integer: got ${start}`,
      );
    }
    this.start = start;
    this.#rng = new Random(generator().nextUint32());
  }

  /** Reseeds the generator behind `sample()`. */
  seed(seed: number): void {
    this.#rng = new Random(seed);
  }

  /** A uniform random value of the space. */
  sample(): number {
    return this.start + (this.#rng.nextUint32() % this.n);
  }

  /** Whether `x` is a value of the space (an integer in range). */
  contains(x: unknown): boolean {
    return typeof x === "number" && Number.isInteger(x) && x >= this.start &&
      x < this.start + this.n;
  }

  /** `Discrete(2)`, as Gymnasium prints it. */
  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/** Options of {@linkcode Box}. */
export interface BoxOptions {
  /** Lower bounds: one number for all elements, or one per element (may be -Infinity). */
  low: number | ArrayLike<number>;
  /** Upper bounds: one number for all elements, or one per element (may be Infinity). */
  high: number | ArrayLike<number>;
  /** Shape of one value. */
  shape: readonly number[];
}

function bounds(v: number | ArrayLike<number>, size: number, arg: string): Float32Array {
  if (typeof v === "number") return new Float32Array(size).fill(v);
  if (v?.length !== size) {
    throw new RangeError(
      `Cannot run Box(): option "${arg}" must be a number or hold ${size} numbers: got ${
        v?.length ?? typeof v
      } values`,
    );
  }
  return Float32Array.from(v);
}

/** A float32 array of a fixed shape with per-element bounds (Gymnasium `Box`). */
export class Box {
  /** Lower bounds, one per element. */
  readonly low: Float32Array;
  /** Upper bounds, one per element. */
  readonly high: Float32Array;
  /** Shape of one value. */
  readonly shape: readonly number[];
  /** Number of elements of one value. */
  readonly size: number;
  /** Element type: always `"float32"`. */
  readonly dtype = "float32";
  #rng: Random;

  /**
   * Creates the space.
   *
   * @param options `low`, `high` (numbers or one per element) and `shape`.
   * @throws {TypeError} For an unknown option key or a shape that is not an array of integers.
   * @throws {RangeError} When a bound array has the wrong length, a bound is NaN, or a low bound
   *   exceeds its high bound.
   */
  constructor(options: BoxOptions) {
    checkArity(arguments, ["options"], "Box");
    checkOptions(options, ["low", "high", "shape"], "Box");
    this.shape = checkShape(options.shape, "shape", "Box");
    this.size = this.shape.reduce((a, b) => a * b, 1);
    this.low = bounds(options.low, this.size, "low");
    this.high = bounds(options.high, this.size, "high");
    for (let i = 0; i < this.size; i++) {
      if (!(this.low[i] <= this.high[i])) {
        throw new RangeError(
          `Cannot run Box(): bounds must satisfy low <= high: got low ${this.low[i]} and high ${
            this.high[i]
          } at element ${i}`,
        );
      }
    }
    this.#rng = new Random(generator().nextUint32());
  }

  /** Reseeds the generator behind `sample()`. */
  seed(seed: number): void {
    this.#rng = new Random(seed);
  }

  /**
   * A random value, drawn as Gymnasium does: uniform where both bounds are finite, normal where
   * neither is, and a shifted exponential where only one is.
   */
  sample(): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i], hi = this.high[i];
      const exp = () => -Math.log(1 - this.#rng.next());
      if (Number.isFinite(lo) && Number.isFinite(hi)) out[i] = lo + this.#rng.next() * (hi - lo);
      else if (Number.isFinite(lo)) out[i] = lo + exp();
      else if (Number.isFinite(hi)) out[i] = hi - exp();
      else out[i] = this.#rng.normal();
    }
    return out;
  }

  /** Whether `x` is a float array of the right size with every element within its bounds. */
  contains(x: unknown): boolean {
    if (!(x instanceof Float32Array) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      if (!(x[i] >= this.low[i] && x[i] <= this.high[i])) return false;
    }
    return true;
  }

  /** `Box([2, 2])`, with the shape. */
  toString(): string {
    return `Box(${fmtShape(this.shape)})`;
  }
}

/** A space an environment observes or acts in. */
export type Space = Discrete | Box;
