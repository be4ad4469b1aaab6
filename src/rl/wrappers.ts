/**
 * Gymnasium's wrappers: `timeLimit` (truncates after a number of steps), `frameStack` (the last
 * `k` observations on a new last axis), `clipReward`, and `recordEpisodeStatistics` (return,
 * length and time of each episode in `info.episode`, the last 100 kept).
 *
 * @module
 */
import { checkArity, checkFinite, checkPositiveInt } from "../_check.ts";
import { Env, type Info, type ResetResult, type StepResult } from "./env.ts";
import { Box, type Discrete } from "./spaces.ts";

/**
 * An environment around another: by default it passes everything through; subclasses override
 * `resetEnv` / `stepEnv` (calling `super`'s) and may pass their own `observationSpace`.
 */
export class Wrapper extends Env {
  /** The wrapped environment. */
  readonly env: Env;
  /** The wrapped environment's name. */
  readonly id: string;
  /** The wrapped environment's observation space unless the wrapper changes it. */
  readonly observationSpace: Box;
  /** The wrapped environment's action space. */
  readonly actionSpace: Discrete;

  /**
   * Wraps `env`.
   *
   * @param env The environment to wrap.
   * @param observationSpace The wrapper's observation space (default `env`'s).
   * @throws {TypeError} When `env` is not an `Env`.
   */
  constructor(env: Env, observationSpace?: Box) {
    super();
    if (!(env instanceof Env)) {
      throw new TypeError(
        `Cannot wrap an environment: argument "env" must be a dn.rl Env: got ${typeof env}`,
      );
    }
    this.env = env;
    this.id = env.id;
    this.observationSpace = observationSpace ?? env.observationSpace;
    this.actionSpace = env.actionSpace;
  }

  /** Closes the wrapped environment. */
  override close(): void {
    this.env.close();
  }

  /**
   * Resets the wrapped environment; a wrapper overrides it to change the first observation.
   *
   * @param seed The seed given to `reset`, if any.
   * @param options The environment-specific options.
   * @returns The wrapped environment's first observation and `info`.
   */
  protected resetEnv(seed: number | undefined, options: Record<string, unknown>): ResetResult {
    return this.env.reset({ seed, options });
  }

  /**
   * Steps the wrapped environment; a wrapper overrides it to change what a step returns.
   *
   * @param action The action.
   * @returns The wrapped environment's step.
   */
  protected stepEnv(action: number): StepResult {
    return this.env.step(action);
  }
}

class TimeLimit extends Wrapper {
  readonly #max: number;
  #elapsed = 0;

  constructor(env: Env, max: number) {
    super(env);
    this.#max = max;
  }

  protected override resetEnv(seed: number | undefined, options: Record<string, unknown>) {
    this.#elapsed = 0;
    return super.resetEnv(seed, options);
  }

  protected override stepEnv(action: number): StepResult {
    const r = super.stepEnv(action);
    if (++this.#elapsed >= this.#max) r.truncated = true;
    return r;
  }
}

/**
 * Truncates episodes after `maxEpisodeSteps` steps (Gymnasium `TimeLimit`): that step returns
 * `truncated: true` (and `terminated` as the environment says).
 *
 * @param env The environment.
 * @param maxEpisodeSteps Steps per episode, a positive integer.
 * @returns The wrapped environment.
 * @throws {RangeError} When `maxEpisodeSteps` is not a positive integer.
 */
export function timeLimit(env: Env, maxEpisodeSteps: number): Wrapper {
  checkArity(arguments, ["env", "maxEpisodeSteps"], "timeLimit");
  return new TimeLimit(env, checkPositiveInt(maxEpisodeSteps, "maxEpisodeSteps", "timeLimit"));
}

class FrameStack extends Wrapper {
  readonly #k: number;
  readonly #frames: Float32Array[] = [];

  constructor(env: Env, k: number) {
    const inner = env.observationSpace;
    const spread = (v: Float32Array) => {
      const out = new Float32Array(v.length * k);
      for (let i = 0; i < v.length; i++) out.fill(v[i], i * k, (i + 1) * k);
      return out;
    };
    super(
      env,
      new Box({ low: spread(inner.low), high: spread(inner.high), shape: [...inner.shape, k] }),
    );
    this.#k = k;
  }

  #stacked(): Float32Array {
    const k = this.#k, size = this.env.observationSpace.size;
    const out = new Float32Array(size * k);
    for (let j = 0; j < k; j++) {
      const frame = this.#frames[j];
      for (let i = 0; i < size; i++) out[i * k + j] = frame[i];
    }
    return out;
  }

  protected override resetEnv(seed: number | undefined, options: Record<string, unknown>) {
    const r = super.resetEnv(seed, options);
    this.#frames.length = 0;
    for (let j = 0; j < this.#k; j++) this.#frames.push(r.observation);
    return { observation: this.#stacked(), info: r.info };
  }

  protected override stepEnv(action: number): StepResult {
    const r = super.stepEnv(action);
    this.#frames.shift();
    this.#frames.push(r.observation);
    return { ...r, observation: this.#stacked() };
  }
}

/**
 * Stacks the last `k` observations on a new last axis (channels last, ready for `conv2d`'s NHWC):
 * an observation of shape `[16, 16]` becomes `[16, 16, k]`, the newest frame last. On `reset` the
 * first frame fills every slot (Gymnasium `FrameStackObservation` with padding "reset").
 *
 * @param env The environment.
 * @param k Number of frames (default 4).
 * @returns The wrapped environment.
 * @throws {RangeError} When `k` is not a positive integer.
 */
export function frameStack(env: Env, k = 4): Wrapper {
  checkArity(arguments, ["env", "k"], "frameStack");
  return new FrameStack(env, checkPositiveInt(k, "k", "frameStack"));
}

class ClipReward extends Wrapper {
  constructor(env: Env, readonly min: number, readonly max: number) {
    super(env);
  }

  protected override stepEnv(action: number): StepResult {
    const r = super.stepEnv(action);
    r.reward = Math.min(Math.max(r.reward, this.min), this.max);
    return r;
  }
}

/**
 * Clips each reward to `[min, max]` (Gymnasium `ClipReward`; DQN's Atari setting is the default
 * `[-1, 1]`).
 *
 * @param env The environment.
 * @param min Lower bound (default -1).
 * @param max Upper bound (default 1).
 * @returns The wrapped environment.
 * @throws {RangeError} When a bound is not finite or `min > max`.
 */
export function clipReward(env: Env, min = -1, max = 1): Wrapper {
  const fn = "clipReward";
  checkArity(arguments, ["env", "min", "max"], fn);
  if (checkFinite(min, "min", fn) > checkFinite(max, "max", fn)) {
    throw new RangeError(`Cannot run ${fn}(): need min <= max: got ${min} and ${max}`);
  }
  return new ClipReward(env, min, max);
}

/** What `recordEpisodeStatistics` puts in the last step's `info.episode`. */
export interface EpisodeStatistics {
  /** The episode's return (sum of rewards). */
  r: number;
  /** Its length in steps. */
  l: number;
  /** Seconds it took. */
  t: number;
}

/** The environment `recordEpisodeStatistics` returns: the recent returns and lengths. */
export class RecordEpisodeStatistics extends Wrapper {
  /** Returns of the last `bufferLength` episodes, oldest first. */
  readonly returnQueue: number[] = [];
  /** Lengths of the same episodes. */
  readonly lengthQueue: number[] = [];
  /** Episodes finished so far. */
  episodeCount = 0;
  readonly #bufferLength: number;
  #return = 0;
  #length = 0;
  #started = 0;

  /** Wraps `env`, keeping the statistics of the last `bufferLength` episodes. */
  constructor(env: Env, bufferLength: number) {
    super(env);
    this.#bufferLength = bufferLength;
  }

  /** @ignore */
  protected override resetEnv(
    seed: number | undefined,
    options: Record<string, unknown>,
  ): ResetResult {
    this.#return = 0;
    this.#length = 0;
    this.#started = performance.now();
    return super.resetEnv(seed, options);
  }

  /** @ignore */
  protected override stepEnv(action: number): StepResult {
    const r = super.stepEnv(action);
    this.#return += r.reward;
    this.#length++;
    if (r.terminated || r.truncated) {
      const episode: EpisodeStatistics = {
        r: this.#return,
        l: this.#length,
        t: (performance.now() - this.#started) / 1000,
      };
      r.info = { ...r.info, episode } as Info;
      this.episodeCount++;
      this.returnQueue.push(episode.r);
      this.lengthQueue.push(episode.l);
      if (this.returnQueue.length > this.#bufferLength) {
        this.returnQueue.shift();
        this.lengthQueue.shift();
      }
    }
    return r;
  }
}

/**
 * Records each episode's return, length and duration in the last step's `info.episode`
 * (`{ r, l, t }`, Gymnasium `RecordEpisodeStatistics`) and keeps the last `bufferLength`.
 *
 * @param env The environment.
 * @param bufferLength Episodes kept in `returnQueue` and `lengthQueue` (default 100).
 * @returns The wrapped environment.
 * @throws {RangeError} When `bufferLength` is not a positive integer.
 */
export function recordEpisodeStatistics(env: Env, bufferLength = 100): RecordEpisodeStatistics {
  const fn = "recordEpisodeStatistics";
  checkArity(arguments, ["env", "bufferLength"], fn);
  return new RecordEpisodeStatistics(env, checkPositiveInt(bufferLength, "bufferLength", fn));
}
