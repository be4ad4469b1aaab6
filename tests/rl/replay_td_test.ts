/**
 * The replay ring, the TD target (terminal transitions carry no bootstrap, truncated ones do;
 * Double DQN picks with the online values) and the target-network updates, against values
 * computed by hand.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

Deno.test("replayBuffer() keeps the last `capacity` transitions in typed arrays, oldest overwritten", () => {
  const buffer = dn.rl.replayBuffer({ capacity: 3, observationSize: 2, seed: 0 });
  for (let t = 0; t < 5; t++) buffer.add([t, -t], t % 2, 10 * t, [t + 1, -t - 1], t === 4);
  assertEquals(buffer.size, 3);
  // Slots 0, 1, 2 were written by t = 3, 4, 2.
  assertEquals([...buffer.observations], [3, -3, 4, -4, 2, -2]);
  assertEquals([...buffer.nextObservations], [4, -4, 5, -5, 3, -3]);
  assertEquals([...buffer.actions], [1, 0, 0]);
  assertEquals([...buffer.rewards], [30, 40, 20]);
  assertEquals([...buffer.terminated], [0, 1, 0]);
  assert(buffer.observations instanceof Float32Array && buffer.actions instanceof Int32Array);
});

Deno.test("ReplayBuffer.sample() draws rows uniformly, each row one whole transition", () => {
  const buffer = dn.rl.replayBuffer({ capacity: 8, observationSize: 3, seed: 1 });
  for (let t = 0; t < 8; t++) {
    buffer.add([t, t, t], t % 3, t, [t + 0.5, t + 0.5, t + 0.5], t % 2 === 0);
  }
  const counts = new Array(8).fill(0);
  let first: dn.rl.ReplayBatch | null = null;
  for (let draw = 0; draw < 500; draw++) {
    const b = buffer.sample(32);
    first ??= b;
    assert(b === first, "the batch arrays are reused");
    for (let r = 0; r < 32; r++) {
      const i = b.indices[r];
      counts[i]++;
      assertEquals([...b.observations.subarray(r * 3, r * 3 + 3)], [i, i, i]);
      assertEquals(b.nextObservations[r * 3 + 2], i + 0.5);
      assertEquals([b.actions[r], b.rewards[r], b.terminated[r]], [i % 3, i, i % 2 === 0 ? 1 : 0]);
    }
  }
  // 16,000 draws over 8 slots: 2,000 each, standard deviation 42; allow 5 of them.
  for (const c of counts) assert(Math.abs(c - 2000) < 210, `counts ${counts}`);
  const again = dn.rl.replayBuffer({ capacity: 8, observationSize: 3, seed: 1 });
  for (let t = 0; t < 8; t++) again.add([t, t, t], 0, 0, [0, 0, 0], false);
  const fresh = dn.rl.replayBuffer({ capacity: 8, observationSize: 3, seed: 1 });
  for (let t = 0; t < 8; t++) fresh.add([t, t, t], 0, 0, [0, 0, 0], false);
  assertEquals([...again.sample(16).indices], [...fresh.sample(16).indices]); // seeded
});

Deno.test("replayBuffer() rejects bad options and transitions with typed errors", () => {
  assertThrows(
    () => dn.rl.replayBuffer({ capacity: 0, observationSize: 1 }),
    RangeError,
    "capacity",
  );
  assertThrows(
    () =>
      dn.rl.replayBuffer({ capacity: 1, observationSize: 1, size: 3 } as dn.rl.ReplayBufferOptions),
    TypeError,
    'option "size" is not known',
  );
  const buffer = dn.rl.replayBuffer({ capacity: 4, observationSize: 4 });
  assertThrows(() => buffer.sample(1), RangeError, "the buffer is empty");
  assertThrows(
    () => buffer.add([1, 2, 3], 0, 0, [1, 2, 3, 4], false),
    RangeError,
    'argument "observation" must hold 4 numbers: got 3',
  );
  assertThrows(() => buffer.add([1, 2, 3, 4], 0.5, 0, [1, 2, 3, 4], false), RangeError, "action");
  assertThrows(() => buffer.add([1, 2, 3, 4], 0, NaN, [1, 2, 3, 4], false), RangeError, "reward");
});

Deno.test("tdTargets(): r + γ max Q⁻(s'), no bootstrap after a terminal state, bootstrap after truncation", () => {
  // Three transitions, two actions, γ = 0.9:
  //   0: reward 1, next values (2, 5), not terminal            -> 1 + 0.9 * 5 = 5.5
  //   1: reward -1, next values (3, 1), terminal               -> -1
  //   2: reward 0, next values (-4, -2), truncated (stored as not terminal) -> 0.9 * -2 = -1.8
  const args = {
    rewards: [1, -1, 0],
    terminated: [0, 1, 0],
    nextQ: [2, 5, 3, 1, -4, -2],
    actions: 2,
    gamma: 0.9,
  };
  assertEquals([...dn.rl.tdTargets(args)], [5.5, -1, -1.8].map(Math.fround));
  // Double DQN: the online values pick a* = 0, 1, 0; the target values value it.
  const double = dn.rl.tdTargets({ ...args, nextQOnline: [9, 0, 0, 9, 1, 0] });
  assertEquals([...double], [1 + 0.9 * 2, -1, 0.9 * -4].map(Math.fround));
  assertThrows(
    () => dn.rl.tdTargets({ ...args, gamma: 1.5 }),
    RangeError,
    '"gamma" must be in [0, 1]',
  );
  assertThrows(
    () => dn.rl.tdTargets({ ...args, nextQ: [1, 2, 3] }),
    RangeError,
    'argument "nextQ" must hold 6 numbers',
  );
});

Deno.test("a transition through a time limit is stored not terminal, so its target bootstraps", async () => {
  // One-state task that never terminates, cut after 3 steps: every stored flag must be 0.
  const env = dn.rl.timeLimit(new dn.rl.Catch({ rows: 50, columns: 3, paddleWidth: 1 }), 3);
  dn.setSeed(2);
  const model = dn.sequential([
    dn.layers.flatten({ inputShape: [50, 3] }),
    dn.layers.dense({ units: 3 }),
  ]);
  const agent = dn.rl.dqn({ model, learningStarts: 100, seed: 3 });
  await agent.train({ env, steps: 9, verbose: 0 });
  assertEquals(agent.buffer.size, 9);
  assertEquals([...agent.buffer.terminated.subarray(0, 9)], new Array(9).fill(0));
  const terminal = dn.rl.make("Catch-v0");
  const catcher = dn.rl.dqn({
    model: dn.sequential([
      dn.layers.flatten({ inputShape: [16, 16] }),
      dn.layers.dense({ units: 3 }),
    ]),
    learningStarts: 100,
    seed: 3,
  });
  await catcher.train({ env: terminal, steps: 30, verbose: 0 });
  // Catch ends every 15 steps by termination: steps 15 and 30 are terminal.
  assertEquals(
    [...catcher.buffer.terminated.subarray(0, 30)].map((v, i) => v ? i + 1 : 0).filter(Boolean),
    [15, 30],
  );
  for (const a of [agent, catcher]) {
    a.dispose();
    a.model.dispose();
  }
});

Deno.test("updateTarget(): a hard update copies, a soft one moves by τ (hand-computed)", () => {
  const net = () => dn.sequential([dn.layers.dense({ units: 2, inputShape: [1] })]);
  const online = net(), target = dn.cloneModel(online);
  online.setWeights([dn.tensor([[1, -2]]), dn.tensor([4, 8])]);
  target.setWeights([dn.tensor([[3, 2]]), dn.tensor([0, -8])]);
  dn.rl.updateTarget(target, online, 0.25);
  const read = () => target.getWeights().map((w) => [...w.dataSync()]);
  // 0.25 * online + 0.75 * target
  assertEquals(read(), [[2.5, 1], [1, -4]]);
  dn.rl.updateTarget(target, online, 0.5);
  assertEquals(read(), [[1.75, -0.5], [2.5, 2]]);
  dn.rl.updateTarget(target, online);
  assertEquals(read(), [[1, -2], [4, 8]]);
  // The copy is a copy: training the online network leaves the target alone.
  online.setWeights([dn.tensor([[0, 0]]), dn.tensor([0, 0])]);
  assertEquals(read(), [[1, -2], [4, 8]]);
  assertThrows(() => dn.rl.updateTarget(target, online, 0), RangeError, '"tau" must be in (0, 1]');
  assertThrows(
    () => dn.rl.updateTarget({} as dn.Sequential, online),
    TypeError,
    'argument "target" must be a LayersModel',
  );
});

Deno.test("Dqn trains with hard updates every C steps and with Polyak averaging every step", async () => {
  const make = (tau: number, targetUpdateInterval: number) => {
    dn.setSeed(4);
    const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [4] })]);
    return dn.rl.dqn({
      model,
      tau,
      targetUpdateInterval,
      learningStarts: 32,
      trainFrequency: 1,
      seed: 5,
    });
  };
  const weights = (m: dn.LayersModel) => m.getWeights().flatMap((w) => [...w.dataSync()]);
  const hard = make(1, 50);
  const env = dn.rl.make("CartPole-v1");
  await hard.train({ env, steps: 49, verbose: 0 });
  const before = weights(hard.target);
  assert(weights(hard.model).some((v, i) => v !== before[i]), "the online network trained");
  await hard.train({ env, steps: 1, verbose: 0 }); // step 50: the copy
  assertEquals(weights(hard.target), weights(hard.model));
  const soft = make(0.1, 1);
  await soft.train({ env, steps: 40, verbose: 0 });
  const t0 = weights(soft.target), w = weights(soft.model);
  // Before the last step's update the target lagged; it is now 0.1 of the way to the online.
  await soft.train({ env, steps: 1, verbose: 0 });
  const t1 = weights(soft.target), w1 = weights(soft.model);
  t1.forEach((v, i) => assert(Math.abs(v - (0.9 * t0[i] + 0.1 * w1[i])) < 1e-6, `soft ${i}`));
  assert(w.some((v, i) => v !== w1[i]));
  for (const a of [hard, soft]) {
    a.dispose();
    a.model.dispose();
  }
});
