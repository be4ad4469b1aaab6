import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const { losses } = dn;

Deno.test("getLoss() resolves TF.js and Keras names and passes functions through", () => {
  assertEquals(losses.getLoss("meanSquaredError"), losses.meanSquaredError);
  assertEquals(losses.getLoss("mse"), losses.meanSquaredError);
  assertEquals(losses.getLoss("mean_squared_error"), losses.meanSquaredError);
  assertEquals(losses.getLoss("binaryCrossentropy"), losses.binaryCrossentropy);
  assertEquals(losses.getLoss("categorical_crossentropy"), losses.categoricalCrossentropy);
  assertEquals(
    losses.getLoss("sparseCategoricalCrossentropy"),
    losses.sparseCategoricalCrossentropy,
  );
  const custom = (t: dn.Tensor, p: dn.Tensor) => dn.sum(dn.sub(p, t));
  assertEquals(losses.getLoss(custom), custom);
});

Deno.test("getLoss() rejects an unknown name listing the valid ones", () => {
  assertThrows(
    () => losses.getLoss("hingeLoss"),
    TypeError,
    'Cannot run getLoss(): argument "identifier" must be one of "meanSquaredError", "mse"',
  );
  assertThrows(() => losses.getLoss(3 as never), TypeError, "got 3");
});
