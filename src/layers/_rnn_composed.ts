/**
 * A simple RNN whose activation the fused recurrent kernel lacks (`elu`, `gelu`, `leakyRelu`...),
 * composed from ops: the inputs of all steps projected by one matmul, then per step
 * `h = activation(xₜ·kernel + bias + h·recurrentKernel)`, every op on the tape (backpropagation
 * through time by the tape).
 *
 * @module
 */
import { checkTensor, fmtShape, fmtValue } from "../_check.ts";
import { add } from "../ops/arithmetic.ts";
import { stack } from "../ops/concat.ts";
import { zeros } from "../ops/creation.ts";
import { matmul } from "../ops/matmul.ts";
import type { SequenceResult } from "../ops/recurrent.ts";
import { unstack } from "../ops/split.ts";
import { reshape } from "../ops/transform.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";
import { activationFn, type ActivationName } from "./activations.ts";

/** The arguments of {@linkcode composedSimpleRnn}. */
export interface ComposedRnnArgs {
  x: Tensor;
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias?: Tensor;
  initialState?: Tensor[];
  activation: ActivationName;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  /** Return the sequence in input order even when `goBackwards` (Bidirectional). */
  inputOrder: boolean;
}

/** Runs the simple RNN of `args` from ops; `fn` names the layer's call in errors. */
export function composedSimpleRnn(args: ComposedRnnArgs, fn: string): SequenceResult {
  const { x, kernel, recurrentKernel, bias } = args;
  const [batch, steps, features] = x.shape, units = recurrentKernel.shape[0];
  if (args.initialState !== undefined && !Array.isArray(args.initialState)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "initialState" must be an array of tensors: got ${
        fmtValue(args.initialState)
      }`,
    );
  }
  args.initialState?.forEach((s, i) => checkTensor(s, `initialState[${i}]`, fn));
  const h0 = args.initialState?.[0];
  if (
    args.initialState &&
    (args.initialState.length !== 1 || h0!.rank !== 2 || h0!.shape[0] !== batch ||
      h0!.shape[1] !== units)
  ) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "initialState" must be [h0] of shape ${
        fmtShape([batch, units])
      }: got ${args.initialState.map((t) => fmtShape(t.shape)).join(", ")}`,
    );
  }
  const act = activationFn(args.activation);
  return tidy(() => {
    const projected = reshape(
      matmul(reshape(x, [batch * steps, features]), kernel, { bias }),
      [batch, steps, units],
    );
    const inputs = unstack(projected, 1);
    if (args.goBackwards) inputs.reverse();
    let h = h0 ?? zeros([batch, units]);
    const outputs: Tensor[] = [];
    for (const xt of inputs) {
      h = act(add(xt, matmul(h, recurrentKernel)));
      outputs.push(h);
    }
    if (args.goBackwards && args.inputOrder) outputs.reverse();
    const output = args.returnSequences ? stack(outputs, 1) : h;
    return { output, states: args.returnState ? [h] : [] };
  });
}
