/**
 * `dn.maxPool2d` and `dn.avgPool2d` against the float64 references in tests/_reference/pool.ts
 * (STYLE C8): output shapes and values over 24 seeded configurations (odd sizes, stride 2,
 * "same"/"valid", overlapping 3x3/stride-2 windows, batch 1 and 16, channels 1, 3, 17), batch
 * items pooled alone giving the bytes of the batched call, NaN propagation, zero-size inputs,
 * finite-difference gradients (STYLE C12) and typed errors (STYLE C14).
 *
 * Tolerances (STYLE C9), inputs in [-1, 1], ε = ε32:
 *   max      exact (a selection).
 *   avg      an f32 sum of k = ph·pw terms and one division: Tol.dot(k + 1).
 * Gradients of L = Σ r ⊙ pool(x): the analytic dx sums at most K = ⌈ph/sh⌉·⌈pw/sw⌉ products of
 * f32 values (≤ 2K·ε relative, K ≤ 9 here), the numeric side carries the f64 rounding of L
 * (|L| ≤ ~50) divided by 2h: ~50·2^-53 / 2e-6 ~ 3e-9. So `{ rel: 1e-5, abs: 1e-7 }` for both.
 * Max pooling is checked on inputs without ties (`distinct`, spacing 2/size >> h), where it is
 * differentiable.
 */
import * as dn from "../../mod.ts";
import { avgPool, maxPool, type PoolGeometry, poolGeometry } from "../_reference/pool.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradcheck } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";
import { distinct, input, toTensor } from "./_inputs.ts";

type Shape = [number, number, number, number];
type Pair = [number, number];
type Padding = "same" | "valid";
type Config = [shape: Shape, pool: number | Pair, strides: number | Pair | undefined, Padding];

const CONFIGS: Config[] = [
  [[1, 4, 4, 1], 2, undefined, "valid"],
  [[1, 5, 5, 1], 2, undefined, "valid"],
  [[1, 5, 5, 3], 2, undefined, "same"],
  [[2, 7, 9, 3], 3, 2, "same"],
  [[2, 7, 9, 3], 3, 2, "valid"],
  [[1, 9, 9, 17], 3, 2, "same"],
  [[1, 9, 9, 17], 3, 2, "valid"],
  [[16, 6, 6, 1], 2, 2, "valid"],
  [[16, 5, 5, 3], 3, 2, "same"],
  [[16, 3, 3, 17], 3, 2, "valid"],
  [[3, 11, 7, 3], [3, 2], [2, 1], "same"],
  [[3, 11, 7, 3], [3, 2], [2, 1], "valid"],
  [[2, 8, 8, 17], [2, 4], [2, 4], "same"],
  [[1, 13, 13, 1], 5, 3, "same"],
  [[1, 13, 13, 1], 5, 3, "valid"],
  [[2, 6, 10, 3], 3, 1, "same"],
  [[2, 5, 4, 17], 4, 3, "same"],
  [[1, 1, 1, 3], 1, undefined, "valid"],
  [[1, 1, 1, 3], 3, 2, "same"],
  [[2, 15, 1, 1], [3, 1], [2, 1], "same"],
  [[2, 2, 17, 3], [1, 3], [1, 2], "valid"],
  [[1, 7, 7, 17], 7, 1, "valid"],
  [[1, 12, 12, 3], 2, 3, "valid"],
  [[4, 10, 10, 17], 3, 2, "same"],
];

const pair = (v: number | Pair): Pair => (typeof v === "number" ? [v, v] : v);
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
const describe = ([shape, pool, strides, padding]: Config) =>
  `[${shape}] pool ${JSON.stringify(pool)} strides ${JSON.stringify(strides)} "${padding}"`;
const geometry = ([shape, pool, strides, padding]: Config): PoolGeometry =>
  poolGeometry(shape, pair(pool), pair(strides ?? pool), padding);
const options = ([, poolSize, strides, padding]: Config): dn.Pool2dOptions => ({
  poolSize,
  ...(strides === undefined ? {} : { strides }),
  padding,
});

const OPS = {
  maxPool2d: { fn: dn.maxPool2d, ref: maxPool, tol: (_g: PoolGeometry) => Tol.exact },
  avgPool2d: { fn: dn.avgPool2d, ref: avgPool, tol: (g: PoolGeometry) => Tol.dot(g.ph * g.pw + 1) },
} as const;

for (const [name, { fn, ref, tol }] of Object.entries(OPS)) {
  CONFIGS.forEach((config, i) => {
    const g = geometry(config);
    Deno.test(`${name}() matches f64 reference for ${describe(config)}`, () => {
      const x = input(config[0], 100 + i);
      using xt = toTensor(x);
      using y = fn(xt, options(config));
      assertEquals(y.shape, [g.n, g.oh, g.ow, g.c]);
      assertClose(y.dataSync(), ref(x.data, g), tol(g), `${name} ${describe(config)}`);
    });
  });

  Deno.test(`${name}() of each batch item alone gives the bytes of the batched call`, () => {
    const config: Config = [[16, 9, 9, 17], 3, 2, "same"];
    const x = input(config[0], 7);
    using xt = toTensor(x);
    using y = fn(xt, options(config));
    const whole = y.dataSync();
    const item = x.data.length / 16, out = whole.length / 16;
    for (let b = 0; b < 16; b++) {
      using xb = dn.tensor(Float32Array.from(x.data.subarray(b * item, (b + 1) * item)), [
        1,
        9,
        9,
        17,
      ]);
      using yb = fn(xb, options(config));
      assertEquals(bits(yb.dataSync()), bits(whole.subarray(b * out, (b + 1) * out)), `item ${b}`);
    }
  });

  Deno.test(`${name}() returns empty tensors for zero-size inputs`, () => {
    using a = fn(dn.zeros([0, 4, 4, 3]), { poolSize: 2 });
    assertEquals(a.shape, [0, 2, 2, 3]);
    using b = fn(dn.zeros([2, 4, 4, 0]), { poolSize: 2, padding: "same" });
    assertEquals(b.shape, [2, 2, 2, 0]);
    using c = fn(dn.zeros([1, 0, 5, 2]), { poolSize: 2, padding: "same" });
    assertEquals(c.shape, [1, 0, 3, 2]);
    const [g] = dn.grads((x: dn.Tensor) => dn.sum(fn(x, { poolSize: 2 })))([
      dn.zeros([0, 4, 4, 3]),
    ]);
    assertEquals(g.shape, [0, 4, 4, 3]);
    g.dispose();
  });
}

Deno.test("maxPool2d() propagates NaN to every window holding it and never picks padding", () => {
  const x = new Float32Array(5 * 5 * 3).fill(-7);
  x[(1 * 5 + 1) * 3 + 1] = NaN; // pixel (1, 1), channel 1: in windows (0..1, 0..1)
  using y = dn.maxPool2d(dn.tensor(x, [1, 5, 5, 3]), { poolSize: 3, strides: 2, padding: "same" });
  const v = y.dataSync();
  assertEquals(y.shape, [1, 3, 3, 3]);
  for (let o = 0; o < 9; o++) {
    const [oy, ox] = [Math.floor(o / 3), o % 3];
    assertEquals(Number.isNaN(v[o * 3 + 1]), oy <= 1 && ox <= 1, `window ${oy}, ${ox}`);
    assertEquals([v[o * 3], v[o * 3 + 2]], [-7, -7]);
  }
});

Deno.test("avgPool2d() with padding 'same' divides border windows by their valid count", () => {
  using y = dn.avgPool2d(dn.fill([1, 5, 5, 2], 3), { poolSize: 3, strides: 2, padding: "same" });
  assertEquals([...new Set(y.dataSync())], [3]);
});

/** L = Σ r ⊙ pool(x) in float64 from the reference. */
function lossRef(
  ref: typeof maxPool,
  r: Float64Array,
  g: PoolGeometry,
): (xs: Float64Array[]) => number {
  return ([x]) => ref(x, g).reduce((s, v, i) => s + r[i] * v, 0);
}

const GRAD_CONFIGS: Config[] = [
  [[2, 5, 5, 3], 3, 2, "same"],
  [[2, 5, 5, 3], 3, 2, "valid"],
  [[1, 6, 7, 17], 2, undefined, "valid"],
  [[1, 7, 6, 1], [3, 2], [1, 2], "same"],
  [[3, 4, 4, 5], 4, 1, "same"],
  [[1, 9, 9, 4], 3, 2, "same"],
];
const GRAD_TOL = { rel: 1e-5, abs: 1e-7 };

GRAD_CONFIGS.forEach((config, i) => {
  const g = geometry(config);
  const r = randomF32(g.n * g.oh * g.ow * g.c, 200 + i);
  for (const [name, { fn, ref }] of Object.entries(OPS)) {
    Deno.test(`${name}() gradient matches central differences for ${describe(config)}`, () => {
      using rt = dn.tensor(Float32Array.from(r), [g.n, g.oh, g.ow, g.c]);
      const x = name === "maxPool2d" ? distinct(config[0], 300 + i) : input(config[0], 300 + i);
      gradcheck(
        `${name} ${describe(config)}`,
        (xt) => dn.sum(dn.mul(fn(xt, options(config)), rt)),
        lossRef(ref, r, g),
        [x],
        { ...GRAD_TOL, maxChecks: 400 },
      );
    });
  }
});

Deno.test("maxPool2d() gradient sums overlapping windows at a shared maximum", () => {
  // 3x3 windows with stride 2 share the centre column/row: a maximum there gets several dy.
  const x = new Float32Array(25).map((_, i) => i / 100);
  x[12] = 1; // the centre is the maximum of all four windows
  const [dx] = dn.grads((t: dn.Tensor) => dn.sum(dn.maxPool2d(t, { poolSize: 3, strides: 2 })))([
    dn.tensor(x, [1, 5, 5, 1]),
  ]);
  const v = dx.dataSync();
  assertEquals(v[12], 4);
  assertEquals(v.reduce((a, b) => a + b, 0), 4);
  dx.dispose();
});

for (const [name, fn] of [["maxPool2d", dn.maxPool2d], ["avgPool2d", dn.avgPool2d]] as const) {
  Deno.test(`${name}() throws typed errors naming the argument`, () => {
    using x = dn.zeros([1, 4, 4, 2]);
    const cases: [() => unknown, new (...a: never[]) => Error, string][] = [
      [() => fn(dn.zeros([4, 4, 2]), { poolSize: 2 }), TypeError, 'argument "x" must have rank 4'],
      [() => fn([1, 2] as unknown as dn.Tensor, { poolSize: 2 }), TypeError, "must be a Tensor"],
      [() => fn(x, undefined as unknown as dn.Pool2dOptions), TypeError, 'argument "options"'],
      [() => fn(x, { poolSize: 0 }), RangeError, 'argument "poolSize" must hold positive'],
      [() => fn(x, { poolSize: -2 }), RangeError, 'argument "poolSize" must hold positive'],
      [() => fn(x, { poolSize: [2, 1.5] }), RangeError, 'argument "poolSize" must hold positive'],
      [() => fn(x, { poolSize: 2, strides: 0 }), RangeError, 'argument "strides" must hold'],
      [() => fn(x, { poolSize: 2, strides: [1, 0.5] }), RangeError, 'argument "strides"'],
      [() => fn(x, { poolSize: "2" as unknown as number }), TypeError, 'argument "poolSize"'],
      [
        () => fn(x, { poolSize: [2, 2, 2] as unknown as number }),
        TypeError,
        "a number or an array of two numbers",
      ],
      [
        () => fn(x, { poolSize: 2, padding: "full" as "same" }),
        TypeError,
        'argument "padding" must be one of "valid", "same": got "full"',
      ],
      [
        () => fn(x, { poolSize: [5, 2] }),
        RangeError,
        'argument "poolSize" [5, 2] must fit in the input height and width with padding "valid": got [4, 4]',
      ],
    ];
    for (const [call, cls, fragment] of cases) {
      const e = assertThrows(call, cls as new () => Error, fragment);
      assert(e.message.startsWith(`Cannot run ${name}():`), e.message);
    }
    // The same pool fits with "same" padding.
    using y = fn(x, { poolSize: [5, 2], padding: "same" });
    assertEquals(y.shape, [1, 1, 2, 2]);
  });
}
