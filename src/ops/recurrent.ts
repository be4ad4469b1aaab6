/**
 * Recurrent sequence ops: `lstm`, `gru` and `simpleRnn` run a whole `[batch, steps, features]`
 * sequence as one fused op with backpropagation through time (see `_recurrent.ts` for the plan:
 * one GEMM for the input projection of all steps, then per step one small GEMM and one fused gate
 * kernel). Weights use the Keras layouts, so Keras weights load unchanged.
 *
 * Activations are fixed to the Keras defaults for the LSTM and GRU (tanh, and sigmoid for the
 * gates); the layers reject other choices with a TypeError rather than silently composing slower
 * ops. The simple RNN takes `"tanh"` (default), `"relu"`, `"sigmoid"` or `"linear"`.
 *
 * @module
 */
import {
  checkArity,
  checkOneOf,
  checkOptions,
  checkTensor,
  fmtShape,
  fmtValue,
} from "../_check.ts";
import { ACTIVATIONS } from "../backend/activations.ts";
import type { Activation } from "../backend/backend.ts";
import type { Tensor } from "../tensor.ts";
import { type CellKind, GATES, runSequence, type SequenceResult } from "./_recurrent.ts";

export type { SequenceResult } from "./_recurrent.ts";

/** Options of `lstm()`, `gru()` and `simpleRnn()`. */
export interface RecurrentOptions {
  /** `[g·units]` (LSTM g = 4, simple RNN g = 1); GRU `[2, 3·units]`: input and recurrent bias. */
  bias?: Tensor;
  /** Initial states, each `[batch, units]`: `[h0]`, LSTM `[h0, c0]`; default zeros. */
  initialState?: Tensor[];
  /** Return the output of every step `[batch, steps, units]` (default false: the last step). */
  returnSequences?: boolean;
  /** Also return the final states (`states`: `[h]`, LSTM `[h, c]`). Default false. */
  returnState?: boolean;
  /** Process the sequence last step first; outputs come in processing order (Keras). */
  goBackwards?: boolean;
  /**
   * Truncated BPTT: the steps are cut into chunks of `truncate` steps counted back from the last
   * one, and no gradient flows from one chunk into the previous (the forward pass is unchanged).
   * With `returnSequences` false the gradient therefore reaches exactly the last `truncate`
   * steps; with it, each step's output reaches back at most `truncate` steps. Default: none.
   */
  truncate?: number;
  /** Simple RNN only: `"tanh"` (default), `"relu"`, `"sigmoid"`, `"linear"`. */
  activation?: Activation;
}

const OPTIONS = [
  "bias",
  "initialState",
  "returnSequences",
  "returnState",
  "goBackwards",
  "truncate",
];

function checkBool(value: unknown, arg: string, fn: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value;
}

function checkShapeOf(t: Tensor, want: number[], arg: string, fn: string, why: string): void {
  if (t.rank !== want.length) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must have rank ${want.length} (${why}): got rank ${t.rank} (shape ${
        fmtShape(t.shape)
      })`,
    );
  }
  if (t.shape.join() !== want.join()) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must have shape ${fmtShape(want)} (${why}): got ${
        fmtShape(t.shape)
      }`,
    );
  }
}

/** Validates the arguments of a sequence op and runs it. */
export function sequenceOp(
  cell: CellKind,
  fn: string,
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  options: RecurrentOptions,
  inputOrder = false,
): SequenceResult {
  checkTensor(x, "x", fn);
  checkTensor(kernel, "kernel", fn);
  checkTensor(recurrentKernel, "recurrentKernel", fn);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): argument "options" must be an object: got ${fmtValue(options)}`,
    );
  }
  if (x.rank !== 3) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "x" must have rank 3 [batch, steps, features]: got rank ${x.rank} (shape ${
        fmtShape(x.shape)
      })`,
    );
  }
  const [batch, steps, features] = x.shape;
  if (batch === 0 || steps === 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "x" must have at least one sample and one step: got shape ${
        fmtShape(x.shape)
      }`,
    );
  }
  const units = recurrentKernel.rank === 2 ? recurrentKernel.shape[0] : 0;
  const g = GATES[cell] * units;
  if (units < 1) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "recurrentKernel" must have shape [units, ${
        GATES[cell]
      }·units] with units >= 1: got ${fmtShape(recurrentKernel.shape)}`,
    );
  }
  checkShapeOf(recurrentKernel, [units, g], "recurrentKernel", fn, `${GATES[cell]}·units columns`);
  if (kernel.rank === 2 && kernel.shape[0] !== features) {
    throw new RangeError(
      `Cannot run ${fn}(): feature sizes of "x" ${fmtShape(x.shape)} and "kernel" ${
        fmtShape(kernel.shape)
      } must match: got ${features} and ${kernel.shape[0]}`,
    );
  }
  checkShapeOf(kernel, [features, g], "kernel", fn, "[features, gates·units]");
  const bias = options.bias ?? null;
  if (bias !== null) {
    checkTensor(bias, "bias", fn);
    checkShapeOf(bias, cell === "gru" ? [2, g] : [g], "bias", fn, "Keras layout");
  }
  const initialState = options.initialState ?? [];
  const nStates = cell === "lstm" ? 2 : 1;
  if (
    !Array.isArray(initialState) || (initialState.length !== 0 && initialState.length !== nStates)
  ) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "initialState" must be an array of ${nStates} tensors: got ${
        fmtValue(initialState)
      }`,
    );
  }
  initialState.forEach((s, i) => {
    checkTensor(s, `initialState[${i}]`, fn);
    checkShapeOf(s, [batch, units], `initialState[${i}]`, fn, "[batch, units]");
  });
  const truncate = options.truncate ?? Infinity;
  if (truncate !== Infinity && (!Number.isInteger(truncate) || truncate < 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "truncate" must be a positive integer: got ${
        fmtValue(truncate)
      }`,
    );
  }
  const activation = cell === "simpleRnn"
    ? checkOneOf(options.activation ?? "tanh", ACTIVATIONS, "activation", fn)
    : "tanh";
  return runSequence({
    cell,
    x,
    kernel,
    recurrentKernel,
    bias,
    initialState,
    activation,
    returnSequences: checkBool(options.returnSequences, "returnSequences", fn),
    returnState: checkBool(options.returnState, "returnState", fn),
    goBackwards: checkBool(options.goBackwards, "goBackwards", fn),
    inputOrder,
    truncate,
  });
}

/**
 * Runs an LSTM over a sequence (Keras gate order i, f, c, o; tanh and sigmoid):
 * `i, f, o = σ(x·W + h·U + b)`, `g = tanh(...)`, `c = f·c + i·g`, `h = o·tanh(c)`.
 *
 * @param x `[batch, steps, features]`.
 * @param kernel `[features, 4·units]`.
 * @param recurrentKernel `[units, 4·units]`.
 * @param options `bias` `[4·units]`, `initialState` `[h0, c0]`, `returnSequences`,
 *   `returnState`, `goBackwards`, `truncate` (see `RecurrentOptions`).
 * @returns `{ output, states }`: output `[batch, units]` or `[batch, steps, units]`; states
 *   `[h, c]` with `returnState`, else empty.
 * @throws {TypeError} When an argument is not a live tensor, has the wrong rank, or an option has
 *   the wrong type.
 * @throws {RangeError} When shapes do not match (features, units, bias, initial state) or the
 *   sequence is empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const x = dn.ones([2, 5, 3]);
 * const { output } = dn.lstm(x, dn.zeros([3, 8]), dn.zeros([2, 8]), { returnSequences: true });
 * assert.deepEqual(output.shape, [2, 5, 2]);
 * ```
 */
export function lstm(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  options: RecurrentOptions = {},
): SequenceResult {
  checkArity(arguments, ["x", "kernel", "recurrentKernel", "options"], "lstm");
  checkOptions(options, [...OPTIONS], "lstm");
  return sequenceOp("lstm", "lstm", x, kernel, recurrentKernel, options);
}

/**
 * Runs a GRU over a sequence (Keras gate order z, r, h, `resetAfter: true`):
 * `z, r = σ(x·W + b_in + h·U + b_rec)`, `ĥ = tanh(x·W_h + b_in,h + r·(h·U_h + b_rec,h))`,
 * `h = z·h + (1 - z)·ĥ`.
 *
 * @param x `[batch, steps, features]`.
 * @param kernel `[features, 3·units]`.
 * @param recurrentKernel `[units, 3·units]`.
 * @param options `bias` `[2, 3·units]`, `initialState` `[h0]`, `returnSequences`,
 *   `returnState`, `goBackwards`, `truncate`.
 * @returns `{ output, states }` (states `[h]` with `returnState`).
 * @throws {TypeError} When an argument is not a live tensor or has the wrong rank.
 * @throws {RangeError} When shapes do not match or the sequence is empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { output, states } = dn.gru(dn.ones([1, 4, 2]), dn.zeros([2, 9]), dn.zeros([3, 9]), {
 *   returnState: true,
 * });
 * assert.deepEqual([output.shape, states[0].shape], [[1, 3], [1, 3]]);
 * ```
 */
export function gru(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  options: RecurrentOptions = {},
): SequenceResult {
  checkArity(arguments, ["x", "kernel", "recurrentKernel", "options"], "gru");
  checkOptions(options, [...OPTIONS], "gru");
  return sequenceOp("gru", "gru", x, kernel, recurrentKernel, options);
}

/**
 * Runs a fully connected RNN over a sequence: `h = activation(x·W + h·U + b)`.
 *
 * @param x `[batch, steps, features]`.
 * @param kernel `[features, units]`.
 * @param recurrentKernel `[units, units]`.
 * @param options `bias` `[units]`, `initialState` `[h0]`, `activation`, `returnSequences`,
 *   `returnState`, `goBackwards`, `truncate`.
 * @returns `{ output, states }` (states `[h]` with `returnState`).
 * @throws {TypeError} When an argument is not a live tensor, has the wrong rank, or the
 *   activation is unknown.
 * @throws {RangeError} When shapes do not match or the sequence is empty.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const { output } = dn.simpleRnn(dn.ones([1, 3, 1]), dn.ones([1, 1]), dn.zeros([1, 1]), {
 *   activation: "linear",
 * });
 * assert.deepEqual([...output.dataSync()], [1]);
 * ```
 */
export function simpleRnn(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  options: RecurrentOptions = {},
): SequenceResult {
  checkArity(arguments, ["x", "kernel", "recurrentKernel", "options"], "simpleRnn");
  checkOptions(options, [...OPTIONS, "activation"], "simpleRnn");
  return sequenceOp("simpleRnn", "simpleRnn", x, kernel, recurrentKernel, options);
}
