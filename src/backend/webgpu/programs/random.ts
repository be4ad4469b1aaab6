/**
 * Random masks drawn on the device, mirroring assembly/random.ts bit for bit: element i of a
 * dropout mask with seed s is 0 when u = (mix(i ^ mix(s)) >> 8) · 2^-24 < rate, else keep, with
 * mix the lowbias32 integer hash (u32 arithmetic wraps in WGSL as in wasm, and the 24-bit u
 * converts to f32 exactly).
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** `y[i] = u(i) < rate ? 0 : keep` (see the module doc). */
export const f32DropoutMask: WgslProgram<{ n: number }> = {
  key: () => "f32_dropout_mask",
  bindings: [{ name: "y", access: "read_write" }],
  uniforms: { n: "u32", seed: "u32", rate: "f32", keep: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => /* wgsl */ `
fn mix(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  return x ^ (x >> 16u);
}`,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let v = f32(mix(gi ^ mix(u.seed)) >> 8u) * (1.0 / 16777216.0);
  y[gi] = select(u.keep, 0.0, v < u.rate);`,
};
