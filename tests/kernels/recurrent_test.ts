/**
 * Raw-kernel tests of assembly/recurrent.ts on the release (plain and
 * shared) and debug builds (STYLE C8-C10). Gate kernels run on batch sizes 1, 3, 5 and unit
 * counts 1, 3, 4, 5, 8, 9, 12, 17 (the 8-wide body, the 4-wide body and the scalar tail); every
 * buffer sits between NaN-payload guards checked after each call; a run split into batch ranges
 * must give the bytes of one call.
 *
 * References: forwards against tests/_reference/recurrent.ts's `stepReference` (float64 cell
 * equations); backwards against central differences (h = 1e-6, float64) of the same step
 * function, weighted by the incoming gradients: independent of the hand-derived formulas.
 * Error bounds (STYLE C9), inputs in [-1, 1]: forward values are a few f32 operations on sigmoid
 * (<= 3.6 ulp) and tanh (XNNPACK's rational 9/6: <= 5.6e-7 absolute, 9.4 ε32), all of size <= 2:
 * 16 ε32 relative and absolute. Backwards take the forward's
 * f32-rounded gates as inputs and multiply 3-4 factors of size <= 2: 64 ε32.
 */
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32 } from "../_util/rng.ts";
import { type RnnActivation, stepReference } from "../_reference/recurrent.ts";
import { numericGrad, row } from "../_util/gradcheck.ts";

const harnesses = await kernelHarnesses();
const EPS32 = 2 ** -24;
const FWD: Tolerance = { rel: 16 * EPS32, abs: 16 * EPS32 };
const BWD: Tolerance = { rel: 64 * EPS32, abs: 64 * EPS32 };
const BATCHES = [1, 3, 5];
const UNITS = [1, 3, 4, 5, 8, 9, 12, 17];
const ACT_CODE: Record<RnnActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

type Range = readonly [number, number];
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
function pieces(n: number): Range[] {
  const a = Math.min(1, n), b = Math.max(a, n - 1);
  return [[0, a], [a, b], [b, n]];
}

/**
 * Runs `call(begin, end)` over [0, batch) and again over three pieces into fresh copies of the
 * outputs (pre-filled from `init`, garbage unless the kernel reads them); returns the whole run's
 * outputs after checking guards and that both runs wrote the same bytes.
 */
function wholeAndSplit(
  h: KernelHarness,
  outs: { size: number; init?: ArrayLike<number> }[],
  batch: number,
  call: (ptrs: number[], begin: number, end: number) => void,
): Float32Array[] {
  const run = (ranges: Range[]) => {
    const ptrs = outs.map((o) => h.f32(o.size, o.init ?? new Float32Array(o.size).fill(1234.5)));
    for (const [b, e] of ranges) {
      call(ptrs, b, e);
      h.checkGuards();
    }
    return ptrs.map((p, i) => h.read(p, outs[i].size));
  };
  const whole = run([[0, batch]]);
  const split = run(pieces(batch));
  whole.forEach((w, i) =>
    assertEquals(bits(split[i]), bits(w), `output ${i}: split ranges give other bytes`)
  );
  return whole;
}

for (const batch of BATCHES) {
  for (const u of UNITS) {
    const seed = 1000 * batch + u;
    const name = `batch ${batch} units ${u}`;

    Deno.test(`f32_lstm_gates_fwd() and _bwd() match the f64 cell for ${name}`, () => {
      const g = 4 * u, bu = batch * u;
      const xw = randomF32(batch * g, seed), hu = randomF32(batch * g, seed + 1);
      const cPrev = randomF32(bu, seed + 2),
        dh = randomF32(bu, seed + 3),
        dc = randomF32(bu, seed + 4);
      const step = (b: number) => (v: Float64Array) =>
        stepReference("lstm", v.subarray(0, g), row(hu, b, g), v.subarray(g), u);
      for (const h of harnesses) {
        const pxw = h.f32(batch * g, xw), phu = h.f32(batch * g, hu), pcp = h.f32(bu, cPrev);
        const [c, hh, gates] = wholeAndSplit(
          h,
          [{ size: bu }, { size: bu }, { size: batch * g }],
          batch,
          ([pc, ph, pg], b, e) => h.k.f32_lstm_gates_fwd(pxw, phu, pcp, pc, ph, pg, u, b, e),
        );
        // In place (gates == xw, as src/ops/_recurrent.ts runs it): the same bytes.
        const inPlace = wholeAndSplit(
          h,
          [{ size: bu }, { size: bu }, { size: batch * g, init: xw }],
          batch,
          ([pc, ph, pz], b, e) => h.k.f32_lstm_gates_fwd(pz, phu, pcp, pc, ph, pz, u, b, e),
        );
        [c, hh, gates].forEach((want, i) =>
          assertEquals(bits(inPlace[i]), bits(want), `lstm in place, output ${i}`)
        );
        const pc = h.f32(bu, c), pg = h.f32(batch * g, gates), pdh = h.f32(bu, dh);
        const [dz, dcPrev] = wholeAndSplit(
          h,
          [{ size: batch * g }, { size: bu, init: dc }],
          batch,
          ([pdz, pdc], b, e) => h.k.f32_lstm_gates_bwd(pdh, pdc, pg, pcp, pc, pdz, u, b, e),
        );
        for (let b = 0; b < batch; b++) {
          const want = step(b)(Float64Array.from([...row(xw, b, g), ...row(cPrev, b, u)]));
          assertClose(row(hh, b, u), want.subarray(0, u), FWD, `lstm h [${h.name}] ${name}`);
          assertClose(row(c, b, u), want.subarray(u), FWD, `lstm c [${h.name}] ${name}`);
          const grad = numericGrad(step(b), [...row(xw, b, g), ...row(cPrev, b, u)], [
            ...row(dh, b, u),
            ...row(dc, b, u),
          ]);
          assertClose(row(dz, b, g), grad.subarray(0, g), BWD, `lstm dz [${h.name}] ${name}`);
          assertClose(row(dcPrev, b, u), grad.subarray(g), BWD, `lstm dcPrev [${h.name}] ${name}`);
        }
        h.reset();
      }
    });

    Deno.test(`f32_gru_gates_fwd() and _bwd() match the f64 cell for ${name}`, () => {
      const g = 3 * u, bu = batch * u;
      const xw = randomF32(batch * g, seed), hu = randomF32(batch * g, seed + 1);
      const hPrev = randomF32(bu, seed + 2),
        dh = randomF32(bu, seed + 3),
        acc = randomF32(bu, seed + 4);
      const step = (v: Float64Array) =>
        stepReference("gru", v.subarray(0, g), v.subarray(g, 2 * g), v.subarray(2 * g), u);
      for (const h of harnesses) {
        const pxw = h.f32(batch * g, xw), phu = h.f32(batch * g, hu), php = h.f32(bu, hPrev);
        const [hh, saved] = wholeAndSplit(
          h,
          [{ size: bu }, { size: 4 * bu }],
          batch,
          ([ph, ps], b, e) => h.k.f32_gru_gates_fwd(pxw, phu, php, ph, ps, u, b, e),
        );
        const ps = h.f32(4 * bu, saved), pdh = h.f32(bu, dh);
        const [dxw, dhu, dhPrev] = wholeAndSplit(
          h,
          [{ size: batch * g }, { size: batch * g }, { size: bu, init: acc }],
          batch,
          ([pdxw, pdhu, pdhp], b, e) =>
            h.k.f32_gru_gates_bwd(pdh, ps, php, pdxw, pdhu, pdhp, u, b, e),
        );
        // Without dhPrev (pointer 0) the other outputs are the same.
        const [dxw0] = wholeAndSplit(
          h,
          [{ size: batch * g }, { size: batch * g }],
          batch,
          ([pdxw, pdhu], b, e) => h.k.f32_gru_gates_bwd(pdh, ps, php, pdxw, pdhu, 0, u, b, e),
        );
        assertEquals(bits(dxw0), bits(dxw), "dxw with and without dhPrev");
        for (let b = 0; b < batch; b++) {
          const v = Float64Array.from([...row(xw, b, g), ...row(hu, b, g), ...row(hPrev, b, u)]);
          assertClose(row(hh, b, u), step(v), FWD, `gru h [${h.name}] ${name}`);
          const grad = numericGrad(step, v, row(dh, b, u));
          assertClose(row(dxw, b, g), grad.subarray(0, g), BWD, `gru dxw [${h.name}] ${name}`);
          assertClose(row(dhu, b, g), grad.subarray(g, 2 * g), BWD, `gru dhu [${h.name}] ${name}`);
          const direct = grad.subarray(2 * g).map((d, j) => d + acc[b * u + j]);
          assertClose(row(dhPrev, b, u), direct, BWD, `gru dhPrev [${h.name}] ${name}`);
        }
        h.reset();
      }
    });

    Deno.test(`f32_rnn_gates_fwd() and _bwd() match the f64 cell for ${name}`, () => {
      const bu = batch * u;
      const xw = randomF32(bu, seed), hu = randomF32(bu, seed + 1), dh = randomF32(bu, seed + 2);
      for (const act of ["tanh", "relu", "sigmoid", "linear"] as const) {
        const step = (v: Float64Array) =>
          stepReference("simpleRnn", v, new Float64Array(u), [], u, act);
        for (const h of harnesses) {
          const pxw = h.f32(bu, xw), phu = h.f32(bu, hu), pdh = h.f32(bu, dh);
          const [y] = wholeAndSplit(
            h,
            [{ size: bu }],
            batch,
            ([py], b, e) => h.k.f32_rnn_gates_fwd(pxw, phu, py, ACT_CODE[act], u, b, e),
          );
          const py = h.f32(bu, y);
          const [dz] = wholeAndSplit(
            h,
            [{ size: bu }],
            batch,
            ([pdz], b, e) => h.k.f32_rnn_gates_bwd(pdh, py, pdz, ACT_CODE[act], u, b, e),
          );
          for (let b = 0; b < batch; b++) {
            const v = Float64Array.from(row(xw, b, u).map((x, j) => x + hu[b * u + j]));
            assertClose(row(y, b, u), step(v), FWD, `rnn ${act} h [${h.name}] ${name}`);
            assertClose(
              row(dz, b, u),
              numericGrad(step, v, row(dh, b, u)),
              BWD,
              `rnn ${act} dz [${h.name}] ${name}`,
            );
          }
          h.reset();
        }
      }
    });
  }
}

Deno.test("f32_lstm_gates_fwd() allows c to alias cPrev", () => {
  const [batch, u] = [3, 9];
  const xw = randomF32(batch * 4 * u, 1),
    hu = randomF32(batch * 4 * u, 2),
    cp = randomF32(batch * u, 3);
  for (const h of harnesses) {
    const pxw = h.f32(xw.length, xw), phu = h.f32(hu.length, hu);
    const p1 = h.f32(cp.length, cp),
      c1 = h.f32(cp.length),
      h1 = h.f32(cp.length),
      g1 = h.f32(xw.length);
    h.k.f32_lstm_gates_fwd(pxw, phu, p1, c1, h1, g1, u, 0, batch);
    const p2 = h.f32(cp.length, cp), h2 = h.f32(cp.length), g2 = h.f32(xw.length);
    h.k.f32_lstm_gates_fwd(pxw, phu, p2, p2, h2, g2, u, 0, batch);
    assertEquals(bits(h.read(p2, cp.length)), bits(h.read(c1, cp.length)), `c [${h.name}]`);
    assertEquals(bits(h.read(h2, cp.length)), bits(h.read(h1, cp.length)), `h [${h.name}]`);
    h.checkGuards();
    h.reset();
  }
});

Deno.test("gate tanh and sigmoid keep NaN, saturate exactly and keep tanh's sign of zero", () => {
  // Through the simple RNN (act(xw + hu) with hu = -0, which changes no input, -0 included).
  const x = [NaN, Infinity, -Infinity, 100, -100, 7.7, -7.7, 0, -0, 1e-30, -1e-30];
  const tanh = [NaN, 1, -1, 1, -1, 1, -1, 0, -0, 1e-30, -1e-30];
  const sigmoid = [NaN, 1, 0, 1, 0, 1 / (1 + Math.exp(-7.7)), 1 / (1 + Math.exp(7.7))]
    .concat([0.5, 0.5, 0.5, 0.5]);
  for (const h of harnesses) {
    const px = h.f32(x.length, x), pz = h.f32(x.length, x.map(() => -0)), py = h.f32(x.length);
    for (const [act, want] of [["tanh", tanh], ["sigmoid", sigmoid]] as const) {
      h.k.f32_rnn_gates_fwd(px, pz, py, ACT_CODE[act], x.length, 0, 1);
      const got = h.read(py, x.length);
      want.forEach((w, i) => {
        const exact = w === 0 || Math.abs(w) === 1 || w === 0.5; // -0 included
        const ok = Number.isNaN(w)
          ? Number.isNaN(got[i])
          : act === "sigmoid" && w === 0
          ? Object.is(got[i], 0) // σ(x < -87.34) is flushed to 0 (see the kernel header)
          : exact
          ? Object.is(got[i], w)
          : Math.abs(got[i] - w) <= 1e-6 * Math.abs(w); // relative accuracy, also near 0
        assertEquals(ok, true, `${act}(${x[i]}) = ${got[i]}, want ${w} [${h.name}]`);
      });
    }
    h.checkGuards();
    h.reset();
  }
});

for (const [batch, steps, inner] of [[1, 1, 1], [3, 5, 7], [4, 2, 8], [2, 9, 3]] as const) {
  Deno.test(`f32_rnn_time_major() and f32_rnn_batch_major() permute [${batch}, ${steps}, ${inner}] exactly`, () => {
    const n = batch * steps * inner;
    const x = randomF32(n, n);
    for (const reverse of [0, 1]) {
      const want = new Float64Array(n);
      for (let b = 0; b < batch; b++) {
        for (let s = 0; s < steps; s++) {
          const t = reverse ? steps - 1 - s : s;
          for (let i = 0; i < inner; i++) {
            want[(s * batch + b) * inner + i] = x[(b * steps + t) * inner + i];
          }
        }
      }
      for (const h of harnesses) {
        const px = h.f32(n, x);
        const [tm] = wholeAndSplit(
          h,
          [{ size: n }],
          batch,
          ([py], b, e) => h.k.f32_rnn_time_major(px, py, batch, steps, inner, reverse, b, e),
        );
        assertClose(tm, want, Tol.exact, `time major [${h.name}] reverse ${reverse}`);
        const ptm = h.f32(n, tm);
        const [bm] = wholeAndSplit(
          h,
          [{ size: n }],
          batch,
          ([py], b, e) => h.k.f32_rnn_batch_major(ptm, py, batch, steps, inner, reverse, b, e),
        );
        assertClose(bm, x, Tol.exact, `batch major round trip [${h.name}] reverse ${reverse}`);
        h.reset();
      }
    }
  });
}

Deno.test("recurrent kernels assert their preconditions in the debug build", () => {
  const debug = harnesses.find((h) => h.name === "debug")!;
  const p = debug.f32(64);
  assertThrows(
    () => debug.k.f32_lstm_gates_fwd(p, p, p, p, p, p, 2, 3, 1),
    Error,
    "Kernel precondition failed",
  );
  assertThrows(
    () => debug.k.f32_rnn_gates_fwd(p, p, p, 7, 2, 0, 1),
    Error,
    "Kernel precondition failed",
  );
  assertThrows(
    () => debug.k.f32_rnn_time_major(p, p, 2, 2, 2, 0, 0, 3),
    Error,
    "Kernel precondition failed",
  );
  debug.reset();
});
