/**
 * Raw-kernel tests of assembly/rbm.ts on every build (debug with asserts, release, portable):
 * f32_rbm_weight_update and f32_rbm_bias_update against the float64 update of
 * tests/_reference/rbm.ts, on shapes around the 4-row and 8- / 4-column tiles; a split of the
 * [begin, end) range gives the same bits as one call; the guards stay untouched.
 */
import { assertEquals } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { rng } from "../_util/rng.ts";
import { rbmUpdate } from "../_reference/rbm.ts";

const harnesses = await kernelHarnesses();
const [LR, MOMENTUM, DECAY] = [0.3, 0.7, 0.05];

for (const [batch, visible, hidden] of [[1, 1, 1], [3, 5, 9], [7, 13, 21], [2, 8, 16], [5, 9, 3]]) {
  Deno.test(`f32_rbm_weight_update() and f32_rbm_bias_update() match float64: ${batch}x${visible}x${hidden}`, () => {
    const g = rng(batch * 100 + visible * 10 + hidden);
    const r = (n: number, lo = -1) =>
      Float32Array.from({ length: n }, () => lo < 0 ? g() : (g() + 1) / 2);
    const [vPos, hPos, vNeg, hNeg] = [
      r(batch * visible, 0),
      r(batch * hidden, 0),
      r(batch * visible, 0),
      r(batch * hidden, 0),
    ];
    const [w, wVel, b, bVel, c, cVel] = [
      r(visible * hidden),
      r(visible * hidden),
      r(visible),
      r(visible),
      r(hidden),
      r(hidden),
    ];
    const p = {
      visible,
      hidden,
      gaussian: false,
      w: Float64Array.from(w),
      b: Float64Array.from(b),
      c: Float64Array.from(c),
    };
    const vel = {
      w: Float64Array.from(wVel),
      b: Float64Array.from(bVel),
      c: Float64Array.from(cVel),
    };
    rbmUpdate(p, vel, vPos, hPos, vNeg, hNeg, batch, { lr: LR, momentum: MOMENTUM, decay: DECAY });
    // 2·batch products of size <= 1 summed in f32 (fma or not), then a few rounded steps.
    const tol = { rel: 8 * 2 ** -24, abs: LR * (2 * batch + 4) * 2 ** -24 + 4 * 2 ** -24 };
    const scale = 1 / batch;
    for (const h of harnesses) {
      let first: Float32Array[] | null = null;
      const cut = Math.min(visible, 4), hcut = Math.min(hidden, 4);
      for (const split of [false, true]) {
        const [pv, ph, nv, nh] = [vPos, hPos, vNeg, hNeg].map((a) => h.f32(a.length, a));
        const [pw, pwv, pb, pbv, pc, pcv] = [w, wVel, b, bVel, c, cVel].map((a) =>
          h.f32(a.length, a)
        );
        const rows = split ? [[0, cut], [cut, visible]] : [[0, visible]];
        for (const [begin, end] of rows) {
          h.k.f32_rbm_weight_update(
            pv,
            ph,
            nv,
            nh,
            batch,
            visible,
            hidden,
            pw,
            pwv,
            scale,
            LR,
            MOMENTUM,
            DECAY,
            begin,
            end,
          );
        }
        h.k.f32_rbm_bias_update(pv, nv, batch, visible, pb, pbv, scale, LR, MOMENTUM, 0, visible);
        for (const [begin, end] of split ? [[0, hcut], [hcut, hidden]] : [[0, hidden]]) {
          h.k.f32_rbm_bias_update(ph, nh, batch, hidden, pc, pcv, scale, LR, MOMENTUM, begin, end);
        }
        h.checkGuards();
        const out = [
          h.read(pw, w.length),
          h.read(pwv, w.length),
          h.read(pb, b.length),
          h.read(pbv, b.length),
          h.read(pc, c.length),
          h.read(pcv, c.length),
        ];
        const want = [p.w, vel.w, p.b, vel.b, p.c, vel.c];
        const names = ["w", "wVel", "vBias", "vBiasVel", "hBias", "hBiasVel"];
        out.forEach((o, i) => assertClose(o, want[i], tol, `[${h.name}] ${names[i]}`));
        if (first) {
          first.forEach((f, i) => assertEquals(out[i], f, `[${h.name}] split ${names[i]}`));
        }
        first = out.map((o) => o.slice());
        h.reset();
      }
    }
  });
}
