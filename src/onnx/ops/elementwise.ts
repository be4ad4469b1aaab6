/**
 * ONNX activations and elementwise math on our ops. Unary ops take either layout (their output
 * keeps it); binary ops broadcast NumPy-style, as ONNX does, in ONNX's layout.
 *
 * @module
 */
import { permute } from "./_constants.ts";
import type { Tensor } from "../../tensor.ts";
import { abs, exp, log, neg, relu, sigmoid, sqrt, tanh } from "../../ops/unary.ts";
import { ceil, cos, erf, floor, reciprocal, round, sign, sin, tan } from "../../ops/math.ts";
import { elu, gelu, leakyRelu, selu, softplus } from "../../ops/activations.ts";
import { add, div, maximum, minimum, mod, mul, pow, sub } from "../../ops/arithmetic.ts";
import { equal, greater, greaterEqual, less, lessEqual } from "../../ops/compare.ts";
import { logicalAnd, logicalNot, logicalOr, logicalXor } from "../../ops/logical.ts";
import { where } from "../../ops/where.ts";
import { clipByValue } from "../../ops/clip.ts";
import { cast } from "../../ops/cast.ts";
import { reshape } from "../../ops/transform.ts";
import { logSoftmax, softmax } from "../../ops/softmax.ts";
import type { Kernel, KernelBuilder, NodeCtx } from "../_kernel.ts";

/** A one-input kernel that takes either layout. */
function unary(f: (x: Tensor) => Tensor): Kernel {
  return {
    run: ([x]) => [f(x!)],
    layouts: ["any"],
    outLayout: "any",
    foldable: true,
  };
}

function simple(f: (x: Tensor) => Tensor): KernelBuilder {
  return () => unary(f);
}

/** A two-input kernel: in NHWC when both inputs are (a residual sum), else in ONNX's layout. */
function binary(f: (a: Tensor, b: Tensor) => Tensor): KernelBuilder {
  return (ctx) => {
    const nhwc = ctx.layoutOf(0) === "nhwc" && ctx.layoutOf(1) === "nhwc";
    return {
      run: ([a, b]) => [f(a!, b!)],
      layouts: nhwc ? ["nhwc", "nhwc"] : undefined,
      outLayout: nhwc ? "nhwc" : undefined,
      foldable: true,
    };
  };
}

function variadic(f: (a: Tensor, b: Tensor) => Tensor): KernelBuilder {
  return () => ({
    run: (
      xs,
    ) => [xs.slice(1).reduce((acc: Tensor, x) => f(acc, x!), reshape(xs[0]!, xs[0]!.shape))],
    foldable: true,
  });
}

function eluOf(alpha: number): (x: Tensor) => Tensor {
  return alpha === 1 ? elu : (x) => where(greater(x, 0), x, mul(sub(exp(x), 1), alpha));
}

function softmaxOf(ctx: NodeCtx, f: (x: Tensor, axis: number) => Tensor): Kernel {
  const axis = ctx.int("axis", ctx.opset >= 13 ? -1 : 1);
  return {
    run: ([x]) => {
      const rank = x!.rank;
      const a = axis < 0 ? axis + rank : axis;
      if (a === rank - 1) return [f(x!, a)];
      if (ctx.opset >= 13) {
        // Our softmax runs over the last axis: move `a` there and back.
        const perm = [...Array(rank).keys()].filter((i) => i !== a).concat(a);
        const back = perm.map((_, i) => perm.indexOf(i));
        return [permute(f(permute(x!, perm), -1), back)];
      }
      // Before opset 13 the input is seen as 2-D [prod(dims < axis), prod(dims >= axis)].
      const rows = x!.shape.slice(0, a).reduce((p, d) => p * d, 1);
      return [reshape(f(reshape(x!, [rows, x!.size / rows]), 1), x!.shape)];
    },
    foldable: true,
  };
}

/** Elementwise kernels by ONNX op type. */
export const ELEMENTWISE: Record<string, KernelBuilder> = {
  Relu: simple(relu),
  Sigmoid: simple(sigmoid),
  Tanh: simple(tanh),
  Exp: simple(exp),
  Log: simple(log),
  Neg: simple(neg),
  Sqrt: simple(sqrt),
  Abs: simple(abs),
  Ceil: simple(ceil),
  Floor: simple(floor),
  Round: simple(round),
  Reciprocal: simple(reciprocal),
  Sin: simple(sin),
  Cos: simple(cos),
  Tan: simple(tan),
  Erf: simple(erf),
  Sign: simple(sign),
  Softplus: simple(softplus),
  Not: simple(logicalNot),
  Identity: simple((x) => reshape(x, x.shape)),
  Elu: (ctx) => unary(eluOf(ctx.float("alpha", 1))),
  Selu: (ctx) => {
    const alpha = ctx.float("alpha", 1.67326319217681884765625);
    const gamma = ctx.float("gamma", 1.05070102214813232421875);
    if (Math.abs(alpha - 1.6732632) > 1e-6 || Math.abs(gamma - 1.0507010) > 1e-6) {
      return unary((x) => mul(eluOf(alpha)(x), gamma));
    }
    return unary(selu);
  },
  LeakyRelu: (ctx) => {
    const alpha = ctx.float("alpha", 0.01);
    return unary((x) => leakyRelu(x, alpha));
  },
  HardSigmoid: (ctx) => {
    const alpha = ctx.float("alpha", 0.2);
    const beta = ctx.float("beta", 0.5);
    return unary((x) => clipByValue(add(mul(x, alpha), beta), 0, 1));
  },
  Gelu: (ctx) => {
    const approximate = ctx.string("approximate", "none");
    if (approximate !== "none" && approximate !== "tanh") {
      ctx.unsupported(`approximate "${approximate}"`);
    }
    return unary((x) => gelu(x, { approximate: approximate === "tanh" }));
  },
  Clip: (ctx) => {
    // Opset 11+: min and max are optional scalar inputs (read on the host).
    return {
      run: (
        [x],
        host,
      ) => [clipByValue(x!, host[1]?.data[0] ?? -Infinity, host[2]?.data[0] ?? Infinity)],
      host: [1, 2].filter((i) => ctx.has(i)),
      layouts: ["any"],
      outLayout: "any",
      foldable: true,
    };
  },
  Softmax: (ctx) => softmaxOf(ctx, softmax),
  LogSoftmax: (ctx) => softmaxOf(ctx, logSoftmax),
  Add: binary(add),
  Sub: binary(sub),
  Mul: binary(mul),
  Div: binary(div),
  Pow: binary((a, b) => pow(a, b.dtype === a.dtype ? b : cast(b, a.dtype))),
  Mod: (ctx) => {
    if (ctx.int("fmod", 0) !== 0) ctx.unsupported('"fmod" 1');
    return binary(mod)(ctx);
  },
  Max: variadic(maximum),
  Min: variadic(minimum),
  Sum: variadic(add),
  Equal: binary(equal),
  Greater: binary(greater),
  GreaterOrEqual: binary(greaterEqual),
  Less: binary(less),
  LessOrEqual: binary(lessEqual),
  And: binary(logicalAnd),
  Or: binary(logicalOr),
  Xor: binary(logicalXor),
  Where: () => ({ run: ([c, a, b]) => [where(c!, a!, b!)], foldable: true }),
};
