/**
 * LSTM, GRU and RNN (forward, reverse, bidirectional; initial states; both `layout`s) on our
 * fused sequence ops. Weights change layout once at load: ONNX's `W [dirs, g·h, in]`,
 * `R [dirs, g·h, h]` become Keras kernels `[in, g·h]` and `[h, g·h]` per direction, the LSTM's
 * gate blocks reordered from ONNX's i, o, f, c to Keras' i, f, c, o, and the two biases summed
 * (GRU with `linear_before_reset`: kept apart as `[2, 3·h]`, the reset-after form our kernel
 * runs; without it the reset-before GRU runs composed from ops).
 *
 * @module
 */
import type { Tensor } from "../../tensor.ts";
import { sequenceOp } from "../../ops/recurrent.ts";
import { composedRnn } from "../../layers/_rnn_composed.ts";
import type { Activation } from "../../backend/backend.ts";
import { stack } from "../../ops/concat.ts";
import { slice } from "../../ops/slice.ts";
import { zeros } from "../../ops/creation.ts";
import { reshape } from "../../ops/transform.ts";
import type { Kernel, KernelBuilder, NodeCtx } from "../_kernel.ts";
import type { HostTensor } from "../_proto.ts";
import { permute, permuted, toTensor } from "./_constants.ts";

type Cell = "lstm" | "gru" | "simpleRnn";

const GATES: Record<Cell, number> = { lstm: 4, gru: 3, simpleRnn: 1 };
/** Default activations per direction (what the fused kernels compute). */
const DEFAULTS: Record<Cell, string[]> = {
  lstm: ["Sigmoid", "Tanh", "Tanh"],
  gru: ["Sigmoid", "Tanh"],
  simpleRnn: ["Tanh"],
};
const RNN_ACTIVATIONS: Record<string, Activation> = {
  Tanh: "tanh",
  Relu: "relu",
  Sigmoid: "sigmoid",
};

/** Rows of `[g·h, cols]` in gate blocks, reordered by `order` and transposed to `[cols, g·h]`. */
function kerasKernel(m: Float32Array, h: number, cols: number, order: number[]): HostTensor {
  const rows = new Float32Array(m.length);
  order.forEach((src, dst) =>
    rows.set(m.subarray(src * h * cols, (src + 1) * h * cols), dst * h * cols)
  );
  return permuted({ dtype: "float32", shape: [order.length * h, cols], data: rows }, [1, 0]);
}

function reorder(v: Float32Array, h: number, order: number[]): Float32Array {
  const out = new Float32Array(v.length);
  order.forEach((src, dst) => out.set(v.subarray(src * h, (src + 1) * h), dst * h));
  return out;
}

/** `stack`, or a view with the new axis when there is one direction. */
function stackAt(xs: Tensor[], axis: number): Tensor {
  if (xs.length > 1) return stack(xs, axis);
  const shape = [...xs[0].shape];
  shape.splice(axis, 0, 1);
  return reshape(xs[0], shape);
}

interface Direction {
  kernel: Tensor;
  recurrent: Tensor;
  bias: Tensor | undefined;
  reverse: boolean;
}

function recurrent(cell: Cell, ctx: NodeCtx): Kernel {
  const direction = ctx.string("direction", "forward");
  const dirs = direction === "bidirectional" ? 2 : 1;
  if (!["forward", "reverse", "bidirectional"].includes(direction)) {
    ctx.unsupported(`direction "${direction}"`);
  }
  const h = ctx.int("hidden_size");
  const layout = ctx.int("layout", 0);
  if (ctx.node.attrs.has("clip")) ctx.unsupported("clip");
  if (ctx.node.attrs.has("activation_alpha") || ctx.node.attrs.has("activation_beta")) {
    ctx.unsupported("activation_alpha/activation_beta");
  }
  if (cell === "lstm" && ctx.int("input_forget", 0) !== 0) ctx.unsupported("input_forget 1");
  const resetAfter = cell === "gru" && ctx.int("linear_before_reset", 0) === 1;
  const acts = ctx.strings("activations") ?? [];
  let activation: Activation = "tanh";
  if (cell === "simpleRnn") {
    activation = RNN_ACTIVATIONS[acts[0] ?? "Tanh"] ?? ctx.unsupported(`activation "${acts[0]}"`);
    if (acts.some((a) => a !== acts[0])) ctx.unsupported("different activations per direction");
  } else if (acts.length && acts.join() !== Array(dirs).fill(DEFAULTS[cell]).flat().join()) {
    ctx.unsupported(`activations [${acts}]`);
  }
  if (ctx.has(4)) ctx.unsupported("sequence_lens");
  if (cell === "lstm" && ctx.has(7)) ctx.unsupported("peepholes (input P)");
  const g = GATES[cell];
  const w = ctx.requireConstant(1, "W"), r = ctx.requireConstant(2, "R");
  const inputs = w.shape[2];
  if (
    w.shape.join() !== [dirs, g * h, inputs].join() || r.shape.join() !== [dirs, g * h, h].join()
  ) {
    throw new RangeError(
      `Cannot load ONNX model: ${ctx.where} with hidden_size ${h} needs W [${dirs}, ${
        g * h
      }, in] and R [${dirs}, ${g * h}, ${h}]: got [${w.shape}] and [${r.shape}]`,
    );
  }
  const b = ctx.constant(3);
  if (ctx.has(3) && (!b || b.data.length !== dirs * 2 * g * h)) {
    throw new RangeError(
      `Cannot load ONNX model: the bias B of ${ctx.where} must be a constant [${dirs}, ${
        2 * g * h
      }]`,
    );
  }
  const order = cell === "lstm" ? [0, 2, 3, 1] : [...Array(g).keys()];
  const directions: Direction[] = [];
  for (let d = 0; d < dirs; d++) {
    const wd = w.data.subarray(d * g * h * inputs, (d + 1) * g * h * inputs) as Float32Array;
    const rd = r.data.subarray(d * g * h * h, (d + 1) * g * h * h) as Float32Array;
    let bias: HostTensor | undefined;
    if (b) {
      const wb = b.data.subarray(d * 2 * g * h, (d * 2 + 1) * g * h) as Float32Array;
      const rb = b.data.subarray((d * 2 + 1) * g * h, (d + 1) * 2 * g * h) as Float32Array;
      bias = resetAfter
        ? { dtype: "float32", shape: [2, g * h], data: Float32Array.of(...wb, ...rb) }
        : {
          dtype: "float32",
          shape: [g * h],
          data: reorder(wb.map((v, i) => v + rb[i]), h, order),
        };
    }
    directions.push({
      kernel: ctx.keep(toTensor(kerasKernel(wd, h, inputs, order))),
      recurrent: ctx.keep(toTensor(kerasKernel(rd, h, h, order))),
      bias: bias && ctx.keep(toTensor(bias)),
      reverse: direction === "reverse" || d === 1,
    });
  }
  const lastStep = ctx.lastStepOnly;
  const wantY = (ctx.node.outputs[0] ?? "") !== "" && !lastStep;
  // With the last step as output 0 (one forward direction), Y_h is that step: the states are
  // copied out of the sequence op only when Y_c is read.
  const readsC = cell === "lstm" && (ctx.node.outputs[2] ?? "") !== "" && !ctx.unusedOutputs.has(2);
  const statesFromY = lastStep && !readsC;
  const fn = `ONNX ${ctx.node.opType}`;
  return {
    run: ([x, , , , , h0In, c0In]) => {
      // Zero initial states run as none: the first step's h·U is skipped.
      const h0 = ctx.zeroInputs.has(5) ? undefined : h0In;
      const c0 = ctx.zeroInputs.has(6) ? undefined : c0In;
      if (x!.rank !== 3 || x!.shape[2] !== inputs) {
        throw new RangeError(
          `Cannot run ONNX model: ${ctx.where} takes X with ${inputs} features: got [${x!.shape}]`,
        );
      }
      const xb = layout === 0 && !ctx.batchMajorInput ? permute(x!, [1, 0, 2]) : x!;
      const batch = xb.shape[0];
      const stateShape = layout === 0 ? [dirs, batch, h] : [batch, dirs, h];
      for (const s of [h0In, c0In]) {
        if (s && s.shape.join() !== stateShape.join()) {
          throw new RangeError(
            `Cannot run ONNX model: ${ctx.where} takes initial states [${stateShape}]: got [${s.shape}]`,
          );
        }
      }
      const state = (s: Tensor | undefined, d: number) => {
        if (!s) return undefined;
        const sd = layout === 0
          ? slice(s, [d, 0, 0], [1, -1, -1])
          : slice(s, [0, d, 0], [-1, 1, -1]);
        return reshape(sd, [batch, h]);
      };
      const results = directions.map((dir, d) => {
        const [hs, cs] = [state(h0, d), state(c0, d)];
        const initial = cell === "lstm" && (hs || cs)
          ? [hs ?? zeros([batch, h]), cs ?? zeros([batch, h])]
          : hs
          ? [hs]
          : [];
        const options = {
          bias: dir.bias,
          initialState: initial.length ? initial : undefined,
          returnSequences: wantY,
          returnState: !statesFromY,
          goBackwards: dir.reverse,
        };
        if (cell === "gru" && !resetAfter) {
          return composedRnn({
            cell,
            x: xb,
            kernel: dir.kernel,
            recurrentKernel: dir.recurrent,
            ...options,
            activation: "tanh",
            recurrentActivation: "sigmoid",
            resetAfter: false,
            inputOrder: true,
          }, fn);
        }
        return sequenceOp(
          cell,
          fn,
          xb,
          dir.kernel,
          dir.recurrent,
          { ...options, activation },
          true,
        );
      });
      // Y: [seq, dirs, batch, h] (layout 1: [batch, seq, dirs, h]); Y_h, Y_c: [dirs, batch, h].
      const y = lastStep
        ? results[0].output
        : wantY
        ? layout === 0
          ? stackAt(results.map((res) => permute(res.output, [1, 0, 2])), 1)
          : stackAt(results.map((res) => res.output), 2)
        : undefined;
      const states = statesFromY
        ? [reshape(y!, [1, batch, h])]
        : [0, 1].map((s) =>
          cell === "lstm" || s === 0
            ? stackAt(results.map((res) => res.states[s]), layout === 0 ? 0 : 1)
            : undefined
        );
      return [y!, states[0]!, states[1]!].slice(0, ctx.node.outputs.length);
    },
  };
}

/** LSTM, GRU and RNN. */
export const RNN: Record<string, KernelBuilder> = {
  LSTM: (ctx) => recurrent("lstm", ctx),
  GRU: (ctx) => recurrent("gru", ctx),
  RNN: (ctx) => recurrent("simpleRnn", ctx),
};
