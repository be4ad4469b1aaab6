/**
 * A pool of workers that run kernel calls over one shared `WebAssembly.Memory`.
 *
 * Workers come from `node:worker_threads` with their code passed as a string (`eval: true`): no
 * file is read, so no permission flag is needed, and `unref()` (which Deno's web `Worker` lacks)
 * lets a script that used the pool exit by itself.
 *
 * Dispatch. Backend methods are synchronous, so the calling thread must wait synchronously: it
 * writes the run's pieces (lists of kernel calls, with that worker's scratch) into each worker's
 * slot of a shared control buffer, sets each thread's piece counter to the start of its home range
 * (the pieces cut into one contiguous range per thread), bumps SEQ and `Atomics.notify`s; every
 * thread then takes pieces by `Atomics.add` on a counter, its own range's first and then the
 * others' (claim.ts), until none is left, and the caller waits for DONE == SEQ of each worker that
 * started (a spin of `callerSpinMs`, then `Atomics.wait`, which Deno allows on the main thread, in
 * slices). Workers spin for `workerSpinMs` after each program, then block in `Atomics.wait`. Every
 * spin loop calls `Atomics.pause()` (x86 PAUSE), which leaves the core's pipes to a hyperthread
 * sibling, where the engine has it (ES2025; older Deno lacks it, and the loops then spin without
 * it). The shared slot with a spinning caller has the shortest round trip (bench/RESULTS.md), so
 * the caller spins (no piece is left for it, its core is otherwise idle).
 *
 * Failure. A kernel that throws in a worker (a trap, a debug-build assert) is reported in the slot
 * and rethrown by `run()` once every thread has finished. A worker that dies (its "error"/"exit"
 * event, or the DEAD status it writes as it goes) or does not finish its share of a run within
 * the stall bound, `max(stallTimeoutMs, stallFactor x expected)` where expected is the run's work
 * on one thread at a conservative rate per kernel family (`unitsPerMs`), breaks the pool: every
 * worker is terminated and every later `run()` runs on the calling thread (`size` is then 0, so
 * the backend plans no split). The run that noticed is finished on the calling thread where that
 * is provably safe. Each piece has a state word: a thread that took a piece marks it running by
 * compare-and-swap before touching memory, and done after. The caller revokes, by the same
 * compare-and-swap, every piece still unmarked: no worker can start it afterwards, so the caller
 * runs it from the beginning, whatever its kernel (even one that accumulates into its output,
 * which was never touched). A piece marked running by a lost worker is not re-run: nothing
 * proves that worker will not write again (`terminate()` returns before its thread stops, and a
 * descheduled thread runs on until its next interrupt check), and a GEMM resuming over a re-run
 * C would add partial sums to it. `run()` then throws `WorkerStalledError`, naming the kernel and
 * the worker; the ops after it run on the calling thread.
 *
 * @module
 */
import type { Kernels } from "../wasm/module.ts";
import { claimProgram, COUNTER_STRIDE, homeBegin, take } from "./claim.ts";
import { SPLITS } from "./splits.ts";
import { WORKER_SOURCE } from "./worker_source.ts";

import type { KernelCall } from "../wasm/wasm_backend.ts";
import { WorkerStalledError } from "../../errors.ts";

/** Options of `Pool.start()`. */
export interface PoolOptions {
  /**
   * Least milliseconds the caller waits for a worker's share of a run before giving the worker up
   * (default 250): the wait is `max(stallTimeoutMs, stallFactor x expected)`, see the module doc.
   */
  stallTimeoutMs?: number;
  /** Multiple of a run's expected single-thread time the caller waits for a worker (default 20). */
  stallFactor?: number;
  /**
   * Milliseconds a worker spins after a program before blocking (default 1): long enough to cover
   * the gaps between the split calls of a training step (bench/RESULTS.md).
   */
  workerSpinMs?: number;
  /** Milliseconds the caller spins for a worker's last piece before blocking (default 1). */
  callerSpinMs?: number;
  /**
   * Whether the caller, once no piece is left, cancels the program of a worker that has not
   * started it instead of waiting for it to wake (default true).
   */
  steal?: boolean;
}

const SEQ = 0, DONE = 1, STATUS = 2, WORDS = 3, CLAIMED = 4, THREADS = 5, HOOK = 6, THAW = 7;
const FAILED = 1, DEAD = 2;
const STOP = -1, CRASH = -2;
/** Piece states (0: not started; t > 0: running on worker thread t). */
const PIECE_DONE = -1, PIECE_REVOKED = -2;
/** Test hooks a worker obeys on its next program (HOOK word). */
const HOOKS = { "freeze-before": 1, "freeze-inside": 2, "die": 3, "freeze-taken": 4 } as const;
const LAYOUT = {
  programByte: 64,
  programWords: 4096,
  messageByte: 64 + 4096 * 8,
  messageBytes: 1024,
};
const SLOT_BYTES = LAYOUT.messageByte + LAYOUT.messageBytes;
const WAIT_SLICE_MS = 20;
/** Whether this engine has `Atomics.pause` (the workers run on the same engine: they are told). */
const hasPause = typeof (Atomics as { pause?: unknown }).pause === "function";
/** `Atomics.pause()`, or nothing on an engine without it. */
const pause: () => void = hasPause ? () => Atomics.pause() : () => {};
/** Byte offset of the piece counters, after the workers' slots. */
const queueByte = (workers: number) => Math.max(1, workers) * SLOT_BYTES;
/** Byte offset of the piece states (one Int32 per piece), after the counters. */
const statesByte = (workers: number) => queueByte(workers) + (workers + 1) * COUNTER_STRIDE * 4;
/** Multiply-add kernels, whose work units are multiply-adds. */
const MAC_KERNELS = new Set([
  "f32_gemm",
  "f32_gemm_stream",
  "f32_gemv_packed",
  "f32_conv2d_nhwc",
  "f32_conv2d_nhwc_bwd_data",
  "f32_conv2d_nhwc_bwd_filter",
]);
/**
 * Work units per millisecond a kernel is expected to reach on one thread: about half of the
 * slowest of its family on the 2-core VM (GEMM 14-18 M multiply-adds/ms, conv forward 9.8 M;
 * exp, tanh, log and softmax 210-340 k floats/ms), so slower hosts still fit the stall factor.
 */
const unitsPerMs = (name: string): number => MAC_KERNELS.has(name) ? 8e6 : 1e5;

interface NodeWorker {
  postMessage(value: unknown): void;
  on(event: string, listener: (value: never) => void): void;
  once(event: string, listener: (value: never) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** Workers that run programs of kernel calls; the calling thread is thread 0. */
export class Pool {
  readonly #workers: NodeWorker[];
  readonly #heads: Int32Array[];
  readonly #programs: Float64Array[];
  readonly #messages: Uint8Array[];
  /** Per thread, the next piece of its home range to take (thread t at word t * COUNTER_STRIDE). */
  readonly #queue: Int32Array;
  /** Per piece of the current run: 0, the worker thread running it, PIECE_DONE or PIECE_REVOKED. */
  readonly #states: Int32Array;
  readonly #index: Map<string, number>;
  readonly #main: Kernels;
  readonly #stallTimeoutMs: number;
  readonly #stallFactor: number;
  readonly #callerSpinMs: number;
  readonly #steal: boolean;
  #seq = 0;
  /** Programs run so far (tests check that a kernel was really split). */
  runs = 0;
  #broken: string | null = null;
  #closed = false;
  #terminated: Promise<void> | null = null;

  private constructor(
    workers: NodeWorker[],
    control: SharedArrayBuffer,
    names: string[],
    main: Kernels,
    options: PoolOptions,
  ) {
    this.#workers = workers;
    this.#heads = workers.map((_, i) => new Int32Array(control, i * SLOT_BYTES, 8));
    this.#programs = workers.map((_, i) =>
      new Float64Array(control, i * SLOT_BYTES + LAYOUT.programByte, LAYOUT.programWords)
    );
    this.#messages = workers.map((_, i) =>
      new Uint8Array(control, i * SLOT_BYTES + LAYOUT.messageByte, LAYOUT.messageBytes)
    );
    this.#queue = new Int32Array(
      control,
      queueByte(workers.length),
      (workers.length + 1) * COUNTER_STRIDE,
    );
    this.#states = new Int32Array(control, statesByte(workers.length), LAYOUT.programWords);
    this.#index = new Map(names.map((n, i) => [n, i]));
    this.#main = main;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 250;
    this.#stallFactor = options.stallFactor ?? 20;
    this.#callerSpinMs = options.callerSpinMs ?? 1;
    this.#steal = options.steal ?? true;
    workers.forEach((w, i) => {
      w.on("error", (e: Error) => this.#break(`worker ${i + 1} failed: ${e?.message ?? e}`));
      w.on("exit", (code: number) => {
        if (!this.#closed) this.#break(`worker ${i + 1} exited with code ${code}`);
      });
      w.unref();
    });
  }

  /**
   * Starts `workers` workers, each instantiating `module` over `memory`.
   *
   * @param main The calling thread's instance of the same module (runs thread 0's share).
   */
  static async start(
    workers: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    main: Kernels,
    options: PoolOptions = {},
  ): Promise<Pool> {
    const { Worker } = await import("node:worker_threads");
    const names = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === "function")
      .map((e) => e.name);
    const control = new SharedArrayBuffer(statesByte(workers) + LAYOUT.programWords * 4);
    const started: NodeWorker[] = [];
    try {
      await Promise.all(Array.from({ length: workers }, (_, i) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true }) as unknown as NodeWorker;
        started.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once("message", (m: { ok: boolean; message?: string }) => {
            if (m.ok) resolve();
            else reject(new Error(`Cannot start thread pool worker ${i + 1}: ${m.message}`));
          });
          worker.once("error", (e: Error) => reject(e));
          worker.postMessage({
            module,
            memory,
            control,
            offset: i * SLOT_BYTES,
            queue: queueByte(workers),
            states: statesByte(workers),
            thread: i + 1,
            threads: workers + 1,
            layout: LAYOUT,
            names,
            spinMs: options.workerSpinMs ?? 1,
            pause: hasPause,
          });
        });
      }));
    } catch (e) {
      await Promise.all(started.map((w) => w.terminate()));
      throw e;
    }
    return new Pool(started, control, names, main, options);
  }

  /** Workers that can take pieces (the calling thread not included): 0 once the pool is broken. */
  get size(): number {
    return this.broken === null ? this.#workers.length : 0;
  }

  /** Why the pool cannot run, or null when it can. */
  get broken(): string | null {
    return this.#closed ? "the workers were shut down" : this.#broken;
  }

  /**
   * Notices a worker that died since the last run (the DEAD status it wrote): the pool breaks and
   * later runs stay on the calling thread. Never throws.
   */
  check(): void {
    if (this.#broken !== null) return;
    this.#heads.forEach((head, w) => {
      if (Atomics.load(head, STATUS) === DEAD) {
        this.#break(`worker ${w + 1} died (${this.#message(w)})`);
      }
    });
  }

  /**
   * Runs `pieces` (lists of kernel calls that write disjoint outputs) on the calling thread and
   * the first `workers` workers together: each thread takes the pieces of its home range, then
   * any piece nobody has taken, until none is left, so a worker that wakes late or runs slow takes
   * fewer while consecutive calls cut alike keep each range on one core. `argsFor(t, call)` gives
   * thread t's arguments for a call (its own scratch; thread 0 is the caller). Returns when every
   * piece is done; on a broken pool every piece runs on the calling thread. Throws if a call
   * failed anywhere, or `WorkerStalledError` if a worker was lost in the middle of a piece.
   */
  run(
    pieces: readonly (readonly KernelCall[])[],
    workers: number,
    argsFor: (t: number, call: KernelCall) => readonly number[],
  ): void {
    this.check();
    const threads = 1 + Math.min(workers, this.size);
    if (threads < 2) {
      for (const piece of pieces) {
        for (const call of piece) this.#main[call[0]](...argsFor(0, call));
      }
      return;
    }
    this.runs++;
    const start = performance.now();
    const seq = this.#next();
    this.#states.fill(0, 0, pieces.length);
    for (let t = 0; t < threads; t++) {
      Atomics.store(this.#queue, t * COUNTER_STRIDE, homeBegin(t, threads, pieces.length));
    }
    const sent: number[] = [];
    for (let w = 0; w < threads - 1; w++) {
      this.#post(w, pieces, (call) => argsFor(w + 1, call), seq, threads);
      sent.push(w);
    }
    let failure: unknown = null;
    for (let i; (i = take(this.#queue, COUNTER_STRIDE, 0, threads, pieces.length)) >= 0;) {
      try {
        for (const call of pieces[i]) this.#main[call[0]](...argsFor(0, call));
      } catch (e) {
        failure ??= e;
      }
      Atomics.store(this.#states, i, PIECE_DONE);
    }
    let bound = -1;
    const deadline = () => start + (bound < 0 ? (bound = this.#boundMs(pieces)) : bound);
    let lost: string | null = null;
    for (const w of sent) {
      // A worker that has not started (descheduled on a busy machine) finds nothing left to take.
      if (this.#steal && claimProgram(this.#heads[w], CLAIMED, seq)) continue;
      const outcome = this.#wait(w, seq, start, deadline);
      if (typeof outcome === "string") lost ??= outcome;
      else failure ??= outcome;
    }
    if (lost !== null) this.#salvage(pieces, argsFor, `${lost} during ${pieces[0]?.[0]?.[0]}`);
    if (failure !== null) throw failure;
  }

  /**
   * Test hook: makes worker `w`, on its next program, block (until thawed or terminated) before
   * taking a piece ("freeze-before"), after taking its first piece and before marking it running
   * ("freeze-taken"), or after marking it running and before running it ("freeze-inside"), or
   * die as it takes the program ("die").
   */
  hookWorkerForTest(w: number, hook: keyof typeof HOOKS): void {
    Atomics.store(this.#heads[w], HOOK, HOOKS[hook]);
  }

  /** Test hook: lets worker `w` go on from a freeze (it runs no later hook). */
  thawWorkerForTest(w: number): void {
    Atomics.store(this.#heads[w], HOOK, 0);
    Atomics.store(this.#heads[w], THAW, 1);
    Atomics.notify(this.#heads[w], THAW);
  }

  /** Test hook: makes worker `w` throw an uncaught error, as a crashing worker would. */
  crashWorkerForTest(w: number): void {
    const head = this.#heads[w];
    const seq = this.#next();
    Atomics.store(head, WORDS, CRASH);
    Atomics.store(head, SEQ, seq);
    Atomics.notify(head, SEQ);
    while (Atomics.load(head, DONE) !== seq) Atomics.wait(head, DONE, Atomics.load(head, DONE), 20);
  }

  /** Test hook: terminates worker `w` from outside, without telling the pool. */
  terminateWorkerForTest(w: number): Promise<number> {
    return this.#workers[w].terminate();
  }

  /** Stops and terminates the workers; later `run()` calls run on the calling thread. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const head of this.#heads) {
      Atomics.store(head, WORDS, STOP);
      Atomics.store(head, SEQ, this.#next());
      Atomics.notify(head, SEQ);
    }
    await this.#terminate();
  }

  /** The next program number (wrapping; compared by signed difference). */
  #next(): number {
    this.#seq = (this.#seq + 1) | 0;
    return this.#seq;
  }

  /** Milliseconds the caller waits for the workers of a run of `pieces` (see the module doc). */
  #boundMs(pieces: readonly (readonly KernelCall[])[]): number {
    let ms = 0;
    for (const piece of pieces) {
      for (const [name, args] of piece) ms += (SPLITS[name]?.work(args) ?? 0) / unitsPerMs(name);
    }
    return Math.max(this.#stallTimeoutMs, this.#stallFactor * ms);
  }

  /**
   * Writes the pieces into worker `w`'s slot as its program and wakes it: `[count, start of each
   * piece, ...pieces]`, a piece being `[calls, (fn, argc, ...args) per call]`.
   */
  #post(
    w: number,
    pieces: readonly (readonly KernelCall[])[],
    argsFor: (call: KernelCall) => readonly number[],
    seq: number,
    threads: number,
  ): void {
    const program = this.#programs[w];
    const tooLong = () =>
      new Error(
        `Cannot post ${pieces.length} pieces of kernel calls to a worker: program too long`,
      );
    if (1 + pieces.length > program.length) throw tooLong();
    program[0] = pieces.length;
    let p = 1 + pieces.length;
    pieces.forEach((calls, i) => {
      program[1 + i] = p;
      program[p++] = calls.length;
      for (const call of calls) {
        const fn = this.#index.get(call[0]);
        if (fn === undefined) throw new Error(`Cannot run kernel "${call[0]}": no such export`);
        const args = argsFor(call);
        if (p + 2 + args.length > program.length) throw tooLong();
        program[p++] = fn;
        program[p++] = args.length;
        for (const a of args) program[p++] = a;
      }
    });
    const head = this.#heads[w];
    Atomics.store(head, WORDS, p);
    Atomics.store(head, THREADS, threads);
    Atomics.store(head, SEQ, seq);
    Atomics.notify(head, SEQ);
  }

  /**
   * Waits for worker `w` to finish program `seq`, until `deadline()` at the latest; returns its
   * kernel error or null, or why the worker is lost (a string).
   */
  #wait(w: number, seq: number, start: number, deadline: () => number): Error | string | null {
    const head = this.#heads[w];
    // The spin counts from here, when the caller's own pieces are done: a run longer than the
    // spin still has its last piece awaited without a futex wake-up.
    const spinStart = performance.now();
    for (let i = 1; Atomics.load(head, DONE) !== seq; i++) {
      if ((i & 255) === 0 && performance.now() - spinStart > this.#callerSpinMs) break;
      pause();
    }
    for (;;) {
      const done = Atomics.load(head, DONE);
      if (done === seq) return this.#outcome(w);
      if (Atomics.load(head, STATUS) === DEAD) return `worker ${w + 1} died (${this.#message(w)})`;
      const now = performance.now();
      if (now >= deadline()) {
        return `worker ${w + 1} stopped answering after ${Math.round(now - start)} ms`;
      }
      Atomics.wait(head, DONE, done, Math.min(WAIT_SLICE_MS, deadline() - now));
    }
  }

  #outcome(w: number): Error | string | null {
    const status = Atomics.load(this.#heads[w], STATUS);
    if (status === FAILED) {
      return new Error(`Kernel failed in worker ${w + 1}: ${this.#message(w)}`);
    }
    if (status === DEAD) return `worker ${w + 1} died (${this.#message(w)})`;
    return null;
  }

  /**
   * After losing a worker mid-run: breaks the pool, terminates the workers, and runs on this
   * thread every piece no worker has started (revoked first, so none can start it later). Throws
   * `WorkerStalledError` for a piece a lost worker had started and not finished.
   */
  #salvage(
    pieces: readonly (readonly KernelCall[])[],
    argsFor: (t: number, call: KernelCall) => readonly number[],
    why: string,
  ): void {
    this.#break(why);
    let held: { piece: number; thread: number } | null = null;
    for (let i = 0; i < pieces.length; i++) {
      const state = Atomics.compareExchange(this.#states, i, 0, PIECE_REVOKED);
      if (state === 0) {
        for (const call of pieces[i]) this.#main[call[0]](...argsFor(0, call));
        Atomics.store(this.#states, i, PIECE_DONE);
      } else if (state > 0) {
        held ??= { piece: i, thread: state };
      }
    }
    if (held === null) return;
    const kernel = pieces[held.piece][0]?.[0] ?? "?";
    throw new WorkerStalledError(
      `Cannot finish kernel "${kernel}" on the threads backend: worker ${held.thread} was lost in the middle of piece ${
        held.piece + 1
      } of ${pieces.length}, whose output it may still write, so the piece was not run again (${why}); the workers are terminated and later calls run on the calling thread`,
      kernel,
      held.thread,
    );
  }

  #message(w: number): string {
    const bytes = this.#messages[w];
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
  }

  /** Marks the pool broken (the first reason stays) and terminates its workers. */
  #break(why: string): void {
    if (this.#broken !== null) return;
    this.#broken = why;
    void this.#terminate();
  }

  /** Terminates every worker once; settles when each has been told to stop. */
  #terminate(): Promise<void> {
    this.#terminated ??= Promise.all(this.#workers.map(async (w) => {
      try {
        await w.terminate();
      } catch {
        // Already gone.
      }
    })).then(() => {});
    return this.#terminated;
  }
}
