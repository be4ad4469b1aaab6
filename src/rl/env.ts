/**
 * The Gymnasium environment interface: `reset({ seed })` and `step(action)`, with the order
 * enforced (`step` before the first `reset`, or after an episode ended, throws
 * `ResetNeededError`) and actions checked against `actionSpace`.
 *
 * @module
 */
import { checkArity, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import { generator, Random } from "../random.ts";
import type { Box, Discrete } from "./spaces.ts";

/** Extra information an environment returns with an observation (Gymnasium `info`). */
export type Info = Record<string, unknown>;

/** Options of `reset()`. */
export interface ResetOptions {
  /** Reseeds the environment's generator (an integer); without it the stream goes on. */
  seed?: number;
  /** Environment-specific reset options. */
  options?: Record<string, unknown>;
}

/** What `reset()` returns. */
export interface ResetResult {
  /** The first observation of the episode. */
  observation: Float32Array;
  /** Extra information. */
  info: Info;
}

/** What `step()` returns (Gymnasium's five-tuple as an object). */
export interface StepResult {
  /** The observation after the action. */
  observation: Float32Array;
  /** The reward for the action. */
  reward: number;
  /** The episode reached a terminal state of the task: its value is 0 from here on. */
  terminated: boolean;
  /** The episode was cut (a time limit): the state is not terminal, it could go on. */
  truncated: boolean;
  /** Extra information. */
  info: Info;
}

/**
 * Thrown by `step()` before the first `reset()` or after an episode ended (Gymnasium's
 * `ResetNeeded`): the environment needs `reset()` first.
 */
export class ResetNeededError extends Error {
  /**
   * Creates the error.
   *
   * @param message What was called and why it cannot run.
   */
  constructor(message: string) {
    super(message);
    this.name = "ResetNeededError";
  }
}

/**
 * An environment with Gymnasium's interface. Subclasses declare `id`, `observationSpace` and
 * `actionSpace` and implement `resetEnv` and `stepEnv`; `reset` and `step` check their arguments
 * and the call order around them.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * class Coin extends dn.rl.Env {
 *   readonly id = "Coin-v0";
 *   readonly observationSpace = new dn.rl.Box({ low: 0, high: 1, shape: [1] });
 *   readonly actionSpace = new dn.rl.Discrete(2);
 *   protected resetEnv(seed?: number): dn.rl.ResetResult {
 *     this.seedRandom(seed);
 *     return { observation: new Float32Array(1), info: {} };
 *   }
 *   protected stepEnv(action: number): dn.rl.StepResult {
 *     const heads = this.seedRandom(undefined).next() < 0.5 ? 1 : 0;
 *     return {
 *       observation: Float32Array.of(heads),
 *       reward: heads === action ? 1 : 0,
 *       terminated: true,
 *       truncated: false,
 *       info: {},
 *     };
 *   }
 * }
 * const coin = new Coin();
 * coin.reset({ seed: 1 });
 * assert.equal(coin.step(1).terminated, true);
 * assert.throws(() => coin.step(1), dn.rl.ResetNeededError);
 * ```
 */
export abstract class Env {
  /** The environment's name, e.g. `"CartPole-v1"`. */
  abstract readonly id: string;
  /** What an observation is: a float32 array of this shape. */
  abstract readonly observationSpace: Box;
  /** What an action is. */
  abstract readonly actionSpace: Discrete;
  /** The environment's generator (Gymnasium `np_random`), seeded by `reset({ seed })`. */
  protected random: Random | null = null;
  #needsReset = true;

  /**
   * Starts an episode.
   *
   * @param options `seed` (reseeds the generator) and environment-specific `options`.
   * @returns The first observation and `info`.
   * @throws {TypeError} For an unknown option key.
   * @throws {RangeError} When `seed` is not an integer, or the environment made an observation
   *   that is not a Float32Array of `observationSpace`'s size.
   */
  reset(options: ResetOptions = {}): ResetResult {
    const fn = `${this.id}.reset`;
    checkArity(arguments, ["options"], fn);
    const o = checkOptions(options, ["seed", "options"], fn);
    if (o.seed !== undefined && !Number.isInteger(o.seed)) {
      throw new RangeError(
        `Cannot run ${fn}(): option "seed" must be an integer: got ${fmtValue(o.seed)}`,
      );
    }
    const result = this.resetEnv(o.seed as number | undefined, options.options ?? {});
    this.#checkObservation(result.observation, fn);
    this.#needsReset = false;
    return result;
  }

  /**
   * Runs one time step.
   *
   * @param action A value of `actionSpace`.
   * @returns The next observation, the reward, `terminated`, `truncated` and `info`.
   * @throws {ResetNeededError} Before the first `reset()`, or after `terminated` or `truncated`.
   * @throws {TypeError} When `action` is not a number.
   * @throws {RangeError} When `action` is not a value of `actionSpace`, or the environment made
   *   an observation that is not a Float32Array of `observationSpace`'s size.
   */
  step(action: number): StepResult {
    const fn = `${this.id}.step`;
    checkArity(arguments, ["action"], fn);
    if (this.#needsReset) {
      throw new ResetNeededError(
        `Cannot run ${fn}(): call reset() first: the episode has not started or has ended`,
      );
    }
    if (!this.actionSpace.contains(action)) {
      throw new (typeof action === "number" ? RangeError : TypeError)(
        `Cannot run ${fn}(): argument "action" must be an integer in [${this.actionSpace.start}, ${
          this.actionSpace.start + this.actionSpace.n
        }): got ${fmtValue(action)}`,
      );
    }
    const result = this.stepEnv(action);
    this.#checkObservation(result.observation, fn);
    if (result.terminated || result.truncated) this.#needsReset = true;
    return result;
  }

  /** Throws unless the environment made an observation of `observationSpace`'s size. */
  #checkObservation(observation: unknown, fn: string): void {
    const space = this.observationSpace;
    if (!(observation instanceof Float32Array) || observation.length !== space.size) {
      throw new RangeError(
        `Cannot run ${fn}(): the environment must return a Float32Array observation of shape ${
          fmtShape(space.shape)
        } (${space.size} values): got ${
          observation instanceof Float32Array
            ? `${observation.length} values`
            : fmtValue(observation)
        }`,
      );
    }
  }

  /** Releases what the environment holds (nothing, for the built-in ones). */
  close(): void {}

  /**
   * The generator for an episode, for `resetEnv` to call: a new one for `seed`, else the
   * running one (made from the global generator, `dn.setSeed`, the first time).
   *
   * @param seed The seed given to `reset`, if any.
   * @returns The generator.
   */
  protected seedRandom(seed: number | undefined): Random {
    if (seed !== undefined) this.random = new Random(seed);
    return this.random ??= new Random(generator().nextUint32());
  }

  /**
   * Starts an episode: what a subclass implements for `reset` (its options already checked;
   * call `seedRandom(seed)` for the generator).
   *
   * @param seed The seed given to `reset`, if any.
   * @param options The environment-specific options (`{}` if none).
   * @returns The first observation and `info`.
   */
  protected abstract resetEnv(
    seed: number | undefined,
    options: Record<string, unknown>,
  ): ResetResult;

  /**
   * Advances the state: what a subclass implements for `step` (the episode is running and
   * `action` is a value of `actionSpace`).
   *
   * @param action The action.
   * @returns The step's result.
   */
  protected abstract stepEnv(action: number): StepResult;
}
