/**
 * The source of a pool worker, run by `node:worker_threads` with `eval: true` (code from memory: no
 * file to read, so no permission flag). The worker instantiates the compiled "shared" kernel module
 * over the pool's `WebAssembly.Memory`, says it is ready, then loops forever: block on its control
 * slot (`Atomics.wait`, after spinning `spinMs` with `Atomics.pause` where the caller found the
 * engine has it), take pieces of the program found there (each a list of kernel calls) by bumping
 * the piece counters, its own home range's first (claim.ts, whose `take()` and `claimProgram()`
 * are embedded here as source text), until none is left, publish the sequence number as done. Before running a piece it marks the
 * piece's state word running by compare-and-swap from 0, and skips the piece if the caller
 * revoked it (a caller that gave the worker up runs revoked pieces itself, pool.ts); after it, done.
 * It never allocates in the wasm memory and keeps no state between programs beyond its instance
 * (kernels are pure, ARCHITECTURE principle 2).
 *
 * Slot layout (must match `pool.ts`): Int32 words SEQ (written by the caller), DONE, STATUS, WORDS
 * (length of the program), CLAIMED (the program's taker), THREADS (threads in the run), HOOK (a
 * test hook for the next program: 1 freeze before taking a piece, 2 freeze inside the first piece,
 * 3 die, 4 freeze between taking the first piece and marking it), THAW (the private cell a frozen worker waits on), then from
 * byte PROGRAM_BYTE a Float64 program `[count, start of each piece, ...pieces]`, a piece being
 * `[calls, (fn, argc, ...args) per call]`, and from byte MESSAGE_BYTE an error message (UTF-8,
 * NUL-padded).
 *
 * @module
 */

import { claimProgram, COUNTER_STRIDE, take } from "./claim.ts";

/** The worker's code (CommonJS: the `eval` flavour of `node:worker_threads`). */
export const WORKER_SOURCE = `"use strict";
const { parentPort } = require("node:worker_threads");
const SEQ = 0, DONE = 1, STATUS = 2, WORDS = 3, CLAIMED = 4, THREADS = 5, HOOK = 6, THAW = 7;
const PIECE_DONE = -1;
const FREEZE_BEFORE = 1, FREEZE_INSIDE = 2, DIE = 3, FREEZE_TAKEN = 4;
const COUNTER_STRIDE = ${COUNTER_STRIDE};
const take = ${take};
const claimProgram = ${claimProgram};
const OK = 0, FAILED = 1, DEAD = 2;
const STOP = -1, CRASH = -2;
parentPort.once("message", (init) => {
  const { module, memory, control, offset, queue: queueByte, thread: self, threads: most } = init;
  const { layout, names, spinMs } = init;
  const pause = init.pause ? () => Atomics.pause() : () => {};
  const head = new Int32Array(control, offset, 8);
  const queue = new Int32Array(control, queueByte, most * COUNTER_STRIDE);
  const states = new Int32Array(control, init.states, layout.programWords);
  const freeze = () => {
    while (Atomics.load(head, THAW) === 0) Atomics.wait(head, THAW, 0);
  };
  const program = new Float64Array(control, offset + layout.programByte, layout.programWords);
  const message = new Uint8Array(control, offset + layout.messageByte, layout.messageBytes);
  let fns;
  try {
    const abort = (_m, _f, line, column) => {
      throw new Error("Kernel precondition failed at assembly line " + line + ":" + column);
    };
    const exports = new WebAssembly.Instance(module, { env: { memory, abort } }).exports;
    fns = names.map((name) => exports[name]);
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.message || e) });
    return;
  }
  // Read before saying ready: the first program may be posted as soon as the caller hears it.
  let seen = Atomics.load(head, SEQ);
  parentPort.postMessage({ ok: true });
  const say = (status, text) => {
    const bytes = new TextEncoder().encode(String(text)).subarray(0, message.length);
    message.fill(0);
    message.set(bytes);
    Atomics.store(head, STATUS, status);
  };
  for (;;) {
    const until = performance.now() + spinMs;
    for (let i = 1; Atomics.load(head, SEQ) === seen; i++) {
      if ((i & 255) === 0 && performance.now() > until) Atomics.wait(head, SEQ, seen);
      else pause();
    }
    seen = Atomics.load(head, SEQ);
    // A program runs once: here, or on the caller when it finds the program unclaimed (stolen).
    if (!claimProgram(head, CLAIMED, seen)) continue;
    const words = Atomics.load(head, WORDS);
    if (words === STOP) return;
    const hook = Atomics.load(head, HOOK);
    if (words === CRASH || hook === DIE) {
      say(DEAD, "worker crashed on request (test hook)");
      Atomics.store(head, DONE, seen);
      Atomics.notify(head, DONE);
      throw new Error("worker crashed on request (test hook)");
    }
    if (hook === FREEZE_BEFORE) freeze();
    let piece = -1;
    try {
      const count = program[0];
      const threads = Atomics.load(head, THREADS);
      for (let i; (i = take(queue, COUNTER_STRIDE, self, threads, count)) >= 0;) {
        if (hook === FREEZE_TAKEN && piece < 0) freeze();
        if (Atomics.compareExchange(states, i, 0, self) !== 0) continue;
        piece = i;
        if (hook === FREEZE_INSIDE) freeze();
        let p = program[1 + i];
        for (let calls = program[p++]; calls > 0; calls--) {
          const fn = fns[program[p]];
          const argc = program[p + 1];
          const args = Array.prototype.slice.call(program, p + 2, p + 2 + argc);
          fn.apply(null, args);
          p += 2 + argc;
        }
        Atomics.store(states, i, PIECE_DONE);
      }
      Atomics.store(head, STATUS, OK);
    } catch (e) {
      // A failed piece is finished (not running) as far as a caller salvaging a run is concerned.
      if (piece >= 0) Atomics.store(states, piece, PIECE_DONE);
      say(FAILED, e && e.message || e);
    }
    Atomics.store(head, DONE, seen);
    Atomics.notify(head, DONE);
  }
});
`;
