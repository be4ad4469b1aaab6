/**
 * DQN learning Catch from pixels: 16 x 16 grayscale frames, the last 4 stacked on the channel
 * axis, rewards clipped to [-1, 1] (Atari DQN's preprocessing), and a convolutional Q-network
 * (two stride-2 3x3 convolutions, a dense layer of 128, one value per action). Every 5,000
 * training steps 100 greedy episodes are scored on a separate environment; at the end, 1,000.
 *
 *   deno run -A examples/dqn_catch.ts [steps, default 30000] [seed, default 0] [output folder, default examples]
 *
 * Writes `dqn_catch.png` (the mean return of the training episodes ending in each 500-step
 * bucket, ε-greedy: x from 0 to the last step, y from -1, all missed, to 1, all caught) and
 * `dqn_catch.csv` (episode, step, return) to the output folder, and prints the evaluations.
 */
import * as dn from "../mod.ts";
import { lineChart } from "../plot.ts";
import { returnCurve } from "./_return_curve.ts";

const game = () => dn.rl.frameStack(dn.rl.clipReward(dn.rl.make("Catch-v0")), 4);

/** Fraction of greedy episodes whose ball was caught. */
function caught(agent: dn.rl.Dqn, env: dn.rl.Env, episodes: number, seed: number): number {
  const { infos } = agent.evaluate({ env, episodes, seed });
  return infos.filter((i) => i.caught).length / episodes;
}

if (import.meta.main) {
  const steps = Number(Deno.args[0] ?? 30_000);
  const seed = Number(Deno.args[1] ?? 0);
  const out = Deno.args[2] ?? "examples";
  await dn.ready({ backend: "wasm" });
  dn.setSeed(seed);
  const model = dn.sequential([
    dn.layers.conv2d({
      filters: 16,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
      inputShape: [16, 16, 4],
    }),
    dn.layers.conv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "relu",
    }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 128, activation: "relu" }),
    dn.layers.dense({ units: 3 }),
  ]);
  const agent = dn.rl.dqn({
    model,
    optimizer: dn.optimizers.adam({ learningRate: 1e-3 }),
    gamma: 0.99,
    bufferSize: 10_000,
    batchSize: 32,
    learningStarts: 1_000,
    trainFrequency: 4,
    targetUpdateInterval: 1_000,
    explorationSteps: 10_000,
    explorationEnd: 0.05,
    seed,
  });
  const evalEnv = game();
  const rows = ["| training steps | greedy episodes | caught |", "| --- | --- | --- |"];
  const started = performance.now();
  const history = await agent.train({
    env: game(),
    steps,
    seed,
    logInterval: 5_000,
    callbacks: {
      onEpochEnd() {
        const rate = caught(agent, evalEnv, 100, 1_000 + agent.steps);
        rows.push(`| ${agent.steps} | 100 | ${(100 * rate).toFixed(0)}% |`);
        console.log(
          `  ${agent.steps} steps: ${(100 * rate).toFixed(0)}% caught (100 greedy episodes)`,
        );
      },
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const final = caught(agent, evalEnv, 1_000, 123_456);
  rows.push(`| ${agent.steps} | 1000 | ${(100 * final).toFixed(1)}% |`);
  console.log(
    `${(100 * final).toFixed(1)}% caught over 1,000 greedy episodes after ${agent.steps} steps (${
      seconds.toFixed(0)
    } s)`,
  );
  const { returns, steps: at } = history.episodes;
  const csv = ["episode,step,return", ...returns.map((r, i) => `${i},${at[i]},${r}`)];
  await Deno.writeTextFile(`${out}/dqn_catch.csv`, csv.join("\n") + "\n");
  const curve = returnCurve(returns, at, 500);
  await Deno.writeFile(
    `${out}/dqn_catch.png`,
    lineChart({ series: { return: curve }, yMin: -1, yMax: 1 }),
  );
  console.log(rows.join("\n"));
  agent.dispose();
  model.dispose();
}
