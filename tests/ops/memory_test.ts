import * as dn from "../../mod.ts";
import { assertEquals } from "../_util/assert.ts";

Deno.test("memory() stays flat over 10,000 create-matmul-dispose iterations", () => {
  const step = () => {
    using a = dn.randomUniform([17, 33], { seed: 1 });
    using b = dn.randomUniform([33, 9], { seed: 2 });
    using c = dn.matmul(a, b, { activation: "relu" });
    using s = dn.sum(c, 1);
    s.dataSync();
  };
  for (let i = 0; i < 100; i++) step();
  const before = dn.memory();
  for (let i = 0; i < 10_000; i++) step();
  assertEquals(dn.memory(), before);
});

Deno.test("reshape() views share storage until the last one is disposed", () => {
  const before = dn.memory();
  const a = dn.tensor([1, 2, 3, 4]);
  const b = dn.reshape(a, [2, 2]);
  assertEquals(dn.memory().numTensors, before.numTensors + 2);
  assertEquals(dn.memory().numBytes, before.numBytes + 16);
  a.dispose();
  assertEquals([...b.dataSync()], [1, 2, 3, 4]);
  b.dispose();
  assertEquals(dn.memory(), before);
});
