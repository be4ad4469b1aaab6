/**
 * `Dqn.trainStep()` takes the TD loss on the CPU from Q-values read back mid-tape; it must update
 * the weights as the textbook step does: the loss written in ops (`dn.losses.huber` or
 * `meanSquaredError` of `Q(s, a)` gathered with `dn.oneHot`) under `dn.valueAndGrads`, the global
 * norm clipped, then SGD.
 */
import * as dn from "../../mod.ts";
import { assert, assertThrows } from "../_util/assert.ts";

const OBS = 3, ACTIONS = 4, BATCH = 8;

function net(): dn.Sequential {
  dn.setSeed(21);
  return dn.sequential([
    dn.layers.dense({ units: 5, activation: "tanh", inputShape: [OBS] }),
    dn.layers.dense({ units: ACTIONS }),
  ]);
}

function batch(): dn.rl.ReplayBatch {
  let s = 7;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const f = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => (u() - 0.5) * scale);
  return {
    observations: f(BATCH * OBS, 4),
    nextObservations: f(BATCH * OBS, 4),
    actions: Int32Array.from({ length: BATCH }, () => Math.floor(u() * ACTIONS)),
    rewards: f(BATCH, 6), // wide enough that some TD errors pass Huber's δ = 1
    terminated: Uint8Array.from({ length: BATCH }, (_, i) => i % 3 === 0 ? 1 : 0),
    indices: new Int32Array(BATCH),
  };
}

const cases = [
  { loss: "huber", doubleDqn: false, maxGradNorm: Infinity },
  { loss: "mse", doubleDqn: true, maxGradNorm: Infinity },
  { loss: "huber", doubleDqn: true, maxGradNorm: 0.05 },
] as const;

for (const { loss, doubleDqn, maxGradNorm } of cases) {
  Deno.test(`Dqn.trainStep() matches the loss-on-the-tape step (${loss}, doubleDqn ${doubleDqn}, maxGradNorm ${maxGradNorm})`, () => {
    const gamma = 0.9, lr = 0.1;
    const model = net();
    const agent = dn.rl.dqn({
      model,
      optimizer: dn.optimizers.sgd({ learningRate: lr }),
      gamma,
      batchSize: BATCH,
      loss,
      doubleDqn,
      maxGradNorm,
    });
    // Make the target differ from the online network, so Double DQN's choice matters.
    const reference = net();
    reference.setWeights(reference.getWeights().map((w) => dn.mul(w, 0.5)));
    agent.target.setWeights(reference.getWeights());
    reference.setWeights(model.getWeights());
    const b = batch();
    const next = dn.tensor(b.nextObservations, [BATCH, OBS]);
    const y = dn.rl.tdTargets({
      rewards: b.rewards,
      terminated: b.terminated,
      nextQ: (agent.target.predict(next) as dn.Tensor).dataSync(),
      nextQOnline: doubleDqn ? (reference.predict(next) as dn.Tensor).dataSync() : undefined,
      actions: ACTIONS,
      gamma,
    });
    const weights = reference.trainableWeights;
    const { value, grads } = dn.valueAndGrads(() => {
      const q = reference.apply(dn.tensor(b.observations, [BATCH, OBS]), {
        training: true,
      }) as dn.Tensor;
      const qa = dn.sum(dn.mul(q, dn.oneHot(dn.tensor(Float32Array.from(b.actions)), ACTIONS)), 1);
      return loss === "huber"
        ? dn.losses.huber(dn.tensor(y), qa)
        : dn.losses.meanSquaredError(dn.tensor(y), qa);
    })(weights);
    const norm = Math.sqrt(grads.reduce((s, g) => s + dn.sum(dn.square(g)).dataSync()[0], 0));
    const scale = norm > maxGradNorm ? maxGradNorm / norm : 1;
    if (maxGradNorm !== Infinity) assert(scale < 0.5, `the clip must bite: norm ${norm}`);
    dn.optimizers.sgd({ learningRate: lr }).applyGradients(
      weights,
      grads.map((g) => dn.mul(g, scale)),
    );

    const got = agent.trainStep(b);
    const want = value.dataSync()[0];
    assert(Math.abs(got - want) <= 1e-5 * Math.max(1, want), `loss ${got} vs ${want}`);
    const a = model.getWeights().flatMap((w) => [...w.dataSync()]);
    const r = reference.getWeights().flatMap((w) => [...w.dataSync()]);
    a.forEach((v, i) => assert(Math.abs(v - r[i]) <= 1e-6, `weight ${i}: ${v} vs ${r[i]}`));
    assert(a.some((v, i) => v !== net().getWeights().flatMap((w) => [...w.dataSync()])[i]));
    agent.dispose();
    model.dispose();
    reference.dispose();
  });
}

Deno.test("Dqn.trainStep() rejects a batch that does not fit", () => {
  const agent = dn.rl.dqn({ model: net(), batchSize: BATCH });
  const b = batch();
  assertThrows(
    () => agent.trainStep({ ...b, rewards: new Float32Array(3) }),
    RangeError,
    '"batch.rewards" must hold 8 values (batchSize 8): got 3',
  );
  assertThrows(
    () => agent.trainStep({ ...b, actions: new Int32Array(BATCH).fill(ACTIONS) }),
    RangeError,
    '"batch.actions" must lie in [0, 4): got 4',
  );
  agent.dispose();
  agent.model.dispose();
});
