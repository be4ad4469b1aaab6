/**
 * loadStateDict(): PyTorch state_dicts of a small MLP, CNN (with BatchNorm and an NCHW flatten),
 * embedding + LSTM, GRU, RNN and bidirectional LSTM, saved as safetensors, give the outputs of a
 * float64 implementation of PyTorch's own formulas (nn.Linear, nn.Conv2d, nn.BatchNorm2d,
 * nn.LSTM gates i, f, g, o, nn.GRU gates r, z, n) within 1e-5 relative.
 */
import * as dn from "../../mod.ts";
import { loadStateDict, type StateDictTensor } from "../../interop.ts";
import { encodeSafetensors } from "../../src/io/safetensors.ts";
import { assertClose } from "../_util/assert_close.ts";
import { assertThrows } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";

const TOL = { rel: 1e-5, abs: 1e-6 };
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** A state_dict of random tensors (values in [-0.5, 0.5], rounded to float32). */
function stateDict(shapes: Record<string, number[]>, seed: number): Map<string, StateDictTensor> {
  const r = rng(seed);
  return new Map(
    Object.entries(shapes).map(([name, shape]) => [name, {
      shape,
      data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() / 2),
    }]),
  );
}

/** The same tensors as a safetensors file, as `safetensors.torch.save_file` writes them. */
function asFile(sd: Map<string, StateDictTensor>): Uint8Array {
  return encodeSafetensors([...sd].map(([name, t]) => ({ name, shape: t.shape, data: t.data })));
}

/** `W x + b` for a PyTorch `weight [out, in]` (row `o` of W) on the vector `x`. */
function linear(sd: Map<string, StateDictTensor>, p: string, x: number[], bias = true): number[] {
  const w = sd.get(`${p}.weight`)!, [out, inp] = w.shape;
  return Array.from({ length: out }, (_, o) => {
    let s = bias ? sd.get(`${p}.bias`)!.data[o] : 0;
    for (let i = 0; i < inp; i++) s += w.data[o * inp + i] * x[i];
    return s;
  });
}

function matvec(t: StateDictTensor, x: number[]): number[] {
  const [out, inp] = t.shape;
  return Array.from({ length: out }, (_, o) => {
    let s = 0;
    for (let i = 0; i < inp; i++) s += t.data[o * inp + i] * x[i];
    return s;
  });
}

function inputs(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r());
}

Deno.test("loadStateDict() maps an MLP's nn.Linear weights [out, in]: outputs match PyTorch's formula", () => {
  const sd = stateDict({
    "fc1.weight": [5, 4],
    "fc1.bias": [5],
    "fc2.weight": [3, 5],
    "fc2.bias": [3],
  }, 1);
  const model = dn.sequential([
    dn.layers.dense({ units: 5, activation: "relu", inputShape: [4], name: "hidden" }),
    dn.layers.dense({ units: 3, name: "out" }),
  ]);
  loadStateDict(model, asFile(sd), { hidden: "fc1", out: "fc2" });
  const n = 6, x = inputs(n * 4, 2);
  const expected = [];
  for (let b = 0; b < n; b++) {
    const h = linear(sd, "fc1", [...x.subarray(b * 4, b * 4 + 4)]).map((v) => Math.max(0, v));
    expected.push(...linear(sd, "fc2", h));
  }
  assertClose(model.predict(dn.tensor(x, [n, 4])).dataSync(), expected, TOL, "MLP");
});

Deno.test("loadStateDict() maps a CNN's nn.Conv2d [out, in, kh, kw], nn.BatchNorm2d and an NCHW flatten", () => {
  const [c, h, w, f, k] = [2, 6, 5, 3, 3];
  const [oh, ow] = [h - k + 1, w - k + 1];
  const sd = stateDict({
    "conv.weight": [f, c, k, k],
    "conv.bias": [f],
    "bn.weight": [f],
    "bn.bias": [f],
    "bn.running_mean": [f],
    "bn.running_var": [f],
    "fc.weight": [2, f * oh * ow],
    "fc.bias": [2],
  }, 3);
  const variance = sd.get("bn.running_var")!.data;
  variance.forEach((v, i) => variance[i] = 0.5 + Math.abs(v));
  sd.set("bn.num_batches_tracked", { shape: [], data: new Float32Array([10]) });
  const model = dn.sequential([
    dn.layers.conv2d({ filters: f, kernelSize: k, inputShape: [h, w, c], name: "conv" }),
    dn.layers.batchNormalization({ epsilon: 1e-5, name: "bn" }),
    dn.layers.activation({ activation: "relu" }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 2, name: "fc" }),
  ]);
  loadStateDict(model, sd, { conv: "conv", bn: "bn", fc: "fc" });
  const n = 3, nchw = inputs(n * c * h * w, 4);
  const nhwc = new Float32Array(nchw.length);
  const expected: number[] = [];
  const wt = sd.get("conv.weight")!.data, get = (name: string) => sd.get(name)!.data;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          nhwc[((b * h + y) * w + x) * c + ch] = nchw[((b * c + ch) * h + y) * w + x];
        }
      }
    }
    const flat: number[] = []; // PyTorch's flatten: channel, then row, then column
    for (let o = 0; o < f; o++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let s = get("conv.bias")[o];
          for (let ch = 0; ch < c; ch++) {
            for (let dy = 0; dy < k; dy++) {
              for (let dx = 0; dx < k; dx++) {
                s += wt[((o * c + ch) * k + dy) * k + dx] *
                  nchw[((b * c + ch) * h + y + dy) * w + x + dx];
              }
            }
          }
          const norm = (s - get("bn.running_mean")[o]) / Math.sqrt(get("bn.running_var")[o] + 1e-5);
          flat.push(Math.max(0, norm * get("bn.weight")[o] + get("bn.bias")[o]));
        }
      }
    }
    expected.push(...linear(sd, "fc", flat));
  }
  assertClose(model.predict(dn.tensor(nhwc, [n, h, w, c])).dataSync(), expected, TOL, "CNN");
});

/** PyTorch's nn.LSTM / nn.GRU / nn.RNN over `xs` (one sample), in float64: the last state. */
function torchRnn(
  cell: "lstm" | "gru" | "rnn",
  sd: Map<string, StateDictTensor>,
  p: string,
  xs: number[][],
  suffix = "",
): number[] {
  const t = (name: string) => sd.get(`${p}.${name}_l0${suffix}`)!;
  const units = t("weight_hh").shape[1];
  let hState = new Array(units).fill(0), cState = new Array(units).fill(0);
  for (const x of xs) {
    const gi = matvec(t("weight_ih"), x).map((v, i) => v + t("bias_ih").data[i]);
    const gh = matvec(t("weight_hh"), hState).map((v, i) => v + t("bias_hh").data[i]);
    const at = (g: number[], block: number, j: number) => g[block * units + j];
    if (cell === "lstm") {
      const z = gi.map((v, i) => v + gh[i]); // gates i, f, g, o
      cState = cState.map((cv, j) =>
        sigmoid(at(z, 1, j)) * cv + sigmoid(at(z, 0, j)) * Math.tanh(at(z, 2, j))
      );
      hState = cState.map((cv, j) => sigmoid(at(z, 3, j)) * Math.tanh(cv));
    } else if (cell === "gru") {
      hState = hState.map((hv, j) => {
        const r = sigmoid(at(gi, 0, j) + at(gh, 0, j)), z = sigmoid(at(gi, 1, j) + at(gh, 1, j));
        const n = Math.tanh(at(gi, 2, j) + r * at(gh, 2, j));
        return (1 - z) * n + z * hv;
      });
    } else hState = gi.map((v, i) => Math.tanh(v + gh[i]));
  }
  return hState;
}

function rnnShapes(p: string, gates: number, units: number, features: number, suffix = "") {
  return {
    [`${p}.weight_ih_l0${suffix}`]: [gates * units, features],
    [`${p}.weight_hh_l0${suffix}`]: [gates * units, units],
    [`${p}.bias_ih_l0${suffix}`]: [gates * units],
    [`${p}.bias_hh_l0${suffix}`]: [gates * units],
  };
}

Deno.test("loadStateDict() maps nn.Embedding, nn.LSTM (gates i, f, g, o, two biases) and nn.Linear", () => {
  const [vocab, dim, units, steps, n] = [7, 3, 4, 5, 3];
  const sd = stateDict({
    "emb.weight": [vocab, dim],
    ...rnnShapes("lstm", 4, units, dim),
    "head.weight": [2, units],
    "head.bias": [2],
  }, 5);
  const model = dn.sequential([
    dn.layers.embedding({ inputDim: vocab, outputDim: dim, inputShape: [steps], name: "emb" }),
    dn.layers.lstm({ units, name: "lstm" }),
    dn.layers.dense({ units: 2, name: "head" }),
  ]);
  loadStateDict(model, asFile(sd), { emb: "emb", lstm: "lstm", head: "head" });
  const r = rng(6);
  const ids = Array.from({ length: n * steps }, () => Math.floor((r() + 1) / 2 * vocab) % vocab);
  const table = sd.get("emb.weight")!.data;
  const expected: number[] = [];
  for (let b = 0; b < n; b++) {
    const xs = ids.slice(b * steps, (b + 1) * steps).map((id) => [
      ...table.subarray(id * dim, (id + 1) * dim),
    ]);
    expected.push(...linear(sd, "head", torchRnn("lstm", sd, "lstm", xs)));
  }
  const got = model.predict(dn.tensor(ids, [n, steps])).dataSync();
  assertClose(got, expected, TOL, "embedding + LSTM");
});

Deno.test("loadStateDict() maps nn.GRU (gates r, z, n reordered), nn.RNN and a bidirectional nn.LSTM", () => {
  const [features, units, steps, n] = [3, 4, 6, 2];
  const x = inputs(n * steps * features, 7);
  const seqs = Array.from({ length: n }, (_, b) =>
    Array.from({ length: steps }, (_, s) => {
      const at = (b * steps + s) * features;
      return [...x.subarray(at, at + features)];
    }));
  const cases = [
    ["gru", 3, dn.layers.gru({ units, inputShape: [steps, features], name: "r" })],
    ["rnn", 1, dn.layers.simpleRNN({ units, inputShape: [steps, features], name: "r" })],
  ] as const;
  for (const [cell, gates, layer] of cases) {
    const sd = stateDict(rnnShapes("rnn", gates, units, features), 8);
    const model = dn.sequential([layer]);
    loadStateDict(model, sd, { r: "rnn" });
    const expected = seqs.flatMap((xs) => torchRnn(cell, sd, "rnn", xs));
    assertClose(model.predict(dn.tensor(x, [n, steps, features])).dataSync(), expected, TOL, cell);
  }
  const sd = stateDict({
    ...rnnShapes("bi", 4, units, features),
    ...rnnShapes("bi", 4, units, features, "_reverse"),
  }, 9);
  const model = dn.sequential([
    dn.layers.bidirectional(dn.layers.lstm({ units, inputShape: [steps, features] }), {
      name: "b",
    }),
  ]);
  loadStateDict(model, sd, { b: "bi" });
  const expected = seqs.flatMap((xs) => [
    ...torchRnn("lstm", sd, "bi", xs),
    ...torchRnn("lstm", sd, "bi", [...xs].reverse(), "_reverse"), // PyTorch's h_n[1]
  ]);
  assertClose(
    model.predict(dn.tensor(x, [n, steps, features])).dataSync(),
    expected,
    TOL,
    "bidirectional LSTM",
  );
});

Deno.test("loadStateDict() names missing, misshapen and unused tensors, unknown layers and unmappable ones", () => {
  const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3], name: "fc" })]);
  const sd = stateDict({ "fc1.weight": [2, 3], "fc1.bias": [2] }, 10);
  assertThrows(
    () => loadStateDict(model, sd, { fc: "fc2" }),
    RangeError,
    'tensor "fc2.weight" of shape [2, 3] is missing',
  );
  const wrong = stateDict({ "fc1.weight": [3, 2], "fc1.bias": [2] }, 10);
  assertThrows(
    () => loadStateDict(model, wrong, { fc: "fc1" }),
    RangeError,
    'tensor "fc1.weight" must have shape [2, 3]: got [3, 2]',
  );
  const extra = stateDict({ "fc1.weight": [2, 3], "fc1.bias": [2], "fc3.bias": [1] }, 10);
  assertThrows(
    () => loadStateDict(model, extra, { fc: "fc1" }),
    RangeError,
    'tensor "fc3.bias" of the state dict is not mapped',
  );
  assertThrows(() => loadStateDict(model, sd, { nope: "fc1" }), TypeError, 'layer "nope"');
  const gru = dn.sequential([
    dn.layers.gru({ units: 2, resetAfter: false, inputShape: [2, 3], name: "g" }),
  ]);
  assertThrows(() => loadStateDict(gru, new Map(), { g: "gru" }), TypeError, '"resetAfter: true"');
  const pool = dn.sequential([
    dn.layers.maxPooling2d({ poolSize: 2, inputShape: [4, 4, 1], name: "p" }),
  ]);
  assertThrows(
    () => loadStateDict(pool, new Map(), { p: "pool" }),
    TypeError,
    "no PyTorch mapping",
  );
});
