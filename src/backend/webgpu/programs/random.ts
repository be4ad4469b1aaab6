/**
 * Random masks drawn on the device, mirroring assembly/random.ts bit for bit: element i of a
 * dropout mask with seed s is 0 when u = (mix(i ^ mix(s)) >> 8) · 2^-24 < rate, else keep, with
 * mix the lowbias32 integer hash (u32 arithmetic wraps in WGSL as in wasm, and the 24-bit u
 * converts to f32 exactly). Bernoulli and multinomial draws use the same u (see
 * assembly/random.ts); multinomial sums each row in outcome order with f32 additions only, so its
 * picks match the wasm kernel's.
 *
 * @module
 */
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** The lowbias32 hash, and `draw`: the uniform u(s, i) of (already mixed) seed s and index i. */
const MIX = /* wgsl */ `
fn mix(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  return x ^ (x >> 16u);
}
fn draw(s: u32, i: u32) -> f32 {
  return f32(mix(i ^ s) >> 8u) * (1.0 / 16777216.0);
}`;

/** `y[i] = u(i) < rate ? 0 : keep` (see the module doc). */
export const f32DropoutMask: WgslProgram<{ n: number }> = {
  key: () => "f32_dropout_mask",
  bindings: [{ name: "y", access: "read_write" }],
  uniforms: { n: "u32", seed: "u32", rate: "f32", keep: "f32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => MIX,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let v = f32(mix(gi ^ mix(u.seed)) >> 8u) * (1.0 / 16777216.0);
  y[gi] = select(u.keep, 0.0, v < u.rate);`,
};

/** `y[i] = u(i) < p[i] ? 1 : 0`. */
export const f32Bernoulli: WgslProgram<{ n: number }> = {
  key: () => "f32_bernoulli",
  bindings: [{ name: "p", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: { n: "u32", seed: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => MIX,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  y[gi] = select(0.0, 1.0, draw(mix(u.seed), gi) < p[gi]);`,
};

/** One invocation per draw `b·samples + j`: the first outcome whose running sum exceeds u·total. */
export const f32Multinomial: WgslProgram<{ n: number }> = {
  key: () => "f32_multinomial",
  bindings: [
    { name: "probs", access: "read" },
    { name: "y", access: "read_write", type: "array<i32>" },
  ],
  uniforms: { n: "u32", outcomes: "u32", samples: "u32", seed: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(p.n, wg, limits),
  helpers: () => MIX,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let row = (gi / u.samples) * u.outcomes;
  var total = 0.0;
  var last = 0u;
  for (var k = 0u; k < u.outcomes; k = k + 1u) {
    let v = probs[row + k];
    total = total + v;
    if (v > 0.0) { last = k; }
  }
  let goal = draw(mix(u.seed), gi) * total;
  var pick = last;
  var cum = 0.0;
  for (var k = 0u; k < last; k = k + 1u) {
    cum = cum + probs[row + k];
    if (goal < cum) {
      pick = k;
      break;
    }
  }
  y[gi] = i32(pick);`,
};
