/**
 * Raw-kernel tests of assembly/depthwise.ts against the float64 references in
 * tests/_reference/depthwise.ts, on the release (plain and shared) and debug builds (STYLE
 * C8-C10). Configurations cover "same"/"valid", strides and dilations, multipliers 1 (the
 * f32x4 path, channel counts straddling it: 1, 3, 4, 5, 8, 17) and above 1 (the scalar path),
 * batch 1 and 3. Every buffer sits between guards; a run split into ranges (rows, or channels for
 * the filter gradient) must give the bytes of one call, over outputs pre-filled with garbage.
 *
 * Error bounds (STYLE C9), inputs in [-1, 1]: the forward is an f32 sum of fh·fw terms plus the
 * bias, Tol.dot(fh·fw + 1); the input gradient sums at most fh·fw·m terms, Tol.dot(fh·fw·m); the
 * filter gradient sums batch·outH·outW terms, Tol.dot(batch·outH·outW).
 */
import { assertClose, Tol } from "../_util/assert_close.ts";
import { wholeAndSplit } from "../_util/kernel_checks.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { convGeometry } from "../_reference/conv.ts";
import {
  depthwiseBackwardDataReference,
  depthwiseBackwardFilterReference,
  depthwiseReference,
} from "../_reference/depthwise.ts";

const harnesses = await kernelHarnesses();

type Config = [
  shape: [number, number, number, number],
  filter: [number, number],
  multiplier: number,
  strides: [number, number],
  dilations: [number, number],
  padding: "same" | "valid",
];

const CONFIGS: Config[] = [
  [[1, 5, 5, 1], [3, 3], 1, [1, 1], [1, 1], "same"],
  [[2, 6, 7, 3], [3, 3], 1, [2, 2], [1, 1], "same"],
  [[1, 7, 6, 4], [3, 2], 1, [1, 1], [2, 1], "valid"],
  [[3, 5, 5, 5], [2, 2], 1, [2, 1], [1, 1], "valid"],
  [[1, 9, 9, 8], [5, 5], 1, [1, 1], [1, 1], "same"],
  [[2, 4, 6, 17], [3, 3], 1, [3, 3], [1, 1], "same"],
  [[1, 6, 5, 2], [3, 3], 2, [1, 1], [1, 1], "same"],
  [[2, 5, 4, 3], [2, 3], 3, [2, 1], [1, 1], "valid"],
  [[1, 8, 8, 5], [3, 3], 2, [1, 1], [2, 2], "same"],
  [[1, 1, 1, 17], [1, 1], 1, [1, 1], [1, 1], "valid"],
];

for (const [shape, [fh, fw], m, strides, dilations, padding] of CONFIGS) {
  const c = shape[3];
  const g = convGeometry(shape, [fh, fw, c * m], strides, dilations, padding);
  const name =
    `[${shape}] filter [${fh}, ${fw}] x ${m} strides [${strides}] dilations [${dilations}] "${padding}"`;
  const seed = shape.reduce((a, b) => a * 31 + b, fh * 7 + m);
  const nx = g.batch * g.inH * g.inW * c, ny = g.batch * g.outH * g.outW * c * m;
  const nf = fh * fw * c * m;
  const x = randomF32(nx, seed), f = randomF32(nf, seed + 1), bias = randomF32(c * m, seed + 2);
  const dy = randomF32(ny, seed + 3);
  const geometry = [
    g.batch,
    g.inH,
    g.inW,
    c,
    m,
    g.outH,
    g.outW,
    fh,
    fw,
    g.strideH,
    g.strideW,
    g.dilH,
    g.dilW,
    g.padTop,
    g.padLeft,
  ] as const;

  Deno.test(`f32_depthwise_conv2d_nhwc() and its gradients match f64 references for ${name}`, () => {
    for (const h of harnesses) {
      const px = h.f32(nx, x), pf = h.f32(nf, f), pb = h.f32(c * m, bias), pdy = h.f32(ny, dy);
      const y = wholeAndSplit(h, ny, g.batch * g.outH, (py, b, e) => {
        h.k.f32_depthwise_conv2d_nhwc(px, pf, pb, py, ...geometry, b, e);
      });
      assertClose(
        y,
        depthwiseReference(g, m, x, f, bias),
        Tol.dot(fh * fw + 1),
        `y [${h.name}] ${name}`,
      );
      const noBias = wholeAndSplit(h, ny, g.batch * g.outH, (py, b, e) => {
        h.k.f32_depthwise_conv2d_nhwc(px, pf, 0, py, ...geometry, b, e);
      });
      assertClose(
        noBias,
        depthwiseReference(g, m, x, f),
        Tol.dot(fh * fw),
        `y, no bias [${h.name}]`,
      );
      const dx = wholeAndSplit(h, nx, g.batch * g.inH, (pdx, b, e) => {
        h.k.f32_depthwise_conv2d_nhwc_bwd_data(pdy, pf, pdx, ...geometry, b, e);
      });
      assertClose(
        dx,
        depthwiseBackwardDataReference(g, m, dy, f),
        Tol.dot(fh * fw * m),
        `dx [${h.name}] ${name}`,
      );
      const df = wholeAndSplit(h, nf, c, (pdf, b, e) => {
        h.k.f32_depthwise_conv2d_nhwc_bwd_filter(px, pdy, pdf, ...geometry, b, e);
      });
      assertClose(
        df,
        depthwiseBackwardFilterReference(g, m, x, dy),
        Tol.dot(g.batch * g.outH * g.outW),
        `df [${h.name}] ${name}`,
      );
      h.reset();
    }
  });
}
