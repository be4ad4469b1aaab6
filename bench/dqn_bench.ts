/**
 * DQN training steps per second on CartPole-v1 (one environment step with a greedy action, one
 * batch-32 update of a 4-64-64-2 MLP with Adam, Huber loss, global-norm clipping at 10, a hard
 * target copy every 1,000 steps): `dn.rl.dqn`'s `train()` against the same agent on TensorFlow.js
 * layers with its WebAssembly backend (`_tfjs_dqn.ts`), in the same process, interleaved in
 * rounds. The tfjs agent runs in two formulations: the loss in tfjs ops on the tape, and
 * Dendrite's step (loss taken on the CPU mid-tape).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/dqn_bench.ts
 */
import * as tfl from "@tensorflow/tfjs-layers";
import * as dn from "../mod.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { TfjsDqn } from "./_tfjs_dqn.ts";
import { median, printTable, quantile, QUIET, QUIET_LABEL } from "./_util.ts";

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });
const STEPS = 100;

dn.setSeed(0);
const agent = dn.rl.dqn({
  model: dn.sequential([
    dn.layers.dense({ units: 64, activation: "relu", inputShape: [4] }),
    dn.layers.dense({ units: 64, activation: "relu" }),
    dn.layers.dense({ units: 2 }),
  ]),
  optimizer: dn.optimizers.adam({ learningRate: 1e-3 }),
  learningStarts: 0,
  trainFrequency: 1,
  targetUpdateInterval: 1000,
  explorationStart: 0,
  explorationEnd: 0,
  seed: 1,
});
const env = dn.rl.make("CartPole-v1");
const dnRun = () => agent.train({ env, steps: STEPS, verbose: 0 }).then(() => {});
const tape = new TfjsDqn(tf, tfl, dn.rl.make("CartPole-v1"), "tape");
const cpu = new TfjsDqn(tf, tfl, dn.rl.make("CartPole-v1"), "cpu");
const runs: Record<string, () => void | Promise<void>> = {
  "tfjs-layers wasm (loss on the tape)": () => {
    for (let i = 0; i < STEPS; i++) tape.step();
  },
  "tfjs-layers wasm (loss on the CPU)": () => {
    for (let i = 0; i < STEPS; i++) cpu.step();
  },
  "dendrite wasm": dnRun,
};

// Interleaved rounds: a slow spell of the shared machine lands on every side alike.
const ms: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let round = 0; round < 40; round++) {
  for (const [name, run] of Object.entries(runs)) {
    const t0 = performance.now();
    await run();
    if (round >= 5) ms[name].push(performance.now() - t0);
  }
}

const group = `DQN CartPole-v1 training, ${STEPS} steps (env step + batch-32 update)`;
for (const [name, run] of Object.entries(runs)) {
  Deno.bench({
    group,
    name,
    baseline: name.startsWith("tfjs-layers wasm (loss on the tape"),
    fn: run,
  });
}

const rate = (v: number[], q?: number) =>
  STEPS / ((q === undefined ? median(v) : quantile(v, q)) / 1000);
const base = "tfjs-layers wasm (loss on the CPU)";
printTable(
  Object.entries(ms).map(([name, v]) => ({
    name,
    "steps/s (median)": rate(v).toFixed(0),
    [`steps/s (${QUIET_LABEL})`]: rate(v, QUIET).toFixed(0),
    "vs tfjs tape": (rate(v) / rate(ms["tfjs-layers wasm (loss on the tape)"])).toFixed(2),
    "vs tfjs cpu": (rate(v) / rate(ms[base])).toFixed(2),
    [`vs tfjs cpu (${QUIET_LABEL})`]: (rate(v, QUIET) / rate(ms[base], QUIET)).toFixed(2),
  })),
  group + " (interleaved rounds)",
);
