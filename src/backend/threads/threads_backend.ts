/**
 * The multithreaded backend: the wasm backend (same memory, allocator, reads, writes and the same
 * code path for every primitive) whose kernel export table is replaced by one that splits each
 * kernel call's `[begin, end)` range into pieces, per the table in `splits.ts`, which the calling
 * thread and the pool's workers take in turn until none is left. Every kernel keeps each output's
 * order of operations whatever the split, so results are bitwise identical to the wasm backend's;
 * the one accumulating kernel (the convolution filter gradient) is cut into batch groups that
 * depend on the shape alone (`filterGradGroups`), which the wasm backend sums the same way.
 *
 * Scratch: kernels that take scratch (GEMM A packing, im2col) get the caller's region on the
 * calling thread and one region per worker, kept and grown here (never shared between threads).
 *
 * Range splits come in several pieces per thread, each thread taking its home range's pieces
 * first (claim.ts), so a worker that wakes late takes fewer instead of holding the call up; each
 * family's least work per thread (splits.ts) sits above the size where a split first paid on this
 * 2-core VM. The measurements behind both are in bench/RESULTS.md.
 *
 * @module
 */
import type { Allocator } from "../wasm/allocator.ts";
import {
  filterGradGroups,
  type KernelCall,
  type KernelRunner,
  WasmBackend,
} from "../wasm/wasm_backend.ts";
import { kernelModule, type Kernels } from "../wasm/module.ts";
import { Pool, type PoolOptions } from "./pool.ts";
import { packedGemmPieces, type Plan, SPLITS } from "./splits.ts";

export { filterGradGroups };

/** Options of `ThreadsBackend.start()`. */
export interface ThreadsOptions extends PoolOptions {
  /** Threads that compute, the calling thread included (>= 1). */
  threads: number;
  /** Tests: split every kernel that can be split, ignoring the thresholds. */
  splitAlways?: boolean;
  /**
   * Start the workers only when the first kernel call big enough to split comes (that call and
   * those made while the workers start run on the calling thread), instead of now. Inference of
   * small models then never starts a worker (default false).
   */
  lazy?: boolean;
}

/** The wasm backend with its kernels split across a worker pool. */
export class ThreadsBackend extends WasmBackend {
  override readonly name = "threads" as const;
  /** The runner the wasm backend calls its kernels through: the pool and its state. */
  readonly #ctx: ThreadsRunner;

  private constructor() {
    const ctx = new ThreadsRunner();
    super("shared", ctx);
    this.#ctx = ctx;
  }

  /** A backend over a new shared memory with `threads - 1` workers. */
  static async start(options: ThreadsOptions): Promise<ThreadsBackend> {
    const backend = new ThreadsBackend();
    await backend.restart(options);
    return backend;
  }

  /** Threads that compute, the calling thread included. */
  get threads(): number {
    return 1 + (this.#ctx.pool?.size ?? 0);
  }

  /** Why the workers cannot run, or null. */
  get broken(): string | null {
    return this.#ctx.pool?.broken ?? null;
  }

  /** Replaces the worker pool (tensors stay valid: the memory is the same). */
  async restart(options: ThreadsOptions): Promise<void> {
    await this.shutdown();
    this.#ctx.scale = options.splitAlways ? 0 : 1;
    const workers = Math.max(0, Math.floor(options.threads) - 1);
    if (workers === 0) return;
    if (options.lazy) {
      this.#ctx.lazy = { options, starting: null };
      return;
    }
    this.#ctx.pool = await this.#ctx.startPool(workers, options);
  }

  /**
   * Whether the workers are still to start on the first big call (lazy), or starting now, and
   * a promise that settles once they run (or could not start: the calls stay on this thread).
   */
  get pendingStart(): { started: boolean; done: Promise<void> } | null {
    const lazy = this.#ctx.lazy;
    if (!lazy) return null;
    return { started: lazy.starting !== null, done: lazy.starting ?? Promise.resolve() };
  }

  /** Why the lazy start of the workers failed, or null. */
  get lazyStartError(): string | null {
    return this.#ctx.lazyError ?? null;
  }

  /** Starts the lazy pool in the background; calls run on this thread until it is up. */
  startLazily(): void {
    this.#ctx.startLazily();
  }

  /** Terminates the workers; later calls run on the calling thread only... until restart. */
  async shutdown(): Promise<void> {
    const lazy = this.#ctx.lazy;
    this.#ctx.lazy = null;
    this.#ctx.lazyError = undefined;
    await lazy?.starting;
    const pool = this.#ctx.pool;
    this.#ctx.pool = null;
    // Workers may still be writing their scratch until they are gone.
    await pool?.shutdown();
    this.#ctx.freeScratch();
  }

  /** The pool, for tests (crash hooks). */
  get poolForTest(): Pool | null {
    return this.#ctx.pool;
  }
}

/** Least work units per thread for spreading independent jobs (the conv filter gradient). */
const MIN_INDEPENDENT = 1 << 18;

/**
 * The threads backend's kernel runner: the wasm backend's export table with each kernel of
 * `SPLITS` split across the pool, independent jobs spread over the threads, and each worker's
 * scratch region. Holds the pool and its state; the backend starts and stops the pool.
 */
class ThreadsRunner implements KernelRunner {
  /** The instance's own exports, for calls that run whole on this thread. */
  raw: Kernels | null = null;
  pool: Pool | null = null;
  /** Multiplies the thresholds (0: split everything, for tests). */
  scale = 1;
  /** A pool to start on the first call big enough to split, and its start once begun. */
  lazy: { options: ThreadsOptions; starting: Promise<void> | null } | null = null;
  /** Why the lazy start failed. */
  lazyError?: string;
  #allocator: Allocator | null = null;
  /** The export table `kernels()` made. */
  #table: Kernels | null = null;
  #memory: WebAssembly.Memory | null = null;
  /** Scratch per worker: byte offset and bytes (index 0 is worker 1). */
  readonly #scratch: { ptr: number; bytes: number }[] = [];

  /** The export table of `raw` with each kernel of `SPLITS` split across the pool. */
  kernels(raw: Kernels, allocator: Allocator, memory: WebAssembly.Memory): Kernels {
    this.raw = raw;
    this.#allocator = allocator;
    this.#memory = memory;
    const table: Record<string, (...args: number[]) => number> = {};
    for (const name of Object.keys(raw)) {
      const fn = raw[name];
      const split = SPLITS[name];
      if (typeof fn !== "function" || !split) {
        table[name] = fn;
        continue;
      }
      table[name] = (...args: number[]): number => {
        const pool = this.pool;
        if (!pool) {
          const lazy = this.lazy;
          if (lazy && !lazy.starting && split.plan(args, lazy.options.threads, this.scale)) {
            this.startLazily();
          }
          return fn(...args);
        }
        pool.check();
        const plan = split.plan(args, 1 + pool.size, this.scale);
        if (!plan) return fn(...args);
        this.#runPlan(name, plan, pool);
        return 0;
      };
    }
    return this.#table = Object.freeze(table);
  }

  /** Starts `workers` workers over this memory, running this instance's kernels. */
  startPool(workers: number, options: ThreadsOptions): Promise<Pool> {
    return Pool.start(workers, kernelModule("shared"), this.#memory!, this.raw!, options);
  }

  /** Starts the lazy pool in the background; calls run on this thread until it is up. */
  startLazily(): void {
    const lazy = this.lazy;
    if (!lazy || lazy.starting) return;
    const workers = Math.floor(lazy.options.threads) - 1;
    lazy.starting = this.startPool(workers, lazy.options).then((pool) => {
      if (this.lazy !== lazy) return void pool.shutdown();
      this.lazy = null;
      this.pool = pool;
    }, (e: unknown) => {
      if (this.lazy !== lazy) return;
      this.lazy = null;
      this.lazyError = `the workers could not start: ${(e as Error)?.message ?? e}`;
    });
  }

  /**
   * Packs B and multiplies: split by columns, in one run where each piece packs the panels it
   * multiplies (`packedGemmPieces`); otherwise the packing, then the product, each split as usual.
   */
  packThenGemm(pack: readonly number[], gemm: readonly number[]): void {
    const pool = this.pool;
    pool?.check();
    const plan = pool ? SPLITS.f32_gemm.plan(gemm, 1 + pool.size, this.scale) : null;
    const pieces = plan && packedGemmPieces(pack, gemm, plan);
    if (!pool || !plan || !pieces) {
      this.#table!.f32_gemm_pack_b(...pack);
      this.#table!.f32_gemm(...gemm);
      return;
    }
    pool.run(pieces, plan.threads - 1, this.#argsFor);
  }

  /** Independent jobs (the filter gradient's batch groups), taken in turn by the threads. */
  runIndependent(jobs: readonly (readonly KernelCall[])[]): void {
    const pool = this.pool;
    const threads = Math.min(1 + (pool?.size ?? 0), jobs.length);
    let work = 0;
    for (const job of jobs) for (const [name, args] of job) work += SPLITS[name]?.work(args) ?? 0;
    if (!pool || threads < 2 || work < 2 * MIN_INDEPENDENT * this.scale) {
      pool?.check();
      for (const job of jobs) for (const [name, args] of job) this.raw![name](...args);
      return;
    }
    pool.run(jobs, threads - 1, this.#argsFor);
  }

  /** Frees the workers' scratch regions (the pool is gone). */
  freeScratch(): void {
    for (const s of this.#scratch) if (s) this.#allocator!.free(s.ptr);
    this.#scratch.length = 0;
  }

  /** Runs the pieces of a split kernel call on the pool. */
  #runPlan(name: string, { threads, pieces }: Plan, pool: Pool): void {
    pool.run(pieces.map((args) => [[name, args]]), threads - 1, this.#argsFor);
  }

  /** A call's arguments on thread `t`: its own scratch region substituted (t = 0 keeps the caller's). */
  readonly #argsFor = (t: number, [name, args]: KernelCall): readonly number[] => {
    const scratch = SPLITS[name]?.scratch;
    if (!scratch || t === 0) return args;
    const copy = args.slice();
    copy[scratch.index] = this.#workerScratch(t - 1, scratch.bytes(this.raw!, args));
    return copy;
  };

  #workerScratch(w: number, bytes: number): number {
    const have = this.#scratch[w];
    if (have && have.bytes >= bytes) return have.ptr;
    if (have) this.#allocator!.free(have.ptr);
    const ptr = this.#allocator!.alloc(Math.ceil(Math.max(bytes, 64) / 4) * 4);
    this.#scratch[w] = { ptr, bytes };
    return ptr;
  }
}
