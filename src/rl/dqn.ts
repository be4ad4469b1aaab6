/**
 * Deep Q-learning (Mnih et al. 2015): a Q-network trained on the TD error
 * `r + γ max_a' Q(s', a'; w⁻) - Q(s, a; w)` over an experience-replay buffer, with ε-greedy
 * exploration on a linear schedule and a target network `w⁻` updated every `C` steps (hard, or
 * Polyak-averaged); Double DQN as an option. `train()` is in `dqn_train.ts`.
 *
 * The agent reads Q-values back with `dataSync()`, so it runs on the CPU backends (wasm,
 * threads).
 *
 * @module
 */
import { checkArity, checkOptions, fmtShape, fmtValue } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import type { LayersModel } from "../models/layers_model.ts";
import { loadModel } from "../models/io.ts";
import { generator, Random } from "../random.ts";
import { type DqnConfig, dqnConfig, type DqnOptions, linearSchedule } from "./_dqn_options.ts";
import { DqnLearner, qValuesOf } from "./_dqn_update.ts";
import { type ReplayBatch, ReplayBuffer } from "./replay_buffer.ts";
import { argMaxRow } from "./td.ts";
import {
  type DqnHistory,
  type DqnTrainOptions,
  evaluateDqn,
  type EvaluateOptions,
  type EvaluateResult,
  trainDqn,
} from "./dqn_train.ts";
import { updateTarget } from "./target_update.ts";

export type { DqnOptions } from "./_dqn_options.ts";
export type { EvaluateOptions, EvaluateResult } from "./dqn_train.ts";

/** Options of {@linkcode Dqn.act}. */
export interface ActOptions {
  /** Probability of a uniformly random action (default 0: greedy). */
  epsilon?: number;
}

/** A DQN agent; made by {@linkcode dqn}. */
export class Dqn {
  /** The online Q-network (the model given). */
  readonly model: LayersModel;
  /** The target network. */
  readonly target: LayersModel;
  /** The replay buffer. */
  readonly buffer: ReplayBuffer;
  /** Shape of one observation (the model's input shape). */
  readonly observationShape: readonly number[];
  /** Number of actions (the model's output size). */
  readonly actions: number;
  /** The checked options with their defaults. */
  readonly config: Readonly<DqnConfig>;
  /** Environment steps taken by `train()` so far (drives ε and the target updates). */
  steps = 0;
  /** Gradient steps taken so far. */
  updates = 0;
  /** The agent's generator (exploration; the buffer has its own). */
  readonly random: Random;
  readonly #learner: DqnLearner;
  readonly #size: number;

  /** Builds the agent from checked options (see {@linkcode dqn}). */
  constructor(config: DqnConfig) {
    const fn = "dqn";
    const model = config.model;
    const backend = activeBackend();
    if (!backend.supports("readSync")) {
      throw new TypeError(
        `Cannot run ${fn}(): the agent reads Q-values back synchronously, which needs a CPU backend (wasm or threads): got "${backend.name}"`,
      );
    }
    if (model.inputShapes.length !== 1) {
      throw new TypeError(
        `Cannot run ${fn}(): option "model" must have one input: got ${model.inputShapes.length}`,
      );
    }
    const outs = model.buildAll();
    if (outs.length !== 1 || outs[0].length !== 1 || outs[0][0] < 2) {
      throw new TypeError(
        `Cannot run ${fn}(): option "model" must have one output of shape [actions >= 2]: got ${
          outs.map(fmtShape).join(", ")
        }`,
      );
    }
    this.model = model;
    this.config = config;
    this.observationShape = model.inputShapes[0];
    this.actions = outs[0][0];
    this.#size = this.observationShape.reduce((a, b) => a * b, 1);
    const seed = config.seed ?? generator().nextUint32();
    this.random = new Random(seed);
    this.buffer = new ReplayBuffer(config.bufferSize, this.#size, seed + 1);
    this.#learner = new DqnLearner(config, this.observationShape, this.actions);
    this.target = this.#learner.target;
  }

  /** ε of the schedule at the current step. */
  get epsilon(): number {
    const c = this.config;
    return linearSchedule(c.explorationStart, c.explorationEnd, c.explorationSteps, this.steps);
  }

  /**
   * The online network's Q-values of one observation.
   *
   * @param observation `observationShape` floats, flattened row-major.
   * @returns `[actions]` values.
   * @throws {RangeError} When the observation has the wrong size.
   */
  qValues(observation: ArrayLike<number>): Float32Array {
    checkArity(arguments, ["observation"], "Dqn.qValues");
    return qValuesOf(this.model, this.#observation(observation, "Dqn.qValues"), [
      1,
      ...this.observationShape,
    ]);
  }

  /**
   * Picks an action ε-greedily: uniformly at random with probability `epsilon`, else the argmax
   * of the Q-values (the first on ties).
   *
   * @param observation `observationShape` floats.
   * @param options `epsilon` (default 0).
   * @returns An action in `[0, actions)`.
   * @throws {RangeError} When the observation has the wrong size or `epsilon` is outside `[0, 1]`.
   */
  act(observation: ArrayLike<number>, options: ActOptions = {}): number {
    const fn = "Dqn.act";
    checkArity(arguments, ["observation", "options"], fn);
    const epsilon = checkOptions(options, ["epsilon"], fn).epsilon ?? 0;
    if (typeof epsilon !== "number" || !(epsilon >= 0 && epsilon <= 1)) {
      throw new RangeError(
        `Cannot run ${fn}(): option "epsilon" must be in [0, 1]: got ${fmtValue(epsilon)}`,
      );
    }
    const x = this.#observation(observation, fn);
    if (epsilon > 0 && this.random.next() < epsilon) {
      return this.random.nextUint32() % this.actions;
    }
    return argMaxRow(qValuesOf(this.model, x, [1, ...this.observationShape]), 0, this.actions);
  }

  /**
   * One gradient step on a batch (what `train()` runs every `trainFrequency` steps, on a batch
   * sampled from the buffer); the target network is left alone.
   *
   * @param batch `batchSize` transitions (default: sampled uniformly from `buffer`), e.g. from a
   *   buffer of the caller's own.
   * @returns The batch's loss.
   * @throws {RangeError} When the buffer is empty, or `batch`'s arrays do not hold `batchSize`
   *   transitions of this agent's observation size.
   */
  trainStep(batch?: ReplayBatch): number {
    const fn = "Dqn.trainStep";
    checkArity(arguments, ["batch"], fn);
    const b = batch ?? this.buffer.sample(this.config.batchSize);
    const rows = this.config.batchSize, size = rows * this.#size;
    for (
      const [name, length] of [
        ["observations", size],
        ["nextObservations", size],
        ["actions", rows],
        ["rewards", rows],
        ["terminated", rows],
      ] as const
    ) {
      if (b[name]?.length !== length) {
        throw new RangeError(
          `Cannot run ${fn}(): "batch.${name}" must hold ${length} values (batchSize ${rows}): got ${
            fmtValue(b[name]?.length ?? b[name])
          }`,
        );
      }
    }
    for (const a of b.actions) {
      if (!(a >= 0 && a < this.actions)) {
        throw new RangeError(
          `Cannot run ${fn}(): "batch.actions" must lie in [0, ${this.actions}): got ${a}`,
        );
      }
    }
    const loss = this.#learner.step(b);
    this.updates++;
    return loss;
  }

  /** Updates the target network from the online one (by `tau`). */
  updateTarget(): void {
    checkArity(arguments, [], "Dqn.updateTarget");
    updateTarget(this.target, this.model, this.config.tau);
  }

  /**
   * Trains on `env` for `steps` environment steps: ε-greedy actions, transitions into the
   * buffer, a gradient step every `trainFrequency` steps once `learningStarts` have passed, a
   * target update every `targetUpdateInterval` steps. Callbacks see intervals of `logInterval`
   * steps as epochs (so `progressBar()` draws one bar per interval) and each step as a batch.
   *
   * @param options `env`, `steps`, `callbacks`, `verbose`, `logInterval`, `seed`.
   * @returns The episodes' returns and lengths, and the per-interval logs.
   * @throws {TypeError} When the environment's spaces do not fit the model, or for an unknown
   *   option key.
   * @throws {RangeError} When `steps` or `logInterval` is not a positive integer.
   */
  train(options: DqnTrainOptions): Promise<DqnHistory> {
    checkArity(arguments, ["options"], "Dqn.train");
    return trainDqn(this, options);
  }

  /**
   * Runs whole episodes with the (by default greedy) policy, without learning.
   *
   * @param options `env`, `episodes` (default 10), `seed`, `epsilon` (default 0).
   * @returns Each episode's return, and its `info` of the last step (e.g. Catch's `caught`).
   * @throws {TypeError} When the environment's spaces do not fit the model, or for an unknown
   *   option key.
   * @throws {RangeError} When `episodes` is not a positive integer.
   */
  evaluate(options: EvaluateOptions): EvaluateResult {
    checkArity(arguments, ["options"], "Dqn.evaluate");
    return evaluateDqn(this, options);
  }

  /** Saves the Q-network (`dn.loadModel` reads it back, `load()` into an agent). */
  async save(path: string | URL): Promise<void> {
    checkArity(arguments, ["path"], "Dqn.save");
    await this.model.save(path);
  }

  /**
   * Loads a saved Q-network's weights into the online and the target network.
   *
   * @param source A path, URL or the bytes of `save()` / `model.toBytes()`.
   * @throws {RangeError} When the saved weights do not fit the model.
   */
  async load(source: string | URL | Uint8Array): Promise<void> {
    checkArity(arguments, ["source"], "Dqn.load");
    const saved = await loadModel(source);
    try {
      const weights = saved.weights.map((w) => w.value);
      this.model.setWeights(weights);
      this.target.setWeights(weights);
    } finally {
      saved.dispose();
    }
  }

  /** Frees the target network (the online model stays the caller's). */
  dispose(): void {
    this.target.dispose();
  }

  #observation(observation: ArrayLike<number>, fn: string): Float32Array {
    if (observation?.length !== this.#size) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "observation" must hold ${this.#size} numbers (shape ${
          fmtShape(this.observationShape)
        }): got ${fmtValue(observation?.length ?? observation)}`,
      );
    }
    return observation instanceof Float32Array ? observation : Float32Array.from(observation);
  }
}

/**
 * Creates a DQN agent around a Q-network (Stable-Baselines3's DQN options and defaults, with a
 * 50,000-transition buffer and ε falling over 10,000 steps).
 *
 * @param options `model` (required), `optimizer`, `gamma`, `bufferSize`, `batchSize`,
 *   `learningStarts`, `trainFrequency`, `gradientSteps`, `targetUpdateInterval`, `tau`, `loss`,
 *   `doubleDqn`, `maxGradNorm`, `explorationStart`, `explorationEnd`, `explorationSteps`, `seed`.
 * @returns The agent.
 * @throws {TypeError} For an unknown option key, a model with other than one input and one
 *   `[actions]` output, an optimizer that is not one, or the webgpu backend active (the agent
 *   reads values back synchronously).
 * @throws {RangeError} For an option out of its range.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const env = dn.rl.make("CartPole-v1");
 * const agent = dn.rl.dqn({
 *   model: dn.sequential([
 *     dn.layers.dense({ units: 16, activation: "relu", inputShape: [4] }),
 *     dn.layers.dense({ units: 2 }),
 *   ]),
 *   learningStarts: 32,
 * });
 * const history = await agent.train({ env, steps: 100, verbose: 0 });
 * assert.equal(agent.steps, 100);
 * assert.ok(history.episodes.returns.length > 0);
 * const { observation } = env.reset({ seed: 0 });
 * assert.ok([0, 1].includes(agent.act(observation)));
 * agent.dispose();
 * ```
 */
export function dqn(options: DqnOptions): Dqn {
  checkArity(arguments, ["options"], "dqn");
  return new Dqn(dqnConfig(options));
}
