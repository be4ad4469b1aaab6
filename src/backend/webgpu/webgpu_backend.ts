/**
 * The WebGPU backend: tensor storage is a GPUBuffer (from a size-class pool), every primitive is a
 * WGSL program (programs/), and data stays on the GPU between ops (ARCHITECTURE principle 1).
 *
 * Recording: dispatches go into one command encoder, consecutive ones into one compute pass
 * (WebGPU orders storage writes between dispatches); buffer copies end the pass. The encoder is
 * submitted lazily: before a `write()` (a queue write must not overtake recorded work that reads
 * the old values), before a readback, and every {@linkcode FLUSH_EVERY} dispatches.
 *
 * Bindings: WebGPU forbids binding one buffer as writable together with any other binding of it
 * in one dispatch, and binding offsets must be aligned. The CPU kernels allow in-place calls
 * (`y == x`) and time-step views (`subarray`) at any offset, so such a binding goes through a
 * pooled temporary: copied in before the dispatch, copied back after it when written.
 *
 * Reads are asynchronous only: `readSync()` throws a TypeError (use `await tensor.data()`).
 * So gather's indices are checked on the device: a read also copies out (and clears) the index
 * error flag of index_errors.ts when a gather ran since the last read, and throws its RangeError.
 * Every primitive runs in WGSL except `sumSquares()`: the Backend contract returns its number
 * synchronously, which a GPU cannot do without a readback the host waits on. It throws a
 * TypeError naming the primitive and `supports("sumSquares")` is false; the optimizers' clipNorm
 * does not need it here: on webgpu it computes the norm and the scale on the device.
 *
 * @module
 */
import { BackendUnavailableError } from "../../errors.ts";
import type {
  Activation,
  Backend,
  BinaryOp,
  BroadcastPlan,
  CompareOp,
  Conv2dArgs,
  Conv2dBackwardDataArgs,
  Conv2dBackwardFilterArgs,
  Conv2dGeometry,
  DepthwiseConv2dArgs,
  DType,
  GatherGeometry,
  GemmArgs,
  GruGatesArgs,
  GruGatesBackwardArgs,
  LstmGatesArgs,
  LstmGatesBackwardArgs,
  OptimizerStep,
  Pool2dArgs,
  Primitive,
  RbmUpdateArgs,
  ReduceOp,
  SelectPlan,
  SoftmaxOp,
  Storage,
  StridedCopyPlan,
  UnaryGradOp,
  UnaryOp,
} from "../backend.ts";
import { storageUnits } from "../backend.ts";
import { BufferPool, READBACK_USAGE, STORAGE_USAGE, UniformArena } from "./buffers.ts";
import { type GpuContext, openDevice } from "./device.ts";
import {
  INDEX_ERROR_BYTES,
  INDEX_ERROR_WORDS,
  indexError,
  IndexErrorFlag,
} from "./index_errors.ts";
import { PipelineCache } from "./pipelines.ts";
import { packUniforms, type WgslProgram } from "./program.ts";
import {
  f32Axpy,
  f32Clip,
  f32Fill,
  f32Vaffine,
  f32Vunary,
  f32VunaryBwd,
  vbinaryBcast,
} from "./programs/elementwise.ts";
import { vcompareBcast, vselectBcast } from "./programs/compare.ts";
import { ACT_CODE } from "./programs/activation.ts";
import {
  type ConvParams,
  f32Conv2dNhwc,
  f32Conv2dNhwcBwdData,
  f32Conv2dNhwcBwdFilter,
  filterSlices,
} from "./programs/conv.ts";
import {
  f32DepthwiseConv2dNhwc,
  f32DepthwiseConv2dNhwcBwdData,
  f32DepthwiseConv2dNhwcBwdFilter,
} from "./programs/depthwise.ts";
import { f32Gather, f32ScatterAdd } from "./programs/gather.ts";
import { castProgram } from "./programs/cast.ts";
import { f32Bernoulli, f32DropoutMask, f32Multinomial } from "./programs/random.ts";
import { f32RbmBiasUpdate, f32RbmWeightUpdate } from "./programs/rbm.ts";
import { f32GemmBlocked, f32GemmSmallM, f32GemmTiled, SMALL_M_ROWS } from "./programs/gemm.ts";
import { f32Pool2dNhwc, f32Pool2dNhwcBwd } from "./programs/pool.ts";
import {
  f32GruGatesBwd,
  f32GruGatesFwd,
  f32LstmGatesBwd,
  f32LstmGatesFwd,
  f32RnnGatesBwd,
  f32RnnGatesFwd,
  f32SequenceTranspose,
} from "./programs/recurrent.ts";
import { f32AdamStep, f32RmspropStep, f32SgdStep } from "./programs/optim.ts";
import {
  f32ArgReduce,
  f32Reduce,
  f32Softmax,
  f32SoftmaxBwd,
  i32ReduceSum,
  reduceShape,
} from "./programs/reduce.ts";
import { f32Cumsum } from "./programs/scan.ts";
import { f32Topk, f32TopkBwd } from "./programs/topk.ts";
import { f32Transpose } from "./programs/transpose.ts";
import { x32StridedCopy, x8StridedCopy } from "./programs/strided.ts";
import { stridedDims6 } from "../strided_plan.ts";

/** The uniforms of a broadcast plan over `n` output elements (programs/compare.ts's `PLAN`). */
function planUniforms(plan: BroadcastPlan, n: number): Record<string, number> {
  const [, d1, d2, d3] = plan.dims, [a0, a1, a2, a3] = plan.aStrides;
  const [b0, b1, b2, b3] = plan.bStrides;
  return { n, d1, d2, d3, a0, a1, a2, a3, b0, b1, b2, b3 };
}

/** Dispatches recorded before the encoder is submitted without being asked. */
export const FLUSH_EVERY = 256;

/** A range of a GPUBuffer: `size` floats from element `offset`. */
export class GpuStorage implements Storage {
  constructor(
    /** The backend that allocated the buffer. */
    readonly owner: WebGpuBackend,
    readonly buffer: GPUBuffer,
    /** First element, in floats. */
    readonly offset: number,
    readonly size: number,
  ) {}
}

/**
 * Primitives this backend cannot run, each throwing a TypeError naming itself: the synchronous
 * ones (`readSync`; `sumSquares` returns a number), which a GPU cannot answer without the host
 * waiting on a readback.
 */
export const WEBGPU_UNSUPPORTED: ReadonlySet<Primitive> = new Set(["readSync", "sumSquares"]);

/** What to bind: a storage (or null for an unused optional input). */
type Operand = Storage | null;

/** How one dispatch binds its storages (see `#bindings`). */
interface Bindings {
  /** Per binding: the buffer range bound. */
  bound: { buffer: GPUBuffer; offset: number; size: number }[];
  /** Storages copied into temporaries before the dispatch. */
  copyIn: [GpuStorage, GPUBuffer][];
  /** Temporaries copied back to the storages after it. */
  copyOut: [GPUBuffer, GpuStorage][];
}

/** Backend over one GPUDevice. */
export class WebGpuBackend implements Backend {
  readonly name = "webgpu" as const;
  /** The adapter's description. */
  readonly description: string;
  /** Whether the adapter is a fallback/software (CPU) implementation. */
  readonly software: boolean;
  readonly device: GPUDevice;
  readonly #pool: BufferPool;
  readonly #uniforms: UniformArena;
  readonly #pipelines: PipelineCache;
  readonly #align: number;
  /** A small buffer bound where an optional input is absent. */
  readonly #dummy: GPUBuffer;
  /** Gather's index error flag, and a storage over it to bind. */
  readonly #indexErrors: IndexErrorFlag;
  readonly #indexErrorStorage: GpuStorage;
  /**
   * Which GEMM program runs: "blocked" (no workgroup memory) on software adapters, "tiled" on
   * hardware ones; settable so that the tests run both on llvmpipe.
   */
  gemmVariant: "tiled" | "blocked";
  /**
   * Products with at most this many rows run the small-m GEMM (f32GemmSmallM: one invocation per
   * 4 columns walking k) whatever `gemmVariant` says; 0 turns it off (tests); at most 8.
   */
  gemmSmallM: number = SMALL_M_ROWS;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  #lost: string | null = null;
  #error: Error | null = null;

  private constructor(ctx: GpuContext) {
    this.device = ctx.device;
    this.description = ctx.description;
    this.software = ctx.software;
    this.gemmVariant = ctx.software ? "blocked" : "tiled";
    this.#pool = new BufferPool(ctx.device);
    this.#uniforms = new UniformArena(ctx.device);
    this.#pipelines = new PipelineCache(ctx.device);
    this.#align = ctx.device.limits.minStorageBufferOffsetAlignment;
    this.#dummy = ctx.device.createBuffer({ size: 256, usage: STORAGE_USAGE });
    this.#indexErrors = new IndexErrorFlag(ctx.device);
    this.#indexErrorStorage = new GpuStorage(this, this.#indexErrors.buffer, 0, INDEX_ERROR_WORDS);
    ctx.device.addEventListener("uncapturederror", (e) => {
      this.#error ??= new Error(
        `WebGPU error on the webgpu backend: ${(e as GPUUncapturedErrorEvent).error.message}`,
      );
    });
  }

  /**
   * Opens a device on the best adapter, a software (fallback) one such as llvmpipe included.
   *
   * @throws {BackendUnavailableError} When no adapter or device exists.
   */
  static async start(): Promise<WebGpuBackend> {
    let backend: WebGpuBackend | null = null;
    const ctx = await openDevice((reason) => {
      if (backend) backend.#lost = reason;
    });
    backend = new WebGpuBackend(ctx);
    return backend;
  }

  /** Why the device was lost, or null while it works. */
  get lost(): string | null {
    return this.#lost;
  }

  /** Whether `primitive` (a Backend method name) runs on this backend. */
  supports(primitive: Primitive): boolean {
    return !WEBGPU_UNSUPPORTED.has(primitive);
  }

  alloc(size: number): Storage {
    this.#live("alloc");
    return new GpuStorage(this, this.#pool.acquire(Math.max(1, size) * 4, STORAGE_USAGE), 0, size);
  }

  free(storage: Storage): void {
    const s = storage as GpuStorage;
    if (this.#lost || s.owner !== this) return;
    this.#pool.release(s.buffer);
  }

  write(storage: Storage, values: Float32Array): void {
    const s = this.#own(storage, "write");
    if (values.length === 0) return;
    this.flush();
    // writeBuffer takes no SharedArrayBuffer-backed view (e.g. a view of the wasm memory).
    const src = values.buffer instanceof ArrayBuffer
      ? values as Float32Array<ArrayBuffer>
      : values.slice();
    this.device.queue.writeBuffer(s.buffer, s.offset * 4, src);
  }

  /**
   * Copies the first `size` floats of `storage` out.
   *
   * @throws {RangeError} When a gather recorded since the previous read met a bad index (the
   * index error flag, copied out behind the data in the same submit and cleared there).
   */
  async read(storage: Storage, size: number): Promise<Float32Array> {
    const s = this.#own(storage, "read");
    const bytes = size * 4;
    const flagBytes = this.#indexErrors.pending ? INDEX_ERROR_BYTES : 0;
    if (bytes + flagBytes === 0) {
      this.flush();
      await this.#pipelines.check();
      return new Float32Array(0);
    }
    const staging = this.#pool.acquire(bytes + flagBytes, READBACK_USAGE);
    this.#endPass();
    this.#encoder ??= this.device.createCommandEncoder();
    if (bytes > 0) this.#encoder.copyBufferToBuffer(s.buffer, s.offset * 4, staging, 0, bytes);
    if (flagBytes > 0) this.#indexErrors.take(this.#encoder, staging, bytes);
    this.flush();
    try {
      await this.#pipelines.check();
      await staging.mapAsync(GPUMapMode.READ, 0, bytes + flagBytes);
    } catch (e) {
      this.#live("read");
      if (this.#error) throw this.#error;
      throw e;
    }
    const mapped = staging.getMappedRange(0, bytes + flagBytes);
    const out = new Float32Array(mapped.slice(0, bytes));
    const flag = new Uint32Array(mapped.slice(bytes));
    staging.unmap();
    this.#pool.release(staging);
    this.#live("read");
    if (this.#error) throw this.#error;
    const badIndex = indexError(flag);
    if (badIndex) throw badIndex;
    return out;
  }

  readSync(_storage: Storage, _size: number): Float32Array {
    throw new TypeError(
      "Cannot run dataSync() on the webgpu backend: GPU memory can only be read asynchronously; use await tensor.data() on the webgpu backend",
    );
  }

  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, size: number): void {
    const a = this.#own(src, "copy"), b = this.#own(dst, "copy");
    if (size === 0) return;
    this.#endPass();
    const enc = this.#encoder ??= this.device.createCommandEncoder();
    const from = (a.offset + srcOffset) * 4, to = (b.offset + dstOffset) * 4, bytes = size * 4;
    if (a.buffer !== b.buffer) {
      enc.copyBufferToBuffer(a.buffer, from, b.buffer, to, bytes);
      return;
    }
    const temp = this.#pool.acquire(bytes, STORAGE_USAGE);
    enc.copyBufferToBuffer(a.buffer, from, temp, 0, bytes);
    enc.copyBufferToBuffer(temp, 0, b.buffer, to, bytes);
    this.#pool.release(temp);
  }

  fill(y: Storage, value: number, size: number): void {
    if (size > 0) this.#run(f32Fill, { n: size }, [y], { n: size, value });
  }

  cast(x: Storage, from: DType, y: Storage, to: DType, size: number): void {
    if (size === 0) return;
    if (from === to) this.copy(x, 0, y, 0, storageUnits(from, size));
    else this.#run(castProgram, { from, to, n: size }, [x, y], { n: size });
  }

  dropoutMask(y: Storage, size: number, seed: number, rate: number, keep: number): void {
    if (size > 0) {
      this.#run(f32DropoutMask, { n: size }, [y], { n: size, seed: seed >>> 0, rate, keep });
    }
  }

  rbmUpdate(p: RbmUpdateArgs): void {
    const { batch, visible, hidden, lr, momentum } = p;
    if (batch === 0) return;
    const scale = 1 / batch, n = visible * hidden;
    if (n > 0) {
      this.#run(f32RbmWeightUpdate, { n }, [p.vPos, p.hPos, p.vNeg, p.hNeg, p.w, p.wVel], {
        n,
        batch,
        visible,
        hidden,
        scale,
        lr,
        momentum,
        decay: p.weightDecay,
      });
    }
    const bias = (pos: Storage, neg: Storage, units: number, b: Storage, vel: Storage) => {
      if (units > 0) {
        this.#run(f32RbmBiasUpdate, { n: units }, [pos, neg, b, vel], {
          n: units,
          batch,
          scale,
          lr,
          momentum,
        });
      }
    };
    bias(p.vPos, p.vNeg, visible, p.vBias, p.vBiasVel);
    bias(p.hPos, p.hNeg, hidden, p.hBias, p.hBiasVel);
  }

  gemm(p: GemmArgs): void {
    const { m, n, k } = p;
    if (m === 0 || n === 0) return;
    this.#run(
      m <= this.gemmSmallM
        ? f32GemmSmallM
        : this.gemmVariant === "blocked"
        ? f32GemmBlocked
        : f32GemmTiled,
      { transA: p.transA, transB: p.transB, m, n },
      [p.a, p.b, p.bias, p.c],
      {
        m,
        n,
        k,
        hasBias: p.bias ? 1 : 0,
        act: ACT_CODE[p.activation],
        beta: p.beta,
      },
    );
  }

  unary(op: UnaryOp, x: Storage, y: Storage, size: number, alpha = 0): void {
    if (size > 0) this.#run(f32Vunary, { op, n: size }, [x, y], { n: size, alpha });
  }

  unaryBackward(
    op: UnaryGradOp,
    dy: Storage,
    saved: Storage,
    dx: Storage,
    size: number,
    alpha = 0,
  ): void {
    if (size > 0) this.#run(f32VunaryBwd, { op, n: size }, [dy, saved, dx], { n: size, alpha });
  }

  affine(x: Storage, y: Storage, size: number, scale: number, shift: number): void {
    if (size > 0) this.#run(f32Vaffine, { n: size }, [x, y], { n: size, scale, shift });
  }

  binary(
    op: BinaryOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype: "float32" | "int32" = "float32",
  ): void {
    const n = plan.dims.reduce((p, d) => p * d, 1);
    if (n > 0) this.#run(vbinaryBcast, { op, dtype, n }, [a, b, y], planUniforms(plan, n));
  }

  compare(
    op: CompareOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype: DType,
  ): void {
    const n = plan.dims.reduce((p, d) => p * d, 1);
    if (n > 0) this.#run(vcompareBcast, { op, dtype, n }, [a, b, y], planUniforms(plan, n));
  }

  select(cond: Storage, a: Storage, b: Storage, y: Storage, plan: SelectPlan, dtype: DType): void {
    const n = plan.dims.reduce((p, d) => p * d, 1);
    if (n === 0) return;
    const [c0, c1, c2, c3] = plan.condStrides;
    this.#run(vselectBcast, { dtype, n }, [cond, a, b, y], {
      ...planUniforms(plan, n),
      c0,
      c1,
      c2,
      c3,
    });
  }

  reduce(
    op: ReduceOp,
    x: Storage,
    y: Storage,
    outer: number,
    len: number,
    inner: number,
    scale: number,
    dtype: "float32" | "int32" = "float32",
  ): void {
    const outputs = outer * inner;
    if (outputs === 0) return;
    if (len === 0) return this.fill(y, op === "prod" ? 1 : 0, outputs);
    if (dtype === "int32") {
      this.#run(i32ReduceSum, { n: outputs }, [x, y], { outputs, len, inner });
      return;
    }
    const shape = op === "logSumExp" ? "thread" : reduceShape(outputs, len);
    const program = op === "argMax" || op === "argMin" ? f32ArgReduce : f32Reduce;
    this.#run(program, { op, shape, n: outputs }, [x, y], { outputs, len, inner, scale });
  }

  scan(
    x: Storage,
    y: Storage,
    outer: number,
    len: number,
    inner: number,
    exclusive: boolean,
    reverse: boolean,
  ): void {
    const lines = outer * inner;
    if (lines === 0 || len === 0) return;
    this.#run(f32Cumsum, { lines }, [x, y], {
      lines,
      len,
      inner,
      exclusive: +exclusive,
      reverse: +reverse,
    });
  }

  topk(
    x: Storage,
    values: Storage,
    indices: Storage,
    rows: number,
    cols: number,
    k: number,
    sorted: boolean,
  ): void {
    if (rows === 0 || k === 0) return;
    this.#run(f32Topk, { rows }, [x, values, indices], { rows, cols, k, sorted: +sorted });
  }

  topkBackward(
    dy: Storage,
    indices: Storage,
    dx: Storage,
    rows: number,
    cols: number,
    k: number,
  ): void {
    if (rows * cols > 0) this.#run(f32TopkBwd, { rows }, [dy, indices, dx], { rows, cols, k });
  }

  softmax(op: SoftmaxOp, x: Storage, y: Storage, rows: number, cols: number): void {
    if (rows * cols > 0) this.#run(f32Softmax, { op, rows }, [x, y], { rows, cols });
  }

  softmaxBackward(
    op: SoftmaxOp,
    dy: Storage,
    y: Storage,
    dx: Storage,
    rows: number,
    cols: number,
  ): void {
    if (rows * cols > 0) this.#run(f32SoftmaxBwd, { op, rows }, [dy, y, dx], { rows, cols });
  }

  optimizerStep(step: OptimizerStep, size: number): void {
    if (size === 0) return;
    const f = Math.fround;
    if (step.op === "sgd") {
      const { w, g, v, lr, momentum, nesterov } = step;
      this.#run(f32SgdStep, { n: size }, [w, g, momentum !== 0 ? v : null], {
        n: size,
        lr,
        momentum,
        hasMomentum: momentum !== 0 ? 1 : 0,
        nesterov: nesterov ? 1 : 0,
      });
    } else if (step.op === "adam") {
      const { w, g, m, v, lrT, beta1, beta2, epsilon } = step;
      this.#run(f32AdamStep, { n: size }, [w, g, m, v], {
        n: size,
        lrT,
        b1: beta1,
        c1: f(1 - f(beta1)),
        b2: beta2,
        c2: f(1 - f(beta2)),
        eps: epsilon,
      });
    } else {
      const { w, g, ms, lr, rho, epsilon } = step;
      this.#run(f32RmspropStep, { n: size }, [w, g, ms], {
        n: size,
        lr,
        rho,
        c: f(1 - f(rho)),
        eps: epsilon,
      });
    }
  }

  clip(x: Storage, y: Storage, size: number, lo: number, hi: number): void {
    if (size > 0) this.#run(f32Clip, { n: size }, [x, y], { n: size, lo, hi });
  }

  axpy(x: Storage, y: Storage, size: number, a: number): void {
    if (size > 0) this.#run(f32Axpy, { n: size }, [x, y], { n: size, a });
  }

  sumSquares(_x: Storage, _size: number): number {
    return this.#unsupported("sumSquares", "a synchronous sum needs a readback the host waits on");
  }

  transpose(x: Storage, y: Storage, rows: number, cols: number): void {
    const n = rows * cols;
    if (n > 0) this.#run(f32Transpose, { n }, [x, y], { n, rows, cols });
  }

  stridedCopy(x: Storage, y: Storage, plan: StridedCopyPlan): void {
    const { dims, xStrides, yStrides, size } = stridedDims6(plan);
    if (size === 0) return;
    const order = [0, 1, 2, 3, 4, 5];
    // Bytes: dimensions sorted by y stride, largest first, for x8StridedCopy's division.
    if (plan.elementBytes === 1) order.sort((a, b) => yStrides[b] - yStrides[a] || a - b);
    const reach = dims.reduce((a, n, d) => a + (n - 1) * yStrides[d], 0);
    const w0 = Math.floor(plan.yOffset / 4);
    const n = plan.elementBytes === 4 ? size : Math.floor((plan.yOffset + reach) / 4) - w0 + 1;
    const uniforms: Record<string, number> = { n, xOff: plan.xOffset, yOff: plan.yOffset, w0 };
    order.forEach((d, i) => {
      uniforms[`d${i}`] = dims[d];
      uniforms[`xs${i}`] = xStrides[d];
      uniforms[`ys${i}`] = yStrides[d];
    });
    const program = plan.elementBytes === 4 ? x32StridedCopy : x8StridedCopy;
    this.#run(program, { n }, [x, y], uniforms);
  }

  maxPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#pooling("max", [x, y], p.batch * p.outHeight * p.outWidth * p.channels, p, f32Pool2dNhwc);
  }

  maxPool2dBackward(x: Storage, y: Storage, dy: Storage, dx: Storage, p: Pool2dArgs): void {
    const n = p.batch * p.inHeight * p.inWidth * p.channels;
    this.#pooling("max", [dy, dx, x, y], n, p, f32Pool2dNhwcBwd);
  }

  avgPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#pooling("avg", [x, y], p.batch * p.outHeight * p.outWidth * p.channels, p, f32Pool2dNhwc);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, p: Pool2dArgs): void {
    const n = p.batch * p.inHeight * p.inWidth * p.channels;
    this.#pooling("avg", [dy, dx, null, null], n, p, f32Pool2dNhwcBwd);
  }

  conv2d(p: Conv2dArgs): void {
    const rows = p.batch * p.outHeight * p.outWidth, cols = p.outChannels;
    if (rows * cols === 0) return;
    const g = convUniforms(p, rows, cols, 1);
    this.#run(f32Conv2dNhwc, { n: g.n }, [p.x, p.filter, p.bias, p.y], {
      ...g,
      hasBias: p.bias ? 1 : 0,
      act: ACT_CODE[p.activation],
    });
  }

  conv2dBackwardData(p: Conv2dBackwardDataArgs): void {
    const rows = p.batch * p.inHeight * p.inWidth, cols = p.inChannels;
    if (rows * cols === 0) return;
    const g = convUniforms(p, rows, cols, 1);
    this.#run(f32Conv2dNhwcBwdData, { n: g.n }, [p.dy, p.filter, p.dx], g);
  }

  depthwiseConv2d(pass: "forward" | "bwdData" | "bwdFilter", p: DepthwiseConv2dArgs): void {
    const g = {
      batch: p.batch,
      h: p.inHeight,
      w: p.inWidth,
      c: p.inChannels,
      m: p.outChannels / p.inChannels,
      oh: p.outHeight,
      ow: p.outWidth,
      fh: p.filterHeight,
      fw: p.filterWidth,
      sh: p.strideHeight,
      sw: p.strideWidth,
      dh: p.dilationHeight,
      dw: p.dilationWidth,
      padTop: p.padTop,
      padLeft: p.padLeft,
      hasBias: p.bias ? 1 : 0,
    };
    if (pass === "forward") {
      const n = p.batch * p.outHeight * p.outWidth * p.outChannels;
      if (n > 0) {
        this.#run(f32DepthwiseConv2dNhwc, { n }, [p.x, p.filter, p.bias, p.y], { n, ...g });
      }
    } else if (pass === "bwdData") {
      const n = p.batch * p.inHeight * p.inWidth * p.inChannels;
      if (n > 0) {
        this.#run(f32DepthwiseConv2dNhwcBwdData, { n }, [p.y, p.filter, p.grad], { n, ...g });
      }
    } else {
      const n = p.filterHeight * p.filterWidth * p.outChannels;
      if (n > 0) this.#run(f32DepthwiseConv2dNhwcBwdFilter, { n }, [p.x, p.y, p.grad], { n, ...g });
    }
  }

  conv2dBackwardFilter(p: Conv2dBackwardFilterArgs): void {
    const rows = p.filterHeight * p.filterWidth * p.inChannels, cols = p.outChannels;
    const size = rows * cols;
    if (size === 0) return;
    const pixels = p.batch * p.outHeight * p.outWidth;
    if (pixels === 0) return this.fill(p.dw, 0, size);
    const slices = filterSlices(pixels, size);
    const g = convUniforms(p, rows, cols, slices);
    const sliceLen = Math.ceil(pixels / slices);
    const uniforms = { ...g, pixels, sliceLen };
    if (slices === 1) {
      return this.#run(f32Conv2dNhwcBwdFilter, { n: g.n }, [p.x, p.dy, p.dw], uniforms);
    }
    const partials = this.alloc(slices * size);
    this.#run(f32Conv2dNhwcBwdFilter, { n: g.n }, [p.x, p.dy, partials], uniforms);
    this.reduce("sum", partials, p.dw, 1, slices, size, 1);
    this.free(partials); // recorded work keeps its order: a later user of the buffer runs after
  }

  subarray(storage: Storage, offset: number, size: number): Storage {
    const s = this.#own(storage, "subarray");
    return new GpuStorage(this, s.buffer, s.offset + offset, size);
  }

  lstmGates(p: LstmGatesArgs): void {
    const n = p.batch * p.units;
    if (n === 0) return;
    this.#run(f32LstmGatesFwd, { n }, [p.xw, p.hu, p.cPrev, p.c, p.h, p.gates], {
      n,
      units: p.units,
    });
  }

  lstmGatesBackward(p: LstmGatesBackwardArgs): void {
    const n = p.batch * p.units;
    if (n === 0) return;
    this.#run(f32LstmGatesBwd, { n }, [p.dh, p.dc, p.gates, p.cPrev, p.c, p.dz], {
      n,
      units: p.units,
    });
  }

  gruGates(p: GruGatesArgs): void {
    const n = p.batch * p.units;
    if (n === 0) return;
    this.#run(f32GruGatesFwd, { n }, [p.xw, p.hu, p.hPrev, p.h, p.saved], { n, units: p.units });
  }

  gruGatesBackward(p: GruGatesBackwardArgs): void {
    const n = p.batch * p.units;
    if (n === 0) return;
    this.#run(f32GruGatesBwd, { n }, [p.dh, p.saved, p.hPrev, p.dxw, p.dhu, p.dhPrev], {
      n,
      units: p.units,
      hasDhPrev: p.dhPrev ? 1 : 0,
    });
  }

  rnnGates(
    xw: Storage,
    hu: Storage,
    h: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void {
    const n = batch * units;
    if (n > 0) this.#run(f32RnnGatesFwd, { n }, [xw, hu, h], { n, act: ACT_CODE[activation] });
  }

  rnnGatesBackward(
    dh: Storage,
    h: Storage,
    dz: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void {
    const n = batch * units;
    if (n > 0) this.#run(f32RnnGatesBwd, { n }, [dh, h, dz], { n, act: ACT_CODE[activation] });
  }

  sequenceTranspose(
    x: Storage,
    y: Storage,
    batch: number,
    steps: number,
    inner: number,
    toTimeMajor: boolean,
    reverse: boolean,
  ): void {
    const n = batch * steps * inner;
    if (n === 0) return;
    this.#run(f32SequenceTranspose, { n }, [x, y], {
      n,
      batch,
      steps,
      inner,
      toTimeMajor: toTimeMajor ? 1 : 0,
      reverse: reverse ? 1 : 0,
    });
  }

  /** Checks the indices on the device: see programs/gather.ts and index_errors.ts. */
  gather(x: Storage, indices: Storage, y: Storage, g: GatherGeometry): void {
    const total = g.outer * g.n * g.inner;
    if (total === 0) return;
    const operands = [x, indices, y, this.#indexErrorStorage];
    const call = this.#indexErrors.nextCall();
    const { len, inner, n } = g, floatIndices = g.floatIndices ? 1 : 0;
    this.#run(f32Gather, { n: total }, operands, { total, len, inner, n, floatIndices, call });
  }

  randomBernoulli(p: Storage, y: Storage, size: number, seed: number): void {
    if (size > 0) this.#run(f32Bernoulli, { n: size }, [p, y], { n: size, seed: seed >>> 0 });
  }

  multinomial(
    probs: Storage,
    y: Storage,
    rows: number,
    outcomes: number,
    samples: number,
    seed: number,
  ): void {
    const n = rows * samples;
    if (n === 0) return;
    this.#run(f32Multinomial, { n }, [probs, y], { n, outcomes, samples, seed: seed >>> 0 });
  }

  scatterAdd(dy: Storage, indices: Storage, dx: Storage, g: GatherGeometry): void {
    const total = g.outer * g.len * g.inner;
    if (total === 0 || g.n === 0) return;
    const { len, inner, n } = g, floatIndices = g.floatIndices ? 1 : 0;
    const int32 = g.dtype === "int32";
    this.#run(f32ScatterAdd, { n: total, int32 }, [dy, indices, dx], {
      total,
      len,
      inner,
      n,
      floatIndices,
    });
  }

  memoryBytes(): number {
    return this.#pool.bytes + this.#uniforms.bytes + this.#dummy.size +
      this.#indexErrors.buffer.size;
  }

  /** Submits the recorded work (a no-op when nothing is recorded). */
  flush(): void {
    this.#endPass();
    if (!this.#encoder) return;
    this.#uniforms.flush(this.device.queue);
    this.device.queue.submit([this.#encoder.finish()]);
    this.#encoder = null;
    this.#recorded = 0;
  }

  /** Waits until the GPU has run everything submitted; rethrows deferred errors. */
  async sync(): Promise<void> {
    this.flush();
    await this.#pipelines.check();
    await this.device.queue.onSubmittedWorkDone();
    this.#live("sync");
    if (this.#error) throw this.#error;
  }

  /** Destroys the device (its buffers with it). The backend is unusable afterwards. */
  destroy(): void {
    this.#lost ??= "destroyed by destroy()";
    this.device.destroy();
  }

  #endPass(): void {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
  }

  #live(method: string): void {
    if (this.#lost !== null) {
      throw new BackendUnavailableError(
        `Cannot run ${method}() on the webgpu backend: the GPU device was lost (${this.#lost}); call ready({ backend: "webgpu" }) again and recreate the tensors`,
      );
    }
  }

  #own(storage: Storage, method: string): GpuStorage {
    this.#live(method);
    if (storage instanceof GpuStorage && storage.owner === this) return storage;
    const where = storage instanceof GpuStorage ? "an earlier webgpu device" : "another backend";
    throw new TypeError(
      `Cannot run ${method}() on the webgpu backend: a tensor's storage belongs to ${where}; create tensors after ready(), or move one with dn.tensor(await t.data(), t.shape)`,
    );
  }

  #unsupported(primitive: string, hint = "use the wasm or threads backend for it"): never {
    throw new TypeError(
      `Cannot run ${primitive}() on the webgpu backend: it is not implemented there yet; ${hint}`,
    );
  }

  /** Records a pooling program over `n` invocations with the geometry `p`. */
  #pooling(
    op: "max" | "avg",
    operands: readonly Operand[],
    n: number,
    p: Pool2dArgs,
    program: typeof f32Pool2dNhwc,
  ): void {
    if (n === 0) return;
    this.#run(program, { op, n }, operands, {
      n,
      h: p.inHeight,
      w: p.inWidth,
      c: p.channels,
      oh: p.outHeight,
      ow: p.outWidth,
      ph: p.poolHeight,
      pw: p.poolWidth,
      sh: p.strideHeight,
      sw: p.strideWidth,
      padTop: p.padTop,
      padLeft: p.padLeft,
    });
  }

  /**
   * Records one dispatch of `program`: binds `operands` to its bindings in order (null binds a
   * dummy buffer), routing aliased or unaligned bindings through temporaries (see the header).
   */
  #run<P>(
    program: WgslProgram<P>,
    params: P,
    operands: readonly Operand[],
    uniforms: Record<string, number>,
  ): void {
    const key = program.key(params);
    const storages = operands.map((o) => (o === null ? null : this.#own(o, key)));
    const cached = this.#pipelines.get(program, params);
    const plan = this.#bindings(program, storages);
    const entries: GPUBindGroupEntry[] = plan.bound.map((b, i) => ({
      binding: i,
      resource: { buffer: b.buffer, offset: b.offset, size: b.size },
    }));
    entries.push({
      binding: plan.bound.length,
      resource: this.#uniforms.push(packUniforms(program.uniforms, uniforms, key)),
    });
    const group = this.device.createBindGroup({ layout: cached.layout, entries });
    const workgroups = program.dispatch(params, cached.wg, this.device.limits);
    this.#record(cached.pipeline, group, workgroups, plan);
    for (const [, temp] of plan.copyIn) this.#pool.release(temp);
    if (++this.#recorded >= FLUSH_EVERY) this.flush();
  }

  /**
   * Where each storage binds: in place, or (unaligned, or written while another binding aliases
   * its buffer) through a pooled temporary copied in before the dispatch and, when written, back.
   */
  #bindings(program: WgslProgram<unknown>, storages: readonly (GpuStorage | null)[]): Bindings {
    const plan: Bindings = { bound: [], copyIn: [], copyOut: [] };
    storages.forEach((s, i) => {
      if (s === null) {
        plan.bound.push({ buffer: this.#dummy, offset: 0, size: this.#dummy.size });
        return;
      }
      const writes = program.bindings[i].access === "read_write";
      const bytes = Math.max(1, s.size) * 4;
      const aliased = storages.some((o, j) =>
        j !== i && o !== null && o.buffer === s.buffer &&
        (writes || program.bindings[j].access === "read_write")
      );
      const unaligned = (s.offset * 4) % this.#align !== 0;
      // A read binding that aliases a written one keeps the original; the written one moves.
      if (unaligned || (aliased && writes)) {
        const temp = this.#pool.acquire(bytes, STORAGE_USAGE);
        plan.copyIn.push([s, temp]);
        if (writes) plan.copyOut.push([temp, s]);
        plan.bound.push({ buffer: temp, offset: 0, size: bytes });
      } else plan.bound.push({ buffer: s.buffer, offset: s.offset * 4, size: bytes });
    });
    return plan;
  }

  /** Encodes the copies into temporaries, the dispatch in the open compute pass, the copies back. */
  #record(
    pipeline: GPUComputePipeline,
    group: GPUBindGroup,
    [x, y, z]: readonly [number, number, number],
    plan: Bindings,
  ): void {
    const enc = this.#encoder ??= this.device.createCommandEncoder();
    if (plan.copyIn.length) {
      this.#endPass();
      for (const [s, temp] of plan.copyIn) {
        enc.copyBufferToBuffer(s.buffer, s.offset * 4, temp, 0, Math.max(1, s.size) * 4);
      }
    }
    const pass = this.#pass ??= enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(x, y, z);
    if (plan.copyOut.length) {
      this.#endPass();
      for (const [temp, s] of plan.copyOut) {
        enc.copyBufferToBuffer(temp, 0, s.buffer, s.offset * 4, Math.max(1, s.size) * 4);
      }
    }
  }
}

/** The uniforms the convolution programs share: `rows x cols` output in 4 x 4 blocks, `slices` times. */
function convUniforms(
  p: Conv2dGeometry,
  rows: number,
  cols: number,
  slices: number,
): ConvParams & Record<string, number> {
  const tilesN = Math.ceil(cols / 4), tiles = Math.ceil(rows / 4) * tilesN;
  return {
    n: tiles * slices,
    tiles,
    tilesN,
    rows,
    cols,
    inH: p.inHeight,
    inW: p.inWidth,
    inC: p.inChannels,
    outH: p.outHeight,
    outW: p.outWidth,
    outC: p.outChannels,
    fh: p.filterHeight,
    fw: p.filterWidth,
    sh: p.strideHeight,
    sw: p.strideWidth,
    dh: p.dilationHeight,
    dw: p.dilationWidth,
    padTop: p.padTop,
    padLeft: p.padLeft,
  };
}
