/**
 * Sizes are checked before memory grows: a tensor whose float32 bytes cannot fit in
 * the 1 GiB wasm memory (beside the live tensors) throws a RangeError naming the op and the size,
 * fast, and leaves the memory as it was.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

const CASES: [string, () => unknown, string][] = [
  ["zeros", () => dn.zeros([2e9]), "shape [2000000000] needs 8000000000 bytes"],
  ["ones", () => dn.ones([40000, 40000]), "needs 6400000000 bytes"],
  ["fill", () => dn.fill([3e8], 1), "needs 1200000000 bytes"],
  ["randomUniform", () => dn.randomUniform([3e8]), "needs 1200000000 bytes"],
  ["randomNormal", () => dn.randomNormal([3e8]), "needs 1200000000 bytes"],
  ["matmul", () => dn.matmul(dn.ones([20000, 1]), dn.ones([1, 20000])), "[20000, 20000]"],
  ["add", () => dn.add(dn.ones([20000, 1]), dn.ones([1, 20000])), "needs 1600000000 bytes"],
];

for (const [fn, f, fragment] of CASES) {
  Deno.test(`${fn}() rejects an output larger than the wasm memory before allocating`, () => {
    const before = dn.memory();
    const started = performance.now();
    const e = assertThrows(
      () => dn.tidy(f),
      RangeError,
      `Cannot run ${fn}(): the output does not fit in memory`,
    );
    assert(e.message.includes(fragment), e.message);
    assert(e.message.includes("holds at most 1073741824 bytes"), e.message);
    assert(performance.now() - started < 500, "the check must come before any work");
    assertEquals(dn.memory().wasmBytes, before.wasmBytes);
    assertEquals(dn.memory().numTensors, before.numTensors);
  });
}

Deno.test("zeros() counts the live tensors against the wasm memory", () => {
  const big = dn.zeros([150e6]); // 600 MB of the 1 GiB
  try {
    const grown = dn.memory().wasmBytes;
    assertThrows(
      () => dn.zeros([120e6]),
      RangeError,
      "Cannot run zeros(): the output does not fit in memory: a float32 tensor of shape [120000000] needs 480000000 bytes and the wasm memory holds at most 1073741824 bytes (1 GiB), 600000000 of them used by live tensors",
    );
    assertEquals(dn.memory().wasmBytes, grown);
  } finally {
    big.dispose();
  }
});
