/**
 * Per-weight regularisers and constraints of the recurrent layers, `embedding` and the depthwise
 * and separable convolutions (Keras's `kernelRegularizer`, `recurrentRegularizer`,
 * `biasRegularizer`, `embeddingsRegularizer`, `depthwiseRegularizer`, `pointwiseRegularizer`,
 * `activityRegularizer` and the matching constraints): the training loss carries the hand-computed
 * penalty, constraints hold after `fit`, configs survive `loadModel`, unknown keys throw.
 */
import * as dn from "../../mod.ts";
import { assertClose } from "../_util/assert_close.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

type Args = Record<string, unknown>;
const LAYERS: [string, (args: Args) => dn.layers.Layer, number[], string[]][] = [
  [
    "simpleRNN",
    (a) => dn.layers.simpleRNN({ units: 2, inputShape: [3, 2], ...a }),
    [4, 3, 2],
    ["kernel", "recurrent", "bias"],
  ],
  [
    "lstm",
    (a) => dn.layers.lstm({ units: 2, inputShape: [3, 2], ...a }),
    [4, 3, 2],
    ["kernel", "recurrent", "bias"],
  ],
  [
    "gru",
    (a) => dn.layers.gru({ units: 2, inputShape: [3, 2], ...a }),
    [4, 3, 2],
    ["kernel", "recurrent", "bias"],
  ],
  [
    "embedding",
    (a) => dn.layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [3], ...a }),
    [4, 3],
    ["embeddings"],
  ],
  [
    "depthwiseConv2d",
    (a) =>
      dn.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, inputShape: [3, 3, 2], ...a }),
    [4, 3, 3, 2],
    ["depthwise", "bias"],
  ],
  [
    "separableConv2d",
    (a) => dn.layers.separableConv2d({ filters: 3, kernelSize: 2, inputShape: [3, 3, 2], ...a }),
    [4, 3, 3, 2],
    ["depthwise", "pointwise", "bias"],
  ],
];

/** Inputs of `shape`: indices in [0, 5) for the embedding, else values in [-1, 1]. */
function inputs(what: string, shape: number[]): dn.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => what === "embedding" ? i % 5 : Math.sin(i + 1));
  return dn.tensor(v, shape);
}

/** The one-batch training loss of `layer` (learning rate 0, so the weights stay). */
async function oneStepLoss(
  layer: dn.layers.Layer,
  x: dn.Tensor,
  weights?: dn.Tensor[],
): Promise<number> {
  const model = dn.sequential([layer, dn.layers.flatten()]);
  model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 0 }), loss: "meanSquaredError" });
  if (weights) layer.setWeights(weights);
  const outSize = layer.computeOutputShape(x.shape.slice(1)).reduce((a, b) => a * b, 1);
  using y = dn.zeros([x.shape[0], outSize]);
  const h = await model.fit(x, y, { epochs: 1, batchSize: x.shape[0], verbose: 0 });
  return h.history.loss[0] as number;
}

for (const [what, make, inShape, weights] of LAYERS) {
  Deno.test(`${what}(): the training loss carries l1·Σ|w| + l2·Σw² of each weight and the activity penalty`, async () => {
    const [l1, l2, a1, a2] = [0.03, 0.2, 0.01, 0.05];
    const args: Args = { activityRegularizer: dn.regularizers.l1l2({ l1: a1, l2: a2 }) };
    weights.forEach((w, i) => {
      args[`${w}Regularizer`] = dn.regularizers.l1l2({ l1: l1 * (i + 1), l2: l2 * (i + 1) });
    });
    const plain = make({});
    const penalised = make(args);
    using x = inputs(what, inShape);
    const base = await oneStepLoss(plain, x);
    const loss = await oneStepLoss(penalised, x, plain.getWeights());
    let want = 0;
    penalised.weights.forEach((w, i) => {
      const v = Array.from(w.value.dataSync());
      want += l1 * (i + 1) * v.reduce((s, e) => s + Math.abs(e), 0) +
        l2 * (i + 1) * v.reduce((s, e) => s + e * e, 0);
    });
    using out = penalised.apply(x) as dn.Tensor;
    const o = Array.from(out.dataSync());
    want += (a1 * o.reduce((s, e) => s + Math.abs(e), 0) + a2 * o.reduce((s, e) => s + e * e, 0)) /
      inShape[0];
    assertClose([loss - base], [want], { rel: 1e-4, abs: 1e-5 }, what);
  });

  Deno.test(`${what}(): nonNeg constraints hold after fit and the penalties survive loadModel`, async () => {
    const args: Args = { activityRegularizer: dn.regularizers.l2({ l2: 0.001 }) };
    for (const w of weights) {
      args[`${w}Regularizer`] = dn.regularizers.l1({ l1: 0.002 });
      args[`${w}Constraint`] = dn.constraints.nonNeg();
    }
    const layer = make(args);
    const model = dn.sequential([layer, dn.layers.flatten()]);
    model.compile({
      optimizer: dn.optimizers.sgd({ learningRate: 0.5 }),
      loss: "meanSquaredError",
    });
    using x = inputs(what, inShape);
    const outSize = layer.computeOutputShape(inShape.slice(1)).reduce((a, b) => a * b, 1);
    using y = dn.fill([inShape[0], outSize], -1);
    await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    for (const w of layer.weights) {
      const v = w.value.dataSync();
      assertEquals(v.filter((e) => e < 0).length, 0, `${what} ${w.name} has a negative entry`);
    }
    const copy = await dn.loadModel(model.toBytes());
    const config = copy.layers[0].getConfig();
    for (const w of weights) {
      assertEquals(config[`${w}Regularizer`], { l1: 0.002, l2: 0 });
      assertEquals(config[`${w}Constraint`], { className: "NonNeg", config: {} });
    }
    assertEquals(config.activityRegularizer, { l2: 0.001 });
    assertEquals(copy.layers[0].getConfig(), layer.getConfig());
    model.dispose();
    copy.dispose();
  });
}

Deno.test("recurrent layers and embedding reject unknown or malformed penalty arguments", () => {
  assertThrows(
    () =>
      dn.layers.lstm({ units: 1, recurrentRegulariser: {} } as unknown as dn.layers.RecurrentArgs),
    TypeError,
    '"recurrentRegulariser"',
  );
  assertThrows(
    () =>
      dn.layers.embedding(
        { inputDim: 2, outputDim: 1, kernelRegularizer: {} } as unknown as dn.layers.EmbeddingArgs,
      ),
    TypeError,
    '"kernelRegularizer"',
  );
  assertThrows(
    () => dn.layers.gru({ units: 1, biasRegularizer: { l2: -1 } }),
    RangeError,
    'Cannot run gru(): argument "biasRegularizer.l2" must be a finite number >= 0: got -1',
  );
  assertThrows(
    () =>
      dn.layers.simpleRNN({
        units: 1,
        recurrentConstraint: "nonNeg" as unknown as dn.constraints.Constraint,
      }),
    TypeError,
    "recurrentConstraint",
  );
});

const BIASED: [string, (args: Args) => dn.layers.Layer, number[]][] = [
  ["dense", (a) => dn.layers.dense({ units: 2, inputShape: [3], ...a }), [4, 3]],
  [
    "conv2d",
    (a) => dn.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], ...a }),
    [4, 3, 3, 1],
  ],
  [
    "conv1d",
    (a) => dn.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [3, 1], ...a }),
    [4, 3, 1],
  ],
  [
    "conv2dTranspose",
    (a) => dn.layers.conv2dTranspose({ filters: 2, kernelSize: 2, inputShape: [2, 2, 1], ...a }),
    [4, 2, 2, 1],
  ],
];

for (const [what, make, inShape] of BIASED) {
  Deno.test(`${what}(): biasRegularizer adds l1·Σ|b| + l2·Σb² to the training loss and is saved`, async () => {
    const [l1, l2] = [0.1, 0.3];
    const plain = make({ biasInitializer: "ones" });
    const penalised = make({ biasRegularizer: dn.regularizers.l1l2({ l1, l2 }) });
    using x = inputs(what, inShape);
    const base = await oneStepLoss(plain, x);
    const loss = await oneStepLoss(penalised, x, plain.getWeights());
    const b = Array.from(penalised.weights[1].value.dataSync());
    const want = l1 * b.reduce((s, e) => s + Math.abs(e), 0) +
      l2 * b.reduce((s, e) => s + e * e, 0);
    assertClose([loss - base], [want], { rel: 1e-4, abs: 1e-5 }, what);
    const copy = await dn.loadModel(dn.sequential([penalised]).toBytes());
    assertEquals(copy.layers[0].getConfig().biasRegularizer, { l1, l2 });
    copy.dispose();
  });
}

const NORMS: [string, (args: Args) => dn.layers.Layer][] = [
  ["batchNormalization", (a) => dn.layers.batchNormalization({ inputShape: [3], ...a })],
  ["layerNormalization", (a) => dn.layers.layerNormalization({ inputShape: [3], ...a })],
];

for (const [what, make] of NORMS) {
  Deno.test(`${what}(): beta/gamma regularizers reach the loss, constraints hold, both are saved`, async () => {
    const [l1, l2] = [0.1, 0.3];
    const init: Args = { betaInitializer: "ones", gammaInitializer: "ones" };
    using x = inputs(what, [4, 3]);
    const base = await oneStepLoss(make(init), x);
    const penalised = make({
      ...init,
      betaRegularizer: dn.regularizers.l1({ l1 }),
      gammaRegularizer: dn.regularizers.l2({ l2 }),
    });
    const loss = await oneStepLoss(penalised, x);
    assertClose([loss - base], [3 * l1 + 3 * l2], { rel: 1e-4, abs: 1e-5 }, what);

    const layer = make({
      betaConstraint: dn.constraints.nonNeg(),
      gammaConstraint: dn.constraints.nonNeg(),
      gammaRegularizer: dn.regularizers.l2({ l2 }),
    });
    const model = dn.sequential([layer]);
    model.compile({ optimizer: dn.optimizers.sgd({ learningRate: 2 }), loss: "meanSquaredError" });
    using y = dn.fill([4, 3], -5);
    await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    for (const w of layer.weights.slice(0, 2)) {
      assertEquals(w.value.dataSync().filter((e) => e < 0).length, 0, `${what} ${w.name}`);
    }
    const copy = await dn.loadModel(model.toBytes());
    const config = copy.layers[0].getConfig();
    assertEquals(config.gammaRegularizer, { l2 });
    assertEquals(config.betaConstraint, { className: "NonNeg", config: {} });
    assertEquals(config, layer.getConfig());
    model.dispose();
    copy.dispose();
  });
}

Deno.test("bidirectional(): the wrapped layer's activity penalty applies to each direction's output", async () => {
  const [a1, a2] = [0.02, 0.07];
  const make = (activity?: dn.regularizers.Regularizer) =>
    dn.layers.bidirectional(
      dn.layers.gru({ units: 2, returnSequences: true, activityRegularizer: activity }),
      { inputShape: [3, 2], mergeMode: "sum" },
    );
  const plain = make();
  const penalised = make(dn.regularizers.l1l2({ l1: a1, l2: a2 }));
  using x = inputs("bidirectional", [4, 3, 2]);
  const base = await oneStepLoss(plain, x);
  const loss = await oneStepLoss(penalised, x, plain.getWeights());
  // Each direction's output on its own: the wrapped layers run with the same weights.
  const bi = penalised as unknown as {
    forwardLayer: dn.layers.Layer;
    backwardLayer: dn.layers.Layer;
  };
  let want = 0;
  for (const layer of [bi.forwardLayer, bi.backwardLayer]) {
    using out = layer.apply(x) as dn.Tensor;
    const o = Array.from(out.dataSync());
    want += (a1 * o.reduce((s, e) => s + Math.abs(e), 0) + a2 * o.reduce((s, e) => s + e * e, 0)) /
      4;
  }
  assert(want > 1e-3, `penalty ${want}`);
  assertClose([loss - base], [want], { rel: 1e-4, abs: 1e-5 }, "bidirectional gru");
});
