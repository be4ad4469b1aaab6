import assert from "node:assert/strict";
import { assertClose, Tol } from "../_util/assert_close.ts";
import {
  assertMatchesOrt,
  type Attr,
  type Feed,
  graph,
  initializer,
  model,
  node,
  runDendrite,
  runOrt,
  uniform,
} from "./_models.ts";
import { pytorchLstm } from "./_pytorch.ts";
import { DATA_TYPE, decodeModel } from "../../src/onnx/_proto.ts";
import { Plan } from "../../src/onnx/_plan.ts";

/** One recurrent node with random weights and the given optional inputs, against ONNX Runtime. */
async function check(
  op: "LSTM" | "GRU" | "RNN",
  attrs: Record<string, Attr>,
  opts: {
    batch: number;
    steps: number;
    features: number;
    hidden: number;
    states?: boolean;
    bias?: boolean;
  },
  what: string,
): Promise<void> {
  const { batch, steps, features, hidden } = opts;
  const g = { LSTM: 4, GRU: 3, RNN: 1 }[op];
  const dirs = attrs.direction === "bidirectional" ? 2 : 1;
  const layout = attrs.layout === 1 ? 1 : 0;
  const names = ["x", "W", "R", opts.bias === false ? "" : "B", ""];
  const feeds: Record<string, Feed> = {};
  const xShape = layout === 0 ? [steps, batch, features] : [batch, steps, features];
  feeds.x = { data: uniform(steps * batch * features, 5), shape: xShape };
  if (opts.states) {
    const sShape = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
    names.push("h0");
    feeds.h0 = { data: uniform(dirs * batch * hidden, 6), shape: sShape };
    if (op === "LSTM") {
      names.push("c0");
      feeds.c0 = { data: uniform(dirs * batch * hidden, 7), shape: sShape };
    }
  }
  const outs = op === "LSTM" ? ["y", "yh", "yc"] : ["y", "yh"];
  const bytes = model(graph({
    nodes: [node(op, names, outs, { hidden_size: hidden, ...attrs })],
    inputs: Object.entries(feeds).map(([k, v]) => [k, v.shape]),
    outputs: outs.map((o) => [o, undefined]),
    initializers: [
      initializer(
        "W",
        [dirs, g * hidden, features],
        uniform(dirs * g * hidden * features, 1, -0.6, 0.6),
      ),
      initializer(
        "R",
        [dirs, g * hidden, hidden],
        uniform(dirs * g * hidden * hidden, 2, -0.6, 0.6),
      ),
      initializer("B", [dirs, 2 * g * hidden], uniform(dirs * 2 * g * hidden, 3, -0.5, 0.5)),
    ].filter((t) => opts.bias !== false || t.name !== "B"),
  }));
  await assertMatchesOrt(bytes, feeds, what);
}

const SIZES = { batch: 3, steps: 5, features: 4, hidden: 6 };

Deno.test("LSTM matches ONNX Runtime forward, reverse and bidirectional, with initial states", async () => {
  await check("LSTM", {}, SIZES, "lstm forward");
  await check(
    "LSTM",
    { direction: "reverse" },
    { ...SIZES, states: true },
    "lstm reverse with states",
  );
  await check(
    "LSTM",
    { direction: "bidirectional" },
    { ...SIZES, states: true },
    "lstm bidirectional",
  );
  await check("LSTM", { direction: "bidirectional" }, { ...SIZES, bias: false }, "lstm no bias");
});

Deno.test("GRU matches ONNX Runtime with and without linear_before_reset, every direction", async () => {
  await check("GRU", { linear_before_reset: 1 }, SIZES, "gru reset after");
  await check("GRU", {}, { ...SIZES, states: true }, "gru reset before");
  await check("GRU", { direction: "bidirectional", linear_before_reset: 1 }, {
    ...SIZES,
    states: true,
  }, "gru bidirectional");
  await check("GRU", { direction: "reverse" }, SIZES, "gru reverse, reset before");
});

Deno.test("RNN matches ONNX Runtime with Tanh and Relu", async () => {
  await check("RNN", {}, { ...SIZES, states: true }, "rnn tanh");
  await check(
    "RNN",
    { direction: "bidirectional", activations: ["Relu", "Relu"] },
    SIZES,
    "rnn relu bidirectional",
  );
});

Deno.test("InferenceSession runs a PyTorch-exported LSTM as ONNX Runtime does, batch 1 and 4", async () => {
  const bytes = pytorchLstm();
  for (const batch of [1, 4]) {
    const input = { data: uniform(batch * 7 * 8, 30 + batch), shape: [batch, 7, 8] };
    await assertMatchesOrt(bytes, { input }, `lstm batch ${batch}`);
  }
});

Deno.test("LSTM with layout 1 (batch first) gives the layout-0 results with batch and time swapped", async () => {
  const [b, t, f, h] = [2, 4, 3, 5];
  const build = (layout: number, xShape: number[]) =>
    model(graph({
      nodes: [
        node("LSTM", ["x", "W", "R", "B"], ["y", "yh"], {
          hidden_size: h,
          layout,
          direction: "bidirectional",
        }),
      ],
      inputs: [["x", xShape]],
      outputs: [["y", undefined], ["yh", undefined]],
      initializers: [
        initializer("W", [2, 4 * h, f], uniform(8 * h * f, 1)),
        initializer("R", [2, 4 * h, h], uniform(8 * h * h, 2)),
        initializer("B", [2, 8 * h], uniform(16 * h, 3)),
      ],
    }));
  const x = uniform(b * t * f, 4);
  const timeMajor = Float32Array.from({ length: x.length }, (_, i) => {
    const [s, n, k] = [Math.floor(i / (b * f)), Math.floor(i / f) % b, i % f];
    return x[(n * t + s) * f + k];
  });
  const ref = await runOrt(build(0, [t, b, f]), { x: { data: timeMajor, shape: [t, b, f] } });
  const ours = await runDendrite(build(1, [b, t, f]), { x: { data: x, shape: [b, t, f] } });
  assert.deepEqual(ours.y.shape, [b, t, 2, h]);
  assert.deepEqual(ours.yh.shape, [b, 2, h]);
  // y: [t, 2, b, h] -> [b, t, 2, h]; yh: [2, b, h] -> [b, 2, h].
  const y = ours.y.data.map((_, i) => {
    const [n, s, d, k] = [
      Math.floor(i / (t * 2 * h)),
      Math.floor(i / (2 * h)) % t,
      Math.floor(i / h) % 2,
      i % h,
    ];
    return ref.y.data[((s * 2 + d) * b + n) * h + k];
  });
  const yh = ours.yh.data.map((_, i) => {
    const [n, d, k] = [Math.floor(i / (2 * h)), Math.floor(i / h) % 2, i % h];
    return ref.yh.data[(d * b + n) * h + k];
  });
  assertClose(ours.y.data, y, Tol.ulps(64), "lstm layout 1 y");
  assertClose(ours.yh.data, yh, Tol.ulps(64), "lstm layout 1 y_h");
});

Deno.test("a forward LSTM's last step taken by Squeeze, Transpose and Gather -1 runs as its final state, near misses unfused; a batch-first Transpose in front is absorbed", async () => {
  const [b, t, f, h] = [3, 5, 4, 6];
  const I64 = DATA_TYPE.INT64;
  const build = (
    spec: {
      direction?: string;
      transpose?: boolean;
      index?: number;
      extraOut?: boolean;
      readC?: boolean;
      batchFirst?: boolean;
    },
    h0: "zeros" | "constant" | "none",
  ) => {
    const transpose = spec.transpose ?? true;
    const lstmInputs = h0 === "none" ? ["x", "W", "R", "B"] : ["x", "W", "R", "B", "", "h0", "h0"];
    const nodes = [
      node("LSTM", lstmInputs, ["y", "yh", "yc"], {
        hidden_size: h,
        ...(spec.direction ? { direction: spec.direction } : {}),
      }),
      node("Squeeze", ["y", "axes1"], ["y3"]),
      ...(transpose ? [node("Transpose", ["y3"], ["bm"], { perm: [1, 0, 2] })] : []),
      node("Gather", [transpose ? "bm" : "y3", "index"], ["last"], { axis: transpose ? 1 : 0 }),
    ];
    if (h0 === "zeros") {
      nodes.unshift(node("ConstantOfShape", ["stateShape"], ["h0"]));
    }
    if (spec.batchFirst) nodes.unshift(node("Transpose", ["xb"], ["x"], { perm: [1, 0, 2] }));
    return model(graph({
      nodes,
      inputs: spec.batchFirst ? [["xb", [b, t, f]]] : [["x", [t, b, f]]],
      outputs: [
        ["last", undefined],
        ["yh", undefined],
        ...(spec.extraOut ? [["y3", undefined]] as [string, undefined][] : []),
        ...(spec.readC ? [["yc", undefined]] as [string, undefined][] : []),
      ],
      initializers: [
        initializer("W", [1, 4 * h, f], uniform(4 * h * f, 1)),
        initializer("R", [1, 4 * h, h], uniform(4 * h * h, 2)),
        initializer("B", [1, 8 * h], uniform(8 * h, 3)),
        initializer("axes1", [1], [1], I64),
        initializer("index", [], [spec.index ?? -1], I64),
        ...(h0 === "zeros" ? [initializer("stateShape", [3], [1, b, h], I64)] : []),
        ...(h0 === "constant" ? [initializer("h0", [1, b, h], uniform(b * h, 4))] : []),
      ],
    }));
  };
  const x = { data: uniform(t * b * f, 5), shape: [t, b, f] };
  const xb = { data: uniform(t * b * f, 6), shape: [b, t, f] };
  const cases: [Parameters<typeof build>[0], boolean][] = [
    [{}, true],
    [{ transpose: false }, true],
    [{ readC: true }, true],
    [{ batchFirst: true }, true],
    [{ batchFirst: true, direction: "reverse" }, false],
    [{ direction: "reverse" }, false],
    [{ index: 0 }, false],
    [{ extraOut: true }, false],
  ];
  for (const [spec, fused] of cases) {
    for (const h0 of ["zeros", "constant", "none"] as const) {
      const bytes = build(spec, h0);
      const what = `${JSON.stringify(spec)} h0 ${h0}`;
      await assertMatchesOrt(bytes, spec.batchFirst ? { xb } : { x }, what);
      const m = decodeModel(bytes);
      const plan = await Plan.build(m.graph, m.opset, new Set(), bytes.length);
      const gathers = plan.steps.filter((s) => s.label.includes("(Gather)")).length;
      assert.equal(gathers, fused ? 0 : 1, what);
      // The Transpose to time-major order in front is absorbed in every direction.
      assert.equal(plan.steps.some((s) => s.label.includes('"Transpose_x"')), false, what);
      plan.dispose();
    }
  }
});
