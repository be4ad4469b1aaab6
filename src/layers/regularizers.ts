/**
 * Weight regularisers (Keras `L1L2`; TF.js `tf.regularizers.l1`, `l2`, `l1l2`): a layer adds
 * `l1 · Σ|w| + l2 · Σw²` of its regularised weights to the training loss (in `fit`).
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";

/** Penalty factors, 0 for none. */
export interface Regularizer {
  /** Factor of the sum of absolute values. */
  readonly l1: number;
  /** Factor of the sum of squares. */
  readonly l2: number;
}

/** No penalty. */
export const NO_REGULARIZER: Regularizer = Object.freeze({ l1: 0, l2: 0 });

function factor(value: unknown, arg: string, fn: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "${arg}" must be a finite number >= 0: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/**
 * Validates a regulariser argument of the layer factory `fn` (`{ l1?, l2? }`, as the factories
 * below return and saved configs hold); undefined means none.
 */
export function checkRegularizer(value: unknown, arg: string, fn: string): Regularizer {
  if (value === undefined || value === null) return NO_REGULARIZER;
  checkOptions(value, ["l1", "l2"], fn, arg);
  const v = value as { l1?: unknown; l2?: unknown };
  return { l1: factor(v.l1, `${arg}.l1`, fn), l2: factor(v.l2, `${arg}.l2`, fn) };
}

/** The config entry of a regulariser: absent for none, `{ l2 }` or `{ l1, l2 }`. */
export function regularizerConfig(r: Regularizer): { l1?: number; l2: number } | undefined {
  if (r.l1 === 0 && r.l2 === 0) return undefined;
  return r.l1 === 0 ? { l2: r.l2 } : { l1: r.l1, l2: r.l2 };
}

/**
 * An L1 penalty `l1 · Σ|w|` (TF.js `tf.regularizers.l1`), for a layer's `kernelRegularizer`.
 *
 * @param config `l1` (default 0.01).
 * @returns The regulariser.
 * @throws {RangeError} When `l1` is negative or not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const layer = dn.layers.dense({ units: 2, kernelRegularizer: dn.regularizers.l1({ l1: 0.1 }) });
 * assert.deepEqual(layer.getConfig().kernelRegularizer, { l1: 0.1, l2: 0 });
 * ```
 */
export function l1(config: { l1?: number } = {}): Regularizer {
  checkArity(arguments, ["config"], "l1");
  checkOptions(config, ["l1"], "l1", "config");
  return { l1: factor(config.l1 ?? 0.01, "l1", "l1"), l2: 0 };
}

/**
 * An L2 penalty `l2 · Σw²` (TF.js `tf.regularizers.l2`), for a layer's `kernelRegularizer`.
 *
 * @param config `l2` (default 0.01).
 * @returns The regulariser.
 * @throws {RangeError} When `l2` is negative or not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.regularizers.l2(), { l1: 0, l2: 0.01 });
 * ```
 */
export function l2(config: { l2?: number } = {}): Regularizer {
  checkArity(arguments, ["config"], "l2");
  checkOptions(config, ["l2"], "l2", "config");
  return { l1: 0, l2: factor(config.l2 ?? 0.01, "l2", "l2") };
}

/**
 * Both penalties, `l1 · Σ|w| + l2 · Σw²` (TF.js `tf.regularizers.l1l2`).
 *
 * @param config `l1` and `l2` (each default 0.01).
 * @returns The regulariser.
 * @throws {RangeError} When a factor is negative or not finite.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dn.regularizers.l1l2({ l1: 0.001 }), { l1: 0.001, l2: 0.01 });
 * ```
 */
export function l1l2(config: { l1?: number; l2?: number } = {}): Regularizer {
  checkArity(arguments, ["config"], "l1l2");
  checkOptions(config, ["l1", "l2"], "l1l2", "config");
  return {
    l1: factor(config.l1 ?? 0.01, "l1", "l1l2"),
    l2: factor(config.l2 ?? 0.01, "l2", "l1l2"),
  };
}
