/**
 * How much of two cores' vector arithmetic the machine is giving this process right now. On the
 * shared 2-vCPU VM, two threads of FMA-bound work run at twice one thread's rate in most minutes
 * and at about one thread's rate in others (presumably the host running both vCPUs on the
 * hyperthreads of one core, or a neighbour on a sibling). A threads-vs-one-thread ratio measured
 * in such a minute says nothing about the code.
 *
 * The probe runs the 12-chain f32x4 FMA loop of bench/_peak.ts (no memory traffic, nothing shared)
 * on this thread alone, then on this thread and a worker at once: `2 * alone / together` is 2.0
 * when two cores' FP pipes are free and about 1.0 when only one is. (An integer loop does not see
 * the difference: its dependency chain leaves the sibling's pipes idle.) The worker is started and
 * awaited through a shared flag (`Atomics`), so the probe is synchronous and can sit between
 * timed rounds. One probe takes about 7 ms.
 *
 * @module
 */
import { peakKernels, peakModule } from "./_peak.ts";

const SOURCE = `"use strict";
const { parentPort } = require("node:worker_threads");
parentPort.once("message", ({ module, flags, steps }) => {
  const fma = new WebAssembly.Instance(module).exports.fma12;
  const f = new Int32Array(flags);
  for (let seen = 0;;) {
    Atomics.wait(f, 0, seen);
    seen = Atomics.load(f, 0);
    if (seen < 0) return;
    fma(steps, 0.9999, 1e-4);
    Atomics.store(f, 1, seen);
    Atomics.notify(f, 1);
  }
});
`;

/** Steps of the probe loop: 12 chains x 8 FLOP each, about 2 ms on one core at ~58 GFLOP/s. */
const STEPS = 1 << 20;

/** Milliseconds the probe sleeps first, longer than a pool worker's spin after its last program. */
const SETTLE_MS = 3;

/** A two-core probe: `scaling()` measures, `close()` ends its worker. */
export interface CoreProbe {
  /** The FMA loop's speedup on two threads over one (2.0: two free cores; ~1.0: one). */
  scaling(): number;
  /** Stops the worker. */
  close(): void;
}

/** Starts the probe's worker (node:worker_threads from a string: no permission needed). */
export async function coreProbe(): Promise<CoreProbe> {
  const module = await peakModule([12]);
  const fma = peakKernels(module).fma12;
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(SOURCE, { eval: true });
  worker.unref();
  const flags = new Int32Array(new SharedArrayBuffer(8));
  worker.postMessage({ module, flags: flags.buffer, steps: STEPS });
  let seq = 0;
  const time = (both: boolean) => {
    if (both) {
      Atomics.store(flags, 0, ++seq);
      Atomics.notify(flags, 0);
    }
    const t0 = performance.now();
    fma(STEPS, 0.9999, 1e-4);
    while (both && Atomics.load(flags, 1) !== seq) {
      Atomics.wait(flags, 1, Atomics.load(flags, 1), 1000);
    }
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) time(true); // Both instances past their first, compiling call.
  const idle = new Int32Array(new SharedArrayBuffer(4));
  return {
    scaling() {
      // Let the threads pool's workers finish their spin and block (pool.ts, workerSpinMs).
      Atomics.wait(idle, 0, 0, SETTLE_MS);
      return (2 * time(false)) / time(true);
    },
    close() {
      Atomics.store(flags, 0, -1);
      Atomics.notify(flags, 0);
      worker.terminate();
    },
  };
}
