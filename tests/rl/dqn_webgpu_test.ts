/**
 * The DQN agent reads Q-values back synchronously, which a GPU cannot do: on webgpu `dqn()` says
 * so up front instead of failing in the middle of training. Skipped without an adapter.
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: gpu } = await testWebgpu();

Deno.test({
  name: "dqn() on the webgpu backend throws a TypeError naming the CPU backends",
  ignore: gpu === null,
  fn: async () => {
    try {
      await dn.ready({ backend: "webgpu" });
      const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [4] })]);
      assertThrows(
        () => dn.rl.dqn({ model }),
        TypeError,
        'needs a CPU backend (wasm or threads): got "webgpu"',
      );
      model.dispose();
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});
