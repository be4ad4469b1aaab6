/**
 * Catch, a pixel game in the spirit of Atari (DeepMind's bsuite `catch`, on a bigger frame): a
 * ball falls one row per step from a random column of the top row; a paddle on the bottom row
 * moves left, stays, or moves right; the episode ends when the ball reaches the bottom row, with
 * reward +1 if the paddle is under it and -1 if not.
 *
 * @module
 */
import { checkArity, checkOptions, checkPositiveInt } from "../../_check.ts";
import { Env, type ResetResult, type StepResult } from "../env.ts";
import { Box, Discrete } from "../spaces.ts";

/** Options of {@linkcode Catch}. */
export interface CatchOptions {
  /** Frame height: the ball falls `rows - 1` steps (default 16). */
  rows?: number;
  /** Frame width (default 16). */
  columns?: number;
  /** Paddle width in pixels, odd (default 3). */
  paddleWidth?: number;
}

/**
 * The Catch game: observation a grayscale `[rows, columns]` frame (0 background, 1 for the ball
 * and the paddle's pixels), actions 0 (left), 1 (stay), 2 (right); `info.caught` on the last
 * step. The paddle starts in the middle, so every ball can be caught.
 */
export class Catch extends Env {
  /** `"Catch-v0"`. */
  readonly id = "Catch-v0";
  /** Box `[rows, columns]` with bounds 0 and 1. */
  readonly observationSpace: Box;
  /** `Discrete(3)`: left, stay, right. */
  readonly actionSpace: Discrete = new Discrete(3);
  /** Frame height. */
  readonly rows: number;
  /** Frame width. */
  readonly columns: number;
  /** Paddle width. */
  readonly paddleWidth: number;
  /** The ball's row (0 at the top). */
  ballRow = 0;
  /** The ball's column. */
  ballColumn = 0;
  /** The paddle's centre column. */
  paddle = 0;

  /**
   * Creates the game.
   *
   * @param options `rows`, `columns` (default 16 each), `paddleWidth` (odd, default 3).
   * @throws {TypeError} For an unknown option key.
   * @throws {RangeError} When a size is not a positive integer, `rows` < 2, or the paddle is even
   *   or wider than the frame.
   */
  constructor(options: CatchOptions = {}) {
    super();
    const fn = "Catch";
    checkArity(arguments, ["options"], fn);
    checkOptions(options, ["rows", "columns", "paddleWidth"], fn);
    this.rows = checkPositiveInt(options.rows ?? 16, "rows", fn);
    this.columns = checkPositiveInt(options.columns ?? 16, "columns", fn);
    this.paddleWidth = checkPositiveInt(options.paddleWidth ?? 3, "paddleWidth", fn);
    if (this.rows < 2 || this.paddleWidth % 2 === 0 || this.paddleWidth > this.columns) {
      throw new RangeError(
        `Cannot run ${fn}(): need rows >= 2 and an odd paddleWidth <= columns: got rows ${this.rows}, columns ${this.columns}, paddleWidth ${this.paddleWidth}`,
      );
    }
    this.observationSpace = new Box({ low: 0, high: 1, shape: [this.rows, this.columns] });
  }

  /** @ignore */
  protected resetEnv(seed: number | undefined, options: Record<string, unknown>): ResetResult {
    checkOptions(options, [], `${this.id}.reset`, "options.options");
    const rng = this.seedRandom(seed);
    this.ballRow = 0;
    this.ballColumn = rng.nextUint32() % this.columns;
    this.paddle = this.columns >> 1;
    return { observation: this.#frame(), info: {} };
  }

  /** @ignore */
  protected stepEnv(action: number): StepResult {
    const half = this.paddleWidth >> 1;
    this.paddle = Math.min(Math.max(this.paddle + action - 1, half), this.columns - 1 - half);
    this.ballRow++;
    const terminated = this.ballRow === this.rows - 1;
    const caught = Math.abs(this.ballColumn - this.paddle) <= half;
    return {
      observation: this.#frame(),
      reward: terminated ? (caught ? 1 : -1) : 0,
      terminated,
      truncated: false,
      info: terminated ? { caught } : {},
    };
  }

  #frame(): Float32Array {
    const frame = new Float32Array(this.rows * this.columns);
    const bottom = (this.rows - 1) * this.columns, half = this.paddleWidth >> 1;
    frame.fill(1, bottom + this.paddle - half, bottom + this.paddle + half + 1);
    frame[this.ballRow * this.columns + this.ballColumn] = 1;
    return frame;
  }
}
