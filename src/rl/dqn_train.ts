/**
 * DQN's loops over episodes: training (act, store, learn, sync the target; episodes and logs;
 * callbacks with the `fit()` hooks, an interval of `logInterval` steps being an epoch and a step a
 * batch, plus `onEpisodeEnd`) and evaluation.
 *
 * @module
 */
import { checkOptions, checkPositiveInt, fmtShape, fmtValue } from "../_check.ts";
import type { Callback, Logs } from "../models/callbacks.ts";
import type { Sequential } from "../models/sequential.ts";
import type { Dqn } from "./dqn.ts";
import { Env } from "./env.ts";

/** A training callback: `fit()`'s hooks, and one more at the end of each episode. */
export interface DqnCallback extends Callback {
  /** Called after each episode with its `return`, `length` and the `step` it ended at. */
  onEpisodeEnd?(episode: number, logs: Logs): void | Promise<void>;
}

/** Options of `Dqn.train()`. */
export interface DqnTrainOptions {
  /** The environment (reset at the start of the call). */
  env: Env;
  /** Environment steps to take. */
  steps: number;
  /** Callbacks; `setModel` gets the Q-network, whose `stopTraining = true` ends training. */
  callbacks?: DqnCallback | DqnCallback[];
  /** 1 (default): a summary line per interval; 0: silent. */
  verbose?: 0 | 1;
  /** Steps per logged interval (default 1,000). */
  logInterval?: number;
  /** Seed of the first `env.reset()`. */
  seed?: number;
}

/** What `Dqn.train()` returns. */
export interface DqnHistory {
  /** Every finished episode: its return, its length, and the agent step it ended at. */
  episodes: { returns: number[]; lengths: number[]; steps: number[] };
  /**
   * Per interval: `step`, `episodes`, `return` (mean of the last 100 episodes), `epsilon`,
   * `loss` (mean over the interval's updates) and `steps_per_second`.
   */
  history: Record<string, number[]>;
}

/** Options of `Dqn.evaluate()`. */
export interface EvaluateOptions {
  /** The environment (its own, not the one being trained on, if training goes on). */
  env: Env;
  /** Episodes to run (default 10). */
  episodes?: number;
  /** Seed of the first `reset` (the next ones continue its stream). */
  seed?: number;
  /** ε of the policy (default 0: greedy). */
  epsilon?: number;
}

/** What `Dqn.evaluate()` returns. */
export interface EvaluateResult {
  /** Each episode's return. */
  returns: number[];
  /** Each episode's `info` of its last step. */
  infos: Record<string, unknown>[];
}

/** Throws unless `env`'s spaces fit the agent's Q-network. */
function checkEnvFits(agent: Dqn, env: Env, fn: string): void {
  const space = env?.observationSpace;
  if (!space || fmtShape(space.shape) !== fmtShape(agent.observationShape)) {
    throw new TypeError(
      `Cannot run ${fn}(): the environment's observations must have the model's input shape ${
        fmtShape(agent.observationShape)
      }: got ${space ? fmtShape(space.shape) : fmtValue(env)}`,
    );
  }
  if (env.actionSpace?.n !== agent.actions || env.actionSpace.start !== 0) {
    throw new TypeError(
      `Cannot run ${fn}(): the environment's actions must be Discrete(${agent.actions}), one per model output: got ${env.actionSpace}`,
    );
  }
}

/** Runs `Dqn.evaluate()`. */
export function evaluateDqn(agent: Dqn, options: EvaluateOptions): EvaluateResult {
  const fn = "Dqn.evaluate";
  const o = checkOptions(options, ["env", "episodes", "seed", "epsilon"], fn);
  const env = o.env as Env;
  checkEnvFits(agent, env, fn);
  const episodes = checkPositiveInt(o.episodes ?? 10, "episodes", fn);
  const returns: number[] = [], infos: Record<string, unknown>[] = [];
  for (let e = 0; e < episodes; e++) {
    let { observation } = env.reset(e === 0 ? { seed: options.seed } : {});
    let total = 0;
    for (;;) {
      const r = env.step(agent.act(observation, { epsilon: options.epsilon }));
      total += r.reward;
      observation = r.observation;
      if (r.terminated || r.truncated) {
        infos.push(r.info);
        break;
      }
    }
    returns.push(total);
  }
  return { returns, infos };
}

/** Runs `Dqn.train()`. */
export async function trainDqn(agent: Dqn, options: DqnTrainOptions): Promise<DqnHistory> {
  const fn = "Dqn.train";
  const o = checkOptions(
    options,
    ["env", "steps", "callbacks", "verbose", "logInterval", "seed"],
    fn,
  );
  if (!(o.env instanceof Env)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "env" must be a dn.rl Env: got ${fmtValue(o.env)}`,
    );
  }
  const env = o.env;
  checkEnvFits(agent, env, fn);
  const steps = checkPositiveInt(o.steps, "steps", fn);
  const interval = checkPositiveInt(o.logInterval ?? 1000, "logInterval", fn);
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1) {
    throw new RangeError(
      `Cannot run ${fn}(): option "verbose" must be 0 or 1: got ${fmtValue(verbose)}`,
    );
  }
  const callbacks = options.callbacks === undefined ? [] : [options.callbacks].flat();
  const cfg = agent.config, model = agent.model;
  const intervals = Math.ceil(steps / interval);
  const out: DqnHistory = { episodes: { returns: [], lengths: [], steps: [] }, history: {} };
  model.stopTraining = false;
  for (const cb of callbacks) {
    cb.setModel?.(model as Sequential); // callbacks use only what every LayersModel has
    cb.setParams?.({ epochs: intervals, batches: interval, samples: steps });
  }
  for (const cb of callbacks) await cb.onTrainBegin?.({});
  let { observation } = env.reset({ seed: options.seed });
  let episodeReturn = 0, episodeLength = 0, lastLoss = 0;
  let done = 0;
  for (let k = 0; k < intervals && !model.stopTraining; k++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(k, {});
    const started = performance.now();
    let lossSum = 0, losses = 0, ran = 0;
    const end = Math.min(steps, (k + 1) * interval);
    for (; done < end && !model.stopTraining; done++, ran++) {
      const epsilon = agent.epsilon;
      const action = agent.act(observation, { epsilon });
      const r = env.step(action);
      agent.buffer.add(observation, action, r.reward, r.observation, r.terminated);
      agent.steps++;
      episodeReturn += r.reward;
      episodeLength++;
      observation = r.observation;
      if (agent.steps >= cfg.learningStarts && agent.steps % cfg.trainFrequency === 0) {
        for (let g = 0; g < cfg.gradientSteps; g++) {
          lastLoss = agent.trainStep();
          lossSum += lastLoss;
          losses++;
        }
      }
      if (agent.steps % cfg.targetUpdateInterval === 0) agent.updateTarget();
      const logs: Logs = { epsilon, loss: lastLoss };
      for (const cb of callbacks) await cb.onBatchEnd?.(done - k * interval, logs);
      if (r.terminated || r.truncated) {
        const e = out.episodes;
        e.returns.push(episodeReturn);
        e.lengths.push(episodeLength);
        e.steps.push(agent.steps);
        const episodeLogs = { return: episodeReturn, length: episodeLength, step: agent.steps };
        for (const cb of callbacks) await cb.onEpisodeEnd?.(e.returns.length - 1, episodeLogs);
        episodeReturn = episodeLength = 0;
        ({ observation } = env.reset());
      }
    }
    if (ran === 0) break;
    const seconds = (performance.now() - started) / 1000;
    const recent = out.episodes.returns.slice(-100);
    const logs: Logs = {
      step: agent.steps,
      episodes: out.episodes.returns.length,
      return: recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : NaN,
      epsilon: agent.epsilon,
      loss: losses ? lossSum / losses : NaN,
      steps_per_second: ran / seconds,
    };
    for (const [name, v] of Object.entries(logs)) (out.history[name] ??= []).push(v);
    if (verbose) console.log(`Steps ${done}/${steps} - ${seconds.toFixed(1)}s - ${line(logs)}`);
    for (const cb of callbacks) await cb.onEpochEnd?.(k, logs);
  }
  for (const cb of callbacks) await cb.onTrainEnd?.({});
  return out;
}

/** `episodes: 12 - return: 22.5 - ...`: counts as integers, the rest to 4 digits. */
function line(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) =>
    `${k}: ${Number.isInteger(v) ? v : k === "steps_per_second" ? v.toFixed(0) : v.toFixed(4)}`
  ).join(" - ");
}
