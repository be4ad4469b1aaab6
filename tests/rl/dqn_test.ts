/**
 * The DQN agent learns: on a small deterministic chain whose Q* comes from value iteration here
 * (and whose episodes are cut by a time limit, so truncated transitions must bootstrap), the
 * learned values are within 5% of Q*, for DQN and Double DQN; on a small Catch it catches >= 90%
 * of the balls greedily. Also: act(), callbacks and logs, save/load, and the typed errors.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";

const STATES = 5, GOAL = 4, GAMMA = 0.9;

/** A chain 0 - 1 - 2 - 3 - 4: action 1 moves right, 0 left (0 stays); reaching 4 pays 1 and ends. */
class Chain extends dn.rl.Env {
  readonly id = "Chain-v0";
  readonly observationSpace = new dn.rl.Box({ low: 0, high: 1, shape: [STATES] });
  readonly actionSpace = new dn.rl.Discrete(2);
  state = 0;

  static next(s: number, a: number): number {
    return a === 1 ? s + 1 : Math.max(s - 1, 0);
  }

  #observe(): Float32Array {
    const o = new Float32Array(STATES);
    o[this.state] = 1;
    return o;
  }

  protected resetEnv(seed: number | undefined): dn.rl.ResetResult {
    this.state = this.seedRandom(seed).nextUint32() % GOAL; // start anywhere but the goal
    return { observation: this.#observe(), info: {} };
  }

  protected stepEnv(action: number): dn.rl.StepResult {
    this.state = Chain.next(this.state, action);
    const terminated = this.state === GOAL;
    return {
      observation: this.#observe(),
      reward: terminated ? 1 : 0,
      terminated,
      truncated: false,
      info: {},
    };
  }
}

/** Q* by value iteration, in float64: `Q[s][a]` for the non-terminal states. */
function valueIteration(): number[][] {
  let q = Array.from({ length: GOAL }, () => [0, 0]);
  for (let sweep = 0; sweep < 200; sweep++) {
    q = q.map((_, s) =>
      [0, 1].map((a) => {
        const n = Chain.next(s, a);
        return n === GOAL ? 1 : GAMMA * Math.max(...q[n]);
      })
    );
  }
  return q;
}

for (const doubleDqn of [false, true]) {
  Deno.test(`dqn({ doubleDqn: ${doubleDqn} }) learns Q* of a deterministic chain within 5%`, async () => {
    const qStar = valueIteration();
    assertEquals(qStar[3][1], 1);
    assert(Math.abs(qStar[0][0] - GAMMA ** 4) < 1e-12); // left at 0 stays: 0.9 * Q*(0, right)
    dn.setSeed(11);
    const model = dn.sequential([
      dn.layers.dense({ units: 2, inputShape: [STATES], useBias: false }),
    ]);
    const agent = dn.rl.dqn({
      model,
      optimizer: dn.optimizers.sgd({ learningRate: 1 }),
      gamma: GAMMA,
      loss: "mse",
      doubleDqn,
      maxGradNorm: Infinity,
      learningStarts: 64,
      trainFrequency: 1,
      targetUpdateInterval: 100,
      explorationStart: 1, // a uniformly random behaviour policy: Q-learning is off-policy
      explorationEnd: 1,
      seed: 12,
    });
    // Episodes are cut after 6 steps: the cut is no terminal state, so its targets bootstrap (a
    // cut taken as terminal would pull the far states' values towards 0).
    const env = dn.rl.timeLimit(new Chain(), 6);
    const history = await agent.train({ env, steps: 3000, verbose: 0, seed: 13 });
    assert(history.episodes.returns.length > 300);
    for (let s = 0; s < GOAL; s++) {
      const obs = new Float32Array(STATES);
      obs[s] = 1;
      const q = agent.qValues(obs);
      for (const a of [0, 1]) {
        const err = Math.abs(q[a] - qStar[s][a]) / qStar[s][a];
        assert(
          err < 0.05,
          `Q(${s}, ${a}) = ${q[a]}, Q* = ${qStar[s][a]}: ${(100 * err).toFixed(1)}%`,
        );
      }
      assertEquals(agent.act(obs), 1); // greedy: move towards the goal
    }
    agent.dispose();
    model.dispose();
  });
}

Deno.test("dqn() learns a small Catch from pixels: >= 90% caught in greedy evaluation", async () => {
  const game = () => new dn.rl.Catch({ rows: 8, columns: 5, paddleWidth: 1 });
  dn.setSeed(0);
  const model = dn.sequential([
    dn.layers.flatten({ inputShape: [8, 5] }),
    dn.layers.dense({ units: 32, activation: "relu" }),
    dn.layers.dense({ units: 3 }),
  ]);
  const agent = dn.rl.dqn({
    model,
    optimizer: dn.optimizers.adam({ learningRate: 3e-3 }),
    gamma: 0.9,
    learningStarts: 200,
    trainFrequency: 1,
    targetUpdateInterval: 100,
    explorationSteps: 1500,
    seed: 0,
  });
  const episodes: dn.Logs[] = [];
  const intervals: dn.Logs[] = [];
  const steps: number[] = [];
  const history = await agent.train({
    env: game(),
    steps: 3000,
    verbose: 0,
    logInterval: 1000,
    seed: 0,
    callbacks: {
      onEpisodeEnd: (_e, logs) => void episodes.push(logs),
      onEpochEnd: (_k, logs) => void intervals.push(logs),
      onBatchEnd: (b) => void steps.push(b),
    },
  });
  // Held-out episodes: another environment, other seeds.
  const { returns, infos } = agent.evaluate({ env: game(), episodes: 200, seed: 99 });
  const caught = infos.filter((i) => i.caught).length / infos.length;
  assert(caught >= 0.9, `caught ${caught}`);
  assertEquals(returns.filter((r) => r > 0).length / returns.length, caught);
  // 7 steps an episode; the logs and callbacks saw every step, episode and interval.
  assertEquals(episodes.length, Math.floor(3000 / 7));
  assertEquals(history.episodes.lengths.every((l) => l === 7), true);
  assertEquals(steps.length, 3000);
  assertEquals(steps.slice(998, 1002), [998, 999, 0, 1]);
  assertEquals(intervals.map((l) => l.step), [1000, 2000, 3000]);
  assertEquals(history.history.epsilon.map((e) => +e.toFixed(4)), [0.3667, 0.05, 0.05]);
  assert(history.history.return[2] > 0.5, `mean return ${history.history.return[2]}`);
  assert(history.history.steps_per_second.every((v) => v > 0));
  assert(agent.updates === 3000 - 199);

  // save / load: a fresh agent loaded from the bytes acts the same.
  const path = await Deno.makeTempFile({ suffix: ".dnn" });
  try {
    await agent.save(path);
    dn.setSeed(5);
    const other = dn.rl.dqn({
      model: dn.sequential([
        dn.layers.flatten({ inputShape: [8, 5] }),
        dn.layers.dense({ units: 32, activation: "relu" }),
        dn.layers.dense({ units: 3 }),
      ]),
    });
    await other.load(path);
    const probe = game().reset({ seed: 1 }).observation;
    assertEquals([...other.qValues(probe)], [...agent.qValues(probe)]);
    assertEquals([...other.target.getWeights()[0].dataSync()], [
      ...model.getWeights()[0].dataSync(),
    ]);
    other.dispose();
    other.model.dispose();
  } finally {
    await Deno.remove(path);
  }
  agent.dispose();
  model.dispose();
});

Deno.test("dqn() and the agent's methods reject bad input with typed errors", async () => {
  const mlp = (inputs: number, outputs: number) =>
    dn.sequential([dn.layers.dense({ units: outputs, inputShape: [inputs] })]);
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 2), gama: 0.9 } as dn.rl.DqnOptions),
    TypeError,
    'option "gama"',
  );
  assertThrows(
    () => dn.rl.dqn({} as dn.rl.DqnOptions),
    TypeError,
    'option "model" must be a LayersModel',
  );
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 1) }),
    TypeError,
    "one output of shape [actions >= 2]: got [1]",
  );
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 2), gamma: 2 }),
    RangeError,
    '"gamma" must be in [0, 1]',
  );
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 2), tau: 0 }),
    RangeError,
    '"tau" must be in (0, 1]',
  );
  assertThrows(() => dn.rl.dqn({ model: mlp(4, 2), batchSize: 0 }), RangeError, "batchSize");
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 2), loss: "l1" as "mse" }),
    TypeError,
    '"huber", "mse"',
  );
  assertThrows(
    () => dn.rl.dqn({ model: mlp(4, 2), doubleDqn: 1 as unknown as boolean }),
    TypeError,
    "boolean",
  );
  const agent = dn.rl.dqn({ model: mlp(4, 2), learningStarts: 8 });
  // Observation of the wrong shape.
  assertThrows(
    () => agent.act([1, 2, 3]),
    RangeError,
    'argument "observation" must hold 4 numbers (shape [4]): got 3',
  );
  assertThrows(() => agent.qValues(new Float32Array(5)), RangeError, "got 5");
  assertThrows(
    () => agent.act([0, 0, 0, 0], { epsilon: 2 }),
    RangeError,
    '"epsilon" must be in [0, 1]',
  );
  assertThrows(() => agent.trainStep(), RangeError, "the buffer is empty");
  // An environment that does not fit the network.
  await assertRejects(
    () => agent.train({ env: dn.rl.make("Catch-v0"), steps: 10 }),
    TypeError,
    "input shape [4]: got [16, 16]",
  );
  const threeActions = dn.rl.dqn({ model: mlp(16 * 16, 3) });
  await assertRejects(
    () => threeActions.train({ env: dn.rl.make("CartPole-v1"), steps: 10 }),
    TypeError,
    "input shape [256]",
  );
  await assertRejects(
    () => agent.train({ env: dn.rl.make("CartPole-v1"), steps: 0 }),
    RangeError,
    '"steps"',
  );
  await assertRejects(
    () => agent.train({ env: {} as dn.rl.Env, steps: 5 }),
    TypeError,
    "dn.rl Env",
  );
  // act() gives an action in range and is greedy at epsilon 0.
  const o = dn.rl.make("CartPole-v1").reset({ seed: 0 }).observation;
  const q = agent.qValues(o);
  assertEquals(agent.act(o), q[1] > q[0] ? 1 : 0);
  for (const a of [agent, threeActions]) {
    a.dispose();
    a.model.dispose();
  }
});
