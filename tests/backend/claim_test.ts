/**
 * The pool's piece claiming (src/backend/threads/claim.ts): each thread takes its home range in
 * order before anything else, every piece is taken exactly once whatever the interleaving, a
 * program is claimed once across sequence-number wrap-around, and the source text the workers run
 * (embedded in worker_source.ts) behaves the same.
 */
import { claimProgram, COUNTER_STRIDE, homeBegin, take } from "../../src/backend/threads/claim.ts";
import { WORKER_SOURCE } from "../../src/backend/threads/worker_source.ts";
import { assert, assertEquals } from "../_util/assert.ts";
import { rng } from "../_util/rng.ts";

type Take = typeof take;

/** Counters of a run, as the pool sets them before posting the pieces. */
function counters(threads: number, pieces: number): Int32Array {
  const c = new Int32Array(threads * COUNTER_STRIDE);
  for (let t = 0; t < threads; t++) c[t * COUNTER_STRIDE] = homeBegin(t, threads, pieces);
  return c;
}

/** Takes pieces in a random thread order until none is left; returns each piece's taker. */
function drain(fn: Take, threads: number, pieces: number, seed: number): number[] {
  const c = counters(threads, pieces);
  const rand = rng(seed);
  const taker = new Array<number>(pieces).fill(-1);
  const done = new Set<number>();
  while (done.size < threads) {
    const t = Math.floor(((rand() + 1) / 2) * threads) % threads;
    const i = fn(c, COUNTER_STRIDE, t, threads, pieces);
    if (i < 0) {
      done.add(t);
      continue;
    }
    assert(i < pieces && taker[i] === -1, `piece ${i} taken twice or out of range`);
    taker[i] = t;
  }
  return taker;
}

const embedded = new Function(`return ${take}`)() as Take;

for (const [name, fn] of [["take", take], ["worker's take", embedded]] as const) {
  Deno.test(`${name}: every piece exactly once, in any interleaving`, () => {
    for (let threads = 1; threads <= 4; threads++) {
      for (let pieces = 0; pieces <= 13; pieces++) {
        for (let seed = 1; seed <= 5; seed++) {
          const taker = drain(fn, threads, pieces, seed * 31 + threads);
          assert(taker.every((t) => t >= 0), `${threads} threads, ${pieces} pieces: one untaken`);
        }
      }
    }
  });

  Deno.test(`${name}: a thread takes its home range in order, then the others'`, () => {
    const threads = 3, pieces = 12;
    const c = counters(threads, pieces);
    // Thread 1 alone: its home range 4..7, then thread 2's (8..11), then thread 0's (0..3).
    const order: number[] = [];
    for (let i; (i = fn(c, COUNTER_STRIDE, 1, threads, pieces)) >= 0;) order.push(i);
    assertEquals(order, [4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3]);
    assertEquals(fn(c, COUNTER_STRIDE, 0, threads, pieces), -1);
  });
}

for (
  const [name, fn] of [
    ["claimProgram", claimProgram],
    ["worker's claimProgram", new Function(`return ${claimProgram}`)() as typeof claimProgram],
  ] as const
) {
  Deno.test(`${name}: a program is claimed once, newer ones after it, across wrap-around`, () => {
    const head = new Int32Array(8);
    head[4] = 0x7ffffffe;
    assert(fn(head, 4, 0x7fffffff), "the next program");
    assert(!fn(head, 4, 0x7fffffff), "the same program twice");
    assert(!fn(head, 4, 0x7ffffffe), "an older program");
    assert(fn(head, 4, -0x80000000), "the program after the wrap");
    assertEquals(head[4], -0x80000000);
  });
}

Deno.test("the worker source embeds take(), claimProgram() and the counter stride", () => {
  assert(WORKER_SOURCE.includes(`const take = ${take};`), "take() missing from the worker");
  assert(
    WORKER_SOURCE.includes(`const claimProgram = ${claimProgram};`),
    "claimProgram() missing from the worker",
  );
  assert(WORKER_SOURCE.includes(`const COUNTER_STRIDE = ${COUNTER_STRIDE};`), "stride missing");
});
