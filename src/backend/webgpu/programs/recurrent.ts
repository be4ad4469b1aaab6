/**
 * Recurrent-cell gate kernels and the sequence transposes, mirroring assembly/recurrent.ts (same
 * layouts, gate orders and equations; see that header). One invocation per (batch row b, unit j)
 * over a 1-D launch of batch·units; per-step buffers are row-major, `units` columns (h, c, dh,
 * dc) or k gate blocks of `units` (Keras order: LSTM i, f, c, o; GRU z, r, h with the reset
 * applied after the recurrent product):
 *
 *   LSTM  i = σ(xw_i + hu_i)  f = σ(xw_f + hu_f)  g = tanh(xw_c + hu_c)  o = σ(xw_o + hu_o)
 *         c = f·cPrev + i·g   h = o·tanh(c)       gates = [i, f, g, o]
 *   GRU   z = σ(xw_z + hu_z)  r = σ(xw_r + hu_r)  ĥ = tanh(xw_h + r·hu_h)
 *         h = z·hPrev + (1 - z)·ĥ                 saved = [z, r, ĥ, hu_h]
 *   RNN   h = act(xw + hu)
 *
 * σ and tanh are activation.ts's `sigmoid_f32`/`tanh_f32` (WGSL's exp, not the wasm kernels'
 * polynomials: the two backends agree to a few ulp, not bit for bit). The backwards recompute
 * tanh(c) from the saved c. In-place use (LSTM c == cPrev, gates == xw; dc updated in place) is
 * safe per element, since each invocation reads its inputs before it writes; the backend routes
 * aliased bindings through temporaries anyway (WebGPU's rule).
 *
 * Tested against tests/_reference/recurrent.ts (forwards) and central differences of it
 * (backwards) by tests/backend/webgpu_conformance_cnn_test.ts.
 *
 * @module
 */
import {
  linearDispatch,
  linearWorkgroup,
  type ProgramLimits,
  type Vec3,
  type WgslProgram,
} from "../program.ts";
import { WGSL_ACT, WGSL_GATES } from "./activation.ts";

/** Launch size: `n` = batch·units (gates) or the element count (sequence transposes). */
export interface RecurrentParams {
  n: number;
}

const ROW = /* wgsl */ `
  if (gi >= u.n) { return; }
  let b = gi / u.units;
  let j = gi % u.units;
  let nu = u.units;`;

const launch = {
  workgroupSize: linearWorkgroup,
  dispatch: (p: RecurrentParams, wg: Vec3, limits: ProgramLimits) =>
    linearDispatch(p.n, wg, limits),
};

/** One LSTM step forward. */
export const f32LstmGatesFwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_lstm_gates_fwd",
  bindings: [
    { name: "xw", access: "read" },
    { name: "hu", access: "read" },
    { name: "cPrev", access: "read" },
    { name: "c", access: "read_write" },
    { name: "h", access: "read_write" },
    { name: "gates", access: "read_write" },
  ],
  uniforms: { n: "u32", units: "u32" },
  ...launch,
  helpers: () => WGSL_GATES,
  body: () =>
    /* wgsl */ `${ROW}
  let g0 = b * 4u * nu + j;
  let i = sigmoid_f32(xw[g0] + hu[g0]);
  let f = sigmoid_f32(xw[g0 + nu] + hu[g0 + nu]);
  let g = tanh_f32(xw[g0 + 2u * nu] + hu[g0 + 2u * nu]);
  let o = sigmoid_f32(xw[g0 + 3u * nu] + hu[g0 + 3u * nu]);
  let cNew = f * cPrev[gi] + i * g;
  c[gi] = cNew;
  h[gi] = o * tanh_f32(cNew);
  gates[g0] = i;
  gates[g0 + nu] = f;
  gates[g0 + 2u * nu] = g;
  gates[g0 + 3u * nu] = o;`,
};

/** One LSTM step backward: `dz` from `dh`; `dc` in: dL/dc, out: dL/dcPrev. */
export const f32LstmGatesBwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_lstm_gates_bwd",
  bindings: [
    { name: "dh", access: "read" },
    { name: "dc", access: "read_write" },
    { name: "gates", access: "read" },
    { name: "cPrev", access: "read" },
    { name: "c", access: "read" },
    { name: "dz", access: "read_write" },
  ],
  uniforms: { n: "u32", units: "u32" },
  ...launch,
  helpers: () => WGSL_GATES,
  body: () =>
    /* wgsl */ `${ROW}
  let g0 = b * 4u * nu + j;
  let i = gates[g0];
  let f = gates[g0 + nu];
  let g = gates[g0 + 2u * nu];
  let o = gates[g0 + 3u * nu];
  let dH = dh[gi];
  let tc = tanh_f32(c[gi]);
  let dC = dc[gi] + (dH * o) * (1.0 - tc * tc);
  dz[g0] = (dC * g) * (i * (1.0 - i));
  dz[g0 + nu] = (dC * cPrev[gi]) * (f * (1.0 - f));
  dz[g0 + 2u * nu] = (dC * i) * (1.0 - g * g);
  dz[g0 + 3u * nu] = (dH * tc) * (o * (1.0 - o));
  dc[gi] = dC * f;`,
};

/** One GRU step forward. */
export const f32GruGatesFwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_gru_gates_fwd",
  bindings: [
    { name: "xw", access: "read" },
    { name: "hu", access: "read" },
    { name: "hPrev", access: "read" },
    { name: "h", access: "read_write" },
    { name: "saved", access: "read_write" },
  ],
  uniforms: { n: "u32", units: "u32" },
  ...launch,
  helpers: () => WGSL_GATES,
  body: () =>
    /* wgsl */ `${ROW}
  let g0 = b * 3u * nu + j;
  let s0 = b * 4u * nu + j;
  let z = sigmoid_f32(xw[g0] + hu[g0]);
  let r = sigmoid_f32(xw[g0 + nu] + hu[g0 + nu]);
  let uh = hu[g0 + 2u * nu];
  let hh = tanh_f32(xw[g0 + 2u * nu] + r * uh);
  h[gi] = z * hPrev[gi] + (1.0 - z) * hh;
  saved[s0] = z;
  saved[s0 + nu] = r;
  saved[s0 + 2u * nu] = hh;
  saved[s0 + 3u * nu] = uh;`,
};

/** One GRU step backward: `dxw`, `dhu` from `dh`; `dhPrev += dh·z` when `hasDhPrev`. */
export const f32GruGatesBwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_gru_gates_bwd",
  bindings: [
    { name: "dh", access: "read" },
    { name: "saved", access: "read" },
    { name: "hPrev", access: "read" },
    { name: "dxw", access: "read_write" },
    { name: "dhu", access: "read_write" },
    { name: "dhPrev", access: "read_write" },
  ],
  uniforms: { n: "u32", units: "u32", hasDhPrev: "u32" },
  ...launch,
  body: () =>
    /* wgsl */ `${ROW}
  let g0 = b * 3u * nu + j;
  let s0 = b * 4u * nu + j;
  let z = saved[s0];
  let r = saved[s0 + nu];
  let hh = saved[s0 + 2u * nu];
  let uh = saved[s0 + 3u * nu];
  let dH = dh[gi];
  let dzz = (dH * (hPrev[gi] - hh)) * (z * (1.0 - z));
  let dhh = (dH * (1.0 - z)) * (1.0 - hh * hh);
  let dr = (dhh * uh) * (r * (1.0 - r));
  dxw[g0] = dzz;
  dxw[g0 + nu] = dr;
  dxw[g0 + 2u * nu] = dhh;
  dhu[g0] = dzz;
  dhu[g0 + nu] = dr;
  dhu[g0 + 2u * nu] = dhh * r;
  if (u.hasDhPrev != 0u) { dhPrev[gi] = dhPrev[gi] + dH * z; }`,
};

/** Simple RNN step forward, `h = act(xw + hu)`. */
export const f32RnnGatesFwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_rnn_gates_fwd",
  bindings: [
    { name: "xw", access: "read" },
    { name: "hu", access: "read" },
    { name: "h", access: "read_write" },
  ],
  uniforms: { n: "u32", act: "u32" },
  ...launch,
  helpers: () => WGSL_ACT,
  body: () => "  if (gi >= u.n) { return; }\n  h[gi] = act_f32(xw[gi] + hu[gi], u.act);",
};

/** Simple RNN step backward, `dz = dh·act'` from the output `h`. */
export const f32RnnGatesBwd: WgslProgram<RecurrentParams> = {
  key: () => "f32_rnn_gates_bwd",
  bindings: [
    { name: "dh", access: "read" },
    { name: "h", access: "read" },
    { name: "dz", access: "read_write" },
  ],
  uniforms: { n: "u32", act: "u32" },
  ...launch,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let y = h[gi];
  var d = 1.0;
  switch (u.act) {
    case 1u: { d = select(0.0, 1.0, y > 0.0); }
    case 2u: { d = y * (1.0 - y); }
    case 3u: { d = 1.0 - y * y; }
    default: {}
  }
  dz[gi] = dh[gi] * d;`,
};

/**
 * Batch-major `[batch, steps, inner]` to time-major `[steps, batch, inner]` (`toTimeMajor` 1) or
 * back (0); with `reverse` 1 the time axis of the batch-major side is reversed. One invocation
 * per element of y (an exact copy).
 */
export const f32SequenceTranspose: WgslProgram<RecurrentParams> = {
  key: () => "f32_rnn_sequence_transpose",
  bindings: [{ name: "x", access: "read" }, { name: "y", access: "read_write" }],
  uniforms: {
    n: "u32",
    batch: "u32",
    steps: "u32",
    inner: "u32",
    toTimeMajor: "u32",
    reverse: "u32",
  },
  ...launch,
  body: () => /* wgsl */ `
  if (gi >= u.n) { return; }
  let k = gi % u.inner;
  let r = gi / u.inner;
  if (u.toTimeMajor != 0u) {
    let b = r % u.batch;
    let s = r / u.batch;
    let t = select(s, u.steps - 1u - s, u.reverse != 0u);
    y[gi] = x[(b * u.steps + t) * u.inner + k];
  } else {
    let t = r % u.steps;
    let b = r / u.steps;
    let s = select(t, u.steps - 1u - t, u.reverse != 0u);
    y[gi] = x[(s * u.batch + b) * u.inner + k];
  }`,
};
