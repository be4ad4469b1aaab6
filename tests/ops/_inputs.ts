/** Seeded inputs for the op conformance tests: f64 values already rounded to f32, and tensors. */
import * as dn from "../../mod.ts";
import { gradInput } from "../_util/gradcheck.ts";

/** Seeded f32-rounded values in [lo, hi] with their shape (as `gradInput`). */
export interface Input {
  shape: number[];
  data: Float64Array;
}

/** `size` seeded values in [lo, hi] (default [-1, 1]) for `shape`. */
export function input(shape: number[], seed: number, lo = -1, hi = 1): Input {
  return gradInput(shape, seed, lo, hi);
}

/** Seeded values of magnitude in [margin, 1] with random signs: away from a kink at 0. */
export function awayFromZero(shape: number[], seed: number, margin = 0.1): Input {
  const { data } = gradInput(shape, seed);
  return {
    shape,
    data: data.map((v) => Math.fround(Math.sign(v || 1) * (margin + (1 - margin) * Math.abs(v)))),
  };
}

/** Distinct values (a seeded permutation of steps of 1/size in [-1, 1)): no ties for max. */
export function distinct(shape: number[], seed: number): Input {
  const size = shape.reduce((a, b) => a * b, 1);
  const keys = gradInput([size], seed).data;
  const order = [...keys.keys()].sort((i, j) => keys[i] - keys[j]);
  const data = new Float64Array(size);
  order.forEach((slot, rank) => (data[slot] = Math.fround(-1 + (2 * rank) / size)));
  return { shape, data };
}

/** A tensor holding the input's values. */
export function toTensor(x: Input): dn.Tensor {
  return dn.tensor(Float32Array.from(x.data), x.shape);
}
