/**
 * Target-network updates: a hard copy (`w⁻ ← w`) or a soft (Polyak) one
 * (`w⁻ ← τ w + (1 - τ) w⁻`), over every weight (moving statistics included, as Stable-Baselines3
 * does).
 *
 * @module
 */
import { checkArity, fmtValue } from "../_check.ts";
import { LayersModel } from "../models/layers_model.ts";
import { add, mul } from "../ops/arithmetic.ts";
import { keep, tidy } from "../scope.ts";

/**
 * Moves `target`'s weights towards `online`'s: `w⁻ ← τ w + (1 - τ) w⁻`; `tau` 1 copies them.
 *
 * @param target The target network (updated in place).
 * @param online The network it follows, of the same architecture.
 * @param tau Step in `(0, 1]` (default 1: a hard update).
 * @throws {TypeError} When a model is not a `LayersModel`.
 * @throws {RangeError} When `tau` is outside `(0, 1]` or the weights differ in count or shape.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const online = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1], useBias: false })]);
 * const target = dn.cloneModel(online);
 * online.setWeights([dn.tensor([[2]])]);
 * target.setWeights([dn.tensor([[0]])]);
 * dn.rl.updateTarget(target, online, 0.25);
 * assert.deepEqual([...target.getWeights()[0].dataSync()], [0.5]);
 * ```
 */
export function updateTarget(target: LayersModel, online: LayersModel, tau = 1): void {
  const fn = "updateTarget";
  checkArity(arguments, ["target", "online", "tau"], fn);
  for (const [arg, m] of [["target", target], ["online", online]] as const) {
    if (!(m instanceof LayersModel)) {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${arg}" must be a LayersModel: got ${fmtValue(m)}`,
      );
    }
  }
  if (typeof tau !== "number" || !(tau > 0 && tau <= 1)) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "tau" must be in (0, 1]: got ${fmtValue(tau)}`,
    );
  }
  const from = online.weights.map((w) => w.value);
  if (tau === 1) {
    target.setWeights(from);
    return;
  }
  const to = target.weights.map((w) => w.value);
  if (to.length !== from.length) {
    throw new RangeError(
      `Cannot run ${fn}(): the models must have as many weights: got ${to.length} and ${from.length}`,
    );
  }
  const mixed = tidy(() => from.map((w, i) => keep(add(mul(w, tau), mul(to[i], 1 - tau)))));
  try {
    target.setWeights(mixed);
  } finally {
    for (const t of mixed) t.dispose();
  }
}
