/**
 * `dqn()`'s options: their checks and defaults (Stable-Baselines3's DQN, with a smaller buffer and
 * shorter intervals sized for the classic-control tasks).
 *
 * @module
 */
import { checkOneOf, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { LayersModel } from "../models/layers_model.ts";
import { adam } from "../optimizers/adam.ts";
import { Optimizer } from "../optimizers/optimizer.ts";

/** Options of `dn.rl.dqn()`. */
export interface DqnOptions {
  /** The Q-network: one input (an observation), one output `[actions]` of linear values. */
  model: LayersModel;
  /** Optimizer (default: the model's compiled one, else Adam with learning rate 1e-3). */
  optimizer?: Optimizer;
  /** Discount factor γ in `[0, 1]` (default 0.99). */
  gamma?: number;
  /** Replay capacity in transitions (default 50,000). */
  bufferSize?: number;
  /** Transitions per update (default 32). */
  batchSize?: number;
  /** Environment steps before the first update (default 1,000; at least `batchSize` are held). */
  learningStarts?: number;
  /** Update every this many environment steps (default 4). */
  trainFrequency?: number;
  /** Updates each time (default 1). */
  gradientSteps?: number;
  /** Update the target network every this many environment steps (default 1,000). */
  targetUpdateInterval?: number;
  /** Target update step τ in `(0, 1]`: 1 copies (hard), less is Polyak averaging (default 1). */
  tau?: number;
  /** TD loss: `"huber"` (δ = 1, default) or `"mse"`. */
  loss?: "huber" | "mse";
  /** Pick the next action with the online network, value it with the target (default false). */
  doubleDqn?: boolean;
  /** Rescale the gradients when their global L2 norm exceeds this (default 10; Infinity: off). */
  maxGradNorm?: number;
  /** ε at step 0 (default 1). */
  explorationStart?: number;
  /** ε after `explorationSteps` steps and from then on (default 0.05). */
  explorationEnd?: number;
  /** Steps over which ε falls linearly (default 10,000). */
  explorationSteps?: number;
  /** Seed of the agent's generator: exploration and replay sampling (default: from `dn.setSeed`). */
  seed?: number;
}

/** The options with their defaults filled in and checked. */
export type DqnConfig = Required<Omit<DqnOptions, "seed">> & { seed: number | undefined };

const KEYS = [
  "model",
  "optimizer",
  "gamma",
  "bufferSize",
  "batchSize",
  "learningStarts",
  "trainFrequency",
  "gradientSteps",
  "targetUpdateInterval",
  "tau",
  "loss",
  "doubleDqn",
  "maxGradNorm",
  "explorationStart",
  "explorationEnd",
  "explorationSteps",
  "seed",
];

function inRange(v: unknown, lo: number, hi: number, loOpen: boolean, arg: string): number {
  if (typeof v !== "number" || !(loOpen ? v > lo : v >= lo) || !(v <= hi)) {
    throw new RangeError(
      `Cannot run dqn(): option "${arg}" must be in ${loOpen ? "(" : "["}${lo}, ${hi}]: got ${
        fmtValue(v)
      }`,
    );
  }
  return v;
}

function checkBoolean(v: unknown, arg: string): boolean {
  if (typeof v !== "boolean") {
    throw new TypeError(`Cannot run dqn(): option "${arg}" must be a boolean: got ${fmtValue(v)}`);
  }
  return v;
}

/** Checks `options` and fills in the defaults. */
export function dqnConfig(options: DqnOptions): DqnConfig {
  const fn = "dqn";
  checkOptions(options, KEYS, fn);
  const o = options;
  if (!(o.model instanceof LayersModel)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "model" must be a LayersModel (dn.sequential or dn.model): got ${
        fmtValue(o.model)
      }`,
    );
  }
  if (o.optimizer !== undefined && !(o.optimizer instanceof Optimizer)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "optimizer" must be an optimizer (dn.optimizers.*): got ${
        fmtValue(o.optimizer)
      }`,
    );
  }
  const int = (v: number | undefined, fallback: number, arg: string, min = 1) => {
    const x = v ?? fallback;
    return min === 0 && x === 0 ? 0 : checkPositiveInt(x, arg, fn);
  };
  if (o.seed !== undefined && !Number.isInteger(o.seed)) {
    throw new RangeError(`Cannot run ${fn}(): option "seed" must be an integer: got ${o.seed}`);
  }
  const maxGradNorm = o.maxGradNorm ?? 10;
  if (typeof maxGradNorm !== "number" || !(maxGradNorm > 0)) {
    throw new RangeError(
      `Cannot run ${fn}(): option "maxGradNorm" must be > 0 (Infinity: no clipping): got ${
        fmtValue(maxGradNorm)
      }`,
    );
  }
  const batchSize = int(o.batchSize, 32, "batchSize");
  return {
    model: o.model,
    optimizer: o.optimizer ?? (o.model.compiled?.optimizer ?? adam({ learningRate: 1e-3 })),
    gamma: inRange(o.gamma ?? 0.99, 0, 1, false, "gamma"),
    bufferSize: int(o.bufferSize, 50_000, "bufferSize"),
    batchSize,
    learningStarts: Math.max(int(o.learningStarts, 1000, "learningStarts", 0), batchSize),
    trainFrequency: int(o.trainFrequency, 4, "trainFrequency"),
    gradientSteps: int(o.gradientSteps, 1, "gradientSteps"),
    targetUpdateInterval: int(o.targetUpdateInterval, 1000, "targetUpdateInterval"),
    tau: inRange(o.tau ?? 1, 0, 1, true, "tau"),
    loss: checkOneOf(o.loss ?? "huber", ["huber", "mse"], "loss", fn),
    doubleDqn: checkBoolean(o.doubleDqn ?? false, "doubleDqn"),
    maxGradNorm,
    explorationStart: inRange(o.explorationStart ?? 1, 0, 1, false, "explorationStart"),
    explorationEnd: inRange(o.explorationEnd ?? 0.05, 0, 1, false, "explorationEnd"),
    explorationSteps: int(o.explorationSteps, 10_000, "explorationSteps"),
    seed: o.seed,
  };
}

/** ε at `step`: linear from `start` to `end` over `steps`, then `end`. */
export function linearSchedule(start: number, end: number, steps: number, step: number): number {
  return step >= steps ? end : start + (end - start) * (step / steps);
}
