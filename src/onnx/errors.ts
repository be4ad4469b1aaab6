/**
 * The error an ONNX model with operators we cannot run throws at load.
 *
 * @module
 */

/**
 * Thrown by `InferenceSession.create()` when the model uses operators (or operator domains) that
 * Dendrite does not implement; `operators` lists every one of them, so a caller can report them
 * all at once.
 *
 * @example
 * ```ts
 * import { UnsupportedOperatorError } from "@dendrite/dendrite/onnx";
 * import assert from "node:assert/strict";
 * const error = new UnsupportedOperatorError(["NonMaxSuppression", "com.microsoft:Attention"]);
 * assert.deepEqual(error.operators, ["NonMaxSuppression", "com.microsoft:Attention"]);
 * ```
 */
export class UnsupportedOperatorError extends TypeError {
  /** The unsupported operator types, `domain:OpType` outside the default domain. */
  readonly operators: readonly string[];

  /**
   * An error listing `operators`.
   *
   * @param operators The unsupported operator types.
   */
  constructor(operators: readonly string[]) {
    super(
      `Cannot load ONNX model: it uses operators Dendrite does not support: ${
        operators.join(", ")
      }`,
    );
    this.name = "UnsupportedOperatorError";
    this.operators = operators;
  }
}
