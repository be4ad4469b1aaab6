import * as dn from "../../mod.ts";
import { clip } from "../_reference/optim.ts";
import { weightedClipSum } from "../_reference/losses.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradcheck, gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { assertNoLeak } from "../losses/_helpers.ts";

Deno.test("clipByValue() matches the reference at sizes around the SIMD width and unroll", () => {
  for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 17, 129]) {
    const x = randomF32(n, n).map((v) => Math.fround(3 * v));
    using t = dn.tensor(Float32Array.from(x), [n]);
    using y = dn.clipByValue(t, -1.5, 0.25);
    assertClose(y.dataSync(), clip(x, -1.5, Math.fround(0.25)), Tol.exact, `clipByValue n=${n}`);
  }
});

Deno.test("clipByValue() keeps NaN, clamps infinities, and accepts infinite bounds", () => {
  using x = dn.tensor([NaN, Infinity, -Infinity, 2]);
  using y = dn.clipByValue(x, -1, 1);
  assertEquals([...y.dataSync()], [NaN, 1, -1, 1]);
  using open = dn.clipByValue(x, 0, Infinity);
  assertEquals([...open.dataSync()], [NaN, Infinity, 0, 2]);
});

Deno.test("clipByValue() gradient matches central differences of the reference", () => {
  const x = gradInput([3, 7], 11, -1, 1);
  const w = gradInput([3, 7], 12, -2, 2);
  using wt = dn.tensor(Float32Array.from(w.data), w.shape);
  gradcheck(
    "clipByValue [3, 7] to [-0.5, 0.5]",
    (t) => dn.sum(dn.mul(dn.clipByValue(t, -0.5, 0.5), wt)),
    ([xs]) => weightedClipSum(xs, w.data, -0.5, 0.5),
    [x],
  );
});

Deno.test("clipByValue() gradient passes at the bounds and is 0 outside and at NaN", () => {
  using x = dn.tensor([-2, -1, 0, 1, 2, NaN]);
  const [g] = dn.grads((t) => dn.sum(dn.clipByValue(t, -1, 1)))([x]);
  assertEquals([...g.dataSync()], [0, 1, 1, 1, 0, 0]);
  g.dispose();
});

Deno.test("clipByValue() with lo equal to hi gives a constant", () => {
  using x = dn.tensor([-1, 0.5, 3]);
  using y = dn.clipByValue(x, 0.5, 0.5);
  assertEquals([...y.dataSync()], [0.5, 0.5, 0.5]);
});

Deno.test("clipByValue() leaks no tensor under a gradient", () => {
  using x = dn.tensor([0.1, 2]);
  assertNoLeak(() => {
    const [g] = dn.grads((t) => dn.sum(dn.clipByValue(t, 0, 1)))([x]);
    g.dispose();
  });
});

Deno.test("clipByValue() rejects a non-tensor, a NaN bound, and lo > hi", () => {
  assertThrows(
    () => dn.clipByValue([1, 2] as never, 0, 1),
    TypeError,
    'Cannot run clipByValue(): argument "x" must be a Tensor',
  );
  using x = dn.tensor([1]);
  assertThrows(() => dn.clipByValue(x, NaN, 1), TypeError, 'argument "lo" must be a number');
  assertThrows(
    () => dn.clipByValue(x, 0, "1" as never),
    TypeError,
    'argument "hi" must be a number',
  );
  assertThrows(
    () => dn.clipByValue(x, 2, 1),
    RangeError,
    'argument "lo" must not exceed "hi": got 2 and 1',
  );
});
