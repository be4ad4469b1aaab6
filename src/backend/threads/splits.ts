/**
 * How each kernel export is split across threads: the table the threads backend consults on every
 * kernel call the wasm backend makes. A kernel's `[begin, end)` range (rows, batch items,
 * elements, panels) is cut into one contiguous piece per thread; every kernel is written so that
 * each output's order of operations depends only on its own position, so the pieces give the same
 * bits as one call (the kernel headers in assembly/ state this per family).
 *
 * Adding a kernel: give it a row in `SPLITS` (where its range is, the work per range unit, the
 * least work worth a thread, and its scratch argument if it has one), or list it in `WHOLE` with
 * the reason it must run as one call. tests/backend/threads_test.ts fails for an export in
 * neither.
 *
 * Thresholds (`MIN_*`: least work units per thread). Measured with bench/threads_bench.ts
 * (`--split` pass: each family at growing sizes, single thread vs 2 threads, interleaved, 2-core
 * VM under load); a split is used where it was at least as fast as one thread. See the header of
 * threads_backend.ts for the numbers.
 *
 * @module
 */
import type { Kernels } from "../wasm/module.ts";

/** Arguments of one kernel call. */
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
  /** The scratch argument (index from the end, e.g. -1) and its bytes: one region per thread. */
  scratch?: { at: number; bytes: (k: Kernels, args: Args) => number };
}

/** Elementwise work per thread below which one thread is faster (floats). */
export const MIN_ELEMENTWISE = 32768;
/** Heavier per-float kernels (exp, log, tanh, Adam) pay earlier. */
export const MIN_TRANSCENDENTAL = 2048;
/** GEMM multiply-adds per thread. */
export const MIN_GEMM = 1 << 18;
/**
 * Streaming (small-m) GEMM multiply-adds per thread. Measured at m = 1 (1 vs 2 threads, p20 of
 * interleaved calls, 2-core VM with other work running): 512 x 512 1.06, 1024 x 512 0.96, 1024^2
 * 1.20, 4096^2 0.93 (B read from memory: one thread already takes most of the bandwidth the VM
 * gives); below 512 x 512 0.65-0.88.
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

const at = (args: Args, i: number): number => args[i < 0 ? args.length + i : i];

/**
 * Splits the range at argument `index` (negative: from the end; `end` follows `begin`) into
 * pieces that start at multiples of `align`, one per thread while each gets `min` work units.
 */
export function byRange(
  index: number,
  unit: (args: Args) => number,
  min: number,
  align = 1,
  scratch?: Split["scratch"],
): Split {
  const work = (args: Args) => (at(args, index + 1) - at(args, index)) * unit(args);
  return {
    work,
    scratch,
    plan(args, threads, scale) {
      const begin = at(args, index), end = at(args, index + 1);
      const n = end - begin;
      const blocks = Math.ceil(n / align);
      const t = Math.min(threads, Math.floor(work(args) / (min * scale)), blocks);
      if (t < 2) return null;
      const i = index < 0 ? args.length + index : index;
      const count = Math.min(blocks, t * PIECES_PER_THREAD);
      const pieces: number[][] = [];
      for (let p = 0; p < count; p++) {
        const copy = args.slice();
        copy[i] = begin + Math.floor((p * blocks) / count) * align;
        copy[i + 1] = Math.min(end, begin + Math.floor(((p + 1) * blocks) / count) * align);
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

/**
 * f32_gemm(a, lda, transA, packedB, c, ldc, m, n, k, rowBegin, rowEnd, colBegin, colEnd, bias,
 * act, beta, scratch): by NR = 8 column panels when there are enough of them (no shared A-rows
 * work is lost and each thread streams only its panels), else by rows in multiples of 12 (whole
 * strips of either GEMM tile height, 4 or 6). One piece per thread: more column pieces would each
 * repack all of A; column groups cut into row blocks (no repacking) gave lower speedups on LeNet's
 * dense GEMMs and 256^3 in two runs on a busy host (256^3: 1.20-1.55x against 1.85-1.91x).
 */
const gemm: Split = {
  work: (a) => (a[10] - a[9]) * (a[12] - a[11]) * Math.max(1, a[8]),
  scratch: { at: -1, bytes: (k, a) => k.f32_gemm_scratch_bytes(a[6], a[8]) },
  plan(args, threads, scale) {
    const rows = args[10] - args[9], cols = args[12] - args[11];
    const t = Math.min(threads, Math.floor(gemm.work(args) / (MIN_GEMM * scale)), rows * cols);
    if (t < 2) return null;
    const panels = Math.ceil(cols / 8);
    const pieces: number[][] = [];
    if (panels >= 2 * t || rows < 8 * t) {
      const tc = Math.min(t, panels);
      if (tc < 2) return null;
      for (let p = 0; p < tc; p++) {
        const copy = args.slice();
        copy[11] = args[11] + 8 * Math.floor((p * panels) / tc);
        copy[12] = Math.min(args[12], args[11] + 8 * Math.floor(((p + 1) * panels) / tc));
        pieces.push(copy);
      }
      return { threads: tc, pieces };
    }
    const strips = Math.ceil(rows / ROW_ALIGN);
    const ts = Math.min(t, strips);
    if (ts < 2) return null;
    for (let p = 0; p < ts; p++) {
      const copy = args.slice();
      copy[9] = args[9] + ROW_ALIGN * Math.floor((p * strips) / ts);
      copy[10] = Math.min(args[10], args[9] + ROW_ALIGN * Math.floor(((p + 1) * strips) / ts));
      pieces.push(copy);
    }
    return { threads: ts, pieces };
  },
};

/**
 * f32_gemm_stream(a, lda, transA, b, ldb, transB, c, ldc, m, n, k, colBegin, colEnd, bias, act,
 * beta): by column ranges starting at multiples of 32 (whole 1 x 32 tiles; any cut gives the same
 * bits, see assembly/gemm_stream.ts), above MIN_GEMM_STREAM multiply-adds per thread, one piece
 * per thread: each piece streams its part of every row of B, and shorter parts (4 pieces per
 * thread) measured slower (1 x 1024^2 on 2 threads: 0.93x one thread against 1.20x; 4096^2: 0.73x
 * against 0.93x).
 */
const gemmStream: Split = {
  work: (a) => (a[12] - a[11]) * a[8] * Math.max(1, a[10]),
  plan(args, threads, scale) {
    const blocks = Math.ceil((args[12] - args[11]) / 32);
    const t = Math.min(
      threads,
      Math.floor(gemmStream.work(args) / (MIN_GEMM_STREAM * scale)),
      blocks,
    );
    if (t < 2) return null;
    const pieces: number[][] = [];
    for (let p = 0; p < t; p++) {
      const copy = args.slice();
      copy[11] = args[11] + 32 * Math.floor((p * blocks) / t);
      copy[12] = Math.min(args[12], args[11] + 32 * Math.floor(((p + 1) * blocks) / t));
      pieces.push(copy);
    }
    return { threads: t, pieces };
  },
};

/** Conv kernels: geometry from argument `g` (batch, inH, inW, inC, outH, outW, outC, fh, fw). */
const convItem = (g: number) => (a: Args) =>
  a[g + 4] * a[g + 5] * a[g + 6] * a[g + 7] * a[g + 8] * a[g + 3];
const convScratch = (g: number): Split["scratch"] => ({
  at: -1,
  bytes: (k, a) => k.f32_conv2d_scratch_bytes(a[g + 7], a[g + 8], a[g + 3], a[g + 6]),
});
/** Pool kernels: geometry from argument `g` (n, h, w, c, ph, pw, sh, sw, pt, pl, oh, ow). */
const poolItem = (g: number) => (a: Args) => a[g + 10] * a[g + 11] * a[g + 3] * a[g + 4] * a[g + 5];

const one = () => 1;
const ew = byRange(-2, one, MIN_ELEMENTWISE, 16);
const heavy = byRange(-2, one, MIN_TRANSCENDENTAL, 16);
/** Broadcast binaries: rows of d3 floats, d3 at argument 6. */
const bcast = byRange(-2, (a) => a[6], MIN_ELEMENTWISE);

/** Every kernel export that the threads backend splits, by name. */
export const SPLITS: Readonly<Record<string, Split>> = {
  f32_gemm: gemm,
  f32_gemm_stream: gemmStream,
  // (a, aStep, packed, c, n, k, colBegin, colEnd, bias, act, beta): 32-column panels, contiguous
  // in the packing, so each thread's home range streams one run of memory.
  f32_gemv_packed: byRange(6, (a) => a[5], MIN_GEMM_STREAM, 32),
  f32_gemv_pack_b: byRange(-2, (a) => 32 * a[3], MIN_PACK),
  f32_gemm_pack_b: byRange(-2, (a) => 8 * a[3], MIN_PACK),
  f32_conv2d_nhwc: byRange(-3, convItem(4), MIN_CONV, 1, convScratch(4)),
  f32_conv2d_nhwc_bwd_data: byRange(-3, convItem(3), MIN_CONV, 1, convScratch(3)),
  f32_conv2d_nhwc_bwd_filter: whole(
    (a) => (at(a, -2) - at(a, -3)) * convItem(3)(a),
    convScratch(3),
  ),
  f32_maxpool2d_nhwc: byRange(-2, poolItem(2), MIN_POOL),
  f32_avgpool2d_nhwc: byRange(-2, poolItem(2), MIN_POOL),
  f32_maxpool2d_nhwc_bwd: byRange(-2, poolItem(4), MIN_POOL),
  f32_avgpool2d_nhwc_bwd: byRange(-2, poolItem(2), MIN_POOL),
  f32_fill: ew,
  f32_dropout_mask: ew,
  f32_vrelu: ew,
  f32_vneg: ew,
  f32_vabs: ew,
  f32_vsquare: ew,
  f32_vsqrt: ew,
  f32_vsigmoid: heavy,
  f32_vtanh: heavy,
  f32_vexp: heavy,
  f32_vlog: heavy,
  f32_vaffine: ew,
  f32_vrelu_bwd: ew,
  f32_vsigmoid_bwd: ew,
  f32_vtanh_bwd: ew,
  f32_vadd: ew,
  f32_vsub: ew,
  f32_vmul: ew,
  f32_vdiv: ew,
  f32_vadd_bcast: bcast,
  f32_vsub_bcast: bcast,
  f32_vmul_bcast: bcast,
  f32_vdiv_bcast: bcast,
  f32_vequal_bcast: bcast,
  f32_reduce_sum: byRange(-2, (a) => a[3] * a[4], MIN_ELEMENTWISE),
  f32_reduce_max: byRange(-2, (a) => a[3] * a[4], MIN_ELEMENTWISE),
  f32_reduce_argmax: byRange(-2, (a) => a[3] * a[4], MIN_ELEMENTWISE),
  f32_softmax: byRange(-2, (a) => a[3], MIN_TRANSCENDENTAL),
  f32_log_softmax: byRange(-2, (a) => a[3], MIN_TRANSCENDENTAL),
  f32_softmax_bwd: byRange(-2, (a) => a[4], MIN_ELEMENTWISE),
  f32_log_softmax_bwd: byRange(-2, (a) => a[4], MIN_TRANSCENDENTAL),
  f32_transpose: byRange(-2, (a) => a[3], MIN_ELEMENTWISE, 32),
  f32_sgd_step: ew,
  f32_adam_step: heavy,
  f32_rmsprop_step: heavy,
  f32_clip: ew,
  f32_scale: ew,
  f32_axpy: ew,
  f32_lstm_gates_fwd: byRange(-2, (a) => 4 * a[6], MIN_TRANSCENDENTAL),
  f32_lstm_gates_bwd: byRange(-2, (a) => 4 * a[6], MIN_TRANSCENDENTAL),
  f32_gru_gates_fwd: byRange(-2, (a) => 3 * at(a, -3), MIN_TRANSCENDENTAL),
  f32_gru_gates_bwd: byRange(-2, (a) => 3 * at(a, -3), MIN_TRANSCENDENTAL),
  f32_rnn_gates_fwd: byRange(-2, (a) => a[4], MIN_TRANSCENDENTAL),
  f32_rnn_gates_bwd: byRange(-2, (a) => a[4], MIN_ELEMENTWISE),
  f32_rnn_time_major: byRange(-2, (a) => a[3] * a[4], MIN_ELEMENTWISE),
  f32_rnn_batch_major: byRange(-2, (a) => a[3] * a[4], MIN_ELEMENTWISE),
  f32_gather_rows: byRange(-2, (a) => a[4], MIN_ELEMENTWISE),
  f32_scatter_add_rows: byRange(
    -2,
    (a) => a[4] * Math.max(1, a[3]) / Math.max(1, at(a, -1)),
    MIN_ELEMENTWISE,
  ),
};

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
