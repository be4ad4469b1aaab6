/**
 * The single-thread WebAssembly backend: one memory, one instance of the kernel module, and an
 * allocator over the memory. Implements every primitive by calling a kernel export over the whole
 * `[0, n)` range.
 *
 * @module
 */
import type {
  Activation,
  Backend,
  BinaryOp,
  BroadcastPlan,
  Conv2dArgs,
  Conv2dBackwardDataArgs,
  Conv2dBackwardFilterArgs,
  Conv2dGeometry,
  GemmArgs,
  OptimizerStep,
  Pool2dArgs,
  ReduceOp,
  SoftmaxOp,
  Storage,
  UnaryGradOp,
  UnaryOp,
} from "../backend.ts";
import { Allocator } from "./allocator.ts";
import {
  createMemory,
  instantiateKernels,
  kernelModule,
  type Kernels,
  type KernelVariant,
} from "./module.ts";

/** A block of the wasm memory. */
export class WasmStorage implements Storage {
  /** Byte offset in the memory. */
  readonly ptr: number;
  readonly size: number;
  constructor(ptr: number, size: number) {
    this.ptr = ptr;
    this.size = size;
  }
}

const ACT_CODE: Record<Activation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };
const UNARY_KERNEL: Record<UnaryOp, string> = {
  relu: "f32_vrelu",
  sigmoid: "f32_vsigmoid",
  tanh: "f32_vtanh",
  exp: "f32_vexp",
  log: "f32_vlog",
  neg: "f32_vneg",
  sqrt: "f32_vsqrt",
  square: "f32_vsquare",
  abs: "f32_vabs",
};

function ptr(s: Storage): number {
  return (s as WasmStorage).ptr;
}

/** Pooling geometry in kernel ABI order: n, h, w, c, ph, pw, sh, sw, pads, oh, ow. */
function poolGeometry(p: Pool2dArgs): number[] {
  return [
    p.batch,
    p.inHeight,
    p.inWidth,
    p.channels,
    p.poolHeight,
    p.poolWidth,
    p.strideHeight,
    p.strideWidth,
    p.padTop,
    p.padLeft,
    p.outHeight,
    p.outWidth,
  ];
}

/** Convolution geometry in kernel ABI order (assembly/conv.ts). */
function convGeometry(p: Conv2dGeometry): number[] {
  return [
    p.batch,
    p.inHeight,
    p.inWidth,
    p.inChannels,
    p.outHeight,
    p.outWidth,
    p.outChannels,
    p.filterHeight,
    p.filterWidth,
    p.strideHeight,
    p.strideWidth,
    p.dilationHeight,
    p.dilationWidth,
    p.padTop,
    p.padLeft,
  ];
}

/** The filter shape `[fh, fw, inC, outC]` of a convolution. */
function filterShape(p: Conv2dGeometry): [number, number, number, number] {
  return [p.filterHeight, p.filterWidth, p.inChannels, p.outChannels];
}

/** Backend over one `WebAssembly.Memory` on the calling thread. */
export class WasmBackend implements Backend {
  readonly name = "wasm" as const;
  /** Which kernel build runs: over a shared memory or a plain one. */
  readonly variant: KernelVariant;
  readonly memory: WebAssembly.Memory;
  readonly #k: Kernels;
  readonly #alloc: Allocator;
  #scratch: WasmStorage | null = null;

  /** Instantiates the kernels of `variant` over a new memory. */
  constructor(variant: KernelVariant) {
    this.variant = variant;
    this.memory = createMemory(variant, 16);
    this.#k = instantiateKernels(kernelModule(variant), this.memory);
    this.#alloc = new Allocator(this.memory, this.#k.heap_base());
  }

  alloc(size: number): Storage {
    return new WasmStorage(this.#alloc.alloc(Math.max(1, size) * 4), size);
  }

  free(storage: Storage): void {
    this.#alloc.free(ptr(storage));
  }

  write(storage: Storage, values: Float32Array): void {
    new Float32Array(this.memory.buffer, ptr(storage), values.length).set(values);
  }

  read(storage: Storage, size: number): Promise<Float32Array> {
    return Promise.resolve(this.readSync(storage, size));
  }

  readSync(storage: Storage, size: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr(storage), size).slice();
  }

  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, size: number): void {
    const from = ptr(src) + srcOffset * 4;
    new Uint8Array(this.memory.buffer).copyWithin(ptr(dst) + dstOffset * 4, from, from + size * 4);
  }

  fill(y: Storage, value: number, size: number): void {
    this.#k.f32_fill(ptr(y), value, 0, size);
  }

  gemm(p: GemmArgs): void {
    const { m, n, k } = p;
    if (m === 0 || n === 0) return;
    const panels = Math.ceil(n / 8);
    const packed = this.#alloc.alloc(Math.max(1, k * panels * 8) * 4);
    try {
      this.#k.f32_gemm_pack_b(
        ptr(p.b),
        p.transB ? k : n,
        p.transB ? 1 : 0,
        k,
        n,
        packed,
        0,
        panels,
      );
      this.#k.f32_gemm(
        ptr(p.a),
        p.transA ? m : k,
        p.transA ? 1 : 0,
        packed,
        ptr(p.c),
        n,
        m,
        n,
        k,
        0,
        m,
        0,
        n,
        p.bias ? ptr(p.bias) : 0,
        ACT_CODE[p.activation],
        p.beta,
        this.#gemmScratch(m, k),
      );
    } finally {
      this.#alloc.free(packed);
    }
  }

  /** Scratch for A panels, kept between calls and grown when a larger GEMM needs more. */
  #gemmScratch(m: number, k: number): number {
    const floats = Math.ceil(this.#k.f32_gemm_scratch_bytes(m, k) / 4);
    if (!this.#scratch || this.#scratch.size < floats) {
      if (this.#scratch) this.free(this.#scratch);
      this.#scratch = this.alloc(floats) as WasmStorage;
    }
    return this.#scratch.ptr;
  }

  unary(op: UnaryOp, x: Storage, y: Storage, size: number): void {
    this.#k[UNARY_KERNEL[op]](ptr(x), ptr(y), 0, size);
  }

  unaryBackward(op: UnaryGradOp, dy: Storage, saved: Storage, dx: Storage, size: number): void {
    this.#k[`f32_v${op}_bwd`](ptr(dy), ptr(saved), ptr(dx), 0, size);
  }

  affine(x: Storage, y: Storage, size: number, scale: number, shift: number): void {
    this.#k.f32_vaffine(ptr(x), ptr(y), scale, shift, 0, size);
  }

  binary(op: BinaryOp, a: Storage, b: Storage, y: Storage, plan: BroadcastPlan): void {
    const { dims: d, aStrides: sa, bStrides: sb } = plan;
    this.#k[`f32_v${op}_bcast`](
      ptr(a),
      ptr(b),
      ptr(y),
      ...d,
      ...sa,
      ...sb,
      0,
      d[0] * d[1] * d[2],
    );
  }

  reduce(
    op: ReduceOp,
    x: Storage,
    y: Storage,
    outer: number,
    len: number,
    inner: number,
    scale: number,
  ): void {
    if (op === "sum") this.#k.f32_reduce_sum(ptr(x), ptr(y), outer, len, inner, scale, 0, outer);
    else if (op === "max") this.#k.f32_reduce_max(ptr(x), ptr(y), outer, len, inner, 0, outer);
    else this.#k.f32_reduce_argmax(ptr(x), ptr(y), outer, len, inner, 0, outer);
  }

  softmax(op: SoftmaxOp, x: Storage, y: Storage, rows: number, cols: number): void {
    const kernel = op === "softmax" ? "f32_softmax" : "f32_log_softmax";
    this.#k[kernel](ptr(x), ptr(y), rows, cols, 0, rows);
  }

  softmaxBackward(
    op: SoftmaxOp,
    dy: Storage,
    y: Storage,
    dx: Storage,
    rows: number,
    cols: number,
  ): void {
    const kernel = op === "softmax" ? "f32_softmax_bwd" : "f32_log_softmax_bwd";
    this.#k[kernel](ptr(dy), ptr(y), ptr(dx), rows, cols, 0, rows);
  }

  optimizerStep(step: OptimizerStep, size: number): void {
    const k = this.#k;
    if (step.op === "sgd") {
      const { w, g, v, lr, momentum, nesterov } = step;
      k.f32_sgd_step(ptr(w), ptr(g), v ? ptr(v) : 0, lr, momentum, nesterov ? 1 : 0, 0, size);
    } else if (step.op === "adam") {
      const { w, g, m, v, lrT, beta1, beta2, epsilon } = step;
      k.f32_adam_step(ptr(w), ptr(g), ptr(m), ptr(v), lrT, beta1, beta2, epsilon, 0, size);
    } else {
      const { w, g, ms, lr, rho, epsilon } = step;
      k.f32_rmsprop_step(ptr(w), ptr(g), ptr(ms), lr, rho, epsilon, 0, size);
    }
  }

  clip(x: Storage, y: Storage, size: number, lo: number, hi: number): void {
    this.#k.f32_clip(ptr(x), ptr(y), lo, hi, 0, size);
  }

  axpy(x: Storage, y: Storage, size: number, a: number): void {
    this.#k.f32_axpy(ptr(x), ptr(y), a, 0, size);
  }

  sumSquares(x: Storage, size: number): number {
    return this.#k.f32_sum_squares(ptr(x), 0, size);
  }

  transpose(x: Storage, y: Storage, rows: number, cols: number): void {
    this.#k.f32_transpose(ptr(x), ptr(y), rows, cols, 0, rows);
  }

  maxPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#k.f32_maxpool2d_nhwc(ptr(x), ptr(y), ...poolGeometry(p), 0, p.batch);
  }

  maxPool2dBackward(x: Storage, y: Storage, dy: Storage, dx: Storage, p: Pool2dArgs): void {
    const geometry = poolGeometry(p);
    this.#k.f32_maxpool2d_nhwc_bwd(ptr(x), ptr(y), ptr(dy), ptr(dx), ...geometry, 0, p.batch);
  }

  avgPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#k.f32_avgpool2d_nhwc(ptr(x), ptr(y), ...poolGeometry(p), 0, p.batch);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, p: Pool2dArgs): void {
    this.#k.f32_avgpool2d_nhwc_bwd(ptr(dy), ptr(dx), ...poolGeometry(p), 0, p.batch);
  }

  conv2d(p: Conv2dArgs): void {
    if (p.batch * p.outHeight * p.outWidth * p.outChannels === 0) return;
    this.#withConvBuffers(p, 0, (packed, scratch) => {
      this.#k.f32_conv2d_pack_filter(ptr(p.filter), ...filterShape(p), 0, packed);
      this.#k.f32_conv2d_nhwc(
        ptr(p.x),
        packed,
        p.bias ? ptr(p.bias) : 0,
        ptr(p.y),
        ...convGeometry(p),
        ACT_CODE[p.activation],
        0,
        p.batch,
        scratch,
      );
    });
  }

  conv2dBackwardData(p: Conv2dBackwardDataArgs): void {
    const size = p.batch * p.inHeight * p.inWidth * p.inChannels;
    if (size === 0) return;
    if (p.outHeight * p.outWidth * p.outChannels === 0) return this.fill(p.dx, 0, size);
    this.#withConvBuffers(p, 1, (packed, scratch) => {
      this.#k.f32_conv2d_pack_filter(ptr(p.filter), ...filterShape(p), 1, packed);
      this.#k.f32_conv2d_nhwc_bwd_data(
        ptr(p.dy),
        packed,
        ptr(p.dx),
        ...convGeometry(p),
        0,
        p.batch,
        scratch,
      );
    });
  }

  conv2dBackwardFilter(p: Conv2dBackwardFilterArgs): void {
    const [fh, fw, inC, outC] = filterShape(p);
    if (fh * fw * inC * outC === 0) return;
    // The kernel accumulates (dw += ...), so that threads can sum partials: start from zero.
    this.fill(p.dw, 0, fh * fw * inC * outC);
    const scratch = this.#alloc.alloc(this.#k.f32_conv2d_scratch_bytes(fh, fw, inC, outC));
    try {
      this.#k.f32_conv2d_nhwc_bwd_filter(
        ptr(p.x),
        ptr(p.dy),
        ptr(p.dw),
        ...convGeometry(p),
        0,
        p.batch,
        scratch,
      );
    } finally {
      this.#alloc.free(scratch);
    }
  }

  /** Runs `fn` with the packed filter (Wᵀ when `transposed`) and scratch, freed afterwards. */
  #withConvBuffers(
    p: Conv2dGeometry,
    transposed: number,
    fn: (packed: number, scratch: number) => void,
  ): void {
    const shape = filterShape(p);
    const packed = this.#alloc.alloc(this.#k.f32_conv2d_packed_filter_bytes(...shape, transposed));
    const scratch = this.#alloc.alloc(this.#k.f32_conv2d_scratch_bytes(...shape));
    try {
      fn(packed, scratch);
    } finally {
      this.#alloc.free(scratch);
      this.#alloc.free(packed);
    }
  }

  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }
}
