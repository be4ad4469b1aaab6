/**
 * DQN on CartPole-v1 with an MLP Q-network (4-256-256-2, Stable-Baselines3 zoo's tuned
 * hyperparameters). Every 2,500 training steps a 10-episode greedy screen runs on a separate
 * environment; when it reaches 475, the 100-episode greedy evaluation decides: CartPole is
 * solved when its mean return is >= 475. Training stops there, or at 100,000 steps.
 *
 *   deno run -A examples/dqn_cartpole.ts [seeds, default 0,1,2,3,4] [output folder, default examples]
 *
 * Writes `dqn_cartpole.png` (per seed, in the colours of `SERIES_COLORS` in seed order, the mean
 * return of the episodes ending in each 500-step bucket: x from 0 to the last step, y from 0 to
 * 500) and `dqn_cartpole.csv` (seed, episode, step, return) to the output folder, and prints a
 * table per seed.
 */
import * as dn from "../mod.ts";
import { lineChart } from "../plot.ts";
import { returnCurve } from "./_return_curve.ts";

const MAX_STEPS = 100_000, SCREEN_EVERY = 2_500, SOLVED = 475;

/** One seed's run: the step it was solved at (or null), the time it took, the evaluation. */
interface Run {
  seed: number;
  solvedAt: number | null;
  seconds: number;
  evalMean: number;
  evalMin: number;
  returns: number[];
  steps: number[];
}

async function run(seed: number): Promise<Run> {
  dn.setSeed(seed);
  const model = dn.sequential([
    dn.layers.dense({ units: 256, activation: "relu", inputShape: [4] }),
    dn.layers.dense({ units: 256, activation: "relu" }),
    dn.layers.dense({ units: 2 }),
  ]);
  const agent = dn.rl.dqn({
    model,
    optimizer: dn.optimizers.adam({ learningRate: 2.3e-3 }),
    gamma: 0.99,
    bufferSize: 100_000,
    batchSize: 64,
    learningStarts: 1_000,
    trainFrequency: 256,
    gradientSteps: 128,
    targetUpdateInterval: 10,
    explorationSteps: 8_000,
    explorationEnd: 0.04,
    seed,
  });
  const evalEnv = dn.rl.make("CartPole-v1");
  let solvedAt: number | null = null, evalMean = NaN, evalMin = NaN;
  const started = performance.now();
  const screen: dn.rl.DqnCallback = {
    onEpochEnd() {
      const quick = agent.evaluate({ env: evalEnv, episodes: 10, seed: 10_000 + agent.steps });
      if (mean(quick.returns) < SOLVED) return;
      const full = agent.evaluate({ env: evalEnv, episodes: 100, seed: 20_000 + agent.steps });
      evalMean = mean(full.returns);
      evalMin = Math.min(...full.returns);
      console.log(`  step ${agent.steps}: 100 greedy episodes, mean ${evalMean.toFixed(1)}`);
      if (evalMean >= SOLVED) {
        solvedAt = agent.steps;
        model.stopTraining = true;
      }
    },
  };
  const history = await agent.train({
    env: dn.rl.make("CartPole-v1"),
    steps: MAX_STEPS,
    logInterval: SCREEN_EVERY,
    callbacks: [screen],
    seed,
    verbose: 0,
  });
  const seconds = (performance.now() - started) / 1000;
  if (solvedAt === null) {
    const full = agent.evaluate({ env: evalEnv, episodes: 100, seed: 30_000 });
    evalMean = mean(full.returns);
    evalMin = Math.min(...full.returns);
  }
  agent.dispose();
  model.dispose();
  const { returns, steps } = history.episodes;
  return { seed, solvedAt, seconds, evalMean, evalMin, returns, steps };
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

if (import.meta.main) {
  const seeds = (Deno.args[0] ?? "0,1,2,3,4").split(",").map(Number);
  const out = Deno.args[1] ?? "examples";
  await dn.ready({ backend: "wasm" });
  const runs: Run[] = [];
  for (const seed of seeds) {
    console.log(`seed ${seed}`);
    const r = await run(seed);
    runs.push(r);
    console.log(
      `seed ${seed}: ${r.solvedAt === null ? "not solved" : `solved at step ${r.solvedAt}`} in ${
        r.seconds.toFixed(0)
      } s; greedy mean over 100 episodes ${r.evalMean.toFixed(1)}`,
    );
  }
  const csv = ["seed,episode,step,return"];
  for (const r of runs) r.returns.forEach((v, i) => csv.push(`${r.seed},${i},${r.steps[i]},${v}`));
  await Deno.writeTextFile(`${out}/dqn_cartpole.csv`, csv.join("\n") + "\n");
  const series = Object.fromEntries(
    runs.map((r) => [`seed ${r.seed}`, returnCurve(r.returns, r.steps, 500)]),
  );
  await Deno.writeFile(`${out}/dqn_cartpole.png`, lineChart({ series, yMin: 0, yMax: 500 }));
  const table = [
    "| seed | solved at step | training time (s) | greedy mean, 100 episodes | greedy min |",
    "| ---- | -------------- | ----------------- | ------------------------- | ---------- |",
    ...runs.map((r) =>
      `| ${r.seed} | ${r.solvedAt ?? "not solved"} | ${r.seconds.toFixed(0)} | ${
        r.evalMean.toFixed(1)
      } | ${r.evalMin} |`
    ),
  ];
  console.log(table.join("\n"));
}
