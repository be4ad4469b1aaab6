/**
 * The temporal-difference target of DQN, `y = r + γ (1 - terminated) Q⁻(s', a*)`, on the CPU over
 * a sampled batch: `a*` is the target network's own argmax, or the online network's (Double DQN).
 * A truncated transition is not terminal, so it bootstraps.
 *
 * @module
 */
import { checkArity, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";

/** Arguments of {@linkcode tdTargets}. */
export interface TdTargetArgs {
  /** `[batch]` rewards. */
  rewards: ArrayLike<number>;
  /** `[batch]` terminal flags (non-zero: no bootstrap). */
  terminated: ArrayLike<number>;
  /** `[batch * actions]` target-network values `Q⁻(s', ·)`, row-major. */
  nextQ: ArrayLike<number>;
  /** `[batch * actions]` online values `Q(s', ·)`: when given, `a*` is their argmax (Double DQN). */
  nextQOnline?: ArrayLike<number>;
  /** Number of actions. */
  actions: number;
  /** Discount factor in `[0, 1]`. */
  gamma: number;
  /** Where to write the targets (default a new array). */
  out?: Float32Array;
}

/** Index of the largest of `v[from .. from + n)`, the first on ties (numpy's argmax). */
export function argMaxRow(v: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let a = 1; a < n; a++) if (v[from + a] > v[from + best]) best = a;
  return best;
}

/**
 * DQN's TD targets for a batch: `y[i] = r[i] + γ (1 - terminated[i]) nextQ[i, a*]`, with `a*` the
 * argmax of `nextQ[i]` (DQN) or of `nextQOnline[i]` (Double DQN).
 *
 * @param args `rewards`, `terminated`, `nextQ`, optional `nextQOnline`, `actions`, `gamma`, `out`.
 * @returns `[batch]` targets.
 * @throws {TypeError} For an unknown key.
 * @throws {RangeError} When the lengths disagree, `actions` is not a positive integer or `gamma`
 *   is outside `[0, 1]`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const y = dn.rl.tdTargets({
 *   rewards: [1, 1],
 *   terminated: [0, 1],
 *   nextQ: [2, 4, 8, 16],
 *   actions: 2,
 *   gamma: 0.5,
 * });
 * assert.deepEqual([...y], [3, 1]); // 1 + 0.5 * 4, and no bootstrap after a terminal state
 * ```
 */
export function tdTargets(args: TdTargetArgs): Float32Array {
  const fn = "tdTargets";
  checkArity(arguments, ["args"], fn);
  checkOptions(
    args,
    ["rewards", "terminated", "nextQ", "nextQOnline", "actions", "gamma", "out"],
    fn,
    "args",
  );
  const { rewards, terminated, nextQ, nextQOnline, gamma } = args;
  const n = checkPositiveInt(args.actions, "actions", fn);
  const batch = rewards?.length;
  const lengths: [string, ArrayLike<number> | undefined, number][] = [
    ["terminated", terminated, batch],
    ["nextQ", nextQ, batch * n],
    ["out", args.out, batch],
  ];
  if (nextQOnline !== undefined) lengths.push(["nextQOnline", nextQOnline, batch * n]);
  for (const [arg, v, want] of lengths) {
    if (v !== undefined && v?.length !== want || (arg !== "out" && v === undefined)) {
      throw new RangeError(
        `Cannot run ${fn}(): argument "${arg}" must hold ${want} numbers (batch ${batch}, ${n} actions): got ${
          fmtValue(v?.length ?? v)
        }`,
      );
    }
  }
  if (typeof gamma !== "number" || !(gamma >= 0 && gamma <= 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "gamma" must be in [0, 1]: got ${fmtValue(gamma)}`,
    );
  }
  const out = args.out ?? new Float32Array(batch);
  const select = nextQOnline ?? nextQ;
  for (let i = 0; i < batch; i++) {
    const bootstrap = terminated[i] ? 0 : gamma * nextQ[i * n + argMaxRow(select, i * n, n)];
    out[i] = rewards[i] + bootstrap;
  }
  return out;
}
