/**
 * oneHot and the sparse losses on webgpu, where indices cannot be read back synchronously: the
 * encoding is computed on the device (no validation; out-of-range rows are zeros, documented).
 * Skipped without an adapter, failed instead under `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assertEquals } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();

Deno.test({
  name: "oneHot() on webgpu encodes on the device and zeroes out-of-range rows",
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    try {
      const y = dn.oneHot(dn.tensor([2, 0, 1, 5]), 3);
      assertEquals(y.shape, [4, 3]);
      assertEquals([...(await y.data())], [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
      const loss = dn.losses.sparseCategoricalCrossentropy(
        dn.tensor([2, 0]),
        dn.tensor([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]),
      );
      const [value] = await loss.data();
      const want = -(Math.log(Math.fround(0.7)) + Math.log(Math.fround(0.8))) / 2;
      assertEquals(Math.abs(value - want) < 1e-6, true, `${value} vs ${want}`);
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});
