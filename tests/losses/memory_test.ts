import * as dn from "../../mod.ts";
import { assertNoLeak } from "./_helpers.ts";

Deno.test("losses and metrics leak no tensor, alone or under a gradient", () => {
  using t = dn.tensor([[0, 1, 0], [1, 0, 0]]);
  using labels = dn.tensor([1, 0]);
  using p = dn.tensor([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]);
  const cases: [dn.Tensor, (yTrue: dn.Tensor, yPred: dn.Tensor) => dn.Tensor][] = [
    [t, dn.losses.meanSquaredError],
    [t, dn.losses.binaryCrossentropy],
    [t, (a, b) => dn.losses.binaryCrossentropy(a, b, { fromLogits: true })],
    [t, dn.losses.categoricalCrossentropy],
    [t, (a, b) => dn.losses.categoricalCrossentropy(a, b, { fromLogits: true })],
    [labels, dn.losses.sparseCategoricalCrossentropy],
    [labels, (a, b) => dn.losses.sparseCategoricalCrossentropy(a, b, { fromLogits: true })],
    [t, dn.metrics.binaryAccuracy],
    [t, dn.metrics.categoricalAccuracy],
    [labels, dn.metrics.sparseCategoricalAccuracy],
  ];
  for (const [yTrue, f] of cases) {
    assertNoLeak(() => {
      f(yTrue, p).dispose();
      const { value, grad } = dn.valueAndGrad((q) => f(yTrue, q))(p);
      value.dispose();
      grad.dispose();
    });
  }
});
