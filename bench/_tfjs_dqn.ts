/**
 * The DQN agent of `dn.rl.dqn` rebuilt on TensorFlow.js layers (the baseline of
 * `dqn_bench.ts`): the same Q-network, Adam, replay buffer (Dendrite's typed-array ring, shared
 * JS), CPU TD targets, Huber loss, global-norm clipping at 10 and hard target updates. Two update
 * formulations: `"tape"`, the loss written in tfjs ops under `tf.variableGrads` (as
 * tfjs-examples' DQN writes it), and `"cpu"`, Dendrite's own step (the loss and its gradient
 * with respect to Q taken on the CPU from values read back mid-tape).
 *
 * @module
 */
import type * as tfl from "@tensorflow/tfjs-layers";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";
import type { Tfjs } from "./_tfjs.ts";

type Adam = ReturnType<Tfjs["train"]["adam"]>;
import * as dn from "../mod.ts";

/** How the tfjs update takes the loss. */
export type TfjsLossMode = "tape" | "cpu";

/** A tfjs DQN agent stepping an environment; `step()` is one env step plus one update. */
export class TfjsDqn {
  readonly #tf: Tfjs;
  readonly #model: tfl.LayersModel;
  readonly #target: tfl.LayersModel;
  readonly #opt: Adam;
  readonly #buffer = dn.rl.replayBuffer({ capacity: 50_000, observationSize: 4, seed: 1 });
  readonly #y = new Float32Array(32);
  readonly #dq = new Float32Array(64);
  readonly #mode: TfjsLossMode;
  #observation: Float32Array;
  #steps = 0;

  constructor(tf: Tfjs, layers: typeof tfl, readonly env: dn.rl.Env, mode: TfjsLossMode) {
    this.#tf = tf;
    this.#mode = mode;
    const build = () =>
      layers.sequential({
        layers: [
          layers.layers.dense({ units: 64, activation: "relu", inputShape: [4] }),
          layers.layers.dense({ units: 64, activation: "relu" }),
          layers.layers.dense({ units: 2 }),
        ],
      });
    this.#model = build();
    this.#target = build();
    this.#target.setWeights(this.#model.getWeights());
    this.#opt = tf.train.adam(1e-3);
    this.#observation = env.reset({ seed: 0 }).observation;
    for (let i = 0; i < 1000; i++) this.#envStep(env.actionSpace.sample());
  }

  #envStep(action: number): void {
    const r = this.env.step(action);
    this.#buffer.add(this.#observation, action, r.reward, r.observation, r.terminated);
    this.#observation = r.terminated || r.truncated ? this.env.reset().observation : r.observation;
  }

  /** One greedy env step, one batch-32 update, and the target copy every 1,000 steps. */
  step(): void {
    const tf = this.#tf;
    const action = tf.tidy(() => {
      const q = this.#model.predict(tf.tensor2d(this.#observation, [1, 4])) as Tensor;
      return tf.argMax(q, -1).dataSync()[0];
    });
    this.#envStep(action);
    const b = this.#buffer.sample(32);
    const nextQ = tf.tidy(() =>
      (this.#target.predict(tf.tensor2d(b.nextObservations, [32, 4])) as Tensor).dataSync()
    );
    dn.rl.tdTargets({
      rewards: b.rewards,
      terminated: b.terminated,
      nextQ,
      actions: 2,
      gamma: 0.99,
      out: this.#y,
    });
    tf.tidy(() => {
      const x = tf.tensor2d(b.observations, [32, 4]);
      const { grads } = tf.variableGrads(() =>
        this.#mode === "tape" ? this.#tapeLoss(x, b.actions) : this.#cpuLoss(x, b.actions)
      );
      const names = Object.keys(grads);
      const flat = tf.concat(names.map((n) => tf.reshape(grads[n], [-1])));
      const norm = tf.norm(flat).dataSync()[0];
      if (norm > 10) { for (const n of names) grads[n] = tf.mul(grads[n], 10 / norm); }
      // tfjs's optimizers take a map of gradients by variable name (typed as variables).
      this.#opt.applyGradients(grads as unknown as Parameters<Adam["applyGradients"]>[0]);
    });
    if (++this.#steps % 1000 === 0) this.#target.setWeights(this.#model.getWeights());
  }

  #tapeLoss(x: Tensor, actions: Int32Array): Scalar {
    const tf = this.#tf;
    const q = this.#model.apply(x, { training: true }) as Tensor;
    const mask = tf.oneHot(tf.tensor1d(actions, "int32"), 2);
    const qa = tf.sum(tf.mul(q, mask), 1);
    return tf.losses.huberLoss(tf.tensor1d(this.#y), qa) as Scalar;
  }

  #cpuLoss(x: Tensor, actions: Int32Array): Scalar {
    const tf = this.#tf;
    const q = this.#model.apply(x, { training: true }) as Tensor;
    const values = q.dataSync(), dq = this.#dq.fill(0);
    for (let i = 0; i < 32; i++) {
      const at = i * 2 + actions[i], d = values[at] - this.#y[i];
      dq[at] = (Math.abs(d) <= 1 ? d : Math.sign(d)) / 32;
    }
    return tf.sum(tf.mul(q, tf.tensor2d(dq, [32, 2]))) as Scalar;
  }
}
