/**
 * Gradient checks of a layer (STYLE C12): the analytic side is Dendrite's backward pass of
 * `L = sum(r ⊙ layer.call(x))` with respect to the input and the layer's own weight tensors; the
 * numeric side is a central difference of the same `L` over a float64 reference of the layer.
 */
import * as dn from "../../mod.ts";
import type { Tolerance } from "../_util/assert_close.ts";
import type { GradInput } from "../_util/gradcheck.ts";

/** The layer's forward in float64: input values and weight values (creation order) to outputs. */
export type LayerReference = (x: Float64Array, weights: Float64Array[]) => Float64Array;

/**
 * Compares d/dx and d/dweights of `sum(r ⊙ layer.call(x))` (inference mode) with central differences
 * (`h = 1e-6`) of `ref`, coordinate by coordinate within `abs + rel·|numeric|`. The layer is
 * built by a first call. Returns the largest |analytic - numeric| seen, for reporting.
 */
export function checkLayerGrads(
  what: string,
  layer: dn.layers.Layer,
  x: GradInput,
  r: Float64Array,
  ref: LayerReference,
  tol: Tolerance,
): number {
  const h = 1e-6;
  using xt = dn.tensor(Float32Array.from(x.data), x.shape);
  const out = layer.call(xt, false);
  using rt = dn.tensor(Float32Array.from(r), out.shape);
  if (out !== xt) out.dispose(); // identity layers return their input itself
  const weights = layer.weights.map((w) => w.value);
  const names = ["x", ...layer.weights.map((w) => w.name)];
  const values = [x.data, ...weights.map((w) => Float64Array.from(w.dataSync()))];
  const loss = (vs: Float64Array[]) => {
    const y = ref(vs[0], vs.slice(1));
    let s = 0;
    for (let i = 0; i < y.length; i++) s += r[i] * y[i];
    return s;
  };
  const { value, grads } = dn.valueAndGrads((input) =>
    dn.sum(dn.mul(layer.call(input, false), rt))
  )(
    [xt, ...weights],
  );
  value.dispose();
  const analytic = grads.map((g) => {
    const v = g.dataSync();
    g.dispose();
    return v;
  });
  let worst = 0;
  values.forEach((v, which) => {
    for (let j = 0; j < v.length; j++) {
      const vs = values.map((a) => Float64Array.from(a));
      vs[which][j] = v[j] + h;
      const up = loss(vs);
      vs[which][j] = v[j] - h;
      const numeric = (up - loss(vs)) / (2 * h);
      const diff = Math.abs(analytic[which][j] - numeric);
      const bound = tol.abs + tol.rel * Math.abs(numeric);
      if (!(diff <= bound)) {
        throw new Error(
          `${what}: d/d${names[which]}[${j}]: analytic ${
            analytic[which][j]
          }, numeric ${numeric}, |diff| ${diff} > bound ${bound}`,
        );
      }
      worst = Math.max(worst, diff);
    }
  });
  return worst;
}
