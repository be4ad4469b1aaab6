/**
 * Weight constraints (Keras/TF.js `MaxNorm`, `NonNeg`, `UnitNorm`): projections `fit` applies
 * to a weight after each optimizer step (`kernelConstraint`, `biasConstraint`). Norms are taken
 * over `axis` (default 0: per output unit of a `[inputs, units]` kernel), with Keras's
 * epsilon 1e-7 in the divisions.
 *
 * @module
 */
import { checkArity, checkFinite, checkOptions, fmtValue } from "../_check.ts";
import { withoutRecording } from "../autograd/tape.ts";
import { activeBackend } from "../backend/select.ts";
import { add, div, minimum, mul } from "../ops/arithmetic.ts";
import { cast } from "../ops/cast.ts";
import { greaterEqual } from "../ops/compare.ts";
import { sum } from "../ops/reduce.ts";
import { sqrt, square } from "../ops/unary.ts";
import { tidy } from "../scope.ts";
import type { Tensor } from "../tensor.ts";

const EPSILON = 1e-7;

/** A projection of a weight, with its Keras class name and config for saving. */
export interface Constraint {
  /** The Keras class name, saved with the layer. */
  readonly className: "MaxNorm" | "NonNeg" | "UnitNorm";
  /** The projected values of `w` (a new tensor). */
  apply(w: Tensor): Tensor;
  /** The Keras config (JSON-able), saved with the layer. */
  getConfig(): Record<string, unknown>;
}

function checkAxis(value: unknown, fn: string): number {
  const axis = value ?? 0;
  if (!Number.isInteger(axis)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "axis" must be an integer: got ${fmtValue(axis)}`,
    );
  }
  return axis as number;
}

/** `sqrt(Σ w² over axis)`, kept for broadcasting. */
function norms(w: Tensor, axis: number): Tensor {
  return sqrt(sum(square(w), axis < 0 ? axis + w.rank : axis, true));
}

/**
 * Caps the norm of each slice along `axis` at `maxValue` (Keras `MaxNorm`):
 * `w · min(n, maxValue) / (n + 1e-7)`.
 *
 * @param config `maxValue` (default 2), `axis` (default 0).
 * @returns The constraint.
 * @throws {RangeError} When `maxValue` is negative or not finite.
 * @throws {TypeError} When `axis` is not an integer or a key is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.constraints.maxNorm({ maxValue: 1 }).apply(dn.tensor([[3], [4]]));
 * assert.ok(Math.abs(w.dataSync()[0] - 0.6) < 1e-6);
 * ```
 */
export function maxNorm(config: { maxValue?: number; axis?: number } = {}): Constraint {
  checkArity(arguments, ["config"], "maxNorm");
  checkOptions(config, ["maxValue", "axis"], "maxNorm", "config");
  const maxValue = checkFinite(config.maxValue ?? 2, "maxValue", "maxNorm");
  if (maxValue < 0) {
    throw new RangeError(`Cannot run maxNorm(): argument "maxValue" must be >= 0: got ${maxValue}`);
  }
  const axis = checkAxis(config.axis, "maxNorm");
  return {
    className: "MaxNorm",
    apply: (w) =>
      tidy(() => {
        const n = norms(w, axis);
        return mul(w, div(minimum(n, maxValue), add(n, EPSILON)));
      }),
    getConfig: () => ({ maxValue, axis }),
  };
}

/**
 * Sets negative weights to 0 (Keras `NonNeg`).
 *
 * @returns The constraint.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.constraints.nonNeg().apply(dn.tensor([-1, 2]));
 * assert.deepEqual([...w.dataSync()].map((v) => v + 0), [0, 2]); // -1 · 0 is -0, as in Keras
 * ```
 */
export function nonNeg(): Constraint {
  checkArity(arguments, [], "nonNeg");
  return {
    className: "NonNeg",
    apply: (w) => tidy(() => mul(w, cast(greaterEqual(w, 0), "float32"))),
    getConfig: () => ({}),
  };
}

/**
 * Scales each slice along `axis` to norm 1 (Keras `UnitNorm`): `w / (n + 1e-7)`.
 *
 * @param config `axis` (default 0).
 * @returns The constraint.
 * @throws {TypeError} When `axis` is not an integer or a key is unknown.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const w = dn.constraints.unitNorm().apply(dn.tensor([[3, 0], [4, 2]]));
 * assert.ok(Math.abs(w.dataSync()[3] - 1) < 1e-6);
 * ```
 */
export function unitNorm(config: { axis?: number } = {}): Constraint {
  checkArity(arguments, ["config"], "unitNorm");
  checkOptions(config, ["axis"], "unitNorm", "config");
  const axis = checkAxis(config.axis, "unitNorm");
  return {
    className: "UnitNorm",
    apply: (w) => tidy(() => div(w, add(norms(w, axis), EPSILON))),
    getConfig: () => ({ axis }),
  };
}

const BY_CLASS = {
  MaxNorm: (c: Record<string, unknown>) => maxNorm(c as { maxValue?: number; axis?: number }),
  NonNeg: () => nonNeg(),
  UnitNorm: (c: Record<string, unknown>) => unitNorm(c as { axis?: number }),
};

/**
 * Validates a constraint argument of `fn`: a constraint, or `{ className, config }` as saved
 * configs hold it; undefined or null means none.
 */
export function checkConstraint(value: unknown, arg: string, fn: string): Constraint | null {
  if (value === undefined || value === null) return null;
  const v = value as { className?: unknown; config?: unknown; apply?: unknown };
  if (typeof v.className === "string" && Object.hasOwn(BY_CLASS, v.className)) {
    if (typeof v.apply === "function") return value as Constraint;
    return BY_CLASS[v.className as keyof typeof BY_CLASS](
      (v.config ?? {}) as Record<string, unknown>,
    );
  }
  throw new TypeError(
    `Cannot run ${fn}(): argument "${arg}" must be a constraint (dn.constraints.maxNorm, nonNeg, unitNorm): got ${
      fmtValue(value)
    }`,
  );
}

/** A constraint as a layer's config stores it. */
export function constraintConfig(
  c: Constraint,
): { className: string; config: Record<string, unknown> } {
  return { className: c.className, config: c.getConfig() };
}

/** Projects every constrained weight of `layers` in place (after an optimizer step). */
export function applyConstraints(
  layers: readonly { weights: readonly { value: Tensor; constraint?: Constraint | null }[] }[],
): void {
  const backend = activeBackend();
  withoutRecording(() => {
    for (const layer of layers) {
      for (const w of layer.weights) {
        if (!w.constraint) continue;
        using next = w.constraint.apply(w.value);
        backend.copy(next.storage, 0, w.value.storage, 0, w.value.size);
      }
    }
  });
}
