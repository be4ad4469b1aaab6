import { trainLenet } from "../../examples/lenet.ts";
import { assert } from "../_util/assert.ts";

// The bar: LeNet reaches >= 98.5% on the 2,000 held-out MNIST digits. Training is seeded
// (dn.setSeed(0) and the split seed), so the result is reproducible: 98.85% after 6 epochs.
Deno.test("LeNet-5 reaches >= 98.5% on the 2,000 held-out MNIST digits", async () => {
  const { model, accuracy } = await trainLenet({ epochs: 6, verbose: 0 });
  model.dispose();
  assert(accuracy >= 0.985, `held-out accuracy ${accuracy}`);
});
