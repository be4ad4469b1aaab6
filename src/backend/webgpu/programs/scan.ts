/**
 * Cumulative sums, mirroring assembly/scan.ts: `x` and `y` viewed as `[outer, len, inner]`, one
 * invocation per (outer, inner) line adding its len terms in sequence from the scan's start, the
 * same additions in the same order as the wasm kernel. A long single line runs on one
 * invocation: correct, not fast (a parallel prefix sum would change the order of additions).
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Cumulative-sum parameters: `lines` = outer · inner. */
export interface CumsumParams {
  lines: number;
}

/** `y` = the inclusive or exclusive, forward or reverse cumulative sums of `x` along len. */
export const f32Cumsum: WgslProgram<CumsumParams> = {
  key: () => "f32_cumsum",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { lines: "u32", len: "u32", inner: "u32", exclusive: "u32", reverse: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: ({ lines }, wg, limits) => linearDispatch(lines, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.lines) { return; }
  let base = (gi / u.inner) * u.len * u.inner + gi % u.inner;
  var s = 0.0;
  for (var t = 0u; t < u.len; t = t + 1u) {
    let at = base + select(t, u.len - 1u - t, u.reverse != 0u) * u.inner;
    let v = x[at];
    if (u.exclusive != 0u) {
      y[at] = s;
      s = s + v;
    } else {
      s = s + v;
      y[at] = s;
    }
  }`,
};
