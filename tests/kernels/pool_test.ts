/**
 * Raw-kernel tests of assembly/pool.ts against the float64 references in tests/_reference/pool.ts,
 * on the release (plain and shared) and debug builds (STYLE C8-C10). Configurations cover odd
 * sizes, "same"/"valid" padding, strides below, at and above the pool size (overlapping and
 * skipping windows), batch 1 and 16, and channel counts that straddle the 8-wide body, the 4-wide
 * body and the scalar tail (1, 3, 4, 5, 8, 9, 12, 16, 17). Every buffer sits between NaN-payload
 * guards, checked after every call; a run split into batch ranges must give the bytes of one
 * call, and the backwards must overwrite whatever dx held.
 *
 * Error bounds (STYLE C9), inputs and dy in [-1, 1], ε = 2^-24:
 *   max           exact (a selection).
 *   avg           an f32 sum of k = ph·pw terms then one division: Tol.dot(k + 1).
 *   max'          dx sums the dy of the windows sharing an argmax, at most K = ⌈ph/sh⌉·⌈pw/sw⌉
 *                 terms: Tol.dot(K).
 *   avg'          dy / count (one rounding) summed over at most K windows: Tol.dot(K + 1).
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { bits, wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import {
  avgPool,
  avgPoolBackward,
  maxPool,
  maxPoolBackward,
  type PoolGeometry,
  poolGeometry,
} from "../_reference/pool.ts";

const harnesses = await kernelHarnesses();

type Config = [
  shape: [number, number, number, number],
  pool: [number, number],
  strides: [number, number],
  padding: "same" | "valid",
];

/** Twenty-odd configurations (see the header). */
const CONFIGS: Config[] = [
  [[1, 4, 4, 1], [2, 2], [2, 2], "valid"],
  [[2, 5, 7, 3], [3, 3], [2, 2], "same"],
  [[2, 5, 7, 3], [3, 3], [2, 2], "valid"],
  [[1, 7, 7, 4], [3, 3], [1, 1], "same"],
  [[3, 6, 5, 5], [2, 3], [2, 1], "same"],
  [[2, 9, 9, 8], [3, 3], [2, 2], "same"],
  [[2, 9, 9, 17], [3, 3], [2, 2], "valid"],
  [[1, 1, 1, 17], [1, 1], [1, 1], "valid"],
  [[16, 4, 4, 3], [2, 2], [2, 2], "valid"],
  [[16, 5, 5, 1], [3, 3], [2, 2], "same"],
  [[1, 8, 3, 5], [4, 2], [3, 2], "same"],
  [[2, 6, 6, 4], [2, 2], [3, 3], "valid"],
  [[2, 7, 6, 9], [2, 2], [3, 3], "same"],
  [[1, 13, 11, 17], [5, 3], [2, 3], "same"],
  [[1, 3, 3, 8], [3, 3], [1, 1], "valid"],
  [[2, 4, 4, 5], [4, 4], [1, 1], "same"],
  [[1, 17, 1, 3], [3, 1], [2, 1], "same"],
  [[3, 2, 9, 1], [1, 4], [1, 4], "same"],
  [[1, 10, 10, 9], [2, 2], [1, 1], "valid"],
  [[2, 7, 7, 12], [7, 7], [1, 1], "valid"],
  [[2, 5, 5, 16], [5, 5], [5, 5], "same"],
  [[16, 3, 5, 17], [3, 3], [2, 2], "same"],
  [[2, 8, 8, 6], [2, 2], [2, 2], "valid"],
  [[2, 7, 7, 6], [3, 3], [1, 1], "same"],
  [[2, 5, 6, 2], [3, 3], [2, 2], "same"],
  [[1, 6, 6, 7], [3, 3], [1, 1], "same"],
];

const sizes = (g: PoolGeometry) => ({
  x: g.n * g.h * g.w * g.c,
  y: g.n * g.oh * g.ow * g.c,
});
/** The kernels' geometry arguments, in ABI order. */
const args = (g: PoolGeometry) =>
  [g.n, g.h, g.w, g.c, g.ph, g.pw, g.sh, g.sw, g.padTop, g.padLeft, g.oh, g.ow] as const;

for (const [shape, pool, strides, padding] of CONFIGS) {
  const g = poolGeometry(shape, pool, strides, padding);
  const name = `[${shape}] pool [${pool}] strides [${strides}] "${padding}"`;
  const seed = shape.reduce((a, b) => a * 31 + b, pool[0] * 7 + strides[1]);
  const n = sizes(g);
  const x = randomF32(n.x, seed);
  const dy = randomF32(n.y, seed + 1);
  const overlap = Math.ceil(g.ph / g.sh) * Math.ceil(g.pw / g.sw);

  Deno.test(`f32_maxpool2d_nhwc() and its backward match f64 reference for ${name}`, () => {
    const y = maxPool(x, g);
    const dx = maxPoolBackward(x, dy, g);
    for (const h of harnesses) {
      const px = h.f32(n.x, x), pdy = h.f32(n.y, dy);
      const got = wholeAndSplit(h, n.y, g.n, (py, b, e) => {
        h.k.f32_maxpool2d_nhwc(px, py, ...args(g), b, e);
      });
      assertClose(got, y, Tol.exact, `f32_maxpool2d_nhwc [${h.name}] ${name}`);
      const py = h.f32(n.y, got);
      const gotDx = wholeAndSplit(h, n.x, g.n, (pdx, b, e) => {
        h.k.f32_maxpool2d_nhwc_bwd(px, py, pdy, pdx, ...args(g), b, e);
      });
      assertClose(gotDx, dx, Tol.dot(overlap), `f32_maxpool2d_nhwc_bwd [${h.name}] ${name}`);
      h.reset();
    }
  });

  Deno.test(`f32_avgpool2d_nhwc() and its backward match f64 reference for ${name}`, () => {
    const y = avgPool(x, g);
    const dx = avgPoolBackward(dy, g);
    for (const h of harnesses) {
      const px = h.f32(n.x, x), pdy = h.f32(n.y, dy);
      const got = wholeAndSplit(h, n.y, g.n, (py, b, e) => {
        h.k.f32_avgpool2d_nhwc(px, py, ...args(g), b, e);
      });
      assertClose(got, y, Tol.dot(g.ph * g.pw + 1), `f32_avgpool2d_nhwc [${h.name}] ${name}`);
      const gotDx = wholeAndSplit(h, n.x, g.n, (pdx, b, e) => {
        h.k.f32_avgpool2d_nhwc_bwd(pdy, pdx, ...args(g), b, e);
      });
      assertClose(gotDx, dx, Tol.dot(overlap + 1), `f32_avgpool2d_nhwc_bwd [${h.name}] ${name}`);
      h.reset();
    }
  });
}

for (const c of [1, 2, 3, 4, 5, 6, 7, 8, 17]) {
  const g = poolGeometry([2, 5, 5, c], [3, 3], [2, 2], "same");
  const n = sizes(g);

  Deno.test(`f32_maxpool2d_nhwc() propagates NaN and routes its gradient to the first NaN, c = ${c}`, () => {
    const x = randomF32(n.x, 40 + c);
    // A NaN in pixel (1, 1) of item 0 (shared by the four windows around it) in the last channel,
    // and two NaNs in window (0, 0) of item 1 in channel 0: the first gets the gradient.
    x[(1 * 5 + 1) * c + c - 1] = NaN;
    x[(25 + 1 * 5 + 1) * c] = NaN;
    x[(25 + 0 * 5 + 1) * c] = NaN;
    const dy = randomF32(n.y, 50 + c);
    const y = maxPool(x, g), dx = maxPoolBackward(x, dy, g);
    for (const h of harnesses) {
      const px = h.f32(n.x, x), py = h.f32(n.y), pdy = h.f32(n.y, dy), pdx = h.f32(n.x);
      h.k.f32_maxpool2d_nhwc(px, py, ...args(g), 0, g.n);
      const got = h.read(py, n.y);
      assertClose(got, y, Tol.exact, `maxpool NaN [${h.name}] c ${c}`);
      assertEquals(got.filter(Number.isNaN).length, 8, "NaN outputs");
      h.k.f32_maxpool2d_nhwc_bwd(px, py, pdy, pdx, ...args(g), 0, g.n);
      assertClose(h.read(pdx, n.x), dx, Tol.dot(4), `maxpool_bwd NaN [${h.name}] c ${c}`);
      h.checkGuards();
      h.reset();
    }
  });

  Deno.test(`f32_maxpool2d_nhwc() never lets "same" padding win and avg divides by valid count, c = ${c}`, () => {
    for (const h of harnesses) {
      const px = h.f32(n.x, new Float32Array(n.x).fill(-5));
      const py = h.f32(n.y);
      h.k.f32_maxpool2d_nhwc(px, py, ...args(g), 0, g.n);
      assertEquals([...new Set(h.read(py, n.y))], [-5], `max [${h.name}]`);
      const pa = h.f32(n.x, new Float32Array(n.x).fill(3));
      h.k.f32_avgpool2d_nhwc(pa, py, ...args(g), 0, g.n);
      assertEquals([...new Set(h.read(py, n.y))], [3], `avg [${h.name}]`);
      h.checkGuards();
      h.reset();
    }
  });
}

Deno.test("f32_maxpool2d_nhwc() routes the gradient of tied windows to the first maximum", () => {
  // One 2x2 window over equal values, and -0/+0 ties: y is the first maximum (-0), and the
  // gradient goes to it.
  const g = poolGeometry([1, 2, 2, 2], [2, 2], [2, 2], "valid");
  const x = [1, -0, 1, 0, 1, -0, 1, 0];
  for (const h of harnesses) {
    const px = h.f32(8, x), py = h.f32(2), pdy = h.f32(2, [2, 3]), pdx = h.f32(8);
    h.k.f32_maxpool2d_nhwc(px, py, ...args(g), 0, 1);
    assertEquals(bits(h.read(py, 2)), bits(new Float32Array([1, -0])), `y [${h.name}]`);
    h.k.f32_maxpool2d_nhwc_bwd(px, py, pdy, pdx, ...args(g), 0, 1);
    assertEquals([...h.read(pdx, 8)], [2, 3, 0, 0, 0, 0, 0, 0], `dx [${h.name}]`);
    h.reset();
  }
});

Deno.test("f32_maxpool2d_nhwc() routes ties to the first maximum on every channel path", () => {
  for (const c of [2, 5, 8, 13, 17, 35]) {
    const g = poolGeometry([2, 6, 5, c], [3, 3], [2, 1], "same");
    const n = sizes(g);
    // Values from {-0.5, 0, 0.5}: many ties in every window, on the 8-wide, 4-wide and tail paths.
    const x = randomF32(n.x, 70 + c).map((v) => Math.round(v * 2) / 4);
    const dy = randomF32(n.y, 80 + c);
    const dx = maxPoolBackward(x, dy, g);
    const overlap = Math.ceil(3 / 2) * 3;
    for (const h of harnesses) {
      const px = h.f32(n.x, x), py = h.f32(n.y), pdy = h.f32(n.y, dy), pdx = h.f32(n.x);
      h.k.f32_maxpool2d_nhwc(px, py, ...args(g), 0, g.n);
      assertClose(h.read(py, n.y), maxPool(x, g), Tol.exact, `ties y [${h.name}] c ${c}`);
      h.k.f32_maxpool2d_nhwc_bwd(px, py, pdy, pdx, ...args(g), 0, g.n);
      assertClose(h.read(pdx, n.x), dx, Tol.dot(overlap), `ties dx [${h.name}] c ${c}`);
      h.checkGuards();
      h.reset();
    }
  }
});

Deno.test("f32_maxpool2d_nhwc() debug build rejects padding as large as the pool", () => {
  const debug = harnesses.find((h) => h.name === "debug")!;
  const px = debug.f32(16), py = debug.f32(16);
  assertThrows(
    () => debug.k.f32_maxpool2d_nhwc(px, py, 1, 4, 4, 1, 2, 2, 1, 1, 2, 0, 4, 4, 0, 1),
    Error,
    "Kernel precondition failed",
  );
  assertThrows(
    () => debug.k.f32_avgpool2d_nhwc(px, py, 1, 4, 4, 1, 2, 2, 1, 1, 0, 0, 4, 4, 0, 2),
    Error,
    "Kernel precondition failed",
  );
  debug.reset();
});
