/**
 * Recurrent layers whose activations the fused recurrent kernel lacks, composed from ops: a
 * simple RNN with `elu`, `gelu`, `leakyRelu`..., and an LSTM or GRU with any `activation` /
 * `recurrentActivation` pair other than `tanh`/`sigmoid`. The inputs of all steps are projected by
 * one matmul, then each step runs the Keras cell equations (act = activation, σ =
 * recurrentActivation):
 *
 *   simple RNN  h = act(xₜ·W + b + h·U)
 *   LSTM        z = xₜ·W + b + h·U split i, f, c, o;  c = σ(f)·c + σ(i)·act(c̃);  h = σ(o)·act(c)
 *   GRU         xz = xₜ·W + b[0], hz = h·U + b[1] split z, r, h (reset after the product);
 *               z = σ(xz_z + hz_z), r = σ(xz_r + hz_r), ĥ = act(xz_h + r·hz_h), h = z·h + (1 - z)·ĥ
 *   GRU reset before (bias [3·units]): ĥ = act(xz_h + (r·h)·U_h), z and r as above
 *
 * every op on the tape (backpropagation through time by the tape).
 *
 * @module
 */
import { checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import { stack } from "../ops/concat.ts";
import { zeros } from "../ops/creation.ts";
import { matmul } from "../ops/matmul.ts";
import type { SequenceResult } from "../ops/recurrent.ts";
import type { CellKind } from "../ops/_recurrent.ts";
import { split, unstack } from "../ops/split.ts";
import { reshape } from "../ops/transform.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { activationFn, type ActivationName } from "./activations.ts";

/** The arguments of {@linkcode composedRnn}. */
export interface ComposedRnnArgs {
  cell: CellKind;
  x: Tensor;
  kernel: Tensor;
  recurrentKernel: Tensor;
  /** `[g·units]`, GRU `[2, 3·units]`. */
  bias?: Tensor;
  initialState?: Tensor[];
  activation: ActivationName;
  /** The gate activation of the LSTM and GRU. */
  recurrentActivation: ActivationName;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  /** GRU: reset gate after the recurrent product (bias `[2, 3·units]`), else before it. */
  resetAfter: boolean;
  /** Return the sequence in input order even when `goBackwards` (Bidirectional). */
  inputOrder: boolean;
}

/** Validates `initialState` (`[h0]`, LSTM `[h0, c0]`, each `[batch, units]`) for `fn`. */
function checkInitialState(
  states: Tensor[] | undefined,
  count: number,
  batch: number,
  units: number,
  fn: string,
): void {
  if (states === undefined) return;
  if (!Array.isArray(states)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "initialState" must be an array of tensors: got ${
        fmtValue(states)
      }`,
    );
  }
  states.forEach((s, i) => checkTensor(s, `initialState[${i}]`, fn));
  if (
    states.length !== count ||
    states.some((s) => s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== units)
  ) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "initialState" must be ${
        count === 2 ? "[h0, c0]" : "[h0]"
      } of shape ${fmtShape([batch, units])}: got ${
        states.map((t) => fmtShape(t.shape)).join(", ")
      }`,
    );
  }
}

/** Runs the recurrent layer of `args` from ops; `fn` names the layer's call in errors. */
export function composedRnn(args: ComposedRnnArgs, fn: string): SequenceResult {
  const { cell, x, kernel, recurrentKernel } = args;
  const [batch, steps, features] = x.shape, units = recurrentKernel.shape[0];
  const nStates = cell === "lstm" ? 2 : 1;
  checkInitialState(args.initialState, nStates, batch, units, fn);
  const act = activationFn(args.activation), gate = activationFn(args.recurrentActivation);
  return tidy(() => {
    const resetBefore = cell === "gru" && !args.resetAfter;
    const [inputBias, recurrentBias] = cell === "gru" && args.resetAfter && args.bias
      ? unstack(args.bias, 0)
      : [args.bias, undefined];
    const [uz, ur, uh] = resetBefore ? split(recurrentKernel, 3, 1) : [];
    const g = kernel.shape[1];
    const projected = reshape(
      matmul(reshape(x, [batch * steps, features]), kernel, { bias: inputBias }),
      [batch, steps, g],
    );
    const inputs = unstack(projected, 1);
    if (args.goBackwards) inputs.reverse();
    let h = args.initialState?.[0] ?? zeros([batch, units]);
    let c = args.initialState?.[1] ?? zeros([batch, units]);
    const outputs: Tensor[] = [];
    for (const xt of inputs) {
      if (cell === "lstm") {
        const [i, f, cc, o] = split(add(xt, matmul(h, recurrentKernel)), 4, 1);
        c = add(mul(gate(f), c), mul(gate(i), act(cc)));
        h = mul(gate(o), act(c));
      } else if (resetBefore) {
        const [xz, xr, xh] = split(xt, 3, 1);
        const z = gate(add(xz, matmul(h, uz))), r = gate(add(xr, matmul(h, ur)));
        const candidate = act(add(xh, matmul(mul(r, h), uh)));
        h = add(mul(z, h), mul(sub(1, z), candidate));
      } else if (cell === "gru") {
        const [xz, xr, xh] = split(xt, 3, 1);
        const [hz, hr, hh] = split(matmul(h, recurrentKernel, { bias: recurrentBias }), 3, 1);
        const z = gate(add(xz, hz)), r = gate(add(xr, hr));
        const candidate = act(add(xh, mul(r, hh)));
        h = add(mul(z, h), mul(sub(1, z), candidate));
      } else {
        h = act(add(xt, matmul(h, recurrentKernel)));
      }
      outputs.push(h);
    }
    if (args.goBackwards && args.inputOrder) outputs.reverse();
    const output = args.returnSequences ? stack(outputs, 1) : h;
    const states = cell === "lstm" ? [h, c] : [h];
    return { output, states: args.returnState ? states : [] };
  });
}
