/**
 * How the threads of a pool run share out its pieces: each thread has a home range (the pieces
 * cut into one contiguous range per thread, in order) with its own counter in shared memory, and
 * takes pieces from its home range first, then from the others' in turn. Taking a piece is one
 * `Atomics.add` on its range's counter, so each piece is taken exactly once, and a thread that
 * starts late or runs slow (a worker waking from `Atomics.wait`, a busy host) takes fewer.
 *
 * Home ranges rather than one shared counter: consecutive kernels split alike (a layer's forward
 * and backward kernels all cut the batch into the same ranges) find their inputs in the cache of
 * the core that wrote them. LeNet-5 training step on 2 threads, per-step times of 40 interleaved
 * rounds, five runs: the fastest 10% of steps were 1-2% faster than with one shared counter in
 * every run (e.g. 3.86 -> 3.83 ms, 4.19 -> 4.13 ms).
 *
 * A whole program (a worker's share of a run) is claimed once too: by its worker, or by the caller
 * when the pieces ran out before the worker started (`claimProgram`).
 *
 * The workers run the same functions: worker_source.ts embeds their source text, so each refers
 * to no outer name.
 *
 * @module
 */

/** Int32 words between two threads' counters: one 64-byte cache line each. */
export const COUNTER_STRIDE = 16;

/** First piece of thread `t`'s home range among `threads` threads sharing `pieces` pieces. */
export function homeBegin(t: number, threads: number, pieces: number): number {
  return Math.floor((t * pieces) / threads);
}

/**
 * The next piece for thread `t`, or -1 when none is left. `counters[h * stride]` is the next piece
 * of thread h's home range, which ends where thread h + 1's begins (`homeBegin`, restated here:
 * the source text runs as is in a worker).
 */
export function take(
  counters: Int32Array,
  stride: number,
  t: number,
  threads: number,
  pieces: number,
): number {
  for (let r = 0; r < threads; r++) {
    const home = (t + r) % threads;
    const i = Atomics.add(counters, home * stride, 1);
    if (i < Math.floor(((home + 1) * pieces) / threads)) return i;
  }
  return -1;
}

/**
 * Claims program `seq` through the word `head[claimed]` (the last sequence number claimed); false
 * if someone already has it. Sequence numbers wrap, hence the signed difference.
 */
export function claimProgram(head: Int32Array, claimed: number, seq: number): boolean {
  for (;;) {
    const c = Atomics.load(head, claimed);
    if (((c - seq) | 0) >= 0) return false;
    if (Atomics.compareExchange(head, claimed, c, seq) === c) return true;
  }
}
