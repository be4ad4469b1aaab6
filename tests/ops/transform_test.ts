/**
 * `dn.reshape()` and `dn.transpose()` against the float64 reference (STYLE C8): both only move
 * values, so the comparison is `Tol.exact`. Transpose sizes straddle the kernel's 4x4 blocks and
 * 32x16 tiles and their tails; zero-size tensors give empty results.
 */
import * as dn from "../../mod.ts";
import { transpose2d } from "../_reference/broadcast.ts";
import { assertEquals } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { input, toTensor } from "./_inputs.ts";

const TRANSPOSE_SHAPES: [number, number][] = [
  [1, 1],
  [1, 9],
  [9, 1],
  [3, 5],
  [4, 4],
  [4, 8],
  [8, 4],
  [7, 9],
  [31, 15],
  [32, 16],
  [33, 17],
  [17, 129],
  [127, 513],
];

for (const [rows, cols] of TRANSPOSE_SHAPES) {
  Deno.test(`transpose() matches the reference exactly on ${rows}x${cols}`, () => {
    const x = input([rows, cols], rows * 1000 + cols);
    using t = toTensor(x);
    using y = dn.transpose(t);
    assertEquals(y.shape, [cols, rows]);
    assertClose(y.dataSync(), transpose2d(x.data, rows, cols), Tol.exact, `${rows}x${cols}`);
  });
}

Deno.test("transpose() twice gives back the input and keeps NaN and infinities", () => {
  using x = dn.tensor([[NaN, 1, Infinity], [-0, -Infinity, 2]]);
  using y = dn.transpose(x);
  assertEquals([...y.dataSync()], [NaN, -0, 1, -Infinity, Infinity, 2]);
  using z = dn.transpose(y);
  assertEquals([...z.dataSync()], [...x.dataSync()]);
});

Deno.test("transpose() of a zero-size matrix is empty", () => {
  using x = dn.zeros([0, 3]);
  using y = dn.transpose(x);
  assertEquals(y.shape, [3, 0]);
  assertEquals(y.dataSync().length, 0);
});

Deno.test("reshape() keeps the row-major values under every new shape, with -1 inferred", () => {
  const x = input([2, 3, 4], 7);
  using t = toTensor(x);
  for (
    const [shape, want] of [
      [[24], [24]],
      [[4, 6], [4, 6]],
      [[2, -1], [2, 12]],
      [[-1, 3, 2], [4, 3, 2]],
      [[1, 2, 1, 12, 1], [1, 2, 1, 12, 1]],
    ]
  ) {
    using y = dn.reshape(t, shape);
    assertEquals(y.shape, want);
    assertClose(y.dataSync(), x.data, Tol.exact, `reshape to [${shape}]`);
  }
  using s = dn.reshape(dn.tensor([5]), []);
  assertEquals(s.shape, []);
});

Deno.test("reshape() of a zero-size tensor works, with -1 inferred from the other dimensions", () => {
  using x = dn.zeros([0, 3]);
  using y = dn.reshape(x, [3, 0]);
  assertEquals(y.shape, [3, 0]);
  using z = dn.reshape(x, [-1, 3]);
  assertEquals(z.shape, [0, 3]);
  assertEquals(z.dataSync().length, 0);
});
