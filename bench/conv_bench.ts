/**
 * NHWC 2-D convolution, forward and backward: Dendrite against TensorFlow.js's wasm backend
 * (XNNPACK, SIMD, one thread) as the baseline, in the same process (STYLE C15).
 *
 *   deno bench -A --v8-flags=--no-liftoff bench/conv_bench.ts
 *
 * Shapes: the first LeNet convolution (batch 64, 28x28x1 -> 32 filters 5x5 "valid") and a
 * mid-network ResNet-style block (batch 8, 56x56x64 -> 64 filters 3x3 "same"). One pass costs
 * 2·batch·outH·outW·outC·fh·fw·inC flops; forward, backward data (dx) and backward filter (dw)
 * are one pass each.
 *
 * Groups per shape:
 * - `fwd`: `tf.conv2d` against `dn.conv2d` (1 pass).
 * - `dx`: the input-gradient kernel alone, `Conv2DBackpropInput` (what `tf.grads` dispatches for
 *   a conv2d's x) against the backend's `conv2dBackwardData` (1 pass).
 * - `dw`: the filter-gradient kernel alone. tfjs-backend-wasm registers no
 *   `Conv2DBackpropFilter` (`tf.grads` of a conv2d's filter throws "Kernel
 *   'Conv2DBackpropFilter' not registered for backend 'wasm'"), so the baseline is its
 *   `Conv3DBackpropFilterV2` on depth-1 views of the same tensors, the only filter-gradient
 *   kernel it has (1 pass).
 * - `grads`: a training step's convolution work, forward + dx + dw (3 passes): `tf.grads` of
 *   conv2d with respect to x plus the conv3d dw kernel above, against `dn.grads` with respect to
 *   x and the filter.
 *
 * Every timed call reads its results back (`dataSync`) and frees them; inputs are reused. The
 * results of both sides are compared once before timing. Quote the interleaved pass (printed at
 * exit, 5 rounds) for "x faster than tfjs". The whole file runs in about two minutes, most of it
 * in tfjs's backward kernels.
 *
 * @module
 */
import "@tensorflow/tfjs-layers"; // registers tfjs-core's gradient functions (tf.grads)
import * as dn from "../mod.ts";
import { activeBackend } from "../src/backend/select.ts";
import { conv2d, conv2dGeometry } from "../src/ops/conv.ts";
import { output } from "../src/ops/_output.ts";
import { initTfjsWasm } from "./_tfjs.ts";
import { checkAgree, comparePaired, timed, values } from "./_util.ts";

interface Shape {
  batch: number;
  h: number;
  w: number;
  inC: number;
  outC: number;
  f: number;
  padding: "same" | "valid";
}

const SHAPES: Shape[] = [
  { batch: 64, h: 28, w: 28, inC: 1, outC: 32, f: 5, padding: "valid" },
  { batch: 8, h: 56, w: 56, inC: 64, outC: 64, f: 3, padding: "same" },
];

/**
 * Fixed iteration counts: tfjs's backward kernels take seconds on the larger shape, and
 * `deno bench`'s own budget would spend minutes on them; the medians are stable at this count.
 */
const ITERATIONS = { n: 8, warmup: 2 };

const tf = await initTfjsWasm();
await dn.ready({ backend: "wasm" });

for (const s of SHAPES) {
  const xShape = [s.batch, s.h, s.w, s.inC] as [number, number, number, number];
  const wShape = [s.f, s.f, s.inC, s.outC] as [number, number, number, number];
  const g = conv2dGeometry(xShape, wShape, [1, 1], [1, 1], s.padding, "bench");
  const yShape = [s.batch, g.outHeight, g.outWidth, s.outC] as [number, number, number, number];
  const flops = 2 * s.batch * g.outHeight * g.outWidth * s.outC * s.f * s.f * s.inC;
  const name = `${s.batch}x${s.h}x${s.w}x${s.inC} -> ${s.outC} ${s.f}x${s.f} ${s.padding}`;
  const group = (what: string, passes: number) =>
    `conv2d ${what} ${name} (${(passes * flops / 1e9).toFixed(3)} GFLOP)`;
  const xData = values(xShape.reduce((a, b) => a * b), 1);
  const wData = values(wShape.reduce((a, b) => a * b), 2).map((v) => v / s.f);
  const dyData = values(yShape.reduce((a, b) => a * b), 3);

  const tx = tf.tensor4d(xData, xShape), tw = tf.tensor4d(wData, wShape);
  const tdy = tf.tensor4d(dyData, yShape);
  const tx5 = tf.reshape(tx, [s.batch, 1, s.h, s.w, s.inC]);
  const tdy5 = tf.reshape(tdy, [s.batch, 1, g.outHeight, g.outWidth, s.outC]);
  const dx = dn.tensor(xData, xShape), dw = dn.tensor(wData, wShape);
  const ddy = dn.tensor(dyData, yShape);

  const tfForward = () => tf.conv2d(tx, tw, 1, s.padding);
  const tfDx = () =>
    tf.engine().runKernel("Conv2DBackpropInput", { dy: tdy, filter: tw }, {
      strides: [1, 1],
      pad: s.padding,
      dataFormat: "NHWC",
      inputShape: xShape,
    }) as ReturnType<typeof tf.conv2d>;
  const tfDw = () =>
    tf.tidy(() =>
      tf.reshape(
        tf.engine().runKernel("Conv3DBackpropFilterV2", { x: tx5, dy: tdy5 }, {
          strides: [1, 1, 1],
          pad: s.padding,
          filterShape: [1, s.f, s.f, s.inC, s.outC],
        }) as ReturnType<typeof tf.conv2d>,
        wShape,
      )
    );
  const tfGradX = tf.grad((x) => tf.conv2d(x as typeof tx, tw, 1, s.padding));

  const dnDx = () => {
    const out = output(xShape);
    activeBackend().conv2dBackwardData({
      ...g,
      dy: ddy.storage,
      filter: dw.storage,
      dx: out.storage,
    });
    return out;
  };
  const dnDw = () => {
    const out = output(wShape);
    activeBackend().conv2dBackwardFilter({ ...g, x: dx.storage, dy: ddy.storage, dw: out.storage });
    return out;
  };
  const dnGrads = dn.grads((x: dn.Tensor, w: dn.Tensor) => conv2d(x, w, { padding: s.padding }));

  // Same results on both sides, once, before timing.
  const k = s.f * s.f * s.inC;
  tf.tidy(() => {
    using y = conv2d(dx, dw, { padding: s.padding });
    checkAgree(group("fwd", 1), y.dataSync(), tfForward().dataSync(), k);
    using gx = dnDx();
    checkAgree(group("dx", 1), gx.dataSync(), tfDx().dataSync(), s.f * s.f * s.outC);
    using gw = dnDw();
    const rows = s.batch * g.outHeight * g.outWidth;
    checkAgree(group("dw", 1), gw.dataSync(), tfDw().dataSync(), rows);
  });

  const pair = (what: string, passes: number, tfFn: () => void, dnFn: () => void) => {
    const gr = group(what, passes);
    Deno.bench({
      group: gr,
      name: "tfjs-backend-wasm",
      baseline: true,
      ...ITERATIONS,
      fn: timed(gr, "tfjs-backend-wasm", passes * flops, tfFn),
    });
    Deno.bench({
      group: gr,
      name: "dendrite wasm",
      ...ITERATIONS,
      fn: timed(gr, "dendrite wasm", passes * flops, dnFn),
    });
  };
  const readAndFree = (t: { dataSync(): unknown; dispose(): void }) => {
    t.dataSync();
    t.dispose();
  };

  pair(
    "fwd",
    1,
    () => readAndFree(tfForward()),
    () => readAndFree(conv2d(dx, dw, { padding: s.padding })),
  );
  pair("dx", 1, () => readAndFree(tfDx()), () => readAndFree(dnDx()));
  pair("dw", 1, () => readAndFree(tfDw()), () => readAndFree(dnDw()));
  pair("grads", 3, () => {
    readAndFree(tfGradX(tx, tdy));
    readAndFree(tfDw());
  }, () => {
    for (const t of dnGrads([dx, dw], ddy)) readAndFree(t);
  });
}

comparePaired(5);
