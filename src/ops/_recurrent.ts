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
  g: number;
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

/** Runs a sequence op; one tape node covers the whole sequence. */
export function runSequence(p: SequenceArgs): SequenceResult {
  const be = activeBackend();
  const [batch, steps, features] = p.x.shape;
  const units = p.recurrentKernel.shape[0];
  const d: Dims = { batch, steps, features, units, g: GATES[p.cell] * units };
  const bu = batch * units;
  const biasIn = p.bias &&
    (p.cell === "gru" ? be.subarray(p.bias.storage, 0, d.g) : p.bias.storage);
  const biasRec = p.bias && p.cell === "gru" ? be.subarray(p.bias.storage, d.g, d.g) : null;

  const xP = output([steps, batch, features]);
  be.sequenceTranspose(p.x.storage, xP.storage, batch, steps, features, true, p.goBackwards);
  const xw = output([steps, batch, d.g]);
  gemm(
    be,
    xP.storage,
    p.kernel.storage,
    xw.storage,
    steps * batch,
    d.g,
    features,
    false,
    false,
    0,
    biasIn,
  );
  const hs = output([steps + 1, batch, units]);
  const cs = p.cell === "lstm" ? output([steps + 1, batch, units]) : null;
  // The LSTM's gate activations overwrite its preactivations step by step (the kernel runs in
  // place), so xw becomes the saved gates; the GRU saves 4 blocks per step beside its 3.
  const gates = p.cell === "lstm"
    ? xw
    : p.cell === "gru"
    ? output([steps, batch, 4 * units])
    : null;
  if (p.initialState[0]) be.copy(p.initialState[0].storage, 0, hs.storage, 0, bu);
  else be.fill(hs.storage, 0, bu);
  if (cs) {
    if (p.initialState[1]) be.copy(p.initialState[1].storage, 0, cs.storage, 0, bu);
    else be.fill(cs.storage, 0, bu);
  }
  const hu = output([batch, d.g]);
  const block = (t: Tensor | null, s: number, size: number) =>
    be.subarray(t!.storage, s * size, size);
  for (let s = 0; s < steps; s++) {
    const hPrev = block(hs, s, bu), h = block(hs, s + 1, bu);
    // With no initial state, h·U at the first step is 0·U = +0 exactly (one step's GEMM saved;
    // only a NaN or inf in U, which would reach every later step anyway, no longer shows here).
    if (s === 0 && !p.initialState[0] && !biasRec) be.fill(hu.storage, 0, batch * d.g);
    else {
      gemm(
        be,
        hPrev,
        p.recurrentKernel.storage,
        hu.storage,
        batch,
        d.g,
        units,
        false,
        false,
        0,
        biasRec,
      );
    }
    const xws = block(xw, s, batch * d.g);
    if (p.cell === "lstm") {
      be.lstmGates({
        batch,
        units,
        xw: xws,
        hu: hu.storage,
        cPrev: block(cs, s, bu),
        c: block(cs, s + 1, bu),
        h,
        gates: block(gates, s, batch * d.g),
      });
    } else if (p.cell === "gru") {
      be.gruGates({
        batch,
        units,
        xw: xws,
        hu: hu.storage,
        hPrev,
        h,
        saved: block(gates, s, 4 * bu),
      });
    } else {
      be.rnnGates(xws, hu.storage, h, p.activation, batch, units);
    }
  }
  hu.dispose();
  if (gates !== xw) xw.dispose();

  // The recorded output: the sequence or the last state, or with returnState all of them packed
  // in one tensor that the caller's views slice (so one node still covers everything).
  const outSize = p.returnSequences ? steps * bu : bu;
  const outShape = p.returnSequences ? [batch, steps, units] : [batch, units];
  const packed = output(p.returnState ? [outSize + (cs ? 2 : 1) * bu] : outShape);
  if (p.returnSequences) {
    const order = p.goBackwards && p.inputOrder;
    be.sequenceTranspose(
      be.subarray(hs.storage, bu, steps * bu),
      packed.storage,
      batch,
      steps,
      units,
      false,
      order,
    );
  } else be.copy(hs.storage, steps * bu, packed.storage, 0, bu);
  if (p.returnState) {
    be.copy(hs.storage, steps * bu, packed.storage, outSize, bu);
    if (cs) be.copy(cs.storage, steps * bu, packed.storage, outSize + bu, bu);
  }
  const inputs = [p.x, p.kernel, p.recurrentKernel, ...(p.bias ? [p.bias] : []), ...p.initialState];
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

/** The output and state tensors from the packed result (views through recorded slices). */
function unpack(p: SequenceArgs, d: Dims, packed: Tensor): SequenceResult {
  const bu = d.batch * d.units;
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
  const { batch, steps, features, units, g } = d;
  const bu = batch * units;
  const [xP, hs, kernel, recurrentKernel] = sv;
  const cs = p.cell === "lstm" ? sv[4] : null;
  const gates = p.cell === "lstm" ? sv[5] : p.cell === "gru" ? sv[4] : null;
  const block = (t: Tensor | null, s: number, size: number) =>
    be.subarray(t!.storage, s * size, size);

  // dh of every step: from the output (and the final-state gradients), recurrence added below.
  const dh = output([steps, batch, units]);
  const outSize = p.returnSequences ? steps * bu : bu;
  if (p.returnSequences) {
    const order = p.goBackwards && p.inputOrder;
    be.sequenceTranspose(dy.storage, dh.storage, batch, steps, units, true, order);
  } else {
    be.fill(dh.storage, 0, (steps - 1) * bu);
    be.copy(dy.storage, 0, dh.storage, (steps - 1) * bu, bu);
  }
  const last = block(dh, steps - 1, bu);
  if (p.returnState) be.axpy(be.subarray(dy.storage, outSize, bu), last, bu, 1);
  const dc = cs ? output([batch, units]) : null;
  if (dc) {
    if (p.returnState) be.copy(dy.storage, outSize + bu, dc.storage, 0, bu);
    else be.fill(dc.storage, 0, bu);
  }
  const dz = output([steps, batch, g]);
  const dzh = p.cell === "gru" ? output([steps, batch, g]) : dz;
  const dh0 = p.initialState.length > 0 ? output([batch, units]) : null;
  if (dh0) be.fill(dh0.storage, 0, bu);
  const U = recurrentKernel.storage;
  for (let s = steps - 1; s >= 0; s--) {
    const cut = s > 0 && (steps - s) % p.truncate === 0;
    const prev = s === 0 ? dh0?.storage ?? null : cut ? null : block(dh, s - 1, bu);
    const dhs = block(dh, s, bu), dzs = block(dz, s, batch * g);
    if (p.cell === "lstm") {
      be.lstmGatesBackward({
        batch,
        units,
        dh: dhs,
        dc: dc!.storage,
        gates: block(gates, s, batch * g),
        cPrev: block(cs, s, bu),
        c: block(cs, s + 1, bu),
        dz: dzs,
      });
      if (cut) be.fill(dc!.storage, 0, bu);
    } else if (p.cell === "gru") {
      be.gruGatesBackward({
        batch,
        units,
        dh: dhs,
        saved: block(gates, s, 4 * bu),
        hPrev: block(hs, s, bu),
        dxw: dzs,
        dhu: block(dzh, s, batch * g),
        dhPrev: prev,
      });
    } else {
      be.rnnGatesBackward(dhs, block(hs, s + 1, bu), dzs, p.activation, batch, units);
    }
    if (prev) gemm(be, block(dzh, s, batch * g), U, prev, batch, units, g, false, true, 1);
  }
  dh.dispose();

  const n = steps * batch;
  const dKernel = output(kernel.shape), dRec = output(recurrentKernel.shape);
  gemm(be, hs.storage, dzh.storage, dRec.storage, units, g, n, true, false);
  gemm(be, xP.storage, dz.storage, dKernel.storage, features, g, n, true, false);
  let dx: Tensor | null = null;
  if (needDx) {
    const dxP = output([steps, batch, features]);
    gemm(be, dz.storage, kernel.storage, dxP.storage, n, features, g, false, true);
    dx = output(p.x.shape);
    be.sequenceTranspose(dxP.storage, dx.storage, batch, steps, features, false, p.goBackwards);
    dxP.dispose();
  }
  const grads = [dx, dKernel, dRec];
  if (p.bias) {
    const db = output(p.bias.shape);
    be.reduce("sum", dz.storage, db.storage, 1, n, g, 1);
    if (p.cell === "gru") be.reduce("sum", dzh.storage, be.subarray(db.storage, g, g), 1, n, g, 1);
    grads.push(db);
  }
  if (dzh !== dz) dzh.dispose();
  dz.dispose();
  if (dh0) grads.push(dh0);
  if (dc && p.initialState.length > 1) grads.push(dc);
  else dc?.dispose();
  return grads;
}
