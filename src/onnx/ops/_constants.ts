/**
 * Helpers for kernels: device copies of host tensors, load-time weight transforms, and axis
 * permutations that are views where they can be.
 *
 * @module
 */
import { tensor } from "../../ops/creation.ts";
import type { Tensor } from "../../tensor.ts";
import { reshape, transpose } from "../../ops/transform.ts";
import type { HostTensor } from "../_proto.ts";

/** A device tensor holding `h`. */
export function toTensor(h: HostTensor): Tensor {
  return tensor(h.data, h.shape, h.dtype);
}

/** `h` times `k` (float32), or `h` itself when `k` is 1. */
export function scaled(h: HostTensor, k: number): HostTensor {
  if (k === 1) return h;
  return { dtype: "float32", shape: h.shape, data: Float32Array.from(h.data, (v) => v * k) };
}

/** `h` with its axes permuted by `perm` (a load-time layout change). */
export function permuted(h: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((p) => h.shape[p]);
  const strides = h.shape.map((_, i) => h.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(h.data.length);
  const index = new Array(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += index[d] * strides[perm[d]];
    out[i] = h.data[src];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return { dtype: h.dtype, shape, data: out };
}

/**
 * `x` with its axes permuted by `perm`: a reshape (a view, no copy) when the axes longer than 1
 * keep their order, as when the batch or the channels are 1; else a transpose.
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const moved = perm.filter((p) => x.shape[p] !== 1);
  const shape = perm.map((p) => x.shape[p]);
  return moved.every((p, i) => i === 0 || moved[i - 1] < p)
    ? reshape(x, shape)
    : transpose(x, perm);
}
