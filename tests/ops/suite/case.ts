/**
 * One op-suite case (STYLE C11): an op run on given inputs, checked against a float64 reference,
 * optionally gradient-checked by central differences, on every backend the suite runs on
 * (tests/ops/suite/*_test.ts: wasm, threads, webgpu). Every file in `cases/` exports
 * `CASES: OpCase[]`; the runner imports them all. An exclusion names the backend and says why.
 */
import type * as dn from "../../../mod.ts";

/** The backends the suite runs on. */
export type SuiteBackend = "wasm" | "threads" | "webgpu";

/** Element types a case may use. */
export type CaseDType = "float32" | "int32" | "bool";

/** One input: its shape, and explicit values or a seeded draw in `range` (default [-2, 2]). */
export interface CaseInput {
  shape: number[];
  dtype?: CaseDType;
  /** Row-major values; when absent, seeded uniform draws (integers for int32, 0/1 for bool). */
  values?: number[];
  seed?: number;
  range?: [number, number];
}

/** An expected output: shape, dtype (default float32) and row-major values. */
export interface CaseOutput {
  shape: number[];
  dtype?: CaseDType;
  values: ArrayLike<number>;
}

/** One case. */
export interface OpCase {
  /** The public op under test, as exported by mod.ts (`"slice"`). */
  op: string;
  /** What this case covers (`"3-D, begin [1, 0, 2], tile edge 17"`). */
  label: string;
  inputs: CaseInput[];
  /** Runs the op on the inputs (as tensors on the active backend). */
  run(...xs: dn.Tensor[]): dn.Tensor | dn.Tensor[];
  /** The float64 reference on the same inputs (values already rounded to their dtype). */
  reference(xs: Float64Array[]): CaseOutput | CaseOutput[];
  /** |got - want| <= abs + rel·|want|; default exact (0, 0). */
  tol?: { abs: number; rel: number };
  /**
   * The bound on webgpu, where WGSL's builtins are only bounded to a few ulp and compilers may
   * contract `a·b + c` into fma; default: `tol` widened to at least `Tol.gpu` (abs 1e-5,
   * rel 1e-4) for float32 outputs, exact for int32 and bool.
   */
  webgpuTol?: { abs: number; rel: number };
  /** The gradient check's bound; default abs 1e-4, rel 1e-3 (tests/ops/suite/_grad.ts). */
  gradTol?: { abs: number; rel: number };
  /**
   * Central-difference gradient check of `Σ w ⊙ run(...xs)` (float32 inputs only) against the
   * reference, which is re-run on perturbed inputs (so it must compute from its argument);
   * `true` checks every float input, or list the input positions. Keep inputs away from kinks by
   * more than the suite's step h = 1e-3·max(1, |x|).
   */
  grad?: boolean | number[];
  /** Backends this case skips, each with the reason. */
  exclude?: Partial<Record<SuiteBackend, string>>;
}
