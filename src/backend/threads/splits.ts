/**
 * How each kernel export is split across threads: the table the threads backend consults on every
 * kernel call the wasm backend makes. A kernel's `[begin, end)` range (rows, batch items,
 * elements, panels) is cut into one contiguous piece per thread; every kernel is written so that
 * each output's order of operations depends only on its own position, so the pieces give the same
 * bits as one call (the kernel headers in assembly/ state this per family).
 *
 * Arguments are read by name: each kernel's positions come from the generated ABI table
 * (`kernel_abi.generated.ts`, through `argIndex()`), resolved once per kernel, and the range a
 * split cuts and the scratch argument are the ones the table names.
 *
 * Adding a kernel: give it a row in `SPLITS` (its work per range unit, the least work worth a
 * thread, and the bytes of its scratch argument if the table lists one), or list it in `WHOLE`
 * with the reason it must run as one call. tests/backend/threads_test.ts fails for an export in
 * neither, and tests/backend/kernel_abi_test.ts for a split whose scratch disagrees with the table.
 *
 * Thresholds (`MIN_*`: least work units per thread). Measured with bench/threads_bench.ts
 * (`--split` pass: each family at growing sizes, single thread vs 2 threads, interleaved, 2-core
 * VM under load); a split is used where it was at least as fast as one thread. See the header of
 * threads_backend.ts and bench/RESULTS.md for the numbers.
 *
 * @module
 */
import {
  type ArgIndex,
  argIndex,
  KERNEL_ABI,
  type KernelName,
  type Kernels,
} from "../wasm/module.ts";
import { BINARY_CODE } from "../elementwise_codes.ts";
import { isCostlyMathCode } from "../unary_codes.ts";

/** Arguments of one kernel call, in ABI order: read them by name through `argIndex()`. */
export type Args = readonly number[];

/** A split call: how many threads work on it and the argument lists of its pieces. */
export interface Plan {
  /** Threads to use, the calling thread included (>= 2). */
  threads: number;
  /** One argument list per piece, in range order; each thread takes its home range's first. */
  pieces: number[][];
}

/** How one kernel export runs on several threads. */
export interface Split {
  /**
   * The pieces of a call, or null to run it whole on the calling thread (too little work, or a
   * kernel that must not be split). `scale` multiplies the thresholds: 1 normally, 0 in tests to
   * split whatever can be split.
   */
  plan(args: Args, threads: number, scale: number): Plan | null;
  /** Work units of a call, to decide whether independent calls are worth spreading. */
  work(args: Args): number;
  /**
   * The scratch argument (its position, from the ABI table) and its bytes: one region per
   * thread.
   */
  scratch?: { index: number; bytes: (k: Kernels, args: Args) => number };
}

/** Binary op codes each kernel computes lane by lane, as costly as a transcendental. */
const LANEWISE: Readonly<Record<string, ReadonlySet<number>>> = {
  f32_vbinary_bcast: new Set([BINARY_CODE.pow, BINARY_CODE.mod]),
  i32_vbinary_bcast: new Set(
    [BINARY_CODE.div, BINARY_CODE.pow, BINARY_CODE.mod, BINARY_CODE.floorDiv],
  ),
};

/** Elementwise work per thread below which one thread is faster (floats). */
export const MIN_ELEMENTWISE = 32768;
/** Heavier per-float kernels (exp, log, tanh, Adam) pay earlier. */
export const MIN_TRANSCENDENTAL = 2048;
/** GEMM multiply-adds per thread. */
export const MIN_GEMM = 1 << 18;
/**
 * Streaming (small-m) GEMM multiply-adds per thread: where 2 threads beat one at m = 1
 * (measurements: bench/RESULTS.md).
 */
export const MIN_GEMM_STREAM = 1 << 19;
/** Floats packed per thread by f32_gemm_pack_b. */
export const MIN_PACK = 65536;
/** Convolution multiply-adds per thread. */
export const MIN_CONV = 1 << 18;
/** Pooling window reads per thread. */
export const MIN_POOL = 32768;
/**
 * Pieces per thread of a range split: each thread takes its home range's pieces and then any left
 * in the others', so one that starts late (a worker waking from Atomics.wait) or runs slow (a busy
 * host) takes fewer instead of holding up the call.
 */
export const PIECES_PER_THREAD = 4;

/** The positions of kernel `name`'s only `[begin, end)` pair; throws if it has none or two. */
function rangeOf(name: KernelName): [begin: number, end: number] {
  const { ranges, args } = KERNEL_ABI[name] as {
    ranges: readonly (readonly [string, string])[];
    args: readonly string[];
  };
  if (ranges.length !== 1) {
    throw new Error(`${name} has ${ranges.length} [begin, end) ranges: split it by name`);
  }
  const [[begin, end]] = ranges;
  return [args.indexOf(begin), args.indexOf(end)];
}

/**
 * Kernel `name`'s scratch argument with its bytes per thread; throws if the ABI table lists no
 * scratch argument for it.
 */
function scratchOf<N extends KernelName>(
  name: N,
  bytes: (k: Kernels, a: Args, ix: ArgIndex<N>) => number,
): Split["scratch"] {
  const arg = KERNEL_ABI[name].scratch as string | null;
  if (arg === null) throw new Error(`${name} takes no scratch argument`);
  const ix = argIndex(name);
  return {
    index: (KERNEL_ABI[name].args as readonly string[]).indexOf(arg),
    bytes: (k, a) => bytes(k, a, ix),
  };
}

/** Splits `[begin, end)` into `count` cuts at multiples of `align`: piece p is `[cut(p), cut(p + 1))`. */
const cuts = (begin: number, end: number, count: number, align: number) => (p: number) =>
  Math.min(end, begin + Math.floor((p * Math.ceil((end - begin) / align)) / count) * align);

/**
 * Splits kernel `name`'s `[begin, end)` range (the one pair the ABI table lists) into pieces
 * that start at multiples of `align`, one per thread while each gets `min` work units; `unit`
 * is the work per range unit, reading the call's arguments by name.
 */
export function byRange<N extends KernelName>(
  name: N,
  unit: (args: Args, ix: ArgIndex<N>) => number,
  min: number,
  align = 1,
  scratchBytes?: (k: Kernels, a: Args, ix: ArgIndex<N>) => number,
): Split {
  // Resolved on the first call, not at import: "auto" loads this module at ready() and most
  // kernels are never called (building every split up front took ~2 ms of a cold start).
  let at: { ix: ArgIndex<N>; b: number; e: number; scratch: Split["scratch"] } | null = null;
  const resolve = () => {
    if (at) return at;
    const [b, e] = rangeOf(name);
    return at = {
      ix: argIndex(name),
      b,
      e,
      scratch: scratchBytes && scratchOf(name, scratchBytes),
    };
  };
  const work = (args: Args) => {
    const { ix, b, e } = resolve();
    return (args[e] - args[b]) * unit(args, ix);
  };
  return {
    work,
    get scratch() {
      return resolve().scratch;
    },
    plan(args, threads, scale) {
      const { b, e } = resolve();
      const begin = args[b], end = args[e];
      const blocks = Math.ceil((end - begin) / align);
      const t = Math.min(threads, Math.floor(work(args) / (min * scale)), blocks);
      if (t < 2) return null;
      const count = Math.min(blocks, t * PIECES_PER_THREAD);
      const cut = cuts(begin, end, count, align);
      const pieces: number[][] = [];
      for (let p = 0; p < count; p++) {
        const copy = args.slice();
        copy[b] = cut(p);
        copy[e] = cut(p + 1);
        pieces.push(copy);
      }
      return { threads: t, pieces };
    },
  };
}

/** A kernel that runs as one call (the reason is in `WHOLE`). */
const whole = (work: (args: Args) => number = () => 0, scratch?: Split["scratch"]): Split => ({
  plan: () => null,
  work,
  scratch,
});

/** Rows per piece of a row split: a multiple of both GEMM tile heights (assembly/gemm.ts). */
const ROW_ALIGN = 12;

const G = argIndex("f32_gemm");

/**
 * `count` pieces of a GEMM call over the range `[args[b], args[e])`, cut at multiples of
 * `align`, one per thread.
 */
function onePerThread(args: Args, b: number, e: number, count: number, align: number): Plan {
  const cut = cuts(args[b], args[e], count, align);
  const pieces: number[][] = [];
  for (let p = 0; p < count; p++) {
    const copy = args.slice();
    copy[b] = cut(p);
    copy[e] = cut(p + 1);
    pieces.push(copy);
  }
  return { threads: count, pieces };
}

/**
 * f32_gemm: by NR = 8 column panels when there are enough of them (no shared A-rows work is lost
 * and each thread streams only its panels), else by rows in multiples of 12 (whole strips of
 * either GEMM tile height, 4 or 6). One piece per thread: more column pieces would each repack
 * all of A, and column groups cut into row blocks measured slower (bench/RESULTS.md).
 */
const gemm: Split = {
  work: (a) => (a[G.rowEnd] - a[G.rowBegin]) * (a[G.colEnd] - a[G.colBegin]) * Math.max(1, a[G.k]),
  scratch: scratchOf("f32_gemm", (k, a, ix) => k.f32_gemm_scratch_bytes(a[ix.m], a[ix.k])),
  plan(args, threads, scale) {
    const rows = args[G.rowEnd] - args[G.rowBegin], cols = args[G.colEnd] - args[G.colBegin];
    const t = Math.min(threads, Math.floor(gemm.work(args) / (MIN_GEMM * scale)), rows * cols);
    if (t < 2) return null;
    const panels = Math.ceil(cols / 8);
    if (panels >= 2 * t || rows < 8 * t) {
      const tc = Math.min(t, panels);
      return tc < 2 ? null : onePerThread(args, G.colBegin, G.colEnd, tc, 8);
    }
    const ts = Math.min(t, Math.ceil(rows / ROW_ALIGN));
    return ts < 2 ? null : onePerThread(args, G.rowBegin, G.rowEnd, ts, ROW_ALIGN);
  },
};

const PB = argIndex("f32_gemm_pack_b");

/**
 * The pieces of a fresh packing of B and the GEMM over it (`pack`, `gemm`: their calls' arguments)
 * when `plan` cuts the GEMM by columns: each piece packs the panels its columns read, then
 * multiplies them, so one run does both and each thread's panels are hot in its own cache. Null
 * for a row split (every piece reads all of B).
 */
export function packedGemmPieces(pack: Args, gemm: Args, plan: Plan): [string, Args][][] | null {
  const byColumns = plan.pieces.some((g) => g[G.colEnd] !== gemm[G.colEnd]);
  if (!byColumns) return null;
  return plan.pieces.map((g) => {
    const p = pack.slice();
    p[PB.panelBegin] = g[G.colBegin] / 8;
    p[PB.panelEnd] = Math.ceil(g[G.colEnd] / 8);
    return [["f32_gemm_pack_b", p], ["f32_gemm", g]];
  });
}

const GS = argIndex("f32_gemm_stream");

/**
 * f32_gemm_stream: by column ranges starting at multiples of 32 (whole 1 x 32 tiles; any cut gives
 * the same bits, see assembly/gemm_stream.ts), above MIN_GEMM_STREAM multiply-adds per thread,
 * one piece per thread: each piece streams its part of every row of B, and shorter parts (4
 * pieces per thread) measured slower (bench/RESULTS.md).
 */
const gemmStream: Split = {
  work: (a) => (a[GS.colEnd] - a[GS.colBegin]) * a[GS.m] * Math.max(1, a[GS.k]),
  plan(args, threads, scale) {
    const blocks = Math.ceil((args[GS.colEnd] - args[GS.colBegin]) / 32);
    const t = Math.min(
      threads,
      Math.floor(gemmStream.work(args) / (MIN_GEMM_STREAM * scale)),
      blocks,
    );
    return t < 2 ? null : onePerThread(args, GS.colBegin, GS.colEnd, t, 32);
  },
};

/** The conv kernels' geometry arguments that their work and scratch read. */
type ConvIx = Readonly<Record<"inC" | "outH" | "outW" | "outC" | "fh" | "fw", number>>;
/** Multiply-adds per batch item of a convolution. */
const convItem = (a: Args, i: ConvIx) =>
  a[i.outH] * a[i.outW] * a[i.outC] * a[i.fh] * a[i.fw] * a[i.inC];
const convScratch = (k: Kernels, a: Args, i: ConvIx) =>
  k.f32_conv2d_scratch_bytes(a[i.fh], a[i.fw], a[i.inC], a[i.outC]);
type DepthwiseIx = Readonly<Record<"n" | "w" | "m" | "c" | "oh" | "ow" | "fh" | "fw", number>>;
/** Multiply-adds per output row (forward), dx row (bwd_data) or channel (bwd_filter). */
const depthwiseRow = (a: Args, i: DepthwiseIx) => a[i.ow] * a[i.c] * a[i.m] * a[i.fh] * a[i.fw];
const depthwiseDxRow = (a: Args, i: DepthwiseIx) => a[i.w] * a[i.c] * a[i.m] * a[i.fh] * a[i.fw];
const depthwiseChannel = (a: Args, i: DepthwiseIx) =>
  a[i.n] * a[i.oh] * a[i.ow] * a[i.m] * a[i.fh] * a[i.fw];
/** Window reads per batch item of a pooling kernel. */
const poolItem = (a: Args, i: Readonly<Record<"c" | "ph" | "pw" | "oh" | "ow", number>>) =>
  a[i.oh] * a[i.ow] * a[i.c] * a[i.ph] * a[i.pw];

const one = () => 1;
/** Each of `names` split by `split(name)`. */
const each = <N extends KernelName>(names: readonly N[], split: (name: N) => Split) =>
  Object.fromEntries(names.map((n) => [n, split(n)])) as Record<N, Split>;

const BWD_FILTER = argIndex("f32_conv2d_nhwc_bwd_filter");

/** Every kernel export that the threads backend splits, by name. */
export const SPLITS: Readonly<Record<string, Split>> = {
  f32_gemm: gemm,
  f32_gemm_stream: gemmStream,
  // 32-column panels, contiguous in the packing, so each thread's home range streams one run of
  // memory.
  f32_gemv_packed: byRange("f32_gemv_packed", (a, i) => a[i.k], MIN_GEMM_STREAM, 32),
  f32_gemv_pack_b: byRange("f32_gemv_pack_b", (a, i) => 32 * a[i.k], MIN_PACK),
  f32_gemm_pack_b: byRange("f32_gemm_pack_b", (a, i) => 8 * a[i.k], MIN_PACK),
  f32_conv2d_nhwc: byRange("f32_conv2d_nhwc", convItem, MIN_CONV, 1, convScratch),
  f32_conv2d_nhwc_bwd_data: byRange(
    "f32_conv2d_nhwc_bwd_data",
    convItem,
    MIN_CONV,
    1,
    convScratch,
  ),
  f32_conv2d_nhwc_bwd_filter: whole(
    (a) => (a[BWD_FILTER.batchEnd] - a[BWD_FILTER.batchBegin]) * convItem(a, BWD_FILTER),
    scratchOf("f32_conv2d_nhwc_bwd_filter", convScratch),
  ),
  f32_depthwise_conv2d_nhwc: byRange("f32_depthwise_conv2d_nhwc", depthwiseRow, MIN_CONV),
  f32_depthwise_conv2d_nhwc_bwd_data: byRange(
    "f32_depthwise_conv2d_nhwc_bwd_data",
    depthwiseDxRow,
    MIN_CONV,
  ),
  f32_depthwise_conv2d_nhwc_bwd_filter: byRange(
    "f32_depthwise_conv2d_nhwc_bwd_filter",
    depthwiseChannel,
    MIN_CONV,
  ),
  ...each(
    [
      "f32_maxpool2d_nhwc",
      "f32_avgpool2d_nhwc",
      "f32_maxpool2d_nhwc_bwd",
      "f32_avgpool2d_nhwc_bwd",
    ],
    (n) => byRange(n, poolItem, MIN_POOL),
  ),
  ...each([
    "f32_fill",
    "f32_dropout_mask",
    "f32_vrelu",
    "f32_vneg",
    "f32_vabs",
    "f32_vsquare",
    "f32_vsqrt",
    "f32_vaffine",
    "f32_vrelu_bwd",
    "f32_vsigmoid_bwd",
    "f32_vtanh_bwd",
    "f32_vadd",
    "f32_vsub",
    "f32_vmul",
    "f32_vdiv",
    "f32_sgd_step",
    "f32_clip",
    "f32_scale",
    "f32_axpy",
  ], (n) => byRange(n, one, MIN_ELEMENTWISE, 16)),
  ...each(
    ["f32_vsigmoid", "f32_vtanh", "f32_vexp", "f32_vlog", "f32_adam_step", "f32_rmsprop_step"],
    (n) => byRange(n, one, MIN_TRANSCENDENTAL, 16),
  ),
  // Unary math by op code: polynomial ops weigh like a transcendental, sign/floor/... like a copy.
  ...each(
    ["f32_vunary", "f32_vunary_bwd"],
    (n) =>
      byRange(
        n,
        (a, i) => isCostlyMathCode(a[i.op]) ? MIN_ELEMENTWISE / MIN_TRANSCENDENTAL : 1,
        MIN_ELEMENTWISE,
        16,
      ),
  ),
  // Broadcast binaries, comparisons and selects: rows of d3 elements.
  ...each(
    ["f32_vbinary_bcast", "i32_vbinary_bcast"],
    (n) =>
      byRange(
        n,
        (a, i) => a[i.d3] * (LANEWISE[n].has(a[i.op]) ? MIN_ELEMENTWISE / MIN_TRANSCENDENTAL : 1),
        MIN_ELEMENTWISE,
      ),
  ),
  ...each(
    [
      "f32_vcompare_bcast",
      "i32_vcompare_bcast",
      "u8_vcompare_bcast",
      "x32_vselect_bcast",
      "x8_vselect_bcast",
    ],
    (n) => byRange(n, (a, i) => a[i.d3], MIN_ELEMENTWISE),
  ),
  ...each(
    [
      "f32_reduce_sum",
      "f32_reduce_max",
      "f32_reduce_min",
      "f32_reduce_prod",
      "f32_reduce_argmax",
      "f32_reduce_argmin",
      "i32_reduce_sum",
      "f32_cumsum",
    ],
    (n) => byRange(n, (a, i) => a[i.len] * a[i.inner], MIN_ELEMENTWISE),
  ),
  f32_reduce_logsumexp: byRange(
    "f32_reduce_logsumexp",
    (a, i) => a[i.len] * a[i.inner],
    MIN_TRANSCENDENTAL,
  ),
  // Top-k scans each row once (a compare per entry) and heap-sorts k entries.
  f32_topk: byRange("f32_topk", (a, i) => a[i.cols] + a[i.k] * 8, MIN_ELEMENTWISE),
  f32_topk_bwd: byRange("f32_topk_bwd", (a, i) => a[i.cols], MIN_ELEMENTWISE),
  ...each(
    ["f32_softmax", "f32_log_softmax", "f32_log_softmax_bwd"],
    (n) => byRange(n, (a, i) => a[i.cols], MIN_TRANSCENDENTAL),
  ),
  f32_softmax_bwd: byRange("f32_softmax_bwd", (a, i) => a[i.cols], MIN_ELEMENTWISE),
  x32_cast: byRange("x32_cast", one, MIN_ELEMENTWISE, 16),
  f32_transpose: byRange("f32_transpose", (a, i) => a[i.cols], MIN_ELEMENTWISE, 32),
  // Strided copies: elements (bytes for x8, a quarter of a float's traffic each).
  x32_strided_copy: byRange("x32_strided_copy", one, MIN_ELEMENTWISE, 16),
  x8_strided_copy: byRange("x8_strided_copy", () => 1 / 4, MIN_ELEMENTWISE, 64),
  ...each(
    ["f32_lstm_gates_fwd", "f32_lstm_gates_bwd"],
    (n) => byRange(n, (a, i) => 4 * a[i.units], MIN_TRANSCENDENTAL),
  ),
  ...each(
    ["f32_gru_gates_fwd", "f32_gru_gates_bwd"],
    (n) => byRange(n, (a, i) => 3 * a[i.units], MIN_TRANSCENDENTAL),
  ),
  f32_rnn_gates_fwd: byRange("f32_rnn_gates_fwd", (a, i) => a[i.units], MIN_TRANSCENDENTAL),
  f32_rnn_gates_bwd: byRange("f32_rnn_gates_bwd", (a, i) => a[i.units], MIN_ELEMENTWISE),
  ...each(
    ["f32_rnn_time_major", "f32_rnn_batch_major"],
    (n) => byRange(n, (a, i) => a[i.steps] * a[i.inner], MIN_ELEMENTWISE),
  ),
  f32_bernoulli: byRange("f32_bernoulli", one, MIN_ELEMENTWISE, 16),
  // A weight row's work: 2 multiply-adds per batch row and hidden unit; rows in 4-row tiles.
  f32_rbm_weight_update: byRange(
    "f32_rbm_weight_update",
    (a, i) => 2 * a[i.batch] * a[i.hidden],
    MIN_GEMM,
    4,
  ),
  f32_rbm_bias_update: byRange("f32_rbm_bias_update", (a, i) => 2 * a[i.batch], MIN_ELEMENTWISE, 4),
  // Each batch row sums its outcomes, then scans them once per sample.
  f32_multinomial: byRange(
    "f32_multinomial",
    (a, i) => a[i.outcomes] * (1 + a[i.samples]),
    MIN_ELEMENTWISE,
  ),
  f32_gather: byRange("f32_gather", (a, i) => a[i.inner], MIN_ELEMENTWISE),
  // Each dx row takes its share of the n index visits of its outer item.
  ...each(
    ["f32_scatter_add", "i32_scatter_add"],
    (k) =>
      byRange(
        k,
        (a, i) => a[i.inner] * Math.max(1, a[i.n]) / Math.max(1, a[i.len]),
        MIN_ELEMENTWISE,
      ),
  ),
} satisfies Partial<Record<KernelName, Split>>;

/** Exports that always run as one call on the calling thread, and why. */
export const WHOLE: Readonly<Record<string, string>> = {
  heap_base: "returns a constant",
  f32_gemm_scratch_bytes: "returns a size",
  f32_gemv_packed_floats: "returns a size",
  f32_conv2d_scratch_bytes: "returns a size",
  f32_conv2d_packed_filter_bytes: "returns a size",
  f32_conv2d_pack_filter: "packs a small filter once per call (K x outC floats)",
  f32_sum_squares: "one f64 sum in a fixed order: a split would change the bits",
  f32_conv2d_nhwc_bwd_filter:
    "accumulates dw += over its range: its batch groups run concurrently instead (runIndependent)",
};
