/**
 * Strided copy, mirroring assembly/strided.ts: over six dimensions,
 * `y[yOff + Σ i_d·ys_d] = x[xOff + Σ i_d·xs_d]`, strides and offsets in elements.
 *
 * 4-byte elements (`x32StridedCopy`): one invocation per element of the index space; both
 * buffers are seen as `array<u32>`, so float32 and int32 move as bits.
 *
 * Bytes (`x8StridedCopy`, bool): a buffer is the same bytes seen as `array<u32>`, and WGSL has no
 * byte stores, so two invocations writing neighbouring bytes of one word would race (a concat of
 * bool along the last axis does). Instead each invocation owns one whole word of y, from the first
 * word the copy touches to the last: for each of its four bytes it finds the index that writes it,
 * if any, by dividing the byte's position by the y strides from the largest down (the caller
 * passes the dimensions sorted so, and the primitive's precondition, that each y stride exceeds
 * the largest offset the smaller ones reach, makes this division exact), reads that x byte, and
 * keeps y's old byte where no index writes. Every word is read and written once, whole; a copy
 * whose y elements are far apart visits the words between them too (the cost of owning words).
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type UniformType, type WgslProgram } from "../program.ts";

/** Launch size: elements (4-byte) or y words (bytes). */
export interface StridedParams {
  n: number;
}

const DIMS = [0, 1, 2, 3, 4, 5];

/** The uniforms of both programs: sizes and strides per dimension, offsets, the launch size. */
const UNIFORMS: Readonly<Record<string, UniformType>> = {
  n: "u32",
  ...Object.fromEntries(DIMS.map((d) => [`d${d}`, "i32"])),
  ...Object.fromEntries(DIMS.map((d) => [`xs${d}`, "i32"])),
  ...Object.fromEntries(DIMS.map((d) => [`ys${d}`, "i32"])),
  xOff: "i32",
  yOff: "i32",
  w0: "u32",
};

const BINDINGS = [
  { name: "x", access: "read", type: "array<u32>" },
  { name: "y", access: "read_write", type: "array<u32>" },
] as const;

/** 4-byte elements: one invocation per element of the index space. */
export const x32StridedCopy: WgslProgram<StridedParams> = {
  key: () => "x32_strided_copy",
  bindings: BINDINGS,
  uniforms: UNIFORMS,
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  var t = i32(gi);
  var xi = u.xOff;
  var yi = u.yOff;
${
    DIMS.slice().reverse().map((d) =>
      `  {
    let i = t % u.d${d};
    t = t / u.d${d};
    xi = xi + i * u.xs${d};
    yi = yi + i * u.ys${d};
  }`
    ).join("\n")
  }
  y[yi] = x[xi];`,
};

/** Bytes: one invocation per y word from word `w0`; dimensions sorted by y stride, largest first. */
export const x8StridedCopy: WgslProgram<StridedParams> = {
  key: () => "x8_strided_copy",
  bindings: BINDINGS,
  uniforms: UNIFORMS,
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let w = u.w0 + gi;
  var word = y[w];
  for (var b = 0u; b < 4u; b = b + 1u) {
    var r = i32(w * 4u + b) - u.yOff;
    var xi = u.xOff;
    var hit = r >= 0;
${
    DIMS.map((d) =>
      `    if (u.ys${d} > 0) {
      let i = max(r, 0) / u.ys${d};
      hit = hit && i < u.d${d};
      r = r - i * u.ys${d};
      xi = xi + i * u.xs${d};
    }`
    ).join("\n")
  }
    if (hit && r == 0) {
      let v = (x[u32(xi) >> 2u] >> ((u32(xi) & 3u) * 8u)) & 0xffu;
      word = (word & ~(0xffu << (b * 8u))) | (v << (b * 8u));
    }
  }
  y[w] = word;`,
};
