/**
 * The graph plumbing PyTorch's exporter emits: shapes, indexing, reshapes, casts and constants.
 * Axes, shapes and slice bounds are read on the host (from constants at load, or from the small
 * int tensors of a dynamic shape computation at run time); with constant inputs the planner folds
 * these nodes at load.
 *
 * @module
 */
import { permute } from "./_constants.ts";
import type { Tensor } from "../../tensor.ts";
import { fill, tensor } from "../../ops/creation.ts";
import { cast } from "../../ops/cast.ts";
import { concat } from "../../ops/concat.ts";
import { gather } from "../../ops/gather.ts";
import { pad } from "../../ops/pad.ts";
import { stridedSlice } from "../../ops/strided_slice.ts";
import { broadcastTo } from "../../ops/broadcast_to.ts";
import { add } from "../../ops/arithmetic.ts";
import { less } from "../../ops/compare.ts";
import { where } from "../../ops/where.ts";
import { reshape } from "../../ops/transform.ts";
import type { DType } from "../../tensor.ts";
import type { KernelBuilder, NodeCtx } from "../_kernel.ts";
import { DATA_TYPE, type HostTensor } from "../_proto.ts";

const rank = (x: Tensor) => x.rank;

function axisOf(a: number, r: number, ctx: NodeCtx): number {
  if (a < -r || a >= r) {
    throw new RangeError(
      `Cannot run ONNX model: axis ${a} of ${ctx.where} is out of range for rank ${r}`,
    );
  }
  return a < 0 ? a + r : a;
}

const list = (h: HostTensor | undefined): number[] | undefined => h && Array.from(h.data);
const product = (dims: number[]) => dims.reduce((p, d) => p * Math.max(d, 0), 1);

/** Expand's output shape: `shape` and `want` broadcast (NumPy rules). */
function expanded(shape: readonly number[], want: number[]): number[] {
  const r = Math.max(want.length, shape.length);
  const xs = [...Array(r - shape.length).fill(1), ...shape];
  const ws = [...Array(r - want.length).fill(1), ...want];
  return xs.map((d, i) => (d === 1 ? ws[i] : d));
}

/** Axes from the attribute (older opsets) or from input `i` (newer ones). */
function axesOf(
  ctx: NodeCtx,
  since: number,
  i: number,
): { host: number[]; get: (h: (HostTensor | undefined)[]) => number[] | undefined } {
  if (ctx.opset >= since) return { host: ctx.has(i) ? [i] : [], get: (h) => list(h[i]) };
  const axes = ctx.ints("axes");
  return { host: [], get: () => axes };
}

function dtypeOf(to: number, ctx: NodeCtx): DType {
  if (to === DATA_TYPE.BOOL) return "bool";
  if (to === DATA_TYPE.FLOAT || to === DATA_TYPE.DOUBLE || to === DATA_TYPE.FLOAT16) {
    return "float32";
  }
  if ([2, 3, 4, 5, 6, 7].includes(to)) return "int32";
  return ctx.unsupported(`cast to data type ${to}`);
}

function squeezeOf(x: Tensor, axes: number[] | undefined, ctx: NodeCtx): Tensor {
  const r = x.rank;
  const drop = axes
    ? axes.map((a) => axisOf(a, r, ctx))
    : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of drop) {
    if (x.shape[a] !== 1) {
      throw new RangeError(
        `Cannot run ONNX model: ${ctx.where} squeezes axis ${a} of size ${x.shape[a]}`,
      );
    }
  }
  return reshape(x, x.shape.filter((_, i) => !drop.includes(i)));
}

function unsqueezeOf(x: Tensor, axes: number[], ctx: NodeCtx): Tensor {
  const r = x.rank + axes.length;
  const at = axes.map((a) => axisOf(a, r, ctx));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) shape.push(at.includes(i) ? 1 : x.shape[j++]);
  return reshape(x, shape);
}

function reshapeOf(x: Tensor, spec: number[], allowZero: boolean, ctx: NodeCtx): Tensor {
  const shape = spec.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const inferred = shape.indexOf(-1);
  if (inferred >= 0) {
    if (known === 0 || x.size % known !== 0) {
      throw new RangeError(
        `Cannot run ONNX model: ${ctx.where} cannot reshape [${x.shape}] to [${spec}]`,
      );
    }
    shape[inferred] = x.size / known;
  }
  return reshape(x, shape);
}

function sliceOf(x: Tensor, h: (HostTensor | undefined)[], ctx: NodeCtx): Tensor {
  const starts = list(h[1])!, ends = list(h[2])!;
  const axes = list(h[3]) ?? starts.map((_, i) => i);
  const steps = list(h[4]) ?? starts.map(() => 1);
  const begin = x.shape.map(() => 0), end = [...x.shape], strides = x.shape.map(() => 1);
  let endMask = 0;
  axes.forEach((a0, i) => {
    const a = axisOf(a0, x.rank, ctx);
    const dim = x.shape[a], step = steps[i];
    if (step === 0) throw new RangeError(`Cannot run ONNX model: ${ctx.where} has a zero step`);
    const norm = (v: number) => (v < 0 ? v + dim : v);
    // ONNX clamps starts/ends into [0, dim] (steps > 0) or [-1, dim - 1] (steps < 0).
    const lo = step > 0 ? 0 : -1, hi = step > 0 ? dim : dim - 1;
    begin[a] = Math.min(Math.max(norm(starts[i]), 0), hi);
    const e = Math.min(Math.max(norm(ends[i]), lo), hi);
    strides[a] = step;
    if (e === -1) endMask |= 1 << a;
    else end[a] = e;
  });
  return stridedSlice(x, begin, end, strides, 0, endMask);
}

/** Plumbing kernels by ONNX op type. */
export const SHAPE: Record<string, KernelBuilder> = {
  Shape: (ctx) => {
    const start = ctx.opset >= 15 ? ctx.int("start", 0) : 0;
    const end = ctx.opset >= 15
      ? ctx.node.attrs.has("end") ? ctx.int("end") : undefined
      : undefined;
    return {
      run: ([x]) => {
        const dims = x!.shape.slice(start, end);
        return [tensor(dims, [dims.length], "int32")];
      },
      foldable: true,
      shapeOnly: true,
    };
  },
  Size: () => ({ run: ([x]) => [tensor([x!.size], [], "int32")], foldable: true, shapeOnly: true }),
  Gather: (ctx) => {
    const axis = ctx.int("axis", 0);
    const fixed = ctx.constant(1);
    // Constant indices are made non-negative on the host, once per size of the gathered axis.
    const byDim = new Map<number, Tensor>();
    const constantIndex = (n: number) => {
      let t = byDim.get(n);
      if (!t) {
        const data = Int32Array.from(fixed!.data, (i) => (i < 0 ? i + n : i));
        byDim.set(n, t = ctx.keep(tensor(data, fixed!.shape, "int32")));
      }
      return t;
    };
    return {
      run: ([x, i]) => {
        const a = axisOf(axis, x!.rank, ctx);
        const n = x!.shape[a];
        const idx = fixed ? constantIndex(n) : where(less(i!, 0), add(i!, n), i!);
        return [gather(x!, idx, a)];
      },
      foldable: true,
    };
  },
  Unsqueeze: (ctx) => {
    const axes = axesOf(ctx, 13, 1);
    return {
      run: ([x], h) => [unsqueezeOf(x!, axes.get(h) ?? [], ctx)],
      host: axes.host,
      foldable: true,
    };
  },
  Squeeze: (ctx) => {
    const axes = axesOf(ctx, 13, 1);
    return { run: ([x], h) => [squeezeOf(x!, axes.get(h), ctx)], host: axes.host, foldable: true };
  },
  Concat: (ctx) => {
    const axis = ctx.int("axis");
    return {
      run: (xs) => {
        const parts = xs.filter((x): x is Tensor => x !== undefined && x.size > 0);
        const all = parts.length ? parts : [xs[0]!];
        return [concat(all, axisOf(axis, rank(all[0]), ctx))];
      },
      foldable: true,
    };
  },
  Reshape: (ctx) => {
    const allowZero = ctx.opset >= 14 && ctx.int("allowzero", 0) === 1;
    // The shape input is constant or memoized per input shape: its list is made once per value.
    let host: HostTensor | undefined, spec: number[] = [];
    return {
      run: ([x], h) => {
        if (h[1] !== host) [host, spec] = [h[1], list(h[1])!];
        return [reshapeOf(x!, spec, allowZero, ctx)];
      },
      host: [1],
      foldable: true,
    };
  },
  Flatten: (ctx) => {
    const axis = ctx.int("axis", 1);
    return {
      run: ([x]) => {
        const a = axis < 0 ? axis + x!.rank : axis;
        const rows = x!.shape.slice(0, a).reduce((p, d) => p * d, 1);
        return [reshape(x!, [rows, rows === 0 ? 0 : x!.size / rows])];
      },
      foldable: true,
    };
  },
  Transpose: (ctx) => {
    const perm = ctx.ints("perm");
    return {
      run: ([x]) => [permute(x!, perm ?? x!.shape.map((_, i) => x!.rank - 1 - i))],
      foldable: true,
    };
  },
  Slice: (ctx) => ({
    run: ([x], h) => [sliceOf(x!, h, ctx)],
    host: [1, 2, 3, 4].filter((i) => ctx.has(i)),
    foldable: true,
  }),
  Pad: (ctx) => {
    const mode = ctx.string("mode", "constant");
    if (mode !== "constant") ctx.unsupported(`mode "${mode}"`);
    if (ctx.has(3)) ctx.unsupported("the axes input");
    return {
      run: ([x], h) => {
        const p = list(h[1])!;
        const r = x!.rank;
        if (p.some((v) => v < 0)) ctx.unsupported("negative pads");
        const pairs = Array.from({ length: r }, (_, i) => [p[i], p[i + r]] as [number, number]);
        return [pad(x!, pairs, h[2]?.data[0] ?? 0)];
      },
      host: [1, 2].filter((i) => ctx.has(i)),
      foldable: true,
    };
  },
  Cast: (ctx) => {
    const to = dtypeOf(ctx.int("to"), ctx);
    if (ctx.node.attrs.has("saturate")) ctx.int("saturate");
    return { run: ([x]) => [cast(x!, to)], layouts: ["any"], outLayout: "any", foldable: true };
  },
  Constant: (ctx) => {
    const t = ctx.tensor("value");
    const v = t ??
      (ctx.node.attrs.has("value_float")
        ? { dtype: "float32" as const, shape: [], data: Float32Array.of(ctx.float("value_float")) }
        : ctx.node.attrs.has("value_int")
        ? { dtype: "int32" as const, shape: [], data: Int32Array.of(ctx.int("value_int")) }
        : ctx.node.attrs.has("value_floats")
        ? {
          dtype: "float32" as const,
          shape: [ctx.floats("value_floats")!.length],
          data: Float32Array.from(ctx.floats("value_floats")!),
        }
        : ctx.node.attrs.has("value_ints")
        ? {
          dtype: "int32" as const,
          shape: [ctx.ints("value_ints")!.length],
          data: Int32Array.from(ctx.ints("value_ints")!),
        }
        : ctx.unsupported("a Constant without value, value_float(s) or value_int(s)"));
    return { run: () => [tensor(v.data, v.shape, v.dtype)], foldable: true };
  },
  ConstantOfShape: (ctx) => {
    const v = ctx.tensor("value") ??
      { dtype: "float32" as const, shape: [1], data: new Float32Array(1) };
    return {
      run: (_, h) => [fill(list(h[0])!, v.data[0], v.dtype)],
      host: [0],
      outputSize: (h) => product(list(h[0])!),
      foldable: true,
    };
  },
  Expand: () => ({
    run: ([x], h) => [broadcastTo(x!, expanded(x!.shape, list(h[1])!))],
    host: [1],
    outputSize: (h) => product(expanded(h[0]!.shape, list(h[1])!)),
    foldable: true,
  }),
};
