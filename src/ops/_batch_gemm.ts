/**
 * The raw (unchecked, unrecorded) products behind `matmul`: one fused GEMM per batch item, each
 * on storage views of its operands (`backend.subarray`), so no operand is copied, broadcast batch
 * dimensions included (a broadcast item is the same view again).
 *
 * @module
 */
import type { Activation, Backend, Storage } from "../backend/backend.ts";
import { activeBackend } from "../backend/select.ts";
import type { Tensor } from "../tensor.ts";
import { broadcastShapes } from "./_broadcast.ts";
import { output } from "./_output.ts";

const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** The batch shape of `a` and `b` broadcast (all but their last two dimensions). */
export function batchShape(a: Tensor, b: Tensor, fn: string): number[] {
  return broadcastShapes([["a", a.shape.slice(0, -2)], ["b", b.shape.slice(0, -2)]], fn);
}

/** For each item of `batch` (row-major), the item of `own` (aligned right, broadcast) it reads. */
function itemsOf(own: readonly number[], batch: readonly number[]): Int32Array {
  const items = new Int32Array(size(batch));
  const lead = batch.length - own.length;
  const step = new Array<number>(batch.length).fill(0);
  for (let i = batch.length - 1, s = 1; i >= lead; i--) {
    const d = own[i - lead];
    step[i] = d === 1 ? 0 : s;
    s *= d;
  }
  for (let t = 0; t < items.length; t++) {
    let rest = t, at = 0;
    for (let i = batch.length - 1; i >= 0; i--) {
      at += (rest % batch[i]) * step[i];
      rest = Math.floor(rest / batch[i]);
    }
    items[t] = at;
  }
  return items;
}

/** Element `item · per` onward of `s`, or `s` itself when it holds a single item. */
function itemView(be: Backend, s: Storage, items: number, item: number, per: number): Storage {
  return items === 1 ? s : be.subarray(s, item * per, per);
}

/**
 * `act(op(a)·op(b) + bias)` of every batch item: `a` `[...batchA, m, k]` (or `[..., k, m]`
 * transposed), `b` `[...batchB, k, n]` (or `[..., n, k]`), result `[...broadcast batch, m, n]`.
 */
export function batchGemm(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  bias: Tensor | null,
  activation: Activation,
  fn = "matmul",
): Tensor {
  const ar = a.shape[a.rank - 2], ac = a.shape[a.rank - 1];
  const br = b.shape[b.rank - 2], bc = b.shape[b.rank - 1];
  const m = transA ? ac : ar, k = transA ? ar : ac, n = transB ? br : bc;
  const be = activeBackend();
  const gemm = (sa: Storage, sb: Storage, sc: Storage) =>
    be.gemm({
      a: sa,
      b: sb,
      c: sc,
      m,
      n,
      k,
      transA,
      transB,
      bias: bias?.storage ?? null,
      activation,
      beta: 0,
    });
  if (a.rank === 2 && b.rank === 2) {
    // No batch dimensions: one GEMM, without mapping batch items (the common dense layer).
    const c = output([m, n], fn);
    gemm(a.storage, b.storage, c.storage);
    return c;
  }
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = batchShape(a, b, fn);
  const c = output([...batch, m, n], fn);
  const count = size(batch), nA = size(batchA), nB = size(batchB);
  if (count === 0) return c;
  const itemsA = itemsOf(batchA, batch), itemsB = itemsOf(batchB, batch);
  for (let t = 0; t < count; t++) {
    gemm(
      itemView(be, a.storage, nA, itemsA[t], m * k),
      itemView(be, b.storage, nB, itemsB[t], k * n),
      itemView(be, c.storage, count, t, m * n),
    );
  }
  return c;
}
