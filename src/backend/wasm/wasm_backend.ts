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
  RbmUpdateArgs,
  ReduceOp,
  SelectPlan,
  SoftmaxOp,
  Storage,
  StridedCopyPlan,
  UnaryGradOp,
  UnaryMathOp,
  UnaryOp,
} from "../backend.ts";
import { ACT_CODE } from "../activations.ts";
import { BINARY_CODE, COMPARE_CODE } from "../elementwise_codes.ts";
import { stridedDims6 } from "../strided_plan.ts";
import { MATH_CODE } from "../unary_codes.ts";
import { Allocator } from "./allocator.ts";
import {
  createMemory,
  instantiateKernels,
  type KernelExports,
  kernelModule,
  type KernelName,
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

/** Dtype codes of assembly/cast.ts. */
const DTYPE_CODE: Readonly<Record<DType, number>> = { float32: 0, int32: 1, bool: 2 };

const UNARY_KERNEL = {
  relu: "f32_vrelu",
  sigmoid: "f32_vsigmoid",
  tanh: "f32_vtanh",
  exp: "f32_vexp",
  log: "f32_vlog",
  neg: "f32_vneg",
  sqrt: "f32_vsqrt",
  square: "f32_vsquare",
  abs: "f32_vabs",
} as const satisfies Record<Exclude<UnaryOp, UnaryMathOp>, KernelName>;

/** The reductions without a scale argument (assembly/reduce.ts). */
const REDUCE_KERNELS = {
  max: "f32_reduce_max",
  min: "f32_reduce_min",
  prod: "f32_reduce_prod",
  argMax: "f32_reduce_argmax",
  argMin: "f32_reduce_argmin",
  logSumExp: "f32_reduce_logsumexp",
} as const satisfies Record<Exclude<ReduceOp, "sum">, KernelName>;

/**
 * The byte offset of `s`, for a kernel that may write it: first drops every cached B packing
 * ({@linkcode PackedB}) whose bytes `s` overlaps. Every backend method hands its storages to the
 * kernels through here, so any write to a packed B (write, copy, fill, an optimizer step, axpy,
 * clip, gemm's c, any kernel's output, through a subarray view or not) and its free drop the
 * packing before they happen: no method has to remember a version bump. Conservative: a kernel
 * that only reads B drops its packing too. Only gemm's B and reads use {@linkcode readPtr}.
 */
function writablePtr(s: Storage): number {
  const p = (s as WasmStorage).ptr;
  if (packedBs.length !== 0) dropPackedB(p, p + Math.max(1, s.size) * 4);
  return p;
}

/** The byte offset of `s` for a read that cannot change it: keeps packings of B. */
function readPtr(s: Storage): number {
  return (s as WasmStorage).ptr;
}

/**
 * A packed op(B) kept between gemm calls (XNNPACK packs an operator's weights once): inference
 * and recurrent steps multiply by the same weights again and again, and packing B is 5-40% of a
 * small-m GEMM. Keyed by the allocator (one per backend and memory), the layout, the bytes of B
 * read, transB, k and n; it stays valid until any storage overlapping `[begin, end)` passes
 * through `writablePtr()`.
 */
interface PackedB {
  owner: Allocator;
  /** "gemm": panels of 8 for f32_gemm (f32_gemm_pack_b); "gemv": panels of 32 (f32_gemv_pack_b). */
  layout: "gemm" | "gemv";
  begin: number;
  end: number;
  transB: boolean;
  k: number;
  n: number;
  /** Byte offset of the packed panels, allocated from `owner`; 0 for a B seen once, not packed. */
  packed: number;
  bytes: number;
}

/** Cached packings, least recently used first, over all backends of this module. */
const packedBs: PackedB[] = [];
/**
 * At most this many packings are kept, and at most this many bytes of them: room for the
 * weights of a served model as large as one 4096 x 4096 layer (64 MiB) besides smaller ones.
 */
const PACKED_B_ENTRIES = 16;
const PACKED_B_BYTES = 128 << 20;

/**
 * Whether an m x n x k product takes the streaming kernel (f32_gemm_stream, op(B) read unpacked)
 * instead of packing B for f32_gemm (m = 1 first asks for a gemv packing: #gemvPacking).
 * B stored k x n at m = 1 always; otherwise, up to m = 8, only where the packing would not fit
 * the cache and so would be redone on every call: with the packing cached, f32_gemm's tiles beat
 * the streaming ones at m >= 2 (measurements in bench/RESULTS.md). Both kernels give the same
 * bits (assembly/gemm_stream.ts), so the choice changes only the speed.
 */
function streamGemm(m: number, n: number, k: number, transB: boolean): boolean {
  if (m > STREAM_MAX_M) return false;
  return (m === 1 && !transB) || Math.max(1, k * Math.ceil(n / 8) * 8) * 4 > PACKED_B_BYTES;
}
/** Rows up to which f32_gemm_stream may run. */
const STREAM_MAX_M = 8;

/** The cached entry for this B and layout, moved to the most recently used end; or undefined. */
function findPacked(
  owner: Allocator,
  layout: PackedB["layout"],
  b: Storage,
  transB: boolean,
  k: number,
  n: number,
): PackedB | undefined {
  const begin = readPtr(b), end = begin + Math.max(1, k * n) * 4;
  for (let i = packedBs.length - 1; i >= 0; i--) {
    const e = packedBs[i];
    if (
      e.owner === owner && e.layout === layout && e.begin === begin && e.end === end &&
      e.transB === transB && e.k === k && e.n === n
    ) {
      packedBs.splice(i, 1);
      packedBs.push(e);
      return e;
    }
  }
  return undefined;
}

/** A cache entry for op(B) of `b`. */
function entry(
  owner: Allocator,
  layout: PackedB["layout"],
  b: Storage,
  transB: boolean,
  k: number,
  n: number,
  packed: number,
  bytes: number,
): PackedB {
  const begin = readPtr(b);
  return { owner, layout, begin, end: begin + Math.max(1, k * n) * 4, transB, k, n, packed, bytes };
}

/** Frees the least recently used packings until one more entry of `bytes` fits the limits. */
function makeRoom(bytes: number): void {
  let held = bytes;
  for (const e of packedBs) held += e.bytes;
  while (packedBs.length > 0 && (packedBs.length >= PACKED_B_ENTRIES || held > PACKED_B_BYTES)) {
    const e = packedBs.shift()!;
    held -= e.bytes;
    if (e.packed !== 0) e.owner.free(e.packed);
  }
}

/** Frees the cached packings whose B overlaps the bytes `[begin, end)`. */
function dropPackedB(begin: number, end: number): void {
  for (let i = packedBs.length - 1; i >= 0; i--) {
    const e = packedBs[i];
    if (e.begin < end && begin < e.end) {
      packedBs.splice(i, 1);
      if (e.packed !== 0) e.owner.free(e.packed);
    }
  }
}

/** Pooling geometry in kernel ABI order (assembly/pool.ts). */
function poolGeometry(p: Pool2dArgs): [
  n: number,
  h: number,
  w: number,
  c: number,
  ph: number,
  pw: number,
  sh: number,
  sw: number,
  padTop: number,
  padLeft: number,
  oh: number,
  ow: number,
] {
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
function convGeometry(p: Conv2dGeometry): [
  batch: number,
  inH: number,
  inW: number,
  inC: number,
  outH: number,
  outW: number,
  outC: number,
  fh: number,
  fw: number,
  strideH: number,
  strideW: number,
  dilH: number,
  dilW: number,
  padTop: number,
  padLeft: number,
] {
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

/**
 * The arguments of one f32_conv2d_nhwc_bwd_filter call, in ABI order (the geometry already is):
 * typed by the generated ABI, so a wrong count does not compile.
 */
function filterGradArgs(
  x: number,
  dy: number,
  dw: number,
  geometry: ReturnType<typeof convGeometry>,
  batchBegin: number,
  batchEnd: number,
  scratch: number,
): Parameters<KernelExports["f32_conv2d_nhwc_bwd_filter"]> {
  return [x, dy, dw, ...geometry, batchBegin, batchEnd, scratch];
}

/** The filter shape `[fh, fw, inC, outC]` of a convolution. */
function filterShape(p: Conv2dGeometry): [fh: number, fw: number, inC: number, outC: number] {
  return [p.filterHeight, p.filterWidth, p.inChannels, p.outChannels];
}

/**
 * One kernel call: export name and its arguments in ABI order. The one type of a call for the
 * wasm backend, the threads backend and the pool.
 */
export type KernelCall = readonly [name: string, args: readonly number[]];

/**
 * How a {@linkcode WasmBackend} runs its kernels. The default calls the instance's exports on the
 * calling thread; the threads backend passes one that splits each call across its workers.
 */
export interface KernelRunner {
  /**
   * The export table the backend calls, given the instance's own (`raw`), the backend's
   * allocator (for per-thread scratch) and memory; called once, by the constructor.
   */
  kernels(raw: Kernels, allocator: Allocator, memory: WebAssembly.Memory): Kernels;
  /**
   * Runs jobs (lists of kernel calls, each list in order) that write disjoint outputs, in any
   * order or concurrently, each thread with its own scratch.
   */
  runIndependent(jobs: readonly (readonly KernelCall[])[]): void;
  /**
   * Runs `pack` (an f32_gemm_pack_b call) then `gemm` (an f32_gemm call reading that packing): a
   * runner that splits the GEMM by columns may have each thread pack the panels it multiplies.
   */
  packThenGemm(pack: readonly number[], gemm: readonly number[]): void;
}

/** The default runner: every call on the calling thread, jobs one after the other. */
class SerialRunner implements KernelRunner {
  #raw: Kernels | null = null;
  kernels(raw: Kernels): Kernels {
    return (this.#raw = raw);
  }
  runIndependent(jobs: readonly (readonly KernelCall[])[]): void {
    for (const job of jobs) for (const [name, args] of job) this.#raw![name](...args);
  }
  packThenGemm(pack: readonly number[], gemm: readonly number[]): void {
    this.#raw!.f32_gemm_pack_b(...pack);
    this.#raw!.f32_gemm(...gemm);
  }
}

/** Most groups a filter gradient's batch is cut into; fixed, so results do not depend on threads. */
const FILTER_GRAD_GROUPS = 12;
/** Least multiply-adds per group; smaller problems take fewer groups (one: a single call). */
const FILTER_GRAD_GROUP_WORK = 1 << 18;
/** Most floats of partial sums a filter gradient may hold (16 MiB). */
const FILTER_GRAD_PARTIALS = 1 << 22;

/**
 * Batch boundaries `[0, b1, ..., batch]` of the groups the filter gradient sums separately: a
 * function of the shape alone (never of the thread count), so every backend adds the same partial
 * sums in the same order.
 */
export function filterGradGroups(p: Conv2dGeometry): number[] {
  const size = p.filterHeight * p.filterWidth * p.inChannels * p.outChannels;
  const work = p.batch * p.outHeight * p.outWidth * size;
  const groups = Math.max(
    1,
    Math.min(
      p.batch,
      FILTER_GRAD_GROUPS,
      Math.floor(work / FILTER_GRAD_GROUP_WORK),
      1 + Math.floor(FILTER_GRAD_PARTIALS / Math.max(1, size)),
    ),
  );
  return Array.from({ length: groups + 1 }, (_, g) => Math.floor((g * p.batch) / groups));
}

/** Backend over one `WebAssembly.Memory` on the calling thread. */
export class WasmBackend implements Backend {
  readonly name: "wasm" | "threads" = "wasm";
  /** Which kernel build runs: over a shared memory or a plain one. */
  readonly variant: KernelVariant;
  readonly memory: WebAssembly.Memory;
  /** The kernel exports, called by argument name and count (the generated ABI's types). */
  readonly #k: KernelExports;
  readonly #runner: KernelRunner;
  readonly #alloc: Allocator;
  #scratch: WasmStorage | null = null;

  /** Every primitive runs on the CPU backends. */
  supports(_primitive: string): boolean {
    return true;
  }

  /** A view of the whole memory for reads, made again when the memory has grown (readSync). */
  #heap: Float32Array<ArrayBufferLike> = new Float32Array(0);

  /**
   * Instantiates the kernels of `variant` over a new memory, run by `runner` (the threads
   * backend's splits each call across its workers; by default, all on the calling thread).
   */
  constructor(variant: KernelVariant, runner: KernelRunner = new SerialRunner()) {
    this.variant = variant;
    this.memory = createMemory(variant, 16);
    const raw = instantiateKernels(kernelModule(variant), this.memory);
    this.#alloc = new Allocator(this.memory, raw.heap_base());
    this.#runner = runner;
    // The generated ABI types each export's arguments; the table is the instance's, by name.
    this.#k = runner.kernels(raw, this.#alloc, this.memory) as unknown as KernelExports;
  }

  alloc(size: number): Storage {
    return new WasmStorage(this.#alloc.alloc(Math.max(1, size) * 4), size);
  }

  free(storage: Storage): void {
    this.#alloc.free(writablePtr(storage));
  }

  write(storage: Storage, values: Float32Array): void {
    new Float32Array(this.memory.buffer, writablePtr(storage), values.length).set(values);
  }

  read(storage: Storage, size: number): Promise<Float32Array> {
    return Promise.resolve(this.readSync(storage, size));
  }

  readSync(storage: Storage, size: number): Float32Array {
    const at = readPtr(storage) >> 2;
    // A view of the whole memory, made again only when the memory grew (a grown memory detaches
    // the old buffer, or, shared, leaves the old view short): a read is then one copy.
    if (at + size > this.#heap.length) this.#heap = new Float32Array(this.memory.buffer);
    return this.#heap.slice(at, at + size);
  }

  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, size: number): void {
    const from = writablePtr(src) + srcOffset * 4;
    new Uint8Array(this.memory.buffer).copyWithin(
      writablePtr(dst) + dstOffset * 4,
      from,
      from + size * 4,
    );
  }

  fill(y: Storage, value: number, size: number): void {
    this.#k.f32_fill(writablePtr(y), value, 0, size);
  }

  dropoutMask(y: Storage, size: number, seed: number, rate: number, keep: number): void {
    this.#k.f32_dropout_mask(writablePtr(y), seed, rate, keep, 0, size);
  }

  rbmUpdate(p: RbmUpdateArgs): void {
    const { batch, visible, hidden, lr, momentum } = p;
    if (batch === 0) return;
    const k = this.#k, scale = 1 / batch;
    const [vPos, hPos, vNeg, hNeg] = [p.vPos, p.hPos, p.vNeg, p.hNeg].map(writablePtr);
    k.f32_rbm_weight_update(
      vPos,
      hPos,
      vNeg,
      hNeg,
      batch,
      visible,
      hidden,
      writablePtr(p.w),
      writablePtr(p.wVel),
      scale,
      lr,
      momentum,
      p.weightDecay,
      0,
      visible,
    );
    const bias = (pos: number, neg: number, units: number, b: Storage, vel: Storage) =>
      k.f32_rbm_bias_update(
        pos,
        neg,
        batch,
        units,
        writablePtr(b),
        writablePtr(vel),
        scale,
        lr,
        momentum,
        0,
        units,
      );
    bias(vPos, vNeg, visible, p.vBias, p.vBiasVel);
    bias(hPos, hNeg, hidden, p.hBias, p.hBiasVel);
  }

  gemm(p: GemmArgs): void {
    const { m, n, k } = p;
    if (m === 0 || n === 0) return;
    // a, c and bias first: writablePtr() may drop (and free) a packing they overlap.
    const a = writablePtr(p.a), c = writablePtr(p.c), bias = p.bias ? writablePtr(p.bias) : 0;
    const b = readPtr(p.b);
    // The streaming kernels read B while they write C: only a C apart from B may take them.
    const apart = c + m * n * 4 <= b || b + k * n * 4 <= c;
    if (m === 1 && apart) {
      const packed = this.#gemvPacking(p.b, p.transB, k, n);
      if (packed !== 0) {
        this.#k.f32_gemv_packed(a, 4, packed, c, n, k, 0, n, bias, ACT_CODE[p.activation], p.beta);
        return;
      }
    }
    if (streamGemm(m, n, k, p.transB)) {
      if (apart) {
        this.#k.f32_gemm_stream(
          a,
          p.transA ? m : k,
          p.transA ? 1 : 0,
          b,
          p.transB ? k : n,
          p.transB ? 1 : 0,
          c,
          n,
          m,
          n,
          k,
          0,
          n,
          bias,
          ACT_CODE[p.activation],
          p.beta,
        );
        return;
      }
    }
    const scratch = this.#gemmScratch(m, k);
    // op(B) packed in panels of 8 columns (f32_gemm_pack_b): the cached packing when this B was
    // packed before and nothing has touched its bytes since, else a fresh one, packed with the
    // product (packThenGemm) and cached unless larger than the whole cache (then freed after).
    const hit = findPacked(this.#alloc, "gemm", p.b, p.transB, k, n);
    const panels = Math.ceil(n / 8), bytes = Math.max(1, k * panels * 8) * 4;
    const keep = hit !== undefined || bytes <= PACKED_B_BYTES;
    if (!hit && keep) makeRoom(bytes);
    const packed = hit ? hit.packed : this.#alloc.alloc(bytes);
    const args: Parameters<KernelExports["f32_gemm"]> = [
      a,
      p.transA ? m : k,
      p.transA ? 1 : 0,
      packed,
      c,
      n,
      m,
      n,
      k,
      0,
      m,
      0,
      n,
      bias,
      ACT_CODE[p.activation],
      p.beta,
      scratch,
    ];
    let cached = hit !== undefined;
    try {
      if (hit) this.#k.f32_gemm(...args);
      else {
        const transB = p.transB ? 1 : 0;
        this.#runner.packThenGemm([b, p.transB ? k : n, transB, k, n, packed, 0, panels], args);
        if (keep) packedBs.push(entry(this.#alloc, "gemm", p.b, p.transB, k, n, packed, bytes));
        cached = keep;
      }
    } finally {
      if (!cached) this.#alloc.free(packed);
    }
    // c was written: a packing of B stored in the same bytes (c aliasing b) is now stale.
    dropPackedB(c, c + m * n * 4);
  }

  /**
   * The gemv packing (panels of 32, f32_gemv_pack_b) of an op(B) multiplied by one row: packed
   * the second time the same unchanged B comes (the first call streams it and remembers it), so
   * weights multiplied once (or rewritten after every use, as in training) are never packed; 0
   * when this call should stream. 1 x 4096^2 took 2.2-2.5 ms packed against 2.6-3.0 streamed.
   */
  #gemvPacking(b: Storage, transB: boolean, k: number, n: number): number {
    const hit = findPacked(this.#alloc, "gemv", b, transB, k, n);
    if (hit?.packed) return hit.packed;
    const bytes = Math.max(1, this.#k.f32_gemv_packed_floats(k, n)) * 4;
    if (bytes > PACKED_B_BYTES) return 0;
    if (!hit) {
      makeRoom(0);
      packedBs.push(entry(this.#alloc, "gemv", b, transB, k, n, 0, 0));
      return 0;
    }
    packedBs.pop(); // the entry of the first sighting, moved last by findPacked
    makeRoom(bytes);
    const packed = this.#alloc.alloc(bytes);
    this.#k.f32_gemv_pack_b(
      readPtr(b),
      transB ? k : n,
      transB ? 1 : 0,
      k,
      n,
      packed,
      0,
      Math.ceil(n / 32),
    );
    packedBs.push(entry(this.#alloc, "gemv", b, transB, k, n, packed, bytes));
    return packed;
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

  unary(op: UnaryOp, x: Storage, y: Storage, size: number, alpha = 0): void {
    if (Object.hasOwn(MATH_CODE, op)) {
      const code = MATH_CODE[op as UnaryMathOp];
      this.#k.f32_vunary(code, writablePtr(x), writablePtr(y), alpha, 0, size);
    } else {
      const kernel = UNARY_KERNEL[op as Exclude<UnaryOp, UnaryMathOp>];
      this.#k[kernel](writablePtr(x), writablePtr(y), 0, size);
    }
  }

  unaryBackward(
    op: UnaryGradOp,
    dy: Storage,
    saved: Storage,
    dx: Storage,
    size: number,
    alpha = 0,
  ): void {
    const [pdy, ps, pdx] = [writablePtr(dy), writablePtr(saved), writablePtr(dx)];
    if (op === "relu" || op === "sigmoid" || op === "tanh") {
      this.#k[`f32_v${op}_bwd`](pdy, ps, pdx, 0, size);
    } else this.#k.f32_vunary_bwd(MATH_CODE[op], pdy, ps, pdx, alpha, 0, size);
  }

  affine(x: Storage, y: Storage, size: number, scale: number, shift: number): void {
    this.#k.f32_vaffine(writablePtr(x), writablePtr(y), scale, shift, 0, size);
  }

  binary(
    op: BinaryOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype: "float32" | "int32" = "float32",
  ): void {
    const { dims: d, aStrides: sa, bStrides: sb } = plan;
    this.#k[dtype === "int32" ? "i32_vbinary_bcast" : "f32_vbinary_bcast"](
      BINARY_CODE[op],
      writablePtr(a),
      writablePtr(b),
      writablePtr(y),
      ...d,
      ...sa,
      ...sb,
      0,
      d[0] * d[1] * d[2],
    );
  }

  compare(
    op: CompareOp,
    a: Storage,
    b: Storage,
    y: Storage,
    plan: BroadcastPlan,
    dtype: DType,
  ): void {
    const { dims: d, aStrides: sa, bStrides: sb } = plan;
    const kernel = dtype === "bool"
      ? "u8_vcompare_bcast"
      : dtype === "int32"
      ? "i32_vcompare_bcast"
      : "f32_vcompare_bcast";
    this.#k[kernel](
      COMPARE_CODE[op],
      readPtr(a),
      readPtr(b),
      writablePtr(y),
      ...d,
      ...sa,
      ...sb,
      0,
      d[0] * d[1] * d[2],
    );
  }

  select(cond: Storage, a: Storage, b: Storage, y: Storage, plan: SelectPlan, dtype: DType): void {
    const { dims: d, condStrides: sc, aStrides: sa, bStrides: sb } = plan;
    this.#k[dtype === "bool" ? "x8_vselect_bcast" : "x32_vselect_bcast"](
      readPtr(cond),
      readPtr(a),
      readPtr(b),
      writablePtr(y),
      ...d,
      ...sc,
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
    dtype: "float32" | "int32" = "float32",
  ): void {
    if (dtype === "int32") {
      this.#k.i32_reduce_sum(writablePtr(x), writablePtr(y), outer, len, inner, 0, outer);
    } else if (op === "sum") {
      this.#k.f32_reduce_sum(writablePtr(x), writablePtr(y), outer, len, inner, scale, 0, outer);
    } else {
      this.#k[REDUCE_KERNELS[op]](writablePtr(x), writablePtr(y), outer, len, inner, 0, outer);
    }
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
    this.#k.f32_cumsum(
      writablePtr(x),
      writablePtr(y),
      outer,
      len,
      inner,
      +exclusive,
      +reverse,
      0,
      outer,
    );
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
    this.#k.f32_topk(
      writablePtr(x),
      writablePtr(values),
      writablePtr(indices),
      rows,
      cols,
      k,
      +sorted,
      0,
      rows,
    );
  }

  topkBackward(
    dy: Storage,
    indices: Storage,
    dx: Storage,
    rows: number,
    cols: number,
    k: number,
  ): void {
    const [pdy, pi, pdx] = [writablePtr(dy), writablePtr(indices), writablePtr(dx)];
    this.#k.f32_topk_bwd(pdy, pi, pdx, rows, cols, k, 0, rows);
  }

  softmax(op: SoftmaxOp, x: Storage, y: Storage, rows: number, cols: number): void {
    const kernel = op === "softmax" ? "f32_softmax" : "f32_log_softmax";
    this.#k[kernel](writablePtr(x), writablePtr(y), rows, cols, 0, rows);
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
    this.#k[kernel](writablePtr(dy), writablePtr(y), writablePtr(dx), rows, cols, 0, rows);
  }

  optimizerStep(step: OptimizerStep, size: number): void {
    const k = this.#k;
    if (step.op === "sgd") {
      const { w, g, v, lr, momentum, nesterov } = step;
      k.f32_sgd_step(
        writablePtr(w),
        writablePtr(g),
        v ? writablePtr(v) : 0,
        lr,
        momentum,
        nesterov ? 1 : 0,
        0,
        size,
      );
    } else if (step.op === "adam") {
      const { w, g, m, v, lrT, beta1, beta2, epsilon } = step;
      k.f32_adam_step(
        writablePtr(w),
        writablePtr(g),
        writablePtr(m),
        writablePtr(v),
        lrT,
        beta1,
        beta2,
        epsilon,
        0,
        size,
      );
    } else {
      const { w, g, ms, lr, rho, epsilon } = step;
      k.f32_rmsprop_step(
        writablePtr(w),
        writablePtr(g),
        writablePtr(ms),
        lr,
        rho,
        epsilon,
        0,
        size,
      );
    }
  }

  clip(x: Storage, y: Storage, size: number, lo: number, hi: number): void {
    this.#k.f32_clip(writablePtr(x), writablePtr(y), lo, hi, 0, size);
  }

  axpy(x: Storage, y: Storage, size: number, a: number): void {
    this.#k.f32_axpy(writablePtr(x), writablePtr(y), a, 0, size);
  }

  sumSquares(x: Storage, size: number): number {
    return this.#k.f32_sum_squares(writablePtr(x), 0, size);
  }

  cast(x: Storage, from: DType, y: Storage, to: DType, size: number): void {
    this.#k.x32_cast(writablePtr(x), DTYPE_CODE[from], writablePtr(y), DTYPE_CODE[to], 0, size);
  }

  transpose(x: Storage, y: Storage, rows: number, cols: number): void {
    this.#k.f32_transpose(writablePtr(x), writablePtr(y), rows, cols, 0, rows);
  }

  stridedCopy(x: Storage, y: Storage, plan: StridedCopyPlan): void {
    const { dims, xStrides, yStrides, size } = stridedDims6(plan);
    if (size === 0) return;
    const eb = plan.elementBytes;
    this.#k[eb === 4 ? "x32_strided_copy" : "x8_strided_copy"](
      readPtr(x) + plan.xOffset * eb,
      writablePtr(y) + plan.yOffset * eb,
      ...dims,
      ...xStrides,
      ...yStrides,
      0,
      size,
    );
  }

  maxPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#k.f32_maxpool2d_nhwc(writablePtr(x), writablePtr(y), ...poolGeometry(p), 0, p.batch);
  }

  maxPool2dBackward(x: Storage, y: Storage, dy: Storage, dx: Storage, p: Pool2dArgs): void {
    const geometry = poolGeometry(p);
    this.#k.f32_maxpool2d_nhwc_bwd(
      writablePtr(x),
      writablePtr(y),
      writablePtr(dy),
      writablePtr(dx),
      ...geometry,
      0,
      p.batch,
    );
  }

  avgPool2d(x: Storage, y: Storage, p: Pool2dArgs): void {
    this.#k.f32_avgpool2d_nhwc(writablePtr(x), writablePtr(y), ...poolGeometry(p), 0, p.batch);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, p: Pool2dArgs): void {
    this.#k.f32_avgpool2d_nhwc_bwd(
      writablePtr(dy),
      writablePtr(dx),
      ...poolGeometry(p),
      0,
      p.batch,
    );
  }

  conv2d(p: Conv2dArgs): void {
    if (p.batch * p.outHeight * p.outWidth * p.outChannels === 0) return;
    this.#withConvBuffers(p, 0, (packed, scratch) => {
      this.#k.f32_conv2d_pack_filter(writablePtr(p.filter), ...filterShape(p), 0, packed);
      this.#k.f32_conv2d_nhwc(
        writablePtr(p.x),
        packed,
        p.bias ? writablePtr(p.bias) : 0,
        writablePtr(p.y),
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
      this.#k.f32_conv2d_pack_filter(writablePtr(p.filter), ...filterShape(p), 1, packed);
      this.#k.f32_conv2d_nhwc_bwd_data(
        writablePtr(p.dy),
        packed,
        writablePtr(p.dx),
        ...convGeometry(p),
        0,
        p.batch,
        scratch,
      );
    });
  }

  depthwiseConv2d(pass: "forward" | "bwdData" | "bwdFilter", p: DepthwiseConv2dArgs): void {
    const m = p.outChannels / p.inChannels;
    const geometry = [
      p.batch,
      p.inHeight,
      p.inWidth,
      p.inChannels,
      m,
      p.outHeight,
      p.outWidth,
      p.filterHeight,
      p.filterWidth,
      p.strideHeight,
      p.strideWidth,
      p.dilationHeight,
      p.dilationWidth,
      p.padTop,
      p.padLeft,
    ] as const;
    const ptr = (s: Storage | null) => (s ? writablePtr(s) : 0);
    if (pass === "forward") {
      if (p.batch * p.outHeight * p.outWidth * p.outChannels === 0) return;
      this.#k.f32_depthwise_conv2d_nhwc(
        ptr(p.x),
        ptr(p.filter),
        ptr(p.bias),
        ptr(p.y),
        ...geometry,
        0,
        p.batch * p.outHeight,
      );
    } else if (pass === "bwdData") {
      if (p.batch * p.inHeight * p.inWidth * p.inChannels === 0) return;
      this.#k.f32_depthwise_conv2d_nhwc_bwd_data(
        ptr(p.y),
        ptr(p.filter),
        ptr(p.grad),
        ...geometry,
        0,
        p.batch * p.inHeight,
      );
    } else {
      if (p.filterHeight * p.filterWidth * p.outChannels === 0) return;
      this.#k.f32_depthwise_conv2d_nhwc_bwd_filter(
        ptr(p.x),
        ptr(p.y),
        ptr(p.grad),
        ...geometry,
        0,
        p.inChannels,
      );
    }
  }

  conv2dBackwardFilter(p: Conv2dBackwardFilterArgs): void {
    const [fh, fw, inC, outC] = filterShape(p);
    const size = fh * fw * inC * outC;
    if (size === 0) return;
    // The kernel accumulates (dw += ...). Each group of batch items sums into its own zeroed
    // buffer (group 0 into dw) and the buffers are then added to dw in group order. The groups
    // depend on the shape only, so the threads backend, which runs them concurrently, gives the
    // same bits; one group (small problems) is the plain single-call sum.
    const bounds = filterGradGroups(p);
    const groups = bounds.length - 1;
    const partials = groups > 1 ? this.#alloc.alloc((groups - 1) * size * 4) : 0;
    const scratch = this.#alloc.alloc(this.#k.f32_conv2d_scratch_bytes(fh, fw, inC, outC));
    const dw = writablePtr(p.dw);
    try {
      const jobs: KernelCall[][] = [];
      for (let g = 0; g < groups; g++) {
        const dst = g === 0 ? dw : partials + (g - 1) * size * 4;
        const geometry = convGeometry(p);
        jobs.push([
          ["f32_fill", [dst, 0, 0, size]],
          [
            "f32_conv2d_nhwc_bwd_filter",
            filterGradArgs(
              writablePtr(p.x),
              writablePtr(p.dy),
              dst,
              geometry,
              bounds[g],
              bounds[g + 1],
              scratch,
            ),
          ],
        ]);
      }
      this.#runner.runIndependent(jobs);
      for (let g = 1; g < groups; g++) {
        this.#k.f32_vadd(dw, partials + (g - 1) * size * 4, dw, 0, size);
      }
    } finally {
      this.#alloc.free(scratch);
      if (partials) this.#alloc.free(partials);
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

  subarray(storage: Storage, offset: number, size: number): Storage {
    return new WasmStorage(writablePtr(storage) + offset * 4, size);
  }

  lstmGates(p: LstmGatesArgs): void {
    this.#k.f32_lstm_gates_fwd(
      writablePtr(p.xw),
      writablePtr(p.hu),
      writablePtr(p.cPrev),
      writablePtr(p.c),
      writablePtr(p.h),
      writablePtr(p.gates),
      p.units,
      0,
      p.batch,
    );
  }

  lstmGatesBackward(p: LstmGatesBackwardArgs): void {
    this.#k.f32_lstm_gates_bwd(
      writablePtr(p.dh),
      writablePtr(p.dc),
      writablePtr(p.gates),
      writablePtr(p.cPrev),
      writablePtr(p.c),
      writablePtr(p.dz),
      p.units,
      0,
      p.batch,
    );
  }

  gruGates(p: GruGatesArgs): void {
    const [xw, hu, hPrev, h, saved] = [p.xw, p.hu, p.hPrev, p.h, p.saved].map(writablePtr);
    this.#k.f32_gru_gates_fwd(xw, hu, hPrev, h, saved, p.units, 0, p.batch);
  }

  gruGatesBackward(p: GruGatesBackwardArgs): void {
    this.#k.f32_gru_gates_bwd(
      writablePtr(p.dh),
      writablePtr(p.saved),
      writablePtr(p.hPrev),
      writablePtr(p.dxw),
      writablePtr(p.dhu),
      p.dhPrev ? writablePtr(p.dhPrev) : 0,
      p.units,
      0,
      p.batch,
    );
  }

  rnnGates(
    xw: Storage,
    hu: Storage,
    h: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void {
    this.#k.f32_rnn_gates_fwd(
      writablePtr(xw),
      writablePtr(hu),
      writablePtr(h),
      ACT_CODE[activation],
      units,
      0,
      batch,
    );
  }

  rnnGatesBackward(
    dh: Storage,
    h: Storage,
    dz: Storage,
    activation: Activation,
    batch: number,
    units: number,
  ): void {
    this.#k.f32_rnn_gates_bwd(
      writablePtr(dh),
      writablePtr(h),
      writablePtr(dz),
      ACT_CODE[activation],
      units,
      0,
      batch,
    );
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
    const kernel = toTimeMajor ? "f32_rnn_time_major" : "f32_rnn_batch_major";
    this.#k[kernel](writablePtr(x), writablePtr(y), batch, steps, inner, reverse ? 1 : 0, 0, batch);
  }

  gather(x: Storage, indices: Storage, y: Storage, g: GatherGeometry): void {
    const f = g.floatIndices ? 1 : 0;
    this.#k.f32_gather(
      writablePtr(x),
      writablePtr(indices),
      f,
      writablePtr(y),
      g.len,
      g.inner,
      g.n,
      0,
      g.outer * g.n,
    );
  }

  randomBernoulli(p: Storage, y: Storage, size: number, seed: number): void {
    this.#k.f32_bernoulli(writablePtr(p), writablePtr(y), seed >>> 0, 0, size);
  }

  multinomial(
    probs: Storage,
    y: Storage,
    rows: number,
    outcomes: number,
    samples: number,
    seed: number,
  ): void {
    const p = writablePtr(probs);
    this.#k.f32_multinomial(p, writablePtr(y), outcomes, samples, seed >>> 0, 0, rows);
  }

  scatterAdd(dy: Storage, indices: Storage, dx: Storage, g: GatherGeometry): void {
    const f = g.floatIndices ? 1 : 0;
    this.#k[g.dtype === "int32" ? "i32_scatter_add" : "f32_scatter_add"](
      writablePtr(dy),
      writablePtr(indices),
      f,
      writablePtr(dx),
      g.len,
      g.inner,
      g.n,
      0,
      g.outer * g.len,
    );
  }

  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }
}
