/**
 * One CD-1 epoch of an RBM 784-500 over the 8,000 bundled MNIST training digits (batches of 64 in
 * order, learning rate 0.05, momentum 0.5, weight decay 2e-4, the batch's reconstruction error read
 * after each update): Dendrite's `Rbm.fit` (GEMMs with the sigmoid fused, Bernoulli draws in the
 * kernel, the fused `rbmUpdate`) against the same algorithm written with TF.js ops on its
 * WebAssembly backend (XNNPACK SIMD, one thread: matMul, sigmoid, randomUniform, less, cast and
 * the update by arithmetic ops into variables) in the same process; and Dendrite's threads
 * backend on 2 threads against 1. Each round runs the three in turn; the table gives the median
 * samples/s of the rounds and the ratios.
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/rbm_bench.ts
 */
import * as dn from "../mod.ts";
import { mnist } from "../datasets.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { median, printTable } from "./_util.ts";

const tf = await initTfjsWasm();
const HIDDEN = 500, BATCH = 64, LR = 0.05, MOMENTUM = 0.5, DECAY = 2e-4, ROUNDS = 5;

await dn.ready({ backend: "threads", threads: 2 });
const { xTrain } = await mnist({ seed: 0 });
const N = xTrain.shape[0];
const xs = xTrain.dataSync();
dn.setSeed(0);
const r = dn.rbm({ visibleUnits: 784, hiddenUnits: HIDDEN });

const warmUp = dn.slice(xTrain, [0, 0], [640, 784]);
const fitOptions: dn.RbmFitOptions = {
  epochs: 1,
  batchSize: BATCH,
  learningRate: LR,
  momentum: MOMENTUM,
  weightDecay: DECAY,
  shuffle: false,
  verbose: 0,
};

/**
 * Switches the threads backend to `threads` (new workers) and warms them up on ten batches, out of
 * the timing: a fresh worker compiles the kernels on its first calls.
 */
async function useThreads(threads: number): Promise<void> {
  await dn.ready({ backend: "threads", threads });
  await r.fit(warmUp, fitOptions);
}
const tx = tf.tensor2d(xs, [N, 784]);
const w = tf.variable(tf.randomNormal([784, HIDDEN], 0, 0.01, "float32", 0));
const [b, c] = [tf.variable(tf.zeros([784])), tf.variable(tf.zeros([HIDDEN]))];
const [vw, vb, vc] = [w, b, c].map((t) => tf.variable(tf.zerosLike(t)));

/** `vel = momentum·vel + lr·(g - decay·x); x += vel`. */
function step(x: typeof w, vel: typeof w, g: ReturnType<typeof tf.add>, decay: number): void {
  vel.assign(tf.add(tf.mul(vel, MOMENTUM), tf.mul(tf.sub(g, tf.mul(x, decay)), LR)));
  x.assign(tf.add(x, vel));
}

function tfEpoch(): void {
  for (let s = 0; s < N; s += BATCH) {
    const n = Math.min(BATCH, N - s);
    const loss = tf.tidy(() => {
      const v = tf.slice(tx, [s, 0], [n, 784]);
      const h0 = tf.sigmoid(tf.add(tf.matMul(v, w), c));
      const s0 = tf.cast(tf.less(tf.randomUniform(h0.shape), h0), "float32");
      const rv = tf.sigmoid(tf.add(tf.matMul(s0, w, false, true), b));
      const h1 = tf.sigmoid(tf.add(tf.matMul(rv, w), c));
      const gw = tf.div(tf.sub(tf.matMul(v, h0, true, false), tf.matMul(rv, h1, true, false)), n);
      step(w, vw, gw, DECAY);
      step(b, vb, tf.mean(tf.sub(v, rv), 0), 0);
      step(c, vc, tf.mean(tf.sub(h0, h1), 0), 0);
      return tf.mean(tf.square(tf.sub(v, rv)));
    });
    loss.dataSync();
    loss.dispose();
  }
}

const ms: Record<string, number[]> = {
  "tfjs wasm (1 thread)": [],
  "dendrite threads, 1 thread": [],
  "dendrite threads, 2 threads": [],
};
async function time(name: string, f: () => void | Promise<void>): Promise<void> {
  const t0 = performance.now();
  await f();
  ms[name].push(performance.now() - t0);
}

Deno.bench({
  name: `RBM 784-${HIDDEN} CD-1 epoch over ${N} digits, batch ${BATCH}: tfjs, 1 and 2 threads`,
  n: ROUNDS,
  warmup: 1,
  async fn() {
    await time("tfjs wasm (1 thread)", tfEpoch);
    await useThreads(1);
    await time("dendrite threads, 1 thread", () => r.fit(xTrain, fitOptions).then(() => {}));
    await useThreads(2);
    await time("dendrite threads, 2 threads", () => r.fit(xTrain, fitOptions).then(() => {}));
  },
});

globalThis.addEventListener("unload", () => {
  const rate = (name: string) => N / (median(ms[name]) / 1000);
  const tfRate = rate("tfjs wasm (1 thread)"), one = rate("dendrite threads, 1 thread");
  printTable(
    Object.keys(ms).map((name) => ({
      name,
      "samples/s (median)": rate(name).toFixed(0),
      "vs tfjs": (rate(name) / tfRate).toFixed(2),
      "vs 1 thread": name.startsWith("dendrite") ? (rate(name) / one).toFixed(2) : "",
    })),
    `RBM CD-1 epoch (${ms["tfjs wasm (1 thread)"].length} rounds incl. warm-up)`,
  );
});
