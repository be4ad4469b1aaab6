/**
 * Public elementwise ops (`dn.relu` ... `dn.abs`, `dn.add` ... `dn.div`, `dn.equal`,
 * `dn.clipByValue`) against the float64 references (STYLE C8), at lengths that straddle the
 * 8-wide and 4-wide SIMD bodies and the tail, and under every broadcasting pattern.
 *
 * Tolerances (STYLE C9), the accuracy contracts of the kernels (tests/kernels/elementwise_test.ts)
 * in `Tol` presets. One ulp is at most 2ε32 relative, so a U-ulp contract is `Tol.ulps(2U)`:
 *   relu, neg, abs, equal, clipByValue   exact.
 *   sqrt, square, add, sub, mul, div     one correctly rounded operation: `Tol.rounding`.
 *   exp, log, tanh (2 ulp), sigmoid (3)  polynomial approximations: `Tol.ulps(4)`, `Tol.ulps(6)`.
 * Zero-size tensors work: every op returns an empty tensor of the broadcast shape.
 */
import * as dn from "../../mod.ts";
import { broadcastBinary } from "../_reference/broadcast.ts";
import { BINARY, type BinaryName, UNARY, type UnaryName } from "../_reference/elementwise.ts";
import { clip } from "../_reference/optim.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { input, toTensor } from "./_inputs.ts";
import { BINARY_OPS, UNARY_OPS } from "./_ops.ts";

const LENGTHS = [1, 3, 4, 5, 7, 8, 9, 17, 129, 1000];

/** Each unary op's input range (its domain, kept where f32 neither overflows nor underflows). */
const UNARY_CASES: Record<UnaryName, { lo: number; hi: number; tol: Tolerance; preset: string }> = {
  relu: { lo: -4, hi: 4, tol: Tol.exact, preset: "Tol.exact" },
  sigmoid: { lo: -8, hi: 8, tol: Tol.ulps(6), preset: "Tol.ulps(6)" },
  tanh: { lo: -4, hi: 4, tol: Tol.ulps(4), preset: "Tol.ulps(4)" },
  exp: { lo: -10, hi: 10, tol: Tol.ulps(4), preset: "Tol.ulps(4)" },
  log: { lo: 1e-3, hi: 100, tol: Tol.ulps(4), preset: "Tol.ulps(4)" },
  neg: { lo: -4, hi: 4, tol: Tol.exact, preset: "Tol.exact" },
  sqrt: { lo: 0, hi: 100, tol: Tol.rounding, preset: "Tol.rounding" },
  square: { lo: -4, hi: 4, tol: Tol.rounding, preset: "Tol.rounding" },
  abs: { lo: -4, hi: 4, tol: Tol.exact, preset: "Tol.exact" },
};

/** The f32 result the reference rounds to (overflow to ±Infinity as f32 does). */
const f32 = (y: Float64Array) => y.map(Math.fround);

for (const name of Object.keys(UNARY_CASES) as UnaryName[]) {
  const { lo, hi, tol, preset } = UNARY_CASES[name];
  const op = UNARY_OPS[name];
  Deno.test(`${name}() matches f64 reference within ${preset} at lengths 1 to 1000`, () => {
    for (const n of [...LENGTHS, 3 * 43]) {
      const x = input(n === 129 ? [3, 43] : [n], 100 + n, lo, hi);
      using t = toTensor(x);
      using y = op(t);
      assertEquals(y.shape, x.shape);
      assertClose(y.dataSync(), x.data.map(UNARY[name]), tol, `${name} n = ${n}`);
    }
  });

  Deno.test(`${name}() handles NaN, infinities, zeros and huge values like Math`, () => {
    const x = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 100, -100, 88, -88];
    using t = dn.tensor(x);
    using y = op(t);
    assertClose(y.dataSync(), f32(Float64Array.from(x, UNARY[name])), tol, `${name} specials`);
  });

  Deno.test(`${name}() of a zero-size tensor is empty`, () => {
    using t = dn.zeros([0, 3]);
    using y = op(t);
    assertEquals(y.shape, [0, 3]);
    assertEquals(y.dataSync().length, 0);
  });
}

Deno.test("relu() propagates NaN, log(0) is -Infinity and sqrt(-1) is NaN", () => {
  using x = dn.tensor([NaN, -1, 0, 2]);
  using r = dn.relu(x);
  assertEquals([...r.dataSync()], [NaN, 0, 0, 2]);
  using l = dn.log(x);
  assertEquals([...l.dataSync()], [NaN, NaN, -Infinity, Math.fround(Math.log(2))]);
  using s = dn.sqrt(x);
  assertEquals([...s.dataSync()], [NaN, NaN, 0, Math.fround(Math.SQRT2)]);
});

/** Broadcasting patterns: `[a shape, b shape]`. */
const PATTERNS: [string, number[], number[]][] = [
  ["same shape", [3, 17], [3, 17]],
  ["same shape 1-d", [129], [129]],
  ["row", [4, 9], [9]],
  ["column", [4, 9], [4, 1]],
  ["scalar tensor", [], [3, 5]],
  ["middle dimension", [2, 3, 4], [2, 1, 4]],
  ["outer product", [5, 1], [1, 7]],
  ["rank lifting", [7], [2, 3, 7]],
  ["rank 4", [2, 3, 4, 5], [1, 3, 1, 5]],
  ["rank 4 both sides", [2, 1, 4, 1], [1, 3, 1, 5]],
];

for (const name of Object.keys(BINARY_OPS) as BinaryName[]) {
  const op = BINARY_OPS[name];
  for (const [label, aShape, bShape] of PATTERNS) {
    const orders = aShape.join() === bShape.join() ? [[aShape, bShape]] : [
      [aShape, bShape],
      [bShape, aShape],
    ];
    for (const [sa, sb] of orders) {
      Deno.test(
        `${name}() with ${label} [${sa}] and [${sb}] matches f64 reference within Tol.rounding`,
        () => {
          const a = input(sa, 200 + sa.length), b = input(sb, 300 + sb.length);
          using ta = toTensor(a);
          using tb = toTensor(b);
          using y = op(ta, tb);
          const expected = broadcastBinary(BINARY[name], a.data, sa, b.data, sb);
          assertEquals(y.shape, expected.shape);
          assertClose(y.dataSync(), expected.y, Tol.rounding, `${name} [${sa}] [${sb}]`);
        },
      );
    }
  }

  Deno.test(`${name}() with a number on either side matches f64 reference within Tol.rounding`, () => {
    const x = input([3, 17], 400);
    using t = toTensor(x);
    const s = Math.fround(-2.5);
    using right = op(t, s);
    using left = op(s, t);
    assertEquals(right.shape, [3, 17]);
    assertClose(right.dataSync(), x.data.map((v) => BINARY[name](v, s)), Tol.rounding, name);
    assertClose(left.dataSync(), x.data.map((v) => BINARY[name](s, v)), Tol.rounding, name);
    using both = op(3, 4);
    assertEquals(both.shape, []);
    assertEquals([...both.dataSync()], [BINARY[name](3, 4)]);
  });

  Deno.test(`${name}() of zero-size tensors is empty with the broadcast shape`, () => {
    using a = dn.zeros([0, 3]);
    using row = dn.ones([3]);
    using y = op(a, row);
    assertEquals(y.shape, [0, 3]);
    using z = op(a, 2);
    assertEquals(z.shape, [0, 3]);
    using c = dn.zeros([2, 0]);
    using col = dn.ones([2, 1]);
    using w = op(col, c);
    assertEquals(w.shape, [2, 0]);
    assertEquals(w.dataSync().length, 0);
    using two = dn.ones([2]);
    using empty = dn.zeros([0]);
    assertThrows(() => op(empty, two), RangeError, `Cannot broadcast in ${name}()`);
  });
}

Deno.test("div() follows IEEE division by zero", () => {
  using a = dn.tensor([1, -1, 0, NaN]);
  using y = dn.div(a, 0);
  assertEquals([...y.dataSync()], [Infinity, -Infinity, NaN, NaN]);
});

Deno.test("equal() matches the reference exactly under broadcasting, and NaN equals nothing", () => {
  const a = input([4, 9], 500, -2, 2).data.map(Math.round);
  const b = input([9], 501, -2, 2).data.map(Math.round);
  using ta = dn.tensor(Float32Array.from(a), [4, 9]);
  using tb = dn.tensor(Float32Array.from(b), [9]);
  using y = dn.equal(ta, tb);
  const eq = (x: number, z: number) => (x === z ? 1 : 0);
  const expected = broadcastBinary(eq, a, [4, 9], b, [9]);
  assertEquals(y.shape, expected.shape);
  assertEquals(y.dtype, "bool");
  assertEquals(Array.from(y.dataSync()), Array.from(expected.y), "equal [4, 9] [9]");
  assert(expected.y.some((v) => v === 1) && expected.y.some((v) => v === 0));
  using special = dn.tensor([NaN, Infinity, -0, 1]);
  using other = dn.tensor([NaN, Infinity, 0, 1.5]);
  using s = dn.equal(special, other);
  assertEquals([...s.dataSync()], [0, 1, 1, 0]);
  using e = dn.equal(dn.zeros([0, 2]), 0);
  assertEquals(e.shape, [0, 2]);
});

Deno.test("clipByValue() matches the reference exactly on 2-d, 3-d and zero-size tensors", () => {
  for (const shape of [[3, 17], [2, 3, 4], [0, 5]]) {
    const x = input(shape, 600 + shape.length, -3, 3);
    using t = toTensor(x);
    using y = dn.clipByValue(t, -1, 2);
    assertEquals(y.shape, shape);
    assertClose(y.dataSync(), clip(x.data, -1, 2), Tol.exact, `clipByValue [${shape}]`);
  }
});

Deno.test("add() and mul() with a number leave only their result alive", () => {
  using x = dn.ones([3, 4]);
  const before = dn.memory();
  const y = dn.add(x, 1);
  const z = dn.mul(2, x);
  assertEquals(dn.memory().numTensors, before.numTensors + 2);
  y.dispose();
  z.dispose();
  assertEquals(dn.memory(), before);
});
