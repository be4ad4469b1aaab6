/**
 * The conformance suite (STYLE C11) for the CNN and RNN primitives: convolution (forward with
 * bias and activation, backward data, backward filter), max/avg pooling and their backwards, the
 * LSTM/GRU/simple-RNN gate kernels, the sequence transposes, and row gather/scatter-add, on every
 * backend `testBackends()` yields, against the float64 references of tests/_reference (C8) on
 * small odd shapes: strides, dilations, "same"/"valid" padding, overlapping pooling windows, a
 * filter gradient long enough to be summed in slices on WebGPU (conv.ts).
 *
 * Every output buffer has a guard tail of 5 floats that must come back unchanged (C10), one case
 * per family binds an input through an unaligned `subarray` view, and the aliasing the Backend
 * allows (LSTM c over cPrev, gates over xw, dc in place) is exercised.
 *
 * Tolerances (C9): convolutions are sums of K products, `Tol.gpuDot(K + 2)` (bias and the
 * activation count as two more terms, as for the GEMM); pooling max and the copies (sequence
 * transposes, gather) are exact; averages `Tol.gpuDot(window)`; scatter-add with repeated
 * indices `Tol.gpuDot(n)`. Gate forwards are a few ops on exp-based σ/tanh, `Tol.gpu`; gate
 * backwards are compared with central differences (h = 1e-6, float64) of the f64 step function
 * weighted by the incoming gradients, independent of the hand-derived formulas: the f32 inputs
 * and 3-4 chained products stay within `Tol.gpu` (the difference quotient's own error, ~1e-10,
 * is negligible).
 */
import type { Backend, Conv2dGeometry, Pool2dArgs, Storage } from "../../src/backend/backend.ts";
import {
  conv2dBackwardDataReference,
  conv2dBackwardFilterReference,
  conv2dReference,
  type ConvGeometry,
  convOutput,
} from "../_reference/conv.ts";
import type { GemmActivation } from "../_reference/gemm.ts";
import {
  avgPool,
  avgPoolBackward,
  maxPool,
  maxPoolBackward,
  type PoolGeometry,
  poolGeometry,
} from "../_reference/pool.ts";
import { type RnnActivation, stepReference } from "../_reference/recurrent.ts";
import { bernoulli, multinomial } from "../_reference/random.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { testBackends } from "../_util/backends.ts";
import { randomF32 } from "../_util/rng.ts";
import { put, withStorages } from "./_conformance.ts";
import { numericGrad, row } from "../_util/gradcheck.ts";

const backends = await testBackends();
const GUARD = 5;
const SENTINEL = 1234.5;

/** An output storage of `n` floats followed by a guard tail. */
function output(b: Backend, n: number): Storage {
  return put(b, new Float64Array(n + GUARD).fill(SENTINEL));
}

/** Reads `n` floats of an output and checks its guard tail. */
async function readOut(b: Backend, s: Storage, n: number, what: string): Promise<Float32Array> {
  const all = await b.read(s, n + GUARD);
  assertClose(all.subarray(n), new Float64Array(GUARD).fill(SENTINEL), Tol.exact, `${what} guard`);
  return all.subarray(0, n);
}

/** Storage holding `values` at element 3 of a larger buffer, as an unaligned view. */
function putUnaligned(
  b: Backend,
  values: ArrayLike<number>,
  keep: (s: Storage) => Storage,
): Storage {
  const whole = keep(put(b, [1, 2, 3, ...Array.from(values)]));
  return b.subarray(whole, 3, values.length);
}

interface ConvCase {
  input: [number, number, number, number];
  filter: [number, number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: "same" | "valid";
  act: GemmActivation;
  bias: boolean;
}

const CONVS: ConvCase[] = [
  {
    input: [2, 5, 7, 3],
    filter: [3, 3, 5],
    strides: [1, 1],
    dilations: [1, 1],
    padding: "same",
    act: "relu",
    bias: true,
  },
  {
    input: [1, 9, 8, 2],
    filter: [3, 2, 7],
    strides: [2, 3],
    dilations: [1, 1],
    padding: "valid",
    act: "none",
    bias: true,
  },
  {
    input: [3, 7, 7, 1],
    filter: [2, 3, 3],
    strides: [1, 2],
    dilations: [2, 1],
    padding: "same",
    act: "sigmoid",
    bias: false,
  },
  {
    input: [2, 4, 3, 5],
    filter: [1, 1, 6],
    strides: [1, 1],
    dilations: [1, 1],
    padding: "valid",
    act: "tanh",
    bias: true,
  },
  // 578 output pixels: the WebGPU filter gradient sums them in 3 slices.
  {
    input: [2, 17, 17, 2],
    filter: [3, 3, 3],
    strides: [1, 1],
    dilations: [1, 1],
    padding: "same",
    act: "relu",
    bias: false,
  },
];

const ACTIVATION = { none: "linear", relu: "relu", sigmoid: "sigmoid", tanh: "tanh" } as const;

function convGeometry(c: ConvCase): { ref: ConvGeometry; args: Conv2dGeometry } {
  const [batch, inH, inW, inC] = c.input, [fh, fw, outC] = c.filter;
  const h = convOutput(inH, fh, c.strides[0], c.dilations[0], c.padding);
  const w = convOutput(inW, fw, c.strides[1], c.dilations[1], c.padding);
  const ref: ConvGeometry = {
    batch,
    inH,
    inW,
    inC,
    outH: h.out,
    outW: w.out,
    outC,
    fh,
    fw,
    strideH: c.strides[0],
    strideW: c.strides[1],
    dilH: c.dilations[0],
    dilW: c.dilations[1],
    padTop: h.before,
    padLeft: w.before,
  };
  const args: Conv2dGeometry = {
    batch,
    inHeight: inH,
    inWidth: inW,
    inChannels: inC,
    outHeight: h.out,
    outWidth: w.out,
    outChannels: outC,
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: c.strides[0],
    strideWidth: c.strides[1],
    dilationHeight: c.dilations[0],
    dilationWidth: c.dilations[1],
    padTop: h.before,
    padLeft: w.before,
  };
  return { ref, args };
}

interface PoolCase {
  input: [number, number, number, number];
  pool: [number, number];
  strides: [number, number];
  padding: "same" | "valid";
}

const POOLS: PoolCase[] = [
  { input: [2, 5, 7, 3], pool: [2, 2], strides: [2, 2], padding: "valid" },
  { input: [1, 7, 6, 2], pool: [3, 3], strides: [2, 2], padding: "same" },
  { input: [2, 4, 5, 5], pool: [3, 2], strides: [1, 1], padding: "same" },
  { input: [1, 9, 9, 1], pool: [2, 3], strides: [3, 2], padding: "valid" },
];

function poolArgs(g: PoolGeometry): Pool2dArgs {
  return {
    batch: g.n,
    inHeight: g.h,
    inWidth: g.w,
    channels: g.c,
    outHeight: g.oh,
    outWidth: g.ow,
    poolHeight: g.ph,
    poolWidth: g.pw,
    strideHeight: g.sh,
    strideWidth: g.sw,
    padTop: g.padTop,
    padLeft: g.padLeft,
  };
}

for (const { name, backend: b } of backends) {
  Deno.test(`conv2d() and its backwards on ${name} match the f64 references`, async () => {
    for (const [i, c] of CONVS.entries()) {
      const { ref: g, args } = convGeometry(c);
      const xn = g.batch * g.inH * g.inW * g.inC, yn = g.batch * g.outH * g.outW * g.outC;
      const wn = g.fh * g.fw * g.inC * g.outC, k = g.fh * g.fw * g.inC;
      const x = randomF32(xn, 10 * i + 1), w = randomF32(wn, 10 * i + 2);
      const bias = randomF32(g.outC, 10 * i + 3), dy = randomF32(yn, 10 * i + 4);
      const what =
        `${c.input} * ${c.filter} strides ${c.strides} dilations ${c.dilations} ${c.padding} on ${name}`;
      await withStorages(b, async (keep) => {
        const xs = i === 0 ? putUnaligned(b, x, keep) : keep(put(b, x));
        const ws = keep(put(b, w)), y = keep(output(b, yn));
        b.conv2d({
          ...args,
          x: xs,
          filter: ws,
          y,
          bias: c.bias ? keep(put(b, bias)) : null,
          activation: ACTIVATION[c.act],
        });
        assertClose(
          await readOut(b, y, yn, `conv2d ${what}`),
          conv2dReference(g, x, w, c.bias ? bias : undefined, c.act).y,
          Tol.gpuDot(k + 2),
          `conv2d ${c.act} ${what}`,
        );
        const dys = keep(put(b, dy)), dx = keep(output(b, xn)), dw = keep(output(b, wn));
        b.conv2dBackwardData({ ...args, dy: dys, filter: ws, dx });
        assertClose(
          await readOut(b, dx, xn, `conv2dBackwardData ${what}`),
          conv2dBackwardDataReference(g, dy, w),
          Tol.gpuDot(g.fh * g.fw * g.outC),
          `conv2dBackwardData ${what}`,
        );
        b.conv2dBackwardFilter({ ...args, x: xs, dy: dys, dw });
        assertClose(
          await readOut(b, dw, wn, `conv2dBackwardFilter ${what}`),
          conv2dBackwardFilterReference(g, x, dy),
          Tol.gpuDot(g.batch * g.outH * g.outW),
          `conv2dBackwardFilter ${what}`,
        );
      });
    }
  });

  Deno.test(`maxPool2d(), avgPool2d() and their backwards on ${name} match the f64 references with ties`, async () => {
    for (const [i, c] of POOLS.entries()) {
      const g = poolGeometry(c.input, c.pool, c.strides, c.padding);
      const args = poolArgs(g);
      const xn = g.n * g.h * g.w * g.c, yn = g.n * g.oh * g.ow * g.c;
      // Few distinct values, so windows hold ties: the gradient goes to the first maximum.
      const x = randomF32(xn, 20 + i).map((v) => Math.round(v * 3) / 2);
      const dy = randomF32(yn, 30 + i);
      const what = `${c.input} pool ${c.pool} strides ${c.strides} ${c.padding} on ${name}`;
      const window = g.ph * g.pw;
      await withStorages(b, async (keep) => {
        const xs = i === 1 ? putUnaligned(b, x, keep) : keep(put(b, x));
        const y = keep(output(b, yn)), dys = keep(put(b, dy)), dx = keep(output(b, xn));
        b.maxPool2d(xs, y, args);
        assertClose(await readOut(b, y, yn, what), maxPool(x, g), Tol.exact, `maxPool2d ${what}`);
        b.maxPool2dBackward(xs, y, dys, dx, args);
        assertClose(
          await readOut(b, dx, xn, what),
          maxPoolBackward(x, dy, g),
          Tol.gpuDot(window),
          `maxPool2dBackward ${what}`,
        );
        b.avgPool2d(xs, y, args);
        assertClose(
          await readOut(b, y, yn, what),
          avgPool(x, g),
          Tol.gpuDot(window + 1),
          `avgPool2d ${what}`,
        );
        b.avgPool2dBackward(dys, dx, args);
        assertClose(
          await readOut(b, dx, xn, what),
          avgPoolBackward(dy, g),
          Tol.gpuDot(window + 1),
          `avgPool2dBackward ${what}`,
        );
      });
    }
  });

  Deno.test(`lstmGates() and lstmGatesBackward() on ${name} match the f64 cell`, async () => {
    for (const [batch, u] of [[1, 1], [3, 5], [2, 17]]) {
      const g = 4 * u, bu = batch * u, seed = 100 * batch + u;
      const xw = randomF32(batch * g, seed), hu = randomF32(batch * g, seed + 1);
      const cPrev = randomF32(bu, seed + 2), dh = randomF32(bu, seed + 3);
      const dc = randomF32(bu, seed + 4);
      const step = (r: number) => (v: Float64Array) =>
        stepReference("lstm", v.subarray(0, g), row(hu, r, g), v.subarray(g), u);
      const what = `batch ${batch} units ${u} on ${name}`;
      await withStorages(b, async (keep) => {
        const cp = keep(put(b, cPrev)), c = keep(output(b, bu)), h = keep(output(b, bu));
        const gates = keep(output(b, batch * g));
        const xws = u === 5 ? putUnaligned(b, xw, keep) : keep(put(b, xw));
        b.lstmGates({ batch, units: u, xw: xws, hu: keep(put(b, hu)), cPrev: cp, c, h, gates });
        const cv = await readOut(b, c, bu, what), hv = await readOut(b, h, bu, what);
        await readOut(b, gates, batch * g, what);
        const dcs = keep(put(b, [...dc, ...new Array(GUARD).fill(SENTINEL)]));
        const dz = keep(output(b, batch * g));
        b.lstmGatesBackward({
          batch,
          units: u,
          dh: keep(put(b, dh)),
          dc: dcs,
          gates,
          cPrev: cp,
          c,
          dz,
        });
        const dzv = await readOut(b, dz, batch * g, what);
        const dcv = await readOut(b, dcs, bu, what);
        for (let r = 0; r < batch; r++) {
          const v = Float64Array.from([...row(xw, r, g), ...row(cPrev, r, u)]);
          const want = step(r)(v);
          assertClose(row(hv, r, u), want.subarray(0, u), Tol.gpu, `lstm h ${what}`);
          assertClose(row(cv, r, u), want.subarray(u), Tol.gpu, `lstm c ${what}`);
          const grad = numericGrad(step(r), v, [...row(dh, r, u), ...row(dc, r, u)]);
          assertClose(row(dzv, r, g), grad.subarray(0, g), Tol.gpu, `lstm dz ${what}`);
          assertClose(row(dcv, r, u), grad.subarray(g), Tol.gpu, `lstm dcPrev ${what}`);
        }
        // gates aliasing xw (the layer saves the activations over the preactivations).
        const gv = await b.read(gates, batch * g);
        const inPlace = keep(put(b, xw)), h2 = keep(b.alloc(bu));
        b.lstmGates({
          batch,
          units: u,
          xw: inPlace,
          hu: keep(put(b, hu)),
          cPrev: keep(put(b, cPrev)),
          c: keep(b.alloc(bu)),
          h: h2,
          gates: inPlace,
        });
        assertClose(await b.read(inPlace, batch * g), gv, Tol.exact, `lstm gates over xw ${what}`);
        assertClose(await b.read(h2, bu), hv, Tol.exact, `lstm h with gates over xw ${what}`);
        // c aliasing cPrev (the layer's in-place state update) gives the same c.
        b.lstmGates({ batch, units: u, xw: xws, hu: keep(put(b, hu)), cPrev: cp, c: cp, h, gates });
        assertClose(await b.read(cp, bu), cv, Tol.exact, `lstm c in place ${what}`);
      });
    }
  });

  Deno.test(`gruGates() and gruGatesBackward() on ${name} match the f64 cell`, async () => {
    for (const [batch, u] of [[1, 1], [3, 5], [2, 17]]) {
      const g = 3 * u, bu = batch * u, seed = 200 * batch + u;
      const xw = randomF32(batch * g, seed), hu = randomF32(batch * g, seed + 1);
      const hPrev = randomF32(bu, seed + 2), dh = randomF32(bu, seed + 3);
      const acc = randomF32(bu, seed + 4);
      const step = (v: Float64Array) =>
        stepReference("gru", v.subarray(0, g), v.subarray(g, 2 * g), v.subarray(2 * g), u);
      const what = `batch ${batch} units ${u} on ${name}`;
      await withStorages(b, async (keep) => {
        const hps = keep(put(b, hPrev)), h = keep(output(b, bu)), saved = keep(output(b, 4 * bu));
        b.gruGates({
          batch,
          units: u,
          xw: keep(put(b, xw)),
          hu: keep(put(b, hu)),
          hPrev: hps,
          h,
          saved,
        });
        const hv = await readOut(b, h, bu, what);
        await readOut(b, saved, 4 * bu, what);
        const dxw = keep(output(b, batch * g)), dhu = keep(output(b, batch * g));
        const dhPrev = u === 5 ? putUnaligned(b, acc, keep) : keep(put(b, acc));
        const dhs = keep(put(b, dh));
        b.gruGatesBackward({ batch, units: u, dh: dhs, saved, hPrev: hps, dxw, dhu, dhPrev });
        const dxwv = await readOut(b, dxw, batch * g, what);
        const dhuv = await readOut(b, dhu, batch * g, what);
        const dhpv = await b.read(dhPrev, bu);
        for (let r = 0; r < batch; r++) {
          const v = Float64Array.from([...row(xw, r, g), ...row(hu, r, g), ...row(hPrev, r, u)]);
          assertClose(row(hv, r, u), step(v), Tol.gpu, `gru h ${what}`);
          const grad = numericGrad(step, v, row(dh, r, u));
          assertClose(row(dxwv, r, g), grad.subarray(0, g), Tol.gpu, `gru dxw ${what}`);
          assertClose(row(dhuv, r, g), grad.subarray(g, 2 * g), Tol.gpu, `gru dhu ${what}`);
          const direct = grad.subarray(2 * g).map((d, j) => d + acc[r * u + j]);
          assertClose(row(dhpv, r, u), direct, Tol.gpu, `gru dhPrev ${what}`);
        }
        // Without dhPrev the other outputs are the same.
        const dxw0 = keep(output(b, batch * g));
        b.gruGatesBackward({
          batch,
          units: u,
          dh: dhs,
          saved,
          hPrev: hps,
          dxw: dxw0,
          dhu,
          dhPrev: null,
        });
        assertClose(
          await readOut(b, dxw0, batch * g, what),
          dxwv,
          Tol.exact,
          `gru dxw without dhPrev ${what}`,
        );
      });
    }
  });

  Deno.test(`rnnGates() and rnnGatesBackward() on ${name} match the f64 cell for every activation`, async () => {
    const [batch, u] = [3, 7], bu = batch * u;
    const xw = randomF32(bu, 301), hu = randomF32(bu, 302), dh = randomF32(bu, 303);
    for (const act of ["linear", "relu", "sigmoid", "tanh"] as const satisfies RnnActivation[]) {
      const step = (v: Float64Array) =>
        stepReference("simpleRnn", v, new Float64Array(u), [], u, act);
      const what = `${act} batch ${batch} units ${u} on ${name}`;
      await withStorages(b, async (keep) => {
        const h = keep(output(b, bu)), dz = keep(output(b, bu));
        b.rnnGates(keep(put(b, xw)), keep(put(b, hu)), h, act, batch, u);
        const hv = await readOut(b, h, bu, what);
        b.rnnGatesBackward(keep(put(b, dh)), h, dz, act, batch, u);
        const dzv = await readOut(b, dz, bu, what);
        for (let r = 0; r < batch; r++) {
          const v = Float64Array.from(row(xw, r, u).map((x, j) => x + hu[r * u + j]));
          assertClose(row(hv, r, u), step(v), Tol.gpu, `rnn h ${what}`);
          assertClose(
            row(dzv, r, u),
            numericGrad(step, v, row(dh, r, u)),
            Tol.gpu,
            `rnn dz ${what}`,
          );
        }
      });
    }
  });

  Deno.test(`sequenceTranspose() on ${name} permutes exactly both ways, reversed or not`, async () => {
    for (const [batch, steps, inner] of [[1, 1, 1], [3, 5, 7], [2, 9, 3]]) {
      const n = batch * steps * inner, x = randomF32(n, n);
      for (const reverse of [false, true]) {
        const want = new Float64Array(n);
        for (let r = 0; r < batch; r++) {
          for (let s = 0; s < steps; s++) {
            const t = reverse ? steps - 1 - s : s;
            for (let i = 0; i < inner; i++) {
              want[(s * batch + r) * inner + i] = x[(r * steps + t) * inner + i];
            }
          }
        }
        const what = `[${batch}, ${steps}, ${inner}] reverse ${reverse} on ${name}`;
        await withStorages(b, async (keep) => {
          const tm = keep(output(b, n)), bm = keep(output(b, n));
          b.sequenceTranspose(keep(put(b, x)), tm, batch, steps, inner, true, reverse);
          assertClose(await readOut(b, tm, n, what), want, Tol.exact, `time major ${what}`);
          b.sequenceTranspose(tm, bm, batch, steps, inner, false, reverse);
          assertClose(await readOut(b, bm, n, what), x, Tol.exact, `round trip ${what}`);
        });
      }
    }
  });

  Deno.test(`gather() and scatterAdd() on ${name} match the definitions with repeated indices`, async () => {
    const shapes = [[1, 1, 1, 1, 1], [1, 7, 5, 13, 0], [1, 3, 17, 9, 1], [4, 3, 1, 5, 0]];
    for (const [outer, len, inner, n, float] of shapes) {
      const xs = outer * len * inner, ys = outer * n * inner;
      const x = randomF32(xs, len + 400), dy = randomF32(ys, n + 401);
      const dx0 = randomF32(xs, inner + 402);
      const indices = Array.from({ length: n }, (_, i) => (i * 5 + 2) % len);
      const gathered = new Float64Array(ys), scattered = Float64Array.from(dx0);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < inner; j++) {
            const at = ((o * len + indices[i]) * inner) + j, to = (o * n + i) * inner + j;
            gathered[to] = x[at];
            scattered[at] += dy[to];
          }
        }
      }
      const what = `[${outer}, ${len}, ${inner}] n ${n}${float ? " f32 indices" : ""} on ${name}`;
      const tol: Tolerance = Tol.gpuDot(n + 1);
      const g = { outer, len, inner, n, floatIndices: float === 1 };
      const words = float
        ? Float32Array.from(indices)
        : new Float32Array(Int32Array.from(indices).buffer);
      await withStorages(b, async (keep) => {
        const ids = keep(put(b, words)), y = keep(output(b, ys));
        b.gather(keep(put(b, x)), ids, y, g);
        assertClose(await readOut(b, y, ys, what), gathered, Tol.exact, `gather ${what}`);
        const dx = len === 7 ? putUnaligned(b, dx0, keep) : keep(put(b, dx0));
        b.scatterAdd(keep(put(b, dy)), ids, dx, g);
        assertClose(await b.read(dx, xs), scattered, tol, `scatterAdd ${what}`);
        // int32: wrapping sums of large integers, exact.
        const iy = Int32Array.from(dy, (v) => v * 2e9), ix = Int32Array.from(dx0, (v) => v * 2e9);
        const want = Int32Array.from(ix);
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < inner; j++) {
              const at = (o * len + indices[i]) * inner + j;
              want[at] = (want[at] + iy[(o * n + i) * inner + j]) | 0;
            }
          }
        }
        const intDy = keep(put(b, new Float32Array(iy.buffer)));
        const intDx = keep(put(b, new Float32Array(ix.buffer)));
        b.scatterAdd(intDy, ids, intDx, { ...g, dtype: "int32" });
        const got = await b.read(intDx, xs);
        const bits = new Int32Array(got.buffer, got.byteOffset, xs);
        if (bits.join() !== want.join()) throw new Error(`int32 scatterAdd ${what}: ${bits}`);
      });
    }
  });

  Deno.test(`randomBernoulli() and multinomial() on ${name} draw the wasm kernels' bits`, async () => {
    const p = randomF32(37, 77).map((v) => (v + 1) / 2);
    const probs = randomF32(3 * 17, 78).map((v) => Math.max(0, v));
    const wantB = bernoulli(p, 0xabc), wantM = multinomial(probs, 3, 17, 9, 0xdef);
    await withStorages(b, async (keep) => {
      const y = keep(output(b, 37));
      b.randomBernoulli(keep(put(b, p)), y, 37, 0xabc);
      const bits = await readOut(b, y, 37, name);
      assertClose(bits, Float64Array.from(wantB), Tol.exact, `bernoulli on ${name}`);
      const z = keep(output(b, 27));
      b.multinomial(keep(put(b, probs)), z, 3, 17, 9, 0xdef);
      const read = await readOut(b, z, 27, name);
      const got = new Int32Array(read.buffer, read.byteOffset, read.length);
      if (got.join() !== wantM.join()) {
        throw new Error(`multinomial on ${name}: ${got} vs ${wantM}`);
      }
    });
  });
}
