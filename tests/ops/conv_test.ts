/**
 * `conv2d()` through the public op: forward against the direct float64 loops of
 * tests/_reference/conv.ts on seeded geometries (odd sizes, strides, same/valid, dilation, 1x1,
 * batch 1 and 16, channels 1, 3 and 17, several im2col chunks), gradients of x, filter and bias by
 * central differences (STYLE C12), and the typed errors (C14).
 *
 * Forward tolerance (STYLE C9): each output is an f32 sum of K = fh·fw·inC products plus the bias;
 * its error is below 2(K + 2)·ε32·Σ|terms| (Σ|terms| from the reference over absolute values),
 * plus 3 ulp for sigmoid and tanh. Gradient checks use gradcheck's default bound (abs 1e-4 +
 * rel 1e-3): the analytic side sums at most a few hundred O(1) products in f32 (error ~1e-5).
 */
import * as dn from "../../mod.ts";
import { conv2d, type Conv2dOptions } from "../../src/ops/conv.ts";
import type { GemmActivation } from "../_reference/gemm.ts";
import { conv2dReference, type ConvGeometry, convGeometry } from "../_reference/conv.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";
import { gradcheck, type GradInput, gradInput } from "../_util/gradcheck.ts";

const EPS32 = 2 ** -24;

interface OpCase {
  x: [number, number, number, number];
  f: [number, number, number];
  strides?: number | [number, number];
  dilations?: number | [number, number];
  padding?: "same" | "valid";
}

const geometry = (cs: OpCase): ConvGeometry =>
  convGeometry(cs.x, cs.f, cs.strides, cs.dilations, cs.padding);

function label(cs: OpCase): string {
  const opts = [`padding ${cs.padding ?? "valid"}`];
  if (cs.strides !== undefined) opts.push(`strides ${cs.strides}`);
  if (cs.dilations !== undefined) opts.push(`dilations ${cs.dilations}`);
  return `x [${cs.x}] * filter [${cs.f[0]}, ${cs.f[1]}, ${cs.x[3]}, ${cs.f[2]}], ${
    opts.join(", ")
  }`;
}

const CASES: OpCase[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1] },
  { x: [1, 5, 5, 1], f: [3, 3, 1], padding: "same" },
  { x: [2, 7, 9, 3], f: [3, 3, 4], strides: 2, padding: "same" },
  { x: [2, 7, 9, 3], f: [3, 3, 4], strides: 2 },
  { x: [1, 9, 7, 3], f: [3, 3, 5], dilations: 2, padding: "same" },
  { x: [1, 9, 7, 3], f: [3, 3, 5], dilations: 2 },
  { x: [3, 6, 6, 17], f: [1, 1, 8] },
  { x: [3, 7, 6, 17], f: [1, 1, 8], strides: 2, padding: "same" },
  { x: [16, 8, 8, 3], f: [3, 3, 17], padding: "same" },
  { x: [16, 5, 5, 1], f: [5, 5, 6] },
  { x: [16, 12, 12, 1], f: [5, 5, 6], strides: 2 },
  { x: [2, 11, 13, 17], f: [5, 3, 3], strides: 2, padding: "same" },
  { x: [1, 10, 10, 3], f: [4, 4, 9], strides: 2, padding: "same" },
  { x: [1, 10, 11, 3], f: [4, 4, 9], strides: 3 },
  { x: [2, 6, 7, 1], f: [2, 3, 3], padding: "same" },
  { x: [1, 13, 13, 5], f: [3, 5, 7], dilations: 2, padding: "same" },
  { x: [2, 8, 8, 4], f: [3, 3, 33] },
  { x: [1, 1, 1, 3], f: [1, 1, 4] },
  { x: [1, 3, 3, 2], f: [3, 3, 2], padding: "same" },
  { x: [4, 5, 9, 17], f: [3, 3, 16], padding: "same" },
  { x: [1, 9, 8, 3], f: [3, 3, 4], strides: [2, 1], padding: "same" },
  { x: [1, 9, 8, 3], f: [3, 2, 4], dilations: [1, 2], padding: "same" },
  { x: [1, 17, 17, 3], f: [3, 3, 5], padding: "same" },
  // Several im2col chunks: K = 153 (208 rows per chunk), 450 output rows.
  { x: [2, 15, 15, 17], f: [3, 3, 9], padding: "same" },
  // K = 9: 512 rows per chunk, 1600 output rows.
  { x: [1, 40, 40, 1], f: [3, 3, 8], padding: "same" },
];

const ACTS: dn.Activation[] = ["linear", "relu", "sigmoid", "tanh"];
const REF_ACT: Record<dn.Activation, GemmActivation> = {
  linear: "none",
  relu: "relu",
  sigmoid: "sigmoid",
  tanh: "tanh",
};

CASES.forEach((cs, i) => {
  const activation = ACTS[i % 4];
  const withBias = i % 3 !== 1;
  Deno.test(
    `conv2d() matches the f64 reference for ${label(cs)}${withBias ? ", bias" : ""}, ${activation}`,
    () => {
      const g = geometry(cs);
      const x = gradInput(cs.x, 10 * i);
      const w = gradInput([cs.f[0], cs.f[1], cs.x[3], cs.f[2]], 10 * i + 1);
      const b = withBias ? gradInput([cs.f[2]], 10 * i + 2) : undefined;
      using xt = dn.tensor(Float32Array.from(x.data), x.shape);
      using wt = dn.tensor(Float32Array.from(w.data), w.shape);
      using bt = b ? dn.tensor(Float32Array.from(b.data), b.shape) : undefined;
      const options: Conv2dOptions = {
        strides: cs.strides,
        dilations: cs.dilations,
        padding: cs.padding,
        bias: bt,
        activation,
      };
      using y = conv2d(xt, wt, options);
      assertEquals(y.shape, [g.batch, g.outH, g.outW, g.outC]);
      const ref = conv2dReference(g, x.data, w.data, b?.data, REF_ACT[activation]);
      const absRef = conv2dReference(
        g,
        x.data.map(Math.abs),
        w.data.map(Math.abs),
        b?.data.map(Math.abs),
      );
      const k = g.fh * g.fw * g.inC;
      const actual = y.dataSync();
      const ulps = activation === "sigmoid" || activation === "tanh" ? 3 : 0;
      for (let j = 0; j < actual.length; j++) {
        const bound = 2 * (k + 3) * EPS32 * absRef.z[j] + ulps * EPS32 * Math.abs(ref.y[j]);
        const diff = Math.abs(actual[j] - ref.y[j]);
        assert(
          diff <= bound,
          `${label(cs)}: y[${j}] = ${actual[j]}, expected ${ref.y[j]}, |diff| ${diff} > ${bound}`,
        );
      }
    },
  );
});

Deno.test("conv2d() with padding 'same' keeps 17x17 spatial size; stride 2 gives 9x9", () => {
  using x = dn.zeros([2, 17, 17, 3]);
  using w = dn.zeros([3, 3, 3, 4]);
  using same = conv2d(x, w, { padding: "same" });
  assertEquals(same.shape, [2, 17, 17, 4]);
  using strided = conv2d(x, w, { padding: "same", strides: 2 });
  assertEquals(strided.shape, [2, 9, 9, 4]);
  using valid = conv2d(x, w, { dilations: 2 });
  assertEquals(valid.shape, [2, 13, 13, 4]);
});

Deno.test("conv2d() with an empty batch gives an empty output and zero filter gradient", () => {
  using x = dn.zeros([0, 5, 5, 2]);
  using w = dn.ones([3, 3, 2, 4]);
  using y = conv2d(x, w, { padding: "same" });
  assertEquals(y.shape, [0, 5, 5, 4]);
  const [dx, dw] = dn.grads((a: dn.Tensor, b: dn.Tensor) => conv2d(a, b, { padding: "same" }))([
    x,
    w,
  ]);
  assertEquals(dx.shape, [0, 5, 5, 2]);
  assertEquals([...new Set(dw.dataSync())], [0]);
  dx.dispose();
  dw.dispose();
});

/** Loss `sum(r ⊙ conv2d(...))` in float64, from the reference. */
function refLoss(
  g: ConvGeometry,
  r: Float64Array,
  act: GemmActivation,
): (xs: Float64Array[]) => number {
  return ([x, w, b]) => {
    const { y } = conv2dReference(g, x, w, b, act);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += r[i] * y[i];
    return s;
  };
}

const GRAD_CASES: (OpCase & { activation: dn.Activation })[] = [
  { x: [2, 5, 6, 3], f: [3, 3, 4], padding: "same", activation: "linear" },
  { x: [2, 7, 7, 2], f: [3, 2, 3], strides: 2, padding: "same", activation: "tanh" },
  { x: [1, 8, 7, 3], f: [3, 3, 2], dilations: 2, padding: "same", activation: "sigmoid" },
  { x: [3, 4, 4, 5], f: [1, 1, 3], activation: "linear" },
  { x: [2, 6, 6, 1], f: [4, 4, 2], strides: 2, activation: "relu" },
  { x: [2, 9, 9, 2], f: [2, 2, 3], dilations: [2, 1], activation: "linear" },
];

GRAD_CASES.forEach((cs, i) => {
  Deno.test(
    `conv2d() gradients of x, filter and bias match central differences for ${
      label(cs)
    }, ${cs.activation}`,
    () => {
      const g = geometry(cs);
      const inputs: GradInput[] = [
        gradInput(cs.x, 100 + i),
        gradInput([cs.f[0], cs.f[1], cs.x[3], cs.f[2]], 200 + i),
        gradInput([cs.f[2]], 300 + i),
      ];
      const r = gradInput([g.batch, g.outH, g.outW, g.outC], 400 + i);
      using rt = dn.tensor(Float32Array.from(r.data), r.shape);
      const options = { strides: cs.strides, dilations: cs.dilations, padding: cs.padding };
      gradcheck(
        label(cs),
        (x, w, b) => dn.mul(conv2d(x, w, { ...options, bias: b, activation: cs.activation }), rt),
        refLoss(g, r.data, REF_ACT[cs.activation]),
        inputs,
        { maxChecks: 200 },
      );
    },
  );
});

Deno.test("conv2d() throws typed errors naming the argument", () => {
  using x = dn.zeros([1, 5, 5, 3]);
  using w = dn.zeros([3, 3, 3, 2]);
  using x3 = dn.zeros([5, 5, 3]);
  using w2 = dn.zeros([3, 3, 2, 2]);
  using big = dn.zeros([6, 3, 3, 2]);
  using b = dn.zeros([3]);
  // deno-lint-ignore no-explicit-any
  const any = (v: unknown) => v as any;
  assertThrows(() => conv2d(any([1, 2]), w), TypeError, 'argument "x" must be a Tensor');
  assertThrows(() => conv2d(x3, w), TypeError, 'argument "x" must have rank 4');
  using flat = dn.zeros([9, 4]);
  assertThrows(() => conv2d(x, flat), TypeError, 'argument "filter" must have rank 4');
  assertThrows(() => conv2d(x, w2), RangeError, "input channels");
  assertThrows(() => conv2d(x, big), RangeError, "must fit in the input height and width");
  assertThrows(() => conv2d(x, w, { dilations: 3 }), RangeError, "dilated to [7, 7]");
  for (const strides of [0, -1, 1.5, [1, 0]]) {
    assertThrows(() => conv2d(x, w, { strides: any(strides) }), RangeError, '"strides"');
  }
  for (const dilations of [0, 2.5, [0, 1]]) {
    assertThrows(() => conv2d(x, w, { dilations: any(dilations) }), RangeError, '"dilations"');
  }
  assertThrows(() => conv2d(x, w, { strides: any("2") }), TypeError, '"strides"');
  assertThrows(() => conv2d(x, w, { strides: any([1, 2, 3]) }), TypeError, '"strides"');
  assertThrows(
    () => conv2d(x, w, { strides: 2, dilations: 2, padding: "same" }),
    RangeError,
    "cannot both exceed 1",
  );
  assertThrows(() => conv2d(x, w, { padding: any("full") }), TypeError, '"padding"');
  assertThrows(() => conv2d(x, w, { activation: any("gelu") }), TypeError, '"activation"');
  assertThrows(() => conv2d(x, w, { bias: b }), RangeError, 'argument "bias" must have shape [2]');
  assertThrows(() => conv2d(x, w, any(3)), TypeError, '"options"');
});
