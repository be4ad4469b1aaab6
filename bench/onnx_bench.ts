/**
 * ONNX inference latency: the PyTorch-shaped MLP, CNN and LSTM graphs of tests/onnx/_pytorch.ts
 * (MLP 784-512-10; CNN on 1x28x28 with 16 channels: conv 5x5, max pool, conv 3x3 + batch norm +
 * residual add, strided conv, reshape + Gemm and global average pool; LSTM 28 steps of 28
 * features, 128 units, a Linear on the last step) run by `@dendrite/dendrite/onnx` against
 * ONNX Runtime Web (wasm, SIMD, `graphOptimizationLevel: "all"`) in the same process, at batch 1
 * and 32. A call is `session.run(feeds)` plus reading every output into JavaScript (ONNX Runtime
 * returns its outputs as JS arrays). ONNX Runtime fixes its thread count at its first session, so
 * each thread count is its own process:
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/onnx_bench.ts
 *       Dendrite's wasm backend against ONNX Runtime Web on one thread
 *   DENDRITE_ONNX_THREADS=2 deno bench -A --v8-flags=--no-liftoff bench/onnx_bench.ts
 *       Dendrite's threads backend (2 threads) against ONNX Runtime Web's 2 threads
 *
 * Both sides are checked against each other once (1e-4 relative) before timing. Besides the
 * `deno bench` table, an interleaved pass (rounds alternating the two sides, the number to quote
 * on a shared machine) prints each side's median and fastest-fifth ("p20") latency and the ratio
 * Dendrite / ONNX Runtime.
 *
 * @module
 */
import * as dn from "../mod.ts";
import { InferenceSession } from "../onnx.ts";
import { ortSession, ortTensor, uniform } from "../tests/onnx/_models.ts";
import { pytorchCnn, pytorchLstm, pytorchMlp } from "../tests/onnx/_pytorch.ts";
import { median, quantile, QUIET, QUIET_LABEL } from "./_util.ts";

const THREADS = Number(Deno.env.get("DENDRITE_ONNX_THREADS") ?? "1");
await dn.ready(THREADS > 1 ? { backend: "threads", threads: THREADS } : { backend: "wasm" });
const OURS = THREADS > 1 ? `dendrite threads ${THREADS}` : "dendrite wasm";
const THEIRS = `onnxruntime-web ${THREADS} thread${THREADS > 1 ? "s" : ""}`;

const MODELS: [string, Uint8Array, (batch: number) => number[]][] = [
  ["MLP 784-512-10", pytorchMlp(512), (b) => [b, 1, 28, 28]],
  ["CNN 28x28x16", pytorchCnn(28, 16), (b) => [b, 1, 28, 28]],
  ["LSTM 28x28 -> 128", pytorchLstm(128, 28, 28), (b) => [b, 28, 28]],
];

type Call = () => Promise<number[]>;
const rows: { group: string; ours: Call; theirs: Call }[] = [];

for (const [name, bytes, shapeOf] of MODELS) {
  const ours = await InferenceSession.create(bytes);
  const theirs = await ortSession(bytes, THREADS);
  for (const batch of [1, 32]) {
    const shape = shapeOf(batch);
    const data = uniform(shape.reduce((a, b) => a * b, 1), batch, 0, 1);
    const x = dn.tensor(data, shape);
    const feeds = { input: ortTensor(data, shape) };
    const oursCall: Call = async () => {
      const out = await ours.run({ input: x });
      const values: number[] = [];
      for (const t of Object.values(out)) {
        values.push(...await t.data());
        t.dispose();
      }
      return values;
    };
    const theirsCall: Call = async () => {
      const out = await theirs.run(feeds);
      return Object.values(out).flatMap((t) => [...(t.data as Float32Array)]);
    };
    const [a, e] = [await oursCall(), await theirsCall()];
    const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const bad = e.findIndex((v, i) => !(Math.abs(a[i] - v) <= 1e-4 * (Math.abs(v) + scale)));
    if (a.length !== e.length || bad >= 0) {
      throw new Error(`${name} batch ${batch}: outputs differ at [${bad}]: ${a[bad]} vs ${e[bad]}`);
    }
    const group = `${name}, batch ${batch}`;
    rows.push({ group, ours: oursCall, theirs: theirsCall });
    Deno.bench({ group, name: THEIRS, baseline: true, fn: async () => void await theirsCall() });
    Deno.bench({ group, name: OURS, fn: async () => void await oursCall() });
  }
}

/** Times `call` for at least `ms` milliseconds, pushing single-call times to `into`. */
async function round(call: Call, ms: number, into: number[]): Promise<void> {
  const end = performance.now() + ms;
  do {
    const t0 = performance.now();
    await call();
    into.push(performance.now() - t0);
  } while (performance.now() < end);
}

console.log(
  `\nInterleaved (10 rounds of >= 100 ms per side), ms per inference; ratio = ${OURS} / ${THEIRS}`,
);
console.log(
  `| model, batch | ${THEIRS} median | ${OURS} median | ratio | ${THEIRS} ${QUIET_LABEL} | ${OURS} ${QUIET_LABEL} | ratio ${QUIET_LABEL} |`,
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const { group, ours, theirs } of rows) {
  const [o, t]: number[][] = [[], []];
  for (let r = 0; r < 10; r++) {
    await round(theirs, 100, t);
    await round(ours, 100, o);
  }
  const [mo, mt, qo, qt] = [median(o), median(t), quantile(o, QUIET), quantile(t, QUIET)];
  console.log(
    `| ${group} | ${mt.toFixed(3)} | ${mo.toFixed(3)} | ${(mo / mt).toFixed(2)} | ${
      qt.toFixed(3)
    } | ${qo.toFixed(3)} | ${(qo / qt).toFixed(2)} |`,
  );
}
console.log();
