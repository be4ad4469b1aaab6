/**
 * Per-weight regularisers and constraints under Keras's argument names (`<weight>Regularizer`,
 * `<weight>Constraint`, e.g. `recurrentRegularizer`, `embeddingsConstraint`): their validation,
 * the `addWeight` option of each weight, and their config entries (set ones only).
 *
 * @module
 */
import { checkConstraint, type Constraint, constraintConfig } from "./constraints.ts";
import { checkRegularizer, type Regularizer, regularizerConfig } from "./regularizers.ts";

/** The penalty and projection of one weight. */
export interface WeightPenalty {
  /** Added to the training loss (`l1 · Σ|w| + l2 · Σw²`). */
  readonly regularizer: Regularizer;
  /** Applied after each optimizer step; null for none. */
  readonly constraint: Constraint | null;
}

/** The argument keys of the weights `names` (`kernel` → `kernelRegularizer`, `kernelConstraint`). */
export function weightPenaltyKeys(names: readonly string[]): string[] {
  return names.flatMap((n) => [`${n}Regularizer`, `${n}Constraint`]);
}

/** Validates the `<name>Regularizer` and `<name>Constraint` arguments of `fn` for each name. */
export function checkWeightPenalties<N extends string>(
  args: Record<string, unknown>,
  names: readonly N[],
  fn: string,
): Record<N, WeightPenalty> {
  const out = {} as Record<N, WeightPenalty>;
  for (const n of names) {
    out[n] = {
      regularizer: checkRegularizer(args[`${n}Regularizer`], `${n}Regularizer`, fn),
      constraint: checkConstraint(args[`${n}Constraint`], `${n}Constraint`, fn),
    };
  }
  return out;
}

/** The config entries of the set penalties (`<name>Regularizer`, `<name>Constraint`). */
export function weightPenaltyConfig(
  penalties: Record<string, WeightPenalty>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [n, p] of Object.entries(penalties)) {
    const r = regularizerConfig(p.regularizer);
    if (r) out[`${n}Regularizer`] = r;
    if (p.constraint) out[`${n}Constraint`] = constraintConfig(p.constraint);
  }
  return out;
}
