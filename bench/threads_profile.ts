/**
 * Where a LeNet-5 training step spends its time on the threads backend with 1 and 2 threads:
 * every backend method is wrapped with a timer (outermost call only), and the two thread counts
 * alternate round by round on the same model and memory. Prints the step time and, per method,
 * milliseconds per step on 1 and 2 threads and their ratio.
 *
 *   deno run -A --v8-flags=--no-liftoff bench/threads_profile.ts
 *
 * @module
 */
import * as dn from "../mod.ts";
import { activeBackend } from "../src/backend/select.ts";
import { lenetModel } from "./_lenet.ts";
import { printTable } from "./_util.ts";

const ROUNDS = 8, STEPS = 20;

await dn.ready({ backend: "threads", threads: 2 });
const { step } = lenetModel();
for (let i = 0; i < 30; i++) step();

type Method = (...args: unknown[]) => unknown;
const be = activeBackend() as unknown as Record<string, Method>;
const spent: Record<number, Record<string, number>> = { 1: {}, 2: {} };
let threads = 1, depth = 0;
const names = new Set<string>();
for (let p = Object.getPrototypeOf(be); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
  for (const name of Object.getOwnPropertyNames(p)) names.add(name);
}
for (const name of names) {
  const fn = be[name];
  if (name === "constructor" || typeof fn !== "function") continue;
  be[name] = function (this: unknown, ...args: unknown[]) {
    if (depth > 0) return fn.apply(this, args);
    depth++;
    const t0 = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      depth--;
      spent[threads][name] = (spent[threads][name] ?? 0) + performance.now() - t0;
    }
  };
}

const total: Record<number, number> = { 1: 0, 2: 0 };
for (let r = 0; r < ROUNDS; r++) {
  for (const t of [1, 2]) {
    await dn.ready({ backend: "threads", threads: t });
    threads = t;
    step();
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) step();
    total[t] += performance.now() - t0;
  }
}
await dn.shutdown();

const n = ROUNDS * STEPS;
const perStep = (ms: number) => (ms / n).toFixed(3);
printTable(
  Object.entries(spent[1]).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({
    method: name,
    "1 thread ms": perStep(ms),
    "2 threads ms": perStep(spent[2][name] ?? 0),
    "x": (ms / (spent[2][name] ?? ms)).toFixed(2),
  })),
  `LeNet-5 step: 1 thread ${perStep(total[1])} ms, 2 threads ${perStep(total[2])} ms (${
    (total[1] / total[2]).toFixed(2)
  }x); per backend method, ms per step`,
);
