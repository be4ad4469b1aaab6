/**
 * One DQN gradient step on a sampled batch: the TD targets on the CPU from the target network's
 * (and for Double DQN the online network's) values of the next observations, then
 * `dn.valueAndGrads` over the trainable weights of the Huber or squared TD error of `Q(s, a)`,
 * optional global-norm clipping, and `optimizer.applyGradients`. The loss is taken on the CPU
 * from the Q-values read back inside the taped function: its gradient with respect to the
 * `[batch, actions]` output (zero but at each row's action, which gathers `Q(s, a)`) multiplies
 * the output, and the tape carries it back. Targets and gradients live in reused arrays.
 *
 * @module
 */
import { valueAndGrads } from "../autograd/grad.ts";
import { cloneModel } from "../models/clone.ts";
import type { LayersModel } from "../models/layers_model.ts";
import { mul } from "../ops/arithmetic.ts";
import { concat } from "../ops/concat.ts";
import { tensor } from "../ops/creation.ts";
import { reshape } from "../ops/transform.ts";
import { sum } from "../ops/reduce.ts";
import { square } from "../ops/unary.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import type { DqnConfig } from "./_dqn_options.ts";
import type { ReplayBatch } from "./replay_buffer.ts";
import { tdTargets } from "./td.ts";

/** The online network's values for a batch of observations, read back to the CPU. */
export function qValuesOf(model: LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tidy(() => model.forwardAll([tensor(x, shape)], false)[0].dataSync());
}

/** The learner: online and target networks, optimizer, and the step's reusable arrays. */
export class DqnLearner {
  /** The target network, a clone of the online one. */
  readonly target: LayersModel;
  readonly #cfg: DqnConfig;
  readonly #batchShape: number[];
  readonly #actions: number;
  readonly #y: Float32Array;
  readonly #dq: Float32Array;

  constructor(cfg: DqnConfig, observationShape: readonly number[], actions: number) {
    this.#cfg = cfg;
    this.target = cloneModel(cfg.model);
    this.#batchShape = [cfg.batchSize, ...observationShape];
    this.#actions = actions;
    this.#y = new Float32Array(cfg.batchSize);
    this.#dq = new Float32Array(cfg.batchSize * actions);
  }

  /** One gradient step on `batch`; returns its loss. */
  step(batch: ReplayBatch): number {
    const { model, gamma, doubleDqn, optimizer } = this.#cfg;
    const n = this.#actions, shape = this.#batchShape;
    tdTargets({
      rewards: batch.rewards,
      terminated: batch.terminated,
      nextQ: qValuesOf(this.target, batch.nextObservations, shape),
      nextQOnline: doubleDqn ? qValuesOf(model, batch.nextObservations, shape) : undefined,
      actions: n,
      gamma,
      out: this.#y,
    });
    const b = shape[0], y = this.#y, dq = this.#dq.fill(0), huber = this.#cfg.loss === "huber";
    let loss = 0;
    return tidy(() => {
      const x = tensor(batch.observations, shape);
      const weights = model.trainableWeights;
      // The loss and its gradient with respect to Q(s, a) are computed here from the values read
      // back mid-tape; the tape then carries dq = ∂loss/∂Q back through the network (one forward
      // pass, and no loss ops on the tape).
      const { grads } = valueAndGrads(() => {
        const q = model.forwardAll([x], true)[0];
        const values = q.dataSync();
        for (let i = 0; i < b; i++) {
          const at = i * n + batch.actions[i], d = values[at] - y[i];
          const small = Math.abs(d) <= 1;
          loss += huber ? (small ? 0.5 * d * d : Math.abs(d) - 0.5) : d * d;
          dq[at] = (huber ? (small ? d : Math.sign(d)) : 2 * d) / b;
        }
        return sum(mul(q, tensor(dq, [b, n])));
      })(weights);
      optimizer.applyGradients(weights, this.#clip(grads));
      return loss / b;
    });
  }

  /** The gradients scaled to global norm `maxGradNorm` when above it (Keras `clipnorm` global). */
  #clip(grads: Tensor[]): Tensor[] {
    const max = this.#cfg.maxGradNorm;
    if (max === Infinity) return grads;
    const flat = concat(grads.map((g) => reshape(g, [g.size])), 0);
    const norm = Math.sqrt(sum(square(flat)).dataSync()[0]);
    return norm > max ? grads.map((g) => mul(g, max / norm)) : grads;
  }
}
