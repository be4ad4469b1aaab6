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
 * it). Round trip of an empty program, 2-core VM under load, median of 2000 (tools: a throwaway
 * script, numbers in threads_backend.ts):
 *   postMessage to the worker, caller waits on an Atomics flag        14-21 us
 *   shared slot, worker blocked in Atomics.wait, caller Atomics.wait   7-38 us (p90 33-65)
 *   shared slot, worker blocked in Atomics.wait, caller spins          6.6 us (p90 6.9)
 *   shared slot, worker still spinning, caller spins                   0.3 us
 * so the slot wins; the caller spins (no piece is left for it, its core is otherwise idle).
 *
 * Failure. A kernel that throws in a worker (a trap, a debug-build assert) is reported in the slot
 * and rethrown by `run()` once every thread has finished. A worker that dies marks the pool
 * broken (its "error"/"exit" event, or the DEAD status it writes as it goes), and every later
 * `run()` throws instead of waiting; a wait that outlasts `timeoutMs` marks the pool broken too,
 * so nothing hangs.
 *
 * @module
 */
import type { Kernels } from "../wasm/module.ts";
import { claimProgram, COUNTER_STRIDE, homeBegin, take } from "./claim.ts";
import { WORKER_SOURCE } from "./worker_source.ts";

/** One kernel call: export name and its arguments. */
export type KernelCall = readonly [name: string, args: readonly number[]];

/** Options of `Pool.start()`. */
export interface PoolOptions {
  /** Longest wait for one program, in milliseconds (default 120 000). */
  timeoutMs?: number;
  /**
   * Milliseconds a worker spins after a program before blocking (default 1). A worker that
   * sleeps takes 7-65 us to wake; in a LeNet-5 training step on 2 threads the gaps between split
   * calls are 18 us at the median, 0.27 ms at p90 and 1.1 ms at p99 (the gap between steps). A
   * worker that wakes late still takes its home piece and the caller waits for it: with 0.1 ms of
   * spin the step's second dense layer's input-gradient GEMM (64x120x84, after the unsplit last
   * layer) ran at 0.68-0.72x one thread, with 1 ms at 1.40x; the whole step's p10 time (per-step
   * times, interleaved) was 1-2% lower with 1 ms than with 0.1 ms in two of two runs.
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

const SEQ = 0, DONE = 1, STATUS = 2, WORDS = 3, CLAIMED = 4, THREADS = 5;
const FAILED = 1, DEAD = 2;
const STOP = -1, CRASH = -2;
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

interface NodeWorker {
  postMessage(value: unknown): void;
  on(event: string, listener: (value: never) => void): void;
  once(event: string, listener: (value: never) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** Workers that run programs of kernel calls; the calling thread is thread 0. */
export class Pool {
  /** Worker count (the calling thread not included). */
  readonly size: number;
  readonly #workers: NodeWorker[];
  readonly #heads: Int32Array[];
  readonly #programs: Float64Array[];
  readonly #messages: Uint8Array[];
  /** Per thread, the next piece of its home range to take (thread t at word t * COUNTER_STRIDE). */
  readonly #queue: Int32Array;
  readonly #index: Map<string, number>;
  readonly #main: Kernels;
  readonly #timeoutMs: number;
  readonly #callerSpinMs: number;
  readonly #steal: boolean;
  #seq = 0;
  /** Programs run so far (tests check that a kernel was really split). */
  runs = 0;
  #broken: string | null = null;
  #closed = false;

  private constructor(
    workers: NodeWorker[],
    control: SharedArrayBuffer,
    names: string[],
    main: Kernels,
    options: PoolOptions,
  ) {
    this.size = workers.length;
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
    this.#index = new Map(names.map((n, i) => [n, i]));
    this.#main = main;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
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
    const control = new SharedArrayBuffer(queueByte(workers) + (workers + 1) * COUNTER_STRIDE * 4);
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

  /** Why the pool cannot run, or null when it can. */
  get broken(): string | null {
    return this.#closed ? "the workers were shut down" : this.#broken;
  }

  /** Throws if the pool cannot run. */
  check(): void {
    this.#heads.forEach((head, w) => {
      if (Atomics.load(head, STATUS) === DEAD) {
        this.#break(`worker ${w + 1} died: ${this.#message(w)}`);
      }
    });
    const why = this.broken;
    if (why !== null) {
      throw new Error(
        `Cannot run a kernel on the threads backend: ${why}; call ready({ backend: "threads" }) to start new workers`,
      );
    }
  }

  /**
   * Runs `pieces` (lists of kernel calls that write disjoint outputs) on the calling thread and
   * the first `workers` workers together: each thread takes the pieces of its home range, then
   * any piece nobody has taken, until none is left, so a worker that wakes late or runs slow takes
   * fewer while consecutive calls cut alike keep each range on one core. `argsFor(t, call)` gives
   * thread t's arguments for a call (its own scratch; thread 0 is the caller). Returns when every
   * piece is done; throws if a call failed anywhere or the pool is broken.
   */
  run(
    pieces: readonly (readonly KernelCall[])[],
    workers: number,
    argsFor: (t: number, call: KernelCall) => readonly number[],
  ): void {
    this.check();
    this.runs++;
    const seq = this.#next();
    const threads = 1 + Math.min(workers, this.size);
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
    }
    for (const w of sent) {
      // A worker that has not started (descheduled on a busy machine) finds nothing left to take.
      if (this.#steal && claimProgram(this.#heads[w], CLAIMED, seq)) continue;
      const error = this.#wait(w, seq);
      failure ??= error;
    }
    if (failure !== null) throw failure;
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

  /** Stops and terminates the workers; later `run()` calls throw. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const head of this.#heads) {
      Atomics.store(head, WORDS, STOP);
      Atomics.store(head, SEQ, this.#next());
      Atomics.notify(head, SEQ);
    }
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  /** The next program number (wrapping; compared by signed difference). */
  #next(): number {
    this.#seq = (this.#seq + 1) | 0;
    return this.#seq;
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

  /** Waits for worker `w` to finish program `seq`; returns its error, or null. */
  #wait(w: number, seq: number): Error | null {
    const head = this.#heads[w];
    const start = performance.now();
    for (let i = 1; Atomics.load(head, DONE) !== seq; i++) {
      if ((i & 255) === 0 && performance.now() - start > this.#callerSpinMs) break;
      pause();
    }
    for (;;) {
      const done = Atomics.load(head, DONE);
      if (done === seq) return this.#outcome(w);
      if (Atomics.load(head, STATUS) === DEAD) {
        this.#break(`worker ${w + 1} died: ${this.#message(w)}`);
        return new Error(`Thread pool worker ${w + 1} died: ${this.#message(w)}`);
      }
      if (performance.now() - start > this.#timeoutMs) {
        this.#break(`worker ${w + 1} did not answer within ${this.#timeoutMs} ms`);
        return new Error(
          `Thread pool worker ${
            w + 1
          } did not answer within ${this.#timeoutMs} ms: it is presumed dead (program ${seq}, seen ${
            Atomics.load(head, SEQ)
          }, done ${done})`,
        );
      }
      Atomics.wait(head, DONE, done, WAIT_SLICE_MS);
    }
  }

  #outcome(w: number): Error | null {
    const status = Atomics.load(this.#heads[w], STATUS);
    if (status === FAILED) {
      return new Error(`Kernel failed in worker ${w + 1}: ${this.#message(w)}`);
    }
    if (status === DEAD) {
      this.#break(`worker ${w + 1} died: ${this.#message(w)}`);
      return new Error(`Thread pool worker ${w + 1} died: ${this.#message(w)}`);
    }
    return null;
  }

  #message(w: number): string {
    const bytes = this.#messages[w];
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
  }

  #break(why: string): void {
    this.#broken ??= why;
  }
}
