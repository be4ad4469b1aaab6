/**
 * Experience replay: a fixed-capacity ring of transitions in flat typed arrays (one row per
 * transition, no per-transition objects), sampled uniformly with replacement into arrays that are
 * reused from one batch to the next.
 *
 * @module
 */
import { checkArity, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { generator, Random } from "../random.ts";

/** Options of {@linkcode replayBuffer}. */
export interface ReplayBufferOptions {
  /** Transitions kept; the oldest is overwritten once full. */
  capacity: number;
  /** Number of floats in one observation (the product of its shape). */
  observationSize: number;
  /** Seed of the sampling generator (default: drawn from the global one, `dn.setSeed`). */
  seed?: number;
}

/** A sampled batch: row `i` of each array is one transition. Reused by the next `sample`. */
export interface ReplayBatch {
  /** `[batchSize * observationSize]` observations. */
  observations: Float32Array;
  /** Actions taken. */
  actions: Int32Array;
  /** Rewards received. */
  rewards: Float32Array;
  /** `[batchSize * observationSize]` observations after the action. */
  nextObservations: Float32Array;
  /** 1 where the next state is terminal (no bootstrap), else 0. */
  terminated: Uint8Array;
  /** Ring positions the rows came from. */
  indices: Int32Array;
}

/** The ring of transitions; see {@linkcode replayBuffer}. */
export class ReplayBuffer {
  /** Transitions it can hold. */
  readonly capacity: number;
  /** Floats per observation. */
  readonly observationSize: number;
  /** Observations, `capacity` rows of `observationSize`. */
  readonly observations: Float32Array;
  /** Next observations, same layout. */
  readonly nextObservations: Float32Array;
  /** Actions. */
  readonly actions: Int32Array;
  /** Rewards. */
  readonly rewards: Float32Array;
  /** Terminal flags (0 or 1). */
  readonly terminated: Uint8Array;
  #size = 0;
  #next = 0;
  #rng: Random;
  #batch: ReplayBatch | null = null;

  /** Allocates the arrays (see {@linkcode replayBuffer} for the checks). */
  constructor(capacity: number, observationSize: number, seed: number) {
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.observations = new Float32Array(capacity * observationSize);
    this.nextObservations = new Float32Array(capacity * observationSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.#rng = new Random(seed);
  }

  /** Number of transitions held (up to `capacity`). */
  get size(): number {
    return this.#size;
  }

  /**
   * Stores one transition, overwriting the oldest when full.
   *
   * @param observation The observation the action was taken in (`observationSize` floats).
   * @param action The action (an integer).
   * @param reward The reward (finite).
   * @param nextObservation The observation after the action.
   * @param terminated Whether the next state is terminal (a truncated one is not).
   * @throws {RangeError} When an observation has the wrong length, the action is not an integer
   *   or the reward is not finite.
   */
  add(
    observation: ArrayLike<number>,
    action: number,
    reward: number,
    nextObservation: ArrayLike<number>,
    terminated: boolean,
  ): void {
    const fn = "ReplayBuffer.add";
    const n = this.observationSize;
    for (const [arg, v] of [["observation", observation], ["nextObservation", nextObservation]]) {
      if ((v as ArrayLike<number>)?.length !== n) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "${arg}" must hold ${n} numbers: got ${
            fmtValue((v as ArrayLike<number>)?.length ?? v)
          }`,
        );
      }
    }
    if (!Number.isInteger(action)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "action" must be an integer: got ${fmtValue(action)}`,
      );
    }
    if (!Number.isFinite(reward)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "reward" must be a finite number: got ${fmtValue(reward)}`,
      );
    }
    const i = this.#next;
    this.observations.set(observation, i * n);
    this.nextObservations.set(nextObservation, i * n);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.#next = (i + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /**
   * Draws `batchSize` transitions uniformly with replacement. The arrays returned are the
   * buffer's own and are overwritten by the next call with the same `batchSize`.
   *
   * @param batchSize Rows to draw, a positive integer.
   * @returns The batch.
   * @throws {RangeError} When the buffer is empty or `batchSize` not a positive integer.
   */
  sample(batchSize: number): ReplayBatch {
    const fn = "ReplayBuffer.sample";
    checkPositiveInt(batchSize, "batchSize", fn);
    if (this.#size === 0) {
      throw new RangeError(`Cannot run ${fn}(): the buffer is empty: add transitions first`);
    }
    const n = this.observationSize;
    if (this.#batch?.actions.length !== batchSize) {
      this.#batch = {
        observations: new Float32Array(batchSize * n),
        actions: new Int32Array(batchSize),
        rewards: new Float32Array(batchSize),
        nextObservations: new Float32Array(batchSize * n),
        terminated: new Uint8Array(batchSize),
        indices: new Int32Array(batchSize),
      };
    }
    const b = this.#batch;
    for (let r = 0; r < batchSize; r++) {
      const i = this.#rng.nextUint32() % this.#size;
      b.indices[r] = i;
      b.observations.set(this.observations.subarray(i * n, (i + 1) * n), r * n);
      b.nextObservations.set(this.nextObservations.subarray(i * n, (i + 1) * n), r * n);
      b.actions[r] = this.actions[i];
      b.rewards[r] = this.rewards[i];
      b.terminated[r] = this.terminated[i];
    }
    return b;
  }
}

/**
 * Creates an experience-replay buffer: a ring of `capacity` transitions in typed arrays,
 * sampled uniformly.
 *
 * @param options `capacity`, `observationSize`, and `seed` for sampling.
 * @returns The buffer.
 * @throws {TypeError} For an unknown option key.
 * @throws {RangeError} When `capacity` or `observationSize` is not a positive integer, or `seed`
 *   not an integer.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const buffer = dn.rl.replayBuffer({ capacity: 2, observationSize: 1, seed: 0 });
 * for (let t = 0; t < 3; t++) buffer.add([t], 0, t, [t + 1], false);
 * assert.equal(buffer.size, 2);
 * assert.deepEqual([...buffer.rewards], [2, 1]); // the first transition was overwritten
 * ```
 */
export function replayBuffer(options: ReplayBufferOptions): ReplayBuffer {
  const fn = "replayBuffer";
  checkArity(arguments, ["options"], fn);
  checkOptions(options, ["capacity", "observationSize", "seed"], fn);
  const capacity = checkPositiveInt(options?.capacity, "capacity", fn);
  const size = checkPositiveInt(options.observationSize, "observationSize", fn);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new RangeError(
      `Cannot run ${fn}(): option "seed" must be an integer: got ${fmtValue(options.seed)}`,
    );
  }
  return new ReplayBuffer(capacity, size, options.seed ?? generator().nextUint32());
}
