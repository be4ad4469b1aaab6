/**
 * Reinforcement learning: environments with Gymnasium's interface (CartPole-v1, the pixel game
 * Catch, and the wrappers time limit, frame stack, reward clip and episode statistics) and a DQN
 * agent (experience replay in typed arrays, ε-greedy, target network, Double DQN).
 *
 * @module
 */
export { Env, ResetNeededError } from "./env.ts";
export type { Info, ResetOptions, ResetResult, StepResult } from "./env.ts";
export { Box, Discrete } from "./spaces.ts";
export type { BoxOptions, Space } from "./spaces.ts";
export { CartPole, cartPoleStep } from "./envs/cartpole.ts";
export { Catch } from "./envs/catch.ts";
export type { CatchOptions } from "./envs/catch.ts";
export {
  clipReward,
  frameStack,
  RecordEpisodeStatistics,
  recordEpisodeStatistics,
  timeLimit,
  Wrapper,
} from "./wrappers.ts";
export type { EpisodeStatistics } from "./wrappers.ts";
export { make } from "./make.ts";
export type { EnvId } from "./make.ts";
export { ReplayBuffer, replayBuffer } from "./replay_buffer.ts";
export type { ReplayBatch, ReplayBufferOptions } from "./replay_buffer.ts";
export { tdTargets } from "./td.ts";
export type { TdTargetArgs } from "./td.ts";
export { updateTarget } from "./target_update.ts";
export { Dqn, dqn } from "./dqn.ts";
export type { ActOptions, DqnOptions, EvaluateOptions, EvaluateResult } from "./dqn.ts";
export type { DqnCallback, DqnHistory, DqnTrainOptions } from "./dqn_train.ts";
