/**
 * The regression, margin and distribution losses (meanAbsoluteError, huber, logCosh, hinge,
 * squaredHinge, kullbackLeiblerDivergence, cosineSimilarity) against their float64 references:
 * forward on seeded shapes, gradient by central differences, names in `getLoss`/`compile`, and
 * bad input. The same cases run on every backend through tests/ops/suite/cases/losses.ts.
 */
import * as dn from "../../mod.ts";
import * as ref from "../_reference/losses.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { gradInput } from "../_util/gradcheck.ts";
import { evalScalar, gradcheckLoss, lossTol } from "./_helpers.ts";

type Loss = (t: dn.Tensor, p: dn.Tensor) => dn.Tensor;
type Ref = (t: Float64Array, p: Float64Array, cols: number) => number;

/** Each loss, its reference, the target range and the prediction range (away from kinks). */
const LOSSES: { name: string; loss: Loss; ref: Ref; t: [number, number]; p: [number, number] }[] = [
  {
    name: "meanAbsoluteError",
    loss: dn.losses.meanAbsoluteError,
    ref: ref.meanAbsoluteError,
    t: [-3, 3],
    p: [-3, 3],
  },
  {
    name: "huber",
    loss: dn.losses.huber,
    ref: (t, p, c) => ref.huber(t, p, c),
    t: [-3, 3],
    p: [-3, 3],
  },
  { name: "logCosh", loss: dn.losses.logCosh, ref: ref.logCosh, t: [-3, 3], p: [-3, 3] },
  {
    name: "hinge",
    loss: dn.losses.hinge,
    ref: (t, p, c) => ref.hinge(t, p, c, 1),
    t: [-1, 1],
    p: [-2, 2],
  },
  {
    name: "squaredHinge",
    loss: dn.losses.squaredHinge,
    ref: (t, p, c) => ref.hinge(t, p, c, 2),
    t: [-1, 1],
    p: [-2, 2],
  },
  {
    name: "kullbackLeiblerDivergence",
    loss: dn.losses.kullbackLeiblerDivergence,
    ref: ref.kullbackLeiblerDivergence,
    t: [0.01, 1],
    p: [0.01, 1],
  },
  {
    name: "cosineSimilarity",
    loss: dn.losses.cosineSimilarity,
    ref: ref.cosineSimilarity,
    t: [-2, 2],
    p: [-2, 2],
  },
];

for (const { name, loss, ref: reference, t: tr, p: pr } of LOSSES) {
  Deno.test(`${name}() matches the float64 reference on rank-1 to rank-3 shapes`, () => {
    for (const shape of [[17], [9, 7], [2, 3, 5], [1, 1], [4, 33]]) {
      const n = shape.reduce((a, b) => a * b, 1), cols = shape[shape.length - 1];
      const t = gradInput(shape, n, ...tr).data, p = gradInput(shape, n + 1, ...pr).data;
      const actual = evalScalar(loss, { data: t, shape }, { data: p, shape });
      assertClose([actual], [reference(t, p, cols)], lossTol(n, 16), `${name} [${shape}]`);
    }
  });

  Deno.test(`${name}() gradient matches central differences`, () => {
    const shape = [4, 6];
    const t = gradInput(shape, 11, ...tr).data;
    gradcheckLoss(
      `${name} 4x6`,
      loss,
      (t, p) => reference(t, p, 6),
      { data: t, shape },
      gradInput(shape, 12, ...pr),
    );
  });

  Deno.test(`${name}() rejects mismatched shapes and non-tensors`, () => {
    using a = dn.zeros([2, 3]);
    using b = dn.zeros([3, 2]);
    assertThrows(
      () => loss(a, b),
      RangeError,
      `Cannot run ${name}(): shapes of "yTrue" [2, 3] and "yPred" [3, 2] must match`,
    );
    assertThrows(
      () => loss(a, 1 as never),
      TypeError,
      `Cannot run ${name}(): argument "yPred" must be a Tensor: got 1`,
    );
  });
}

Deno.test("hinge() converts 0/1 targets to -1/1 and keeps -1/1 targets", () => {
  const p = Float64Array.of(0.5, -0.25, 2, -3);
  for (const t of [Float64Array.of(1, 0, 1, 0), Float64Array.of(1, -1, 1, -1)]) {
    const got = evalScalar(dn.losses.hinge, { data: t, shape: [2, 2] }, { data: p, shape: [2, 2] });
    assertEquals(got, (0.5 + 0.75 + 0 + 0) / 4);
  }
});

Deno.test("huber() takes delta, whose value it checks", () => {
  const t = Float64Array.of(0, 0, 0), p = Float64Array.of(0.5, 3, -4);
  const got = evalScalar((a, b) => dn.losses.huber(a, b, { delta: 2 }), { data: t, shape: [3] }, {
    data: p,
    shape: [3],
  });
  assertClose([got], [ref.huber(t, p, 3, 2)], lossTol(3, 16), "huber delta 2");
  using a = dn.zeros([2]);
  assertThrows(
    () => dn.losses.huber(a, a, { delta: 0 }),
    RangeError,
    'Cannot run huber(): option "delta" must be a finite number > 0: got 0',
  );
  assertThrows(() => dn.losses.huber(a, a, { dleta: 1 } as never), TypeError, "dleta");
});

Deno.test("kullbackLeiblerDivergence() and cosineSimilarity() reject a scalar", () => {
  using s = dn.tensor(1);
  assertThrows(() => dn.losses.kullbackLeiblerDivergence(s, s), TypeError, "must have rank >= 1");
  assertThrows(() => dn.losses.cosineSimilarity(s, s), TypeError, "must have rank >= 1");
});

Deno.test("cosineSimilarity() is -1 for parallel rows and 0 for a zero row", () => {
  const got = evalScalar(dn.losses.cosineSimilarity, { data: [1, 2, 0, 0], shape: [2, 2] }, {
    data: [2, 4, 1, 1],
    shape: [2, 2],
  });
  assertClose([got], [-0.5], { abs: 1e-7, rel: 0 }, "cosine");
});

Deno.test("getLoss() resolves the TF.js and Keras names of the new losses", () => {
  const l = dn.losses;
  const names: [string, Loss][] = [
    ["mae", l.meanAbsoluteError],
    ["mean_absolute_error", l.meanAbsoluteError],
    ["meanAbsoluteError", l.meanAbsoluteError],
    ["logCosh", l.logCosh],
    ["log_cosh", l.logCosh],
    ["hinge", l.hinge],
    ["squared_hinge", l.squaredHinge],
    ["kld", l.kullbackLeiblerDivergence],
    ["kl_divergence", l.kullbackLeiblerDivergence],
    ["cosine_similarity", l.cosineSimilarity],
  ];
  for (const [name, fn] of names) assertEquals(l.getLoss(name), fn, name);
  for (const name of ["huber", "huberLoss", "huber_loss"]) {
    const got = evalScalar(l.getLoss(name), { data: [0, 0], shape: [2] }, {
      data: [0.5, 3],
      shape: [2],
    });
    assertEquals(got, (0.125 + 2.5) / 2, name);
  }
});

Deno.test("compile() takes the new losses by name and fit() lowers them", async () => {
  for (const loss of ["huberLoss", "mae", "logCosh", "hinge", "cosineSimilarity"]) {
    dn.setSeed(3);
    const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
    model.compile({ optimizer: "adam", loss });
    using x = dn.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
    using y = dn.tensor(Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)), [8, 2]);
    const h = await model.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0 });
    const losses = h.history.loss as number[];
    assertEquals(losses[losses.length - 1] < losses[0], true, `${loss}: ${losses}`);
    model.dispose();
  }
});
