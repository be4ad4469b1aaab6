/**
 * A case's inputs (tests/ops/suite/case.ts): explicit values or seeded draws, rounded to their
 * dtype, kept in float64 for the reference and made into tensors on the active backend.
 *
 * @module
 */
import * as dn from "../../../mod.ts";
import { rng } from "../../_util/rng.ts";
import type { CaseDType, CaseInput, OpCase } from "./case.ts";

/** Deterministic 32-bit hash of a string (FNV-1a): default seeds that survive reordering. */
export function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The element count of `shape`. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** `x` rounded to what `dtype` stores (int32 truncates as `cast` does, bool is `x != 0`). */
function roundTo(dtype: CaseDType, x: number): number {
  if (dtype === "float32") return Math.fround(x);
  if (dtype === "int32") return x | 0;
  return x !== 0 ? 1 : 0;
}

/**
 * The values of input `k` of `c`: its explicit `values`, else seeded draws in `range` (default
 * [-2, 2]): uniform floats rounded to f32, whole numbers in [lo, hi] for int32, 0 or 1 for bool.
 */
export function inputValues(c: OpCase, k: number): Float64Array {
  const input: CaseInput = c.inputs[k];
  const dtype = input.dtype ?? "float32";
  const n = sizeOf(input.shape);
  if (input.values) {
    if (input.values.length !== n) {
      throw new Error(
        `case "${c.op}: ${c.label}": input ${k} has ${input.values.length} values for shape [${input.shape}] (${n})`,
      );
    }
    return Float64Array.from(input.values, (v) => roundTo(dtype, v));
  }
  const [lo, hi] = input.range ?? [-2, 2];
  const draw = rng(input.seed ?? hashSeed(`${c.op}|${c.label}|${k}`));
  const unit = () => (draw() + 1) / 2; // [0, 1)
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (dtype === "float32") out[i] = Math.fround(lo + (hi - lo) * unit());
    else if (dtype === "int32") out[i] = Math.min(hi, Math.floor(lo + (hi - lo + 1) * unit()));
    else out[i] = unit() < 0.5 ? 0 : 1;
  }
  return out;
}

/** Every input's values. */
export function allInputValues(c: OpCase): Float64Array[] {
  return c.inputs.map((_, k) => inputValues(c, k));
}

/** A tensor of `dtype` holding `values` on the active backend. */
export function toTensor(values: Float64Array, shape: number[], dtype: CaseDType): dn.Tensor {
  if (dtype === "float32") return dn.tensor(Float32Array.from(values), shape);
  const typed = dtype === "int32" ? Int32Array.from(values) : Uint8Array.from(values);
  return dn.tensor(typed, shape, dtype);
}

/** The tensors of a case's inputs, in order. */
export function inputTensors(c: OpCase, values: Float64Array[]): dn.Tensor[] {
  const made: dn.Tensor[] = [];
  try {
    c.inputs.forEach((input, k) => {
      made.push(toTensor(values[k], input.shape, input.dtype ?? "float32"));
    });
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
  return made;
}
