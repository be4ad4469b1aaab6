/**
 * 2-D transpose, mirroring assembly/transpose.ts: `y[c, r] = x[r, c]` for a `rows x cols` x.
 * One invocation per element of y (writes coalesced).
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** `y = xᵀ`. */
export const f32Transpose: WgslProgram<{ n: number }> = {
  key: () => "f32_transpose",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", rows: "u32", cols: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let c = gi / u.rows;
  let r = gi % u.rows;
  y[gi] = x[r * u.cols + c];`,
};
