/**
 * The engine behind `lstm`, `gru` and `simpleRnn` (arguments already checked by
 * `src/ops/recurrent.ts`): a whole sequence as ONE tape node with a hand-written backward
 * through time (ARCHITECTURE principles 4 and "fused, coarse ops").
 *
 * Forward. The input is copied to time-major order `[steps, batch, features]` (in processing
 * order, so `goBackwards` is only a reversed copy), projected for all steps by one GEMM
 * (`[steps·batch, features] · [features, g·units]`, input bias fused), then each step runs one
 * small GEMM `hPrev·U` and one fused gate kernel. Hidden states live in one `[steps + 1, batch,
 * units]` buffer (block 0 = initial state), cell states likewise, gate activations in
 * `[steps, batch, ·]`: every step works on contiguous blocks (backend `subarray` windows). The
 * LSTM's gate kernel writes its activations over the step's block of `x·W + b` (in place), so
 * one buffer serves both and the stores land in cache lines the kernel has just read.
 *
 * Backward. Walks the steps in reverse: the gate kernel turns the step's total dh (and dc) into
 * the preactivation gradients dz, then one GEMM adds `dz·Uᵀ` to the previous step's dh. With
 * `truncate = N`, steps are cut into chunks of N counted from the last step and no gradient
 * crosses a chunk boundary (the initial state always receives the first step's gradient). After
 * the loop, three big GEMMs give dU (`Hprevᵀ·dz`), dW (`xᵀ·dz`) and dx (`dz·Wᵀ`) for all steps.
 *
 * @module
 */
import type { Activation, Backend, Storage } from "../backend/backend.ts";
import { fused } from "../backend/fused_defaults.ts";
import { activeBackend } from "../backend/select.ts";
import { record } from "../autograd/tape.ts";
import type { Tensor } from "../tensor.ts";
import { output } from "./_output.ts";

/** The three cells. */
export type CellKind = "lstm" | "gru" | "simpleRnn";

/** Gate blocks per cell (columns of the kernels are `gates·units`). */
export const GATES: Record<CellKind, number> = { lstm: 4, gru: 3, simpleRnn: 1 };

/** Checked arguments of one sequence op. */
export interface SequenceArgs {
  cell: CellKind;
  /** `[batch, steps, features]`. */
  x: Tensor;
  /** `[features, g·units]`. */
  kernel: Tensor;
  /** `[units, g·units]`. */
  recurrentKernel: Tensor;
  /** `[g·units]`, GRU `[2, 3·units]` (input and recurrent bias), or null. */
  bias: Tensor | null;
  /** `[h0]`, or `[h0, c0]` for the LSTM, each `[batch, units]`; empty for zeros. */
  initialState: Tensor[];
  /** Simple RNN activation (the LSTM and GRU always use tanh and sigmoid). */
  activation: Activation;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  /** Return the sequence in input order even when `goBackwards` (Bidirectional). */
  inputOrder: boolean;
  /** BPTT truncation length in steps (Infinity for none). */
  truncate: number;
}

/** Output of a sequence op: the output and, with `returnState`, the final states. */
export interface SequenceResult {
  /** The last step's output `[batch, units]`, or every step's `[batch, steps, units]`. */
  output: Tensor;
  /** With `returnState` the final states `[h]` (LSTM `[h, c]`) of `[batch, units]`, else empty. */
  states: Tensor[];
}

interface Dims {
  batch: number;
  steps: number;
  features: number;
  units: number;
  /** Columns of the gate kernels, `gates·units`. */
  g: number;
  /** Floats of one `[batch, units]` state. */
  bu: number;
}

/** The forward's buffers, each `[steps (+ 1), batch, ·]` in processing order. */
interface Buffers {
  /** The input, time-major. */
  xP: Tensor;
  /** `x·W + b` of every step (the LSTM's gates once the steps ran). */
  xw: Tensor;
  /** Hidden states, block 0 the initial one. */
  hs: Tensor;
  /** LSTM cell states, block 0 the initial one; null for the other cells. */
  cs: Tensor | null;
  /** What the gate kernels save for the backward (LSTM: `xw` itself), null for the simple RNN. */
  gates: Tensor | null;
}

/** `c = op(a)·op(b) + beta·c (+ bias)` on raw storages. */
function gemm(
  be: Backend,
  a: Storage,
  b: Storage,
  c: Storage,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  beta = 0,
  bias: Storage | null = null,
): void {
  be.gemm({ a, b, c, m, n, k, transA, transB, bias, activation: "linear", beta });
}

/** Block `s` of `size` floats of a `[n, ·]` buffer (a time step). */
function block(be: Backend, t: Tensor | null, s: number, size: number): Storage {
  return be.subarray(t!.storage, s * size, size);
}

/** The GRU's input bias (block 0) and recurrent bias (block 1); the others have only the first. */
function biases(be: Backend, p: SequenceArgs, d: Dims): [Storage | null, Storage | null] {
  if (!p.bias) return [null, null];
  if (p.cell !== "gru") return [p.bias.storage, null];
  return [be.subarray(p.bias.storage, 0, d.g), be.subarray(p.bias.storage, d.g, d.g)];
}

/** Runs a sequence op; one tape node covers the whole sequence. */
export function runSequence(p: SequenceArgs): SequenceResult {
  const be = activeBackend();
  const [batch, steps, features] = p.x.shape;
  const units = p.recurrentKernel.shape[0];
  const d: Dims = { batch, steps, features, units, g: GATES[p.cell] * units, bu: batch * units };
  const bufs = allocate(be, p, d);
  runSteps(be, p, d, bufs);
  if (bufs.gates !== bufs.xw) bufs.xw.dispose();
  const packed = packOutputs(be, p, d, bufs);
  const inputs = [p.x, p.kernel, p.recurrentKernel, ...(p.bias ? [p.bias] : []), ...p.initialState];
  const { xP, hs, cs, gates } = bufs;
  const saved = [
    xP,
    hs,
    p.kernel,
    p.recurrentKernel,
    ...(cs ? [cs] : []),
    ...(gates ? [gates] : []),
  ];
  record(packed, inputs, (dy, sv, needs) => backward(p, d, dy, sv, needs[0]), saved);
  for (const t of [xP, hs, cs, gates]) t?.dispose();
  return unpack(p, d, packed);
}

/**
 * The forward's buffers: the input in time-major order and projected for all steps by one GEMM,
 * the state buffers holding the initial states, and the gates' save buffer.
 */
function allocate(be: Backend, p: SequenceArgs, d: Dims): Buffers {
  const { batch, steps, features, units, bu } = d;
  const xP = output([steps, batch, features]);
  fused(be).sequenceTranspose(p.x.storage, xP.storage, batch, steps, features, true, p.goBackwards);
  const xw = output([steps, batch, d.g]);
  const [biasIn] = biases(be, p, d);
  const n = steps * batch;
  gemm(be, xP.storage, p.kernel.storage, xw.storage, n, d.g, features, false, false, 0, biasIn);
  const hs = output([steps + 1, batch, units]);
  const cs = p.cell === "lstm" ? output([steps + 1, batch, units]) : null;
  for (const [k, t] of [hs, cs].entries()) {
    if (!t) continue;
    if (p.initialState[k]) be.copy(p.initialState[k].storage, 0, t.storage, 0, bu);
    else be.fill(t.storage, 0, bu);
  }
  // The LSTM's gate activations overwrite its preactivations step by step (the kernel runs in
  // place), so xw becomes the saved gates; the GRU saves 4 blocks per step beside its 3.
  const gates = p.cell === "lstm"
    ? xw
    : p.cell === "gru"
    ? output([steps, batch, 4 * units])
    : null;
  return { xP, xw, hs, cs, gates };
}

/** Every step: one small GEMM `hPrev·U` and one gate kernel. */
function runSteps(be: Backend, p: SequenceArgs, d: Dims, bufs: Buffers): void {
  const { batch, units, g, bu } = d;
  const [, biasRec] = biases(be, p, d);
  const hu = output([batch, g]);
  for (let s = 0; s < d.steps; s++) {
    // With no initial state, h·U at the first step is 0·U = +0 exactly (one step's GEMM saved;
    // only a NaN or inf in U, which would reach every later step anyway, no longer shows here).
    if (s === 0 && !p.initialState[0] && !biasRec) be.fill(hu.storage, 0, batch * g);
    else {
      const hPrev = block(be, bufs.hs, s, bu), U = p.recurrentKernel.storage;
      gemm(be, hPrev, U, hu.storage, batch, g, units, false, false, 0, biasRec);
    }
    gateStep(be, p, d, bufs, hu.storage, s);
  }
  hu.dispose();
}

/** The gate kernel of step `s`, from `hu = hPrev·U`. */
function gateStep(be: Backend, p: SequenceArgs, d: Dims, bufs: Buffers, hu: Storage, s: number) {
  const { batch, units, g, bu } = d;
  const { xw, hs, cs, gates } = bufs;
  const f = fused(be), xws = block(be, xw, s, batch * g), h = block(be, hs, s + 1, bu);
  if (p.cell === "lstm") {
    const cPrev = block(be, cs, s, bu), c = block(be, cs, s + 1, bu);
    f.lstmGates({ batch, units, xw: xws, hu, cPrev, c, h, gates: block(be, gates, s, batch * g) });
  } else if (p.cell === "gru") {
    const hPrev = block(be, hs, s, bu), saved = block(be, gates, s, 4 * bu);
    f.gruGates({ batch, units, xw: xws, hu, hPrev, h, saved });
  } else f.rnnGates(xws, hu, h, p.activation, batch, units);
}

/**
 * The recorded output: the sequence or the last state, or with returnState all of them packed in
 * one tensor that the caller's views slice (so one node still covers everything).
 */
function packOutputs(be: Backend, p: SequenceArgs, d: Dims, bufs: Buffers): Tensor {
  const { batch, steps, units, bu } = d;
  const { hs, cs } = bufs;
  const outSize = p.returnSequences ? steps * bu : bu;
  const outShape = p.returnSequences ? [batch, steps, units] : [batch, units];
  const packed = output(p.returnState ? [outSize + (cs ? 2 : 1) * bu] : outShape);
  if (p.returnSequences) {
    const order = p.goBackwards && p.inputOrder, seq = be.subarray(hs.storage, bu, steps * bu);
    fused(be).sequenceTranspose(seq, packed.storage, batch, steps, units, false, order);
  } else be.copy(hs.storage, steps * bu, packed.storage, 0, bu);
  if (p.returnState) {
    be.copy(hs.storage, steps * bu, packed.storage, outSize, bu);
    if (cs) be.copy(cs.storage, steps * bu, packed.storage, outSize + bu, bu);
  }
  return packed;
}

/** The output and state tensors from the packed result (views through recorded slices). */
function unpack(p: SequenceArgs, d: Dims, packed: Tensor): SequenceResult {
  const bu = d.bu;
  const outShape = p.returnSequences ? [d.batch, d.steps, d.units] : [d.batch, d.units];
  if (!p.returnState) return { output: packed, states: [] };
  const outSize = p.returnSequences ? d.steps * bu : bu;
  const states = [slice(packed, outSize, [d.batch, d.units])];
  if (p.cell === "lstm") states.push(slice(packed, outSize + bu, [d.batch, d.units]));
  const result = { output: slice(packed, 0, outShape), states };
  packed.dispose();
  return result;
}

/** Elements `[offset, offset + size)` of a flat tensor as a new tensor of `shape`. */
function slice(packed: Tensor, offset: number, shape: number[]): Tensor {
  const be = activeBackend();
  const y = output(shape);
  be.copy(packed.storage, offset, y.storage, 0, y.size);
  return record(y, [packed], (dy) => {
    const dp = output(packed.shape);
    be.fill(dp.storage, 0, dp.size);
    be.copy(dy.storage, 0, dp.storage, offset, dy.size);
    return [dp];
  });
}

/** The saved tensors of the forward, by name. */
interface Saved {
  xP: Tensor;
  hs: Tensor;
  kernel: Tensor;
  recurrentKernel: Tensor;
  cs: Tensor | null;
  gates: Tensor | null;
}

/** The backward's gradient buffers. */
interface Grads {
  /** dL/dh of every step `[steps, batch, units]`: from the outputs, recurrence added. */
  dh: Tensor;
  /** LSTM dL/dc of the current step (becomes dc0), else null. */
  dc: Tensor | null;
  /** Preactivation gradients `[steps, batch, g]` (the GRU's input side). */
  dz: Tensor;
  /** The GRU's recurrent-side preactivation gradients; `dz` itself for the others. */
  dzh: Tensor;
  /** Gradient of the initial hidden state, when one was given. */
  dh0: Tensor | null;
}

/**
 * Backpropagation through time; returns the gradients of the recorded inputs in order (x's null
 * when `needDx` is false: a first layer's data needs none, and dx is a full GEMM).
 */
function backward(
  p: SequenceArgs,
  d: Dims,
  dy: Tensor,
  sv: readonly Tensor[],
  needDx: boolean,
): (Tensor | null)[] {
  const be = activeBackend();
  const [xP, hs, kernel, recurrentKernel] = sv;
  const cs = p.cell === "lstm" ? sv[4] : null;
  const gates = p.cell === "lstm" ? sv[5] : p.cell === "gru" ? sv[4] : null;
  const saved: Saved = { xP, hs, kernel, recurrentKernel, cs, gates };
  const gr = outputGradients(be, p, d, dy);
  for (let s = d.steps - 1; s >= 0; s--) backStep(be, p, d, saved, gr, s);
  gr.dh.dispose();
  const grads = weightGradients(be, p, d, saved, gr, needDx);
  if (gr.dzh !== gr.dz) gr.dzh.dispose();
  gr.dz.dispose();
  if (gr.dh0) grads.push(gr.dh0);
  if (gr.dc && p.initialState.length > 1) grads.push(gr.dc);
  else gr.dc?.dispose();
  return grads;
}

/** The gradient buffers, dh and dc filled from the output (and the final-state) gradients. */
function outputGradients(be: Backend, p: SequenceArgs, d: Dims, dy: Tensor): Grads {
  const { batch, steps, units, g, bu } = d;
  const dh = output([steps, batch, units]);
  const outSize = p.returnSequences ? steps * bu : bu;
  if (p.returnSequences) {
    const order = p.goBackwards && p.inputOrder;
    fused(be).sequenceTranspose(dy.storage, dh.storage, batch, steps, units, true, order);
  } else {
    be.fill(dh.storage, 0, (steps - 1) * bu);
    be.copy(dy.storage, 0, dh.storage, (steps - 1) * bu, bu);
  }
  if (p.returnState) {
    fused(be).axpy(be.subarray(dy.storage, outSize, bu), block(be, dh, steps - 1, bu), bu, 1);
  }
  const dc = p.cell === "lstm" ? output([batch, units]) : null;
  if (dc) {
    if (p.returnState) be.copy(dy.storage, outSize + bu, dc.storage, 0, bu);
    else be.fill(dc.storage, 0, bu);
  }
  const dz = output([steps, batch, g]);
  const dzh = p.cell === "gru" ? output([steps, batch, g]) : dz;
  const dh0 = p.initialState.length > 0 ? output([batch, units]) : null;
  if (dh0) be.fill(dh0.storage, 0, bu);
  return { dh, dc, dz, dzh, dh0 };
}

/**
 * Step `s` backward: the gate kernel turns the step's total dh (and dc) into dz, then one GEMM
 * adds `dz·Uᵀ` to the previous step's dh, unless a truncation boundary cuts it.
 */
function backStep(be: Backend, p: SequenceArgs, d: Dims, sv: Saved, gr: Grads, s: number): void {
  const { batch, steps, units, g, bu } = d;
  const f = fused(be);
  const cut = s > 0 && (steps - s) % p.truncate === 0;
  const prev = s === 0 ? gr.dh0?.storage ?? null : cut ? null : block(be, gr.dh, s - 1, bu);
  const dhs = block(be, gr.dh, s, bu), dzs = block(be, gr.dz, s, batch * g);
  if (p.cell === "lstm") {
    f.lstmGatesBackward({
      batch,
      units,
      dh: dhs,
      dc: gr.dc!.storage,
      gates: block(be, sv.gates, s, batch * g),
      cPrev: block(be, sv.cs, s, bu),
      c: block(be, sv.cs, s + 1, bu),
      dz: dzs,
    });
    if (cut) be.fill(gr.dc!.storage, 0, bu);
  } else if (p.cell === "gru") {
    f.gruGatesBackward({
      batch,
      units,
      dh: dhs,
      saved: block(be, sv.gates, s, 4 * bu),
      hPrev: block(be, sv.hs, s, bu),
      dxw: dzs,
      dhu: block(be, gr.dzh, s, batch * g),
      dhPrev: prev,
    });
  } else f.rnnGatesBackward(dhs, block(be, sv.hs, s + 1, bu), dzs, p.activation, batch, units);
  const U = sv.recurrentKernel.storage;
  if (prev) gemm(be, block(be, gr.dzh, s, batch * g), U, prev, batch, units, g, false, true, 1);
}

/**
 * After the loop, three big GEMMs give dU (`Hprevᵀ·dz`), dW (`xᵀ·dz`) and dx (`dz·Wᵀ`) for all
 * steps, and column sums the bias gradients: `[dx, dKernel, dRecurrentKernel, (dBias)]`.
 */
function weightGradients(
  be: Backend,
  p: SequenceArgs,
  d: Dims,
  sv: Saved,
  gr: Grads,
  needDx: boolean,
): (Tensor | null)[] {
  const { batch, steps, features, g } = d;
  const n = steps * batch, dz = gr.dz.storage, dzh = gr.dzh.storage;
  const dKernel = output(sv.kernel.shape), dRec = output(sv.recurrentKernel.shape);
  gemm(be, sv.hs.storage, dzh, dRec.storage, d.units, g, n, true, false);
  gemm(be, sv.xP.storage, dz, dKernel.storage, features, g, n, true, false);
  let dx: Tensor | null = null;
  if (needDx) {
    const dxP = output([steps, batch, features]);
    gemm(be, dz, sv.kernel.storage, dxP.storage, n, features, g, false, true);
    dx = output(p.x.shape);
    fused(be).sequenceTranspose(
      dxP.storage,
      dx.storage,
      batch,
      steps,
      features,
      false,
      p.goBackwards,
    );
    dxP.dispose();
  }
  const grads = [dx, dKernel, dRec];
  if (p.bias) {
    const db = output(p.bias.shape);
    be.reduce("sum", dz, db.storage, 1, n, g, 1);
    if (p.cell === "gru") be.reduce("sum", dzh, be.subarray(db.storage, g, g), 1, n, g, 1);
    grads.push(db);
  }
  return grads;
}
