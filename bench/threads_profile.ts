/**
 * Where a LeNet-5 training step spends its time on the threads backend with 1 and 2 threads:
 * every backend method is wrapped with a timer (outermost call only), and the two thread counts
 * alternate round by round on the same model and memory. Prints the step time and, per method,
 * milliseconds per step on 1 and 2 threads and their ratio.
 *
 * Every figure is a QUIET quantile (bench/_util.ts: the fastest fifth, the calls the shared host
 * left alone): the step's over all steps, a method's as the sum, over its calls in a step, of
 * each call's quantile across steps (a step makes the same calls in the same order every time,
 * so "the 3rd gemm of a step" is one shape).
 *
 *   deno run -A --v8-flags=--no-liftoff bench/threads_profile.ts
 *
 * @module
 */
import * as dn from "../mod.ts";
import { activeBackend } from "../src/backend/select.ts";
import { lenetModel } from "./_lenet.ts";
import { printTable, quantile, QUIET, QUIET_LABEL } from "./_util.ts";

const ROUNDS = 20, STEPS = 10;

await dn.ready({ backend: "threads", threads: 2 });
const { step } = lenetModel();
for (let i = 0; i < 30; i++) step();

type Method = (...args: unknown[]) => unknown;
const be = activeBackend() as unknown as Record<string, Method>;
/** Per thread count, per method, per call index within a step: that call's times. */
const calls: Record<number, Record<string, number[][]>> = { 1: {}, 2: {} };
/** Calls of each method so far in the current step. */
let seen: Record<string, number> = {};
let threads = 1, depth = 0, stepping = false;
const names = new Set<string>();
for (let p = Object.getPrototypeOf(be); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
  for (const name of Object.getOwnPropertyNames(p)) names.add(name);
}
for (const name of names) {
  const fn = be[name];
  if (name === "constructor" || typeof fn !== "function") continue;
  be[name] = function (this: unknown, ...args: unknown[]) {
    if (depth > 0 || !stepping) return fn.apply(this, args);
    depth++;
    const t0 = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      depth--;
      const i = seen[name] = (seen[name] ?? -1) + 1;
      ((calls[threads][name] ??= [])[i] ??= []).push(performance.now() - t0);
    }
  };
}

const steps: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const t of [1, 2]) {
    await dn.ready({ backend: "threads", threads: t });
    threads = t;
    step();
    stepping = true;
    for (let i = 0; i < STEPS; i++) {
      seen = {};
      const t0 = performance.now();
      step();
      steps[t].push(performance.now() - t0);
    }
    stepping = false;
  }
}
await dn.shutdown();

/** A method's milliseconds per step on `t` threads: its calls' quantiles, summed. */
const perStep = (t: number, name: string) =>
  (calls[t][name] ?? []).reduce((sum, times) => sum + quantile(times, QUIET), 0);
const step1 = quantile(steps[1], QUIET), step2 = quantile(steps[2], QUIET);
printTable(
  Object.keys(calls[1]).map((name) => ({ name, one: perStep(1, name), two: perStep(2, name) }))
    .sort((a, b) => b.one - a.one).slice(0, 14).map(({ name, one, two }) => ({
      method: name,
      "1 thread ms": one.toFixed(3),
      "2 threads ms": two.toFixed(3),
      "x": (one / two).toFixed(2),
    })),
  `LeNet-5 step (${QUIET_LABEL}): 1 thread ${step1.toFixed(3)} ms, 2 threads ${
    step2.toFixed(3)
  } ms (${(step1 / step2).toFixed(2)}x); per backend method, ${QUIET_LABEL} ms per step`,
);
