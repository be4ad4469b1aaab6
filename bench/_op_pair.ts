/**
 * A Dendrite op against the same TensorFlow.js op (its wasm backend: XNNPACK, SIMD, one thread)
 * on the same data: the two results are checked against each other once, then both are timed
 * for the op plus the read-back of its result (`dataSync`), the result freed inside the timed
 * call, and compared by the ratio of their p20 call times over interleaved rounds (bench/_util.ts
 * `QUIET`: the fastest fifth of calls, what a call costs when the shared host leaves it alone).
 *
 * In a `deno bench` file (this is how `_matmul_pair.ts` uses it):
 *
 * ```ts
 * const tf = await initTfjsWasm();
 * await dn.ready({ backend: "wasm" });
 * const [dx, tx] = pairInput(tf, [1024, 1024], 1);
 * benchOpPair({
 *   group: "relu 1024x1024",
 *   work: 1024 * 1024, // reported in the GFLOP/s column: here G elements/s
 *   dendrite: () => dn.relu(dx),
 *   tfjs: () => tf.relu(tx),
 * });
 * comparePaired(); // once per file: at unload, interleaved rounds and the "x baseline, p20" column
 * ```
 *
 * `deno bench -A --v8-flags=--no-liftoff bench/<file>.ts` then prints `deno bench`'s table, the
 * GFLOP/s (or work/s) table of bench/_util.ts `timed`, and the interleaved pass, whose
 * "x baseline, p20" column is TF.js's p20 time over Dendrite's (above 1: Dendrite is faster).
 * Outside `deno bench` (a script, a one-off comparison), {@linkcode opRatio} runs the same
 * interleaved rounds and returns the numbers.
 *
 * @module
 */
import * as dn from "../mod.ts";
import type { Tfjs } from "./_tfjs.ts";
import { quantile, QUIET, rounds, timed, timeRound, values } from "./_util.ts";

/** A TF.js tensor. */
export type TfTensor = ReturnType<Tfjs["tensor"]>;

/** One op on both sides, on inputs prepared beforehand. */
export interface OpPair {
  /** The `deno bench` group, stating the op and the shapes (`"relu 1024x1024"`). */
  group: string;
  /** Operations per call, for the rate column (default: the result's element count). */
  work?: number;
  /** Runs Dendrite's op and returns its result (the caller's inputs stay alive). */
  dendrite: () => dn.Tensor;
  /** Runs TF.js's op on the same values. */
  tfjs: () => TfTensor;
  /**
   * How far the two results may differ, `abs + rel·|tfjs|` (default 1e-5 both): a check that the
   * two sides compute the same thing (layout, axes, options), not an accuracy test.
   */
  tol?: { abs: number; rel: number };
}

/**
 * A Dendrite tensor and a TF.js tensor holding the same seeded values (bench/_util.ts `values`,
 * in [-scale, scale), rounded toward zero to whole numbers for int32).
 */
export function pairInput(
  tf: Tfjs,
  shape: number[],
  seed: number,
  { scale = 1, dtype = "float32" }: { scale?: number; dtype?: "float32" | "int32" } = {},
): [dn.Tensor, TfTensor] {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = values(size, seed, scale);
  if (dtype === "float32") return [dn.tensor(v, shape), tf.tensor(v, shape)];
  const ints = Int32Array.from(v, Math.trunc);
  return [dn.tensor(ints, shape, "int32"), tf.tensor(ints, shape, "int32")];
}

/** Throws unless the two results have the same shape and values within `tol` (NaN = NaN). */
export function checkPair(pair: OpPair): void {
  const y = pair.dendrite(), t = pair.tfjs();
  try {
    const got = y.dataSync<dn.DType>(), want = t.dataSync();
    if (y.shape.join() !== t.shape.join() || got.length !== want.length) {
      throw new Error(`${pair.group}: Dendrite gives [${y.shape}], TF.js [${t.shape}]`);
    }
    const { abs, rel } = pair.tol ?? { abs: 1e-5, rel: 1e-5 };
    for (let i = 0; i < want.length; i++) {
      const a = Number(got[i]), b = Number(want[i]);
      const same = Number.isNaN(b)
        ? Number.isNaN(a)
        : a === b || Math.abs(a - b) <= abs + rel * Math.abs(b);
      if (!same) {
        throw new Error(`${pair.group}: Dendrite and TF.js disagree at [${i}]: ${a} vs ${b}`);
      }
    }
  } finally {
    y.dispose();
    t.dispose();
  }
}

/** The two timed calls: op, read-back, dispose. */
function calls(pair: OpPair): { dendrite: () => void; tfjs: () => void } {
  return {
    dendrite: () => {
      const y = pair.dendrite();
      y.dataSync();
      y.dispose();
    },
    tfjs: () => {
      const t = pair.tfjs();
      t.dataSync();
      t.dispose();
    },
  };
}

/** The work of one call: `pair.work`, or the result's element count. */
function workOf(pair: OpPair): number {
  if (pair.work !== undefined) return pair.work;
  const y = pair.dendrite();
  const n = y.size;
  y.dispose();
  return n;
}

/**
 * Registers `pair.group` with TF.js as the baseline and Dendrite on the active backend, after
 * {@linkcode checkPair}. Call bench/_util.ts `comparePaired()` once in the file for the
 * interleaved pass (the p20 ratio) at unload.
 */
export function benchOpPair(pair: OpPair): void {
  checkPair(pair);
  const { dendrite, tfjs } = calls(pair);
  const work = workOf(pair), group = pair.group;
  const name = `dendrite ${dn.backend().name}`;
  Deno.bench({
    group,
    name: "tfjs-backend-wasm",
    baseline: true,
    fn: timed(group, "tfjs-backend-wasm", work, tfjs),
  });
  Deno.bench({ group, name, fn: timed(group, name, work, dendrite) });
}

/** What {@linkcode opRatio} measured, in milliseconds per call. */
export interface OpRatio {
  dendriteP20: number;
  tfjsP20: number;
  /** `tfjsP20 / dendriteP20`: above 1, Dendrite is faster. */
  ratio: number;
}

/**
 * Checks `pair`, then times both sides in `roundCount` interleaved rounds of at least `roundMs`
 * each (a warm-up round of each first) and returns the p20 call times and their ratio.
 */
export function opRatio(pair: OpPair, roundCount = 10, roundMs = 50): OpRatio {
  checkPair(pair);
  const { dendrite, tfjs } = calls(pair);
  const warm = [rounds(), rounds()];
  timeRound(warm[0], dendrite, roundMs);
  timeRound(warm[1], tfjs, roundMs);
  const d = rounds(), t = rounds();
  for (let r = 0; r < roundCount; r++) {
    timeRound(d, dendrite, roundMs);
    timeRound(t, tfjs, roundMs);
  }
  const dendriteP20 = quantile(d.calls, QUIET), tfjsP20 = quantile(t.calls, QUIET);
  return { dendriteP20, tfjsP20, ratio: tfjsP20 / dendriteP20 };
}
